/**
 * The execution engine the Lambda service calls: it runs invocations of function versions in
 * pooled execution environments (see pool.ts), each a sandboxed runtime process (environment.ts,
 * sandbox.ts) limited by cgroups where the host has them (cgroups.ts).
 *
 * The service decides what a function is and whether an invocation may run (concurrency limits);
 * the engine decides where it runs. A spec whose contents change under the same key gets fresh
 * environments, so a forgotten `retire` never runs stale code.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { hostClock, type Clock } from '../engine/clock.js';
import { detectCgroups, type CgroupDriver } from './cgroups.js';
import type { EnvironmentContext } from './environment.js';
import { LayerMerges } from './layers.js';
import { EnvironmentPool } from './pool.js';
import { resolveRuntime } from './runtimes.js';
import { SpareEnvironments } from './spares.js';
import { Sandbox, type SandboxMode, type SandboxRequest } from './sandbox.js';
import type { FunctionSpec, InvocationRequest, InvocationResult } from './types.js';

export interface EngineOptions {
  logger: Logger;
  /** Stratus's time: idle reaping and log timestamps follow it (default: the host's). */
  clock?: Clock;
  /** How long an on-demand environment stays warm without work (default 10 minutes). */
  idleTimeoutMs?: number;
  /**
   * `auto` (default): bubblewrap if it works here, else plain processes and a loud warning;
   * `bwrap`: throw SandboxUnavailable rather than run unsandboxed; `process`: no sandbox, on purpose.
   */
  sandbox?: SandboxRequest;
  /** Scratch space for per-environment directories and merged layers. */
  workDir: string;
  /** Keep spare runtime processes for cold starts (spares.ts); default true. */
  spares?: boolean;
}

interface PoolEntry {
  pool: EnvironmentPool;
  /** The spec the pool's environments run, to notice a changed one under the same key. */
  fingerprint: string;
}

export class ExecutionEngine {
  readonly sandboxMode: SandboxMode;
  private readonly ctx: EnvironmentContext;
  private readonly cgroups: CgroupDriver | undefined;
  private readonly layers: LayerMerges;
  private readonly pools = new Map<string, PoolEntry>();
  /** Retired pools whose busy environments are still finishing. */
  private readonly draining = new Set<EnvironmentPool>();
  private readonly drainWaiters = new Map<EnvironmentPool, () => void>();
  private readonly idleTimeoutMs: number;
  private readonly spares: SpareEnvironments | undefined;
  private closed = false;

  constructor(options: EngineOptions) {
    const { logger, workDir } = options;
    mkdirSync(workDir, { recursive: true, mode: 0o755 });
    this.idleTimeoutMs = options.idleTimeoutMs ?? 10 * 60 * 1000;
    const requested = options.sandbox ?? 'auto';
    const { sandbox, reason } = Sandbox.create(requested, workDir);
    this.sandboxMode = sandbox.mode;
    const unisolated =
      "They run as plain processes with Stratus's own user and can read and write whatever Stratus can.";
    if (reason) logger.warn(`FUNCTIONS ARE NOT SANDBOXED: ${reason}. ${unisolated}`);
    else if (requested === 'process')
      logger.warn(`Functions are not sandboxed (sandbox: process). ${unisolated}`);
    this.cgroups = detectCgroups();
    if (!this.cgroups) {
      logger.warn(
        'No writable cgroup hierarchy: functions run without memory, process or CPU limits (memory use is still measured).',
      );
    }
    this.ctx = { sandbox, cgroups: this.cgroups, workDir, logger, clock: options.clock ?? hostClock };
    this.layers = new LayerMerges(workDir);
    this.spares = options.spares === false ? undefined : new SpareEnvironments(this.ctx, this.idleTimeoutMs);
    logger.debug(
      { sandbox: sandbox.mode, cgroups: this.cgroups?.version ?? 'none' },
      'execution engine ready',
    );
  }

  /** Runs one invocation in a warm environment of `spec.key`, or a new one (a cold start). */
  async invoke(spec: FunctionSpec, request: InvocationRequest): Promise<InvocationResult> {
    return this.poolFor(spec).invoke(request);
  }

  /** Keeps `count` initialized environments of `spec.key` (provisioned concurrency). */
  async provision(spec: FunctionSpec, count: number): Promise<void> {
    return this.poolFor(spec).provision(count);
  }

  /** Code or configuration changed, or the function is gone: its environments stop. */
  async retire(key: string): Promise<void> {
    const entry = this.pools.get(key);
    if (!entry) return;
    this.pools.delete(key);
    this.draining.add(entry.pool);
    entry.pool.retire();
  }

  /** Environments running an invocation (cold starts included), for one key or all. */
  busyCount(key?: string): number {
    const live =
      key === undefined ? [...this.pools.values()] : [this.pools.get(key)].filter((e) => e !== undefined);
    let count = live.reduce((sum, entry) => sum + entry.pool.inFlight, 0);
    for (const pool of this.draining) if (key === undefined || pool.spec.key === key) count += pool.inFlight;
    return count;
  }

  /**
   * Kills every environment, busy or not, and every spare, and goes on serving: what runs next
   * starts cold. For a reset of Stratus's state, after which nothing of what ran before may answer.
   */
  async reset(): Promise<void> {
    this.spares?.clear();
    await this.killAll();
  }

  /** Kills every environment and removes the engine's cgroups and scratch directories. */
  async close(): Promise<void> {
    this.closed = true;
    this.spares?.close();
    await this.killAll();
    this.cgroups?.close();
    rmSync(join(this.ctx.workDir, 'environments'), { recursive: true, force: true });
  }

  /** Kills every environment and waits (up to 5 s) until they are gone. */
  private async killAll(): Promise<void> {
    const pools = [...[...this.pools.values()].map((entry) => entry.pool), ...this.draining];
    const drained = pools.map((pool) => new Promise<void>((resolve) => this.drainWaiters.set(pool, resolve)));
    this.pools.clear();
    for (const pool of pools) pool.close();
    await Promise.race([Promise.all(drained), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
  }

  private poolFor(spec: FunctionSpec): EnvironmentPool {
    if (this.closed) throw new Error('The execution engine is closed');
    const fingerprint = JSON.stringify(spec);
    const existing = this.pools.get(spec.key);
    if (existing?.fingerprint === fingerprint) return existing.pool;
    if (existing) void this.retire(spec.key);
    const runtime = resolveRuntime(spec.runtime);
    if ('missing' in runtime) throw new Error(runtime.missing);
    const optDir = this.layers.acquire(spec.layerDirs);
    const pool: EnvironmentPool = new EnvironmentPool(spec, runtime, {
      ctx: this.ctx,
      idleTimeoutMs: this.idleTimeoutMs,
      optDir,
      takeSpare: () => this.spares?.take(spec, runtime, optDir),
      onDrained: () => {
        this.draining.delete(pool);
        this.layers.release(optDir);
        this.drainWaiters.get(pool)?.();
        this.drainWaiters.delete(pool);
      },
    });
    this.pools.set(spec.key, { pool, fingerprint });
    return pool;
  }
}
