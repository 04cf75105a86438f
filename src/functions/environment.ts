/**
 * One execution environment — a runtime process (executor.ts), its Runtime API and its logs —
 * driven by an explicit state machine:
 *
 *   starting ──init ok──▶ idle ◀──answer── busy
 *      │                   │ └──invoke──────▲ │
 *      └──init failed──────┴──▶ stopped ◀─────┘ (timeout, crash, out of memory, retire, reap)
 *
 * Everything that happens to it (a Runtime API call, the process ending, a timer) arrives as one
 * typed message handled here, which checks the state and moves it. Output written while starting
 * or between invocations belongs to the next invocation, as on Lambda, where init output precedes
 * the first `START`. A streamed response keeps the environment busy until its last byte.
 */
import { randomBytes, randomFillSync } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { Clock } from '../engine/clock.js';
import type { CgroupDriver } from './cgroups.js';
import { hasRuntimeApiChannel, lambdaEnvironment } from './environment-variables.js';
import { RuntimeProcess, type ProcessMessage } from './executor.js';
import * as failures from './failures.js';
import {
  LogSink,
  logStreamName,
  platformLines,
  runtimeVersion,
  type ReportFields,
} from './invocation-logs.js';
import { MAX_RESPONSE_BYTES, RuntimeApi, type RuntimeMessage } from './runtime-api.js';
import { gatherStreamedResponse } from './runtime-api-stream.js';
import type { ResolvedRuntime } from './runtimes.js';
import type { Sandbox } from './sandbox.js';
import type { Spare } from './spares.js';
import type { FunctionSpec, InvocationOutcome, InvocationRequest, InvocationResult } from './types.js';

export type EnvironmentState = 'starting' | 'idle' | 'busy' | 'stopped';

const TRANSITIONS: Record<EnvironmentState, readonly EnvironmentState[]> = {
  starting: ['idle', 'stopped'],
  idle: ['busy', 'stopped'],
  busy: ['idle', 'stopped'],
  stopped: [],
};

/** Lambda gives initialization 10 seconds; here the function's timeout if that is longer. */
const INIT_LIMIT_MS = 10_000;

type InitFailure =
  | { kind: 'reported'; errorType: string; body: Buffer }
  | { kind: 'exited'; reason: string; outOfMemory: boolean }
  | { kind: 'timedOut'; seconds: number }
  | { kind: 'invalidEntrypoint'; message: string };

export type InitResult =
  { ok: true; durationMs: number } | { ok: false; durationMs: number; failure: InitFailure };

interface ActiveInvocation {
  request: InvocationRequest;
  timer: NodeJS.Timeout;
  timedOut: boolean;
  finish: (outcome: InvocationOutcome) => void;
  /** A response being streamed; `gathered` when it goes into the payload rather than to a reader. */
  streamed?: { contentType: string; body: Readable; gathered?: Promise<Buffer | { tooLarge: number }> };
}

export interface EnvironmentContext {
  sandbox: Sandbox;
  /** Stratus's time, for log timestamps and stream names; the function's own deadline stays the host's. */
  clock: Clock;
  cgroups: CgroupDriver | undefined;
  workDir: string;
  logger: Logger;
}

export class Environment {
  state: EnvironmentState = 'starting';
  readonly id: string;
  readonly logStreamName: string;
  readonly initialized: Promise<InitResult>;
  private settleInit!: (result: InitResult) => void;
  private initResult: InitResult | undefined;
  /** When initialization began: the spawn, or a spare's assignment. */
  private initStartedAt = performance.now();
  private readonly api: RuntimeApi;
  private readonly process: RuntimeProcess;
  private readonly logs = new LogSink();
  private readonly log: Logger;
  private readonly scratchDir: string;
  private active: ActiveInvocation | undefined;
  private initTimer: NodeJS.Timeout | undefined;
  private invocations = 0;

