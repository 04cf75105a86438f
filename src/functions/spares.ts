/**
 * Spare execution environments: runtime processes started — sandboxed, in their cgroups, under
 * their memory limits — before Stratus knows which function they will run, so a cold start skips
 * the sandbox set-up and the interpreter's own start-up (about half of a Node.js cold start here),
 * as Lambda keeps initialized sandboxes ready. A spare's /var/task is an empty directory of its
 * own bound read-only; assigning the spare links the function's code into that directory and sends
 * the function's environment variables on the runtime's stdin (bootstrap.mjs waits for them before
 * it loads the handler). Init Duration is then measured from the assignment.
 *
 * Spares are kept per profile — runtime, memory and /tmp size, which fix the process's flags, its
 * cgroup and its sandbox — for profiles that cold-started recently: one spare each, replaced when
 * taken, stopped once the profile has not cold-started for the idle timeout. A spare serves only
 * what it can become exactly: a Node.js function without layers (they would change the sandbox's
 * mounts), whose variables do not configure the process at start (NODE_OPTIONS, LD_PRELOAD …), and
 * whose code is small enough to link at once. Everything else cold-starts from scratch.
 */
import type { Timer } from '../engine/clock.js';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { countEntries, linkTree } from './code-link.js';
import type { EnvironmentContext } from './environment.js';
import { hasRuntimeApiChannel, sandboxEnvironment } from './environment-variables.js';
import type { Layout } from './environment-variables.js';
import { RuntimeProcess, type ProcessMessage } from './executor.js';
import { RuntimeApi, type RuntimeMessage } from './runtime-api.js';
import type { ResolvedRuntime } from './runtimes.js';
import type { FunctionSpec } from './types.js';

/** Variables that take effect only when the process starts: a spare started without them. */
const STARTUP_VARIABLE = /^(NODE_|UV_|LD_|MALLOC_)|^AWS_LAMBDA_EXEC_WRAPPER$/;
/** Larger code trees cold-start from scratch rather than spend the time saved on linking. */
const MAX_LINKED_ENTRIES = 2000;
/** A profile whose spare died unassigned gets no new one for this long. */
const FAILURE_BACKOFF_MS = 60_000;

/** Who gets a spare's messages once it is assigned: its environment. */
export interface SpareOwner {
  onRuntimeMessage(message: RuntimeMessage): void;
  onProcessMessage(message: ProcessMessage): void;
}

export class Spare {
  readonly id = randomBytes(16).toString('hex');
  readonly api: RuntimeApi;
  readonly process: RuntimeProcess;
  readonly scratchDir: string;
  /** The spare's /var/task (a host directory the sandbox binds read-only). */
  readonly taskDir: string;
  layout: Layout | undefined;
  runtimeApi = '';
  private owner: SpareOwner | undefined;
  /** Output and an early exit, kept for the environment that takes the spare. */
  private readonly early: ProcessMessage[] = [];
  exited = false;

  constructor(
    private readonly shape: Pick<FunctionSpec, 'memoryMb' | 'ephemeralStorageMb'>,
    private readonly runtime: ResolvedRuntime,
    private readonly ctx: EnvironmentContext,
    private readonly onUnassignedExit: (spare: Spare) => void,
  ) {
    this.scratchDir = join(ctx.workDir, 'environments', this.id);
    this.taskDir = join(this.scratchDir, 'task');
    this.api = new RuntimeApi({
      onMessage: (message) => this.owner?.onRuntimeMessage(message),
      authorize: (remotePort, localPort) => this.process.admits(remotePort, localPort, ctx.logger),
    });
    this.process = new RuntimeProcess({
      id: this.id,
      memoryMb: shape.memoryMb,
      cgroups: ctx.cgroups,
      viaBwrap: ctx.sandbox.mode === 'bwrap',
      awaitsAssignment: true,
      onRuntimeApiChannel: hasRuntimeApiChannel(runtime) ? (c) => this.api.serve(c) : undefined,
      onMessage: (message) => this.onProcessMessage(message),
    });
  }

  async start(): Promise<void> {
    mkdirSync(this.taskDir, { recursive: true, mode: 0o755 });
    this.runtimeApi = await this.api.listen();
    const code = { ...this.shape, codeDir: this.taskDir };
    const prepared = this.ctx.sandbox.prepare(code, this.runtime, {
      optDir: undefined,
      scratchDir: this.scratchDir,
    });
    if (prepared.kind !== 'ready') throw new Error('A spare needs a runtime of its own to start');
    this.layout = prepared.layout;
    const env = sandboxEnvironment(this.runtime, prepared.layout, this.runtimeApi);
    this.process.start(prepared.argv, prepared.cwd, { ...env, _STRATUS_SPARE: '1' });
  }

