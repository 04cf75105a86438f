/**
 * The execution environments of one function version (one `FunctionSpec.key`): which one takes an
 * invocation, when a new one starts, when an idle one goes away.
 *
 * - An invocation takes the most recently used idle environment (LIFO keeps the warmest ones busy
 *   and lets the others age out), or starts one: a cold start.
 * - An on-demand environment idle for `idleTimeoutMs` is stopped. Provisioned ones are not, and a
 *   provisioned one that dies is replaced.
 * - `retire` stops idle environments now and busy ones as they finish.
 *
 * Nothing here is serialized: every invocation runs in its own environment, concurrently.
 */
import type { Timer } from '../engine/clock.js';
import { Environment, type EnvironmentContext } from './environment.js';
import type { Spare } from './spares.js';
import type { ResolvedRuntime } from './runtimes.js';
import type { FunctionSpec, InvocationRequest, InvocationResult } from './types.js';

export interface PoolOptions {
  ctx: EnvironmentContext;
  idleTimeoutMs: number;
  optDir: string | undefined;
  /** Called once a retired pool has no environment left. */
  onDrained: () => void;
  /** A started runtime process to become a new environment, when one suits (spares.ts). */
  takeSpare?: () => Spare | undefined;
}

type InitializationType = Environment['initializationType'];

export class EnvironmentPool {
  private readonly idle: Environment[] = [];
  private readonly environments = new Set<Environment>();
  private readonly idleTimers = new Map<Environment, Timer>();
  private provisionedTarget = 0;
  /** Environments running (or cold-starting for) an invocation. */
  private readonly assigned = new Set<Environment>();
  private retired = false;
  private drained = false;

  constructor(
    readonly spec: FunctionSpec,
    private readonly runtime: ResolvedRuntime,
    private readonly options: PoolOptions,
  ) {}

  async invoke(request: InvocationRequest): Promise<InvocationResult> {
    const warm = this.takeIdle();
    const environment = warm ?? this.create('on-demand');
    this.assigned.add(environment);
    try {
      if (warm) this.idleTimers.get(warm)?.cancel();
      else await environment.start();
      return await environment.invoke(request);
    } finally {
      this.assigned.delete(environment);
      this.release(environment);
    }
  }

  /**
   * A warm environment: a provisioned one first (Lambda serves from provisioned concurrency and
   * spills over to on-demand), else the most recently used.
   */
  private takeIdle(): Environment | undefined {
    const provisioned = this.idle.findLastIndex(isProvisioned);
    if (provisioned >= 0) return this.idle.splice(provisioned, 1)[0];
    return this.idle.pop();
  }

  /** Invocations admitted and not finished, cold starts included. */
  get inFlight(): number {
    return this.assigned.size;
  }

  /** Keeps `count` provisioned environments initialized; rejects if one cannot initialize. */
  async provision(count: number): Promise<void> {
    this.provisionedTarget = count;
    const provisioned = [...this.environments].filter(isProvisioned);
    for (const surplus of provisioned.slice(count)) {
      if (surplus.state === 'idle') this.stopIdle(surplus);
    }
    const missing = Math.max(0, count - provisioned.length);
    await Promise.all(Array.from({ length: missing }, () => this.startProvisioned()));
  }

  /** Stops idle environments now; busy ones stop when their invocation ends. */
  retire(): void {
    this.retired = true;
    this.provisionedTarget = 0;
    for (const environment of [...this.idle]) this.stopIdle(environment);
    // Provisioned environments still initializing have no invocation to finish.
    for (const environment of this.environments) {
      if (environment.state === 'starting' && !this.assigned.has(environment)) environment.stop();
    }
    this.drainIfEmpty();
  }

  /** Kills every environment, busy or not. */
  close(): void {
    this.retire();
    for (const environment of this.environments) environment.stop();
  }

  private create(initializationType: InitializationType): Environment {
    const environment = new Environment(
      this.spec,
      this.runtime,
      initializationType,
      this.options.optDir,
      this.options.ctx,
      (stopped) => this.onStopped(stopped),
      this.options.takeSpare?.(),
    );
    this.environments.add(environment);
    return environment;
  }

  private async startProvisioned(): Promise<void> {
    const environment = this.create('provisioned-concurrency');
    await environment.start();
    const init = await environment.initialized;
    if (!init.ok) {
      throw new Error(
        `Provisioned environment of ${this.spec.key} failed to initialize (${init.failure.kind})`,
      );
    }
    this.release(environment);
  }

  /** Back to the idle list after an invocation, unless it died or the pool is retired. */
  private release(environment: Environment): void {
    if (environment.state !== 'idle') return;
    const surplusProvisioned =
      isProvisioned(environment) &&
      [...this.environments].filter(isProvisioned).length > this.provisionedTarget;
    if (this.retired || surplusProvisioned) {
      environment.stop();
      return;
    }
    this.idle.push(environment);
    if (isProvisioned(environment)) return;
    // Stratus's time: `stratus time advance 15m` reaps what has been idle that long.
    const { clock } = this.options.ctx;
    this.idleTimers.set(
      environment,
      clock.at(clock.now() + this.options.idleTimeoutMs, () => this.stopIdle(environment)),
    );
  }

  private stopIdle(environment: Environment): void {
    const index = this.idle.indexOf(environment);
    if (index >= 0) this.idle.splice(index, 1);
    environment.stop();
  }

  private drainIfEmpty(): void {
    if (this.environments.size > 0 || this.drained) return;
    this.drained = true;
    this.options.onDrained();
  }

  private onStopped(environment: Environment): void {
    this.idleTimers.get(environment)?.cancel();
    this.idleTimers.delete(environment);
    const index = this.idle.indexOf(environment);
    if (index >= 0) this.idle.splice(index, 1);
    this.environments.delete(environment);
    if (this.retired) {
      this.drainIfEmpty();
      return;
    }
    // A provisioned environment that died (timeout, crash) is replaced, as Lambda does; one that
    // never initialized is not, or a broken function would restart forever.
    const live = [...this.environments].filter(isProvisioned).length;
    if (isProvisioned(environment) && environment.wasReady && live < this.provisionedTarget) {
      this.startProvisioned().catch((error: unknown) =>
        this.options.ctx.logger.error(
          { err: error, function: this.spec.key },
          'could not replace a provisioned environment',
        ),
      );
    }
  }
}

const isProvisioned = (environment: Environment) =>
  environment.initializationType === 'provisioned-concurrency';