  constructor(
    readonly spec: FunctionSpec,
    private readonly runtime: ResolvedRuntime,
    readonly initializationType: 'on-demand' | 'provisioned-concurrency',
    private readonly optDir: string | undefined,
    private readonly ctx: EnvironmentContext,
    private readonly onStopped: (environment: Environment) => void,
    /** A runtime process already started for a function like this one (spares.ts). */
    private readonly spare?: Spare,
  ) {
    this.id = spare?.id ?? randomBytes(16).toString('hex');
    this.logStreamName = logStreamName(spec.version, new Date(ctx.clock.now()));
    this.log = ctx.logger.child({ function: spec.key, environment: this.id.slice(0, 8) });
    this.initialized = new Promise((resolve) => (this.settleInit = resolve));
    this.api =
      spare?.api ??
      new RuntimeApi({
        onMessage: (m) => this.onRuntimeMessage(m),
        authorize: (r, l) => this.process.admits(r, l, this.log),
      });
    this.process =
      spare?.process ??
      new RuntimeProcess({
        id: this.id,
        memoryMb: spec.memoryMb,
        cgroups: ctx.cgroups,
        viaBwrap: ctx.sandbox.mode === 'bwrap',
        onRuntimeApiChannel: hasRuntimeApiChannel(runtime) ? (c) => this.api.serve(c) : undefined,
        onMessage: (m) => this.onProcessMessage(m),
      });
    this.scratchDir = spare?.scratchDir ?? join(ctx.workDir, 'environments', this.id);
  }

  /** Whether the environment ever finished initializing. */
  get wasReady(): boolean {
    return this.initResult?.ok === true;
  }

  /** Starts the runtime; `initialized` settles when it first polls for work, or fails. */
  async start(): Promise<void> {
    if (this.spare) return this.assignSpare(this.spare);
    try {
      const runtimeApi = await this.api.listen();
      if (this.state === 'stopped') return this.api.close();
      const paths = { optDir: this.optDir, scratchDir: this.scratchDir };
      const prepared = this.ctx.sandbox.prepare(this.spec, this.runtime, paths);
      if (prepared.kind === 'invalidEntrypoint') {
        return this.initFailed({ kind: 'invalidEntrypoint', message: prepared.message });
      }
      const identity = {
        runtimeApi,
        logStreamName: this.logStreamName,
        initializationType: this.initializationType,
      };
      const env = lambdaEnvironment(this.spec, this.runtime, prepared.layout, identity);
      this.addLog(platformLines.initStart(...runtimeVersion(this.spec.runtime, this.spec.region)));
      this.process.start(prepared.argv, prepared.cwd, env);
      this.limitInit();
    } catch (error) {
      // The host refused (no port, no cgroup, no process): a failed init, not a crash of Stratus.
      this.log.error({ err: error }, 'could not start an execution environment');
      const reason = `could not start: ${(error as Error).message}`;
      if (this.process.started) this.process.kill();
      else this.initFailed({ kind: 'exited', reason, outOfMemory: false });
    }
  }

  /** Initialization of a spare: it gets the function's code and variables, then loads the handler. */
  private assignSpare(spare: Spare): void {
    this.initStartedAt = performance.now();
    const env = lambdaEnvironment(this.spec, this.runtime, spare.layout!, {
      runtimeApi: spare.runtimeApi,
      logStreamName: this.logStreamName,
      initializationType: this.initializationType,
    });
    this.addLog(platformLines.initStart(...runtimeVersion(this.spec.runtime, this.spec.region)));
    try {
      spare.assign(
        {
          onRuntimeMessage: (m) => this.onRuntimeMessage(m),
          onProcessMessage: (m) => this.onProcessMessage(m),
        },
        this.spec.codeDir,
        env,
      );
    } catch (error) {
      // The code could not be put in place (a full disk): a failed init, as for a spawn refused.
      this.log.error({ err: error }, 'could not assign a spare execution environment');
      this.process.kill();
      return;
    }
    this.limitInit();
  }

  private limitInit(): void {
    const limitMs = Math.max(INIT_LIMIT_MS, this.spec.timeoutSeconds * 1000);
    this.initTimer = setTimeout(() => {
      this.initFailed({ kind: 'timedOut', seconds: limitMs / 1000 });
      this.process.kill();
    }, limitMs);
  }

  /** Runs one invocation; the environment must be idle, or starting (a cold start). */
  async invoke(request: InvocationRequest): Promise<InvocationResult> {
    const init = await this.initialized;
    const cold = this.invocations++ === 0 && this.initializationType === 'on-demand';
    if (!init.ok) return this.initFailureResult(request, init);
    const initDurationMs = cold ? init.durationMs : undefined;
    const startedAt = performance.now();
    if (this.state !== 'idle') {
      // It died between initializing and this invocation.
      return this.result(
        request,
        failures.exited(request.requestId, 'exit status 1', false, false),
        startedAt,
        initDurationMs,
      );
    }
    this.transition('busy');
    const outcome = await new Promise<InvocationOutcome>((finish) => {
      const timer = setTimeout(() => {
        if (!this.active) return;
        this.active.timedOut = true;
        this.process.kill();
      }, this.spec.timeoutSeconds * 1000);
      this.active = { request, timer, timedOut: false, finish };
      this.addLog(platformLines.start(request.requestId, this.spec.version));
      this.api.deliver({
        requestId: request.requestId,
        payload: request.payload,
        deadlineMs: Date.now() + this.spec.timeoutSeconds * 1000,
        invokedFunctionArn: request.invokedFunctionArn,
        traceId: traceId(),
        clientContext: request.clientContext,
        cognitoIdentity: request.cognitoIdentity,
      });
    });
    // Output written just before the answer is in the pipes, readable in the same poll as the
    // answer but maybe handled after it: the check phase comes once this poll's reads are done.
    await new Promise((resolve) => setImmediate(resolve));
    return this.result(request, outcome, startedAt, initDurationMs);
  }