  /**
   * Makes the spare the given function's environment: its code into /var/task, then its variables
   * to the runtime, which goes on to load the handler. Messages go to `owner` from now on.
   */
  assign(owner: SpareOwner, codeDir: string, env: Record<string, string>): void {
    this.owner = owner;
    linkTree(codeDir, this.taskDir);
    for (const message of this.early.splice(0)) owner.onProcessMessage(message);
    if (!this.exited) this.process.assign(JSON.stringify({ environment: env }));
  }

  stop(): void {
    this.process.kill();
  }

  private onProcessMessage(message: ProcessMessage): void {
    if (message.type === 'exited') this.exited = true;
    if (this.owner) return this.owner.onProcessMessage(message);
    this.early.push(message);
    if (message.type === 'exited') {
      this.api.close();
      rmSync(this.scratchDir, { recursive: true, force: true });
      this.onUnassignedExit(this);
    }
  }
}

interface Profile {
  spare: Spare | undefined;
  idleTimer: Timer | undefined;
  failedAt: number | undefined;
}

export class SpareEnvironments {
  private readonly profiles = new Map<string, Profile>();
  /** Entries per code directory (extracted code never changes under its directory). */
  private readonly codeSizes = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly ctx: EnvironmentContext,
    private readonly idleTimeoutMs: number,
  ) {}

  /**
   * A spare that can become `spec`'s environment, if one is there; either way the profile is
   * remembered, and a spare started for its next cold start.
   */
  take(spec: FunctionSpec, runtime: ResolvedRuntime, optDir: string | undefined): Spare | undefined {
    if (this.closed || !this.suits(spec, runtime, optDir)) return undefined;
    const key = profileKey(spec);
    let profile = this.profiles.get(key);
    if (!profile)
      this.profiles.set(key, (profile = { spare: undefined, idleTimer: undefined, failedAt: undefined }));
    profile.idleTimer?.cancel();
    const { clock } = this.ctx;
    profile.idleTimer = clock.at(clock.now() + this.idleTimeoutMs, () => this.forget(key));
    const spare = profile.spare;
    // A spare still setting up (not yet spawned) stays for the next cold start.
    const ready = spare !== undefined && spare.process.started && !spare.exited;
    if (ready) profile.spare = undefined;
    // After this cold start's own work is under way: the two share the machine's cores.
    if (!profile.spare) setImmediate(() => this.replenish(key, spec, runtime));
    return ready ? spare : undefined;
  }

  close(): void {
    this.closed = true;
    this.clear();
  }

  /** Stops every spare and forgets every profile; new cold starts bring them back. */
  clear(): void {
    for (const key of [...this.profiles.keys()]) this.forget(key);
    this.codeSizes.clear();
  }

  private suits(spec: FunctionSpec, runtime: ResolvedRuntime, optDir: string | undefined): boolean {
    if (runtime.family !== 'nodejs' || optDir !== undefined) return false;
    if (Object.keys(spec.environment).some((name) => STARTUP_VARIABLE.test(name))) return false;
    let entries = this.codeSizes.get(spec.codeDir);
    if (entries === undefined) {
      entries = countEntries(spec.codeDir, MAX_LINKED_ENTRIES);
      this.codeSizes.set(spec.codeDir, entries);
    }
    return entries <= MAX_LINKED_ENTRIES;
  }

  private replenish(key: string, spec: FunctionSpec, runtime: ResolvedRuntime): void {
    const profile = this.profiles.get(key);
    if (this.closed || !profile || profile.spare) return;
    if (profile.failedAt !== undefined && Date.now() - profile.failedAt < FAILURE_BACKOFF_MS) return;
    const spare = new Spare(spec, runtime, this.ctx, (dead) => {
      if (profile.spare !== dead) return;
      profile.spare = undefined;
      if (!this.closed) profile.failedAt = Date.now();
      this.ctx.logger.debug({ profile: key }, 'a spare environment exited before it was assigned');
    });
    profile.spare = spare;
    spare.start().catch((error: unknown) => {
      this.ctx.logger.warn({ err: error, profile: key }, 'could not start a spare environment');
      if (profile.spare === spare) profile.spare = undefined;
      profile.failedAt = Date.now();
      spare.stop();
    });
  }

  private forget(key: string): void {
    const profile = this.profiles.get(key);
    if (!profile) return;
    this.profiles.delete(key);
    profile.idleTimer?.cancel();
    profile.spare?.stop();
  }
}

const profileKey = (spec: FunctionSpec) => `${spec.runtime}/${spec.memoryMb}/${spec.ephemeralStorageMb}`;