  /** Stops the environment; callers stop idle ones (a busy one's invocation would fail). */
  stop(): void {
    if (this.state === 'stopped') return;
    if (this.process.started) this.process.kill();
    else this.onProcessMessage({ type: 'exited', reason: 'exit status 0', outOfMemory: false });
  }

  private onRuntimeMessage(message: RuntimeMessage): void {
    switch (message.type) {
      case 'next':
        if (this.state !== 'starting' || this.initResult) return;
        clearTimeout(this.initTimer);
        this.initResult = { ok: true, durationMs: performance.now() - this.initStartedAt };
        this.transition('idle');
        this.settleInit(this.initResult);
        return;
      case 'initError':
        this.initFailed({ kind: 'reported', errorType: message.errorType, body: message.body });
        this.process.kill();
        return;
      case 'response':
        return this.answered({ kind: 'success', payload: message.payload });
      case 'responseTooLarge':
        return this.answered(failures.responseTooLarge(message.bytes));
      case 'invocationError':
        return this.answered(failures.runtimeReported(message.errorType, message.body, 'handler'));
      case 'responseStream':
        return this.streamStarted(message);
      case 'responseStreamEnd':
        return this.streamEnded(message);
    }
  }

  /** A streamed response begins: to the caller's reader, or gathered into the payload. */
  private streamStarted(message: Extract<RuntimeMessage, { type: 'responseStream' }>): void {
    const active = this.active;
    const { contentType, body } = message;
    if (!active || active.timedOut || active.request.requestId !== message.requestId) {
      body.destroy();
      return;
    }
    const reader = active.request.onResponseStream;
    active.streamed = {
      contentType,
      body,
      ...(reader ? {} : { gathered: gatherStreamedResponse(body, MAX_RESPONSE_BYTES) }),
    };
    reader?.({ contentType, body });
  }

  private streamEnded(message: Extract<RuntimeMessage, { type: 'responseStreamEnd' }>): void {
    const streamed = this.active?.streamed;
    if (!streamed) return;
    if (message.error) {
      return this.answered(failures.runtimeReported(message.error.errorType, message.error.body, 'handler'));
    }
    const { contentType, gathered } = streamed;
    if (!gathered) return this.answered({ kind: 'success', payload: Buffer.alloc(0), contentType });
    void gathered.then((payload) =>
      this.answered(
        Buffer.isBuffer(payload)
          ? { kind: 'success', payload, contentType }
          : failures.responseTooLarge(payload.tooLarge),
      ),
    );
  }

  private onProcessMessage(message: ProcessMessage): void {
    if (message.type === 'output') {
      // Stamped by the host (or the runtime) as it was printed: moved into Stratus's time.
      const timestamp = this.ctx.clock.ofHostTime(message.event.timestamp);
      return this.logs.add({ timestamp, message: message.event.message });
    }
    if (this.state === 'stopped') return;
    const { reason, outOfMemory } = message;
    const active = this.active;
    this.active = undefined;
    this.transition('stopped');
    this.initFailed({ kind: 'exited', reason, outOfMemory });
    this.api.close();
    rmSync(this.scratchDir, { recursive: true, force: true });
    if (active) {
      clearTimeout(active.timer);
      active.streamed?.body.destroy(new Error('The invocation failed while streaming its response'));
      const { requestId } = active.request;
      const seconds = this.spec.timeoutSeconds;
      const outcome = active.timedOut
        ? failures.timedOut(requestId, seconds)
        : failures.exited(requestId, reason, outOfMemory, false);
      this.addLog(
        active.timedOut
          ? platformLines.timedOut(requestId, seconds, new Date(this.ctx.clock.now()))
          : platformLines.exited(requestId, reason, outcome.errorType),
      );
      active.finish(outcome);
    }
    this.log.debug({ reason }, 'environment stopped');
    this.onStopped(this);
  }

  private answered(outcome: InvocationOutcome): void {
    const active = this.active;
    if (!active || active.timedOut) return;
    clearTimeout(active.timer);
    this.active = undefined;
    this.transition('idle');
    active.finish(outcome);
  }

  private initFailed(failure: InitFailure): void {
    if (this.initResult) return;
    clearTimeout(this.initTimer);
    this.initResult = { ok: false, durationMs: performance.now() - this.initStartedAt, failure };
    this.settleInit(this.initResult);
    if (!this.process.started && this.state !== 'stopped') {
      this.transition('stopped');
      this.api.close();
      this.onStopped(this);
    }
  }

  /** A cold start whose init failed: Lambda reports it as the invocation's error. */
  private initFailureResult(
    request: InvocationRequest,
    init: Extract<InitResult, { ok: false }>,
  ): InvocationResult {
    const { failure } = init;
    const { requestId } = request;
    const outcome =
      failure.kind === 'reported'
        ? failures.runtimeReported(failure.errorType, failure.body, 'init')
        : failure.kind === 'timedOut'
          ? { ...failures.timedOut(requestId, failure.seconds), cause: 'init' as const }
          : failure.kind === 'invalidEntrypoint'
            ? failures.invalidEntrypoint(failure.message)
            : failures.exited(requestId, failure.reason, failure.outOfMemory, true);
    this.addLog(platformLines.initReport(init.durationMs, outcome.errorType));
    this.addLog(platformLines.start(requestId, this.spec.version));
    return this.result(request, outcome, performance.now(), init.durationMs);
  }

  private result(
    request: InvocationRequest,
    outcome: InvocationOutcome,
    startedAt: number,
    initDurationMs: number | undefined,
  ): InvocationResult {
    const durationMs = performance.now() - startedAt;
    // Lambda bills the init phase of on-demand cold starts too (since August 2025).
    const billedDurationMs = Math.ceil(durationMs + (initDurationMs ?? 0));
    const maxMemoryUsedMb = Math.round(this.process.peakMemoryBytes() / 1024 / 1024);
    let status: ReportFields['status'];
    if (outcome.kind === 'error' && outcome.cause === 'timeout') status = { status: 'timeout' };
    else if (outcome.kind === 'error' && outcome.cause !== 'handler')
      status = { status: 'error', errorType: outcome.errorType };
    const { requestId } = request;
    const memorySizeMb = this.spec.memoryMb;
    this.addLog(platformLines.end(requestId));
    this.addLog(
      platformLines.report({
        requestId,
        durationMs,
        billedDurationMs,
        memorySizeMb,
        maxMemoryUsedMb,
        initDurationMs,
        status,
      }),
    );
    return {
      outcome,
      logStreamName: this.logStreamName,
      logEvents: this.logs.take(),
      durationMs,
      billedDurationMs,
      maxMemoryUsedMb,
      ...(initDurationMs !== undefined ? { initDurationMs } : {}),
    };
  }

  private addLog(message: string): void {
    this.logs.add({ timestamp: this.ctx.clock.now(), message });
  }

  private transition(to: EnvironmentState): void {
    if (!TRANSITIONS[this.state].includes(to))
      throw new Error(`Environment cannot go from ${this.state} to ${to}`);
    this.state = to;
  }
}

/** An X-Ray trace header: `Root=1-<epoch hex>-<96-bit id>;Parent=<64-bit id>;Sampled=0`. */
function traceId(): string {
  const epoch = Math.floor(Date.now() / 1000).toString(16);
  const offset = traceRandomBytes();
  const root = tracePool.toString('hex', offset, offset + 12);
  const parent = tracePool.toString('hex', offset + 12, offset + TRACE_RANDOM_BYTES);
  return `Root=1-${epoch}-${root};Parent=${parent};Sampled=0`;
}

/**
 * A trace id takes 20 random bytes. They come from a pool filled for 256 invocations at a time:
 * two crypto calls per warm invoke showed in the profile; the bytes are as random either way.
 */
const TRACE_RANDOM_BYTES = 20;
const tracePool = Buffer.alloc(TRACE_RANDOM_BYTES * 256);
let traceOffset = tracePool.length;

/** The offset in `tracePool` of 20 bytes not used before. */
function traceRandomBytes(): number {
  if (traceOffset === tracePool.length) {
    randomFillSync(tracePool);
    traceOffset = 0;
  }
  const offset = traceOffset;
  traceOffset += TRACE_RANDOM_BYTES;
  return offset;
}
