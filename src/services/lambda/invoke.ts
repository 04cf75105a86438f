/**
 * Invoke: runs a function version in the execution engine (RequestResponse), queues it durably for
 * the async worker (Event), or only checks it could run (DryRun). Logs go to CloudWatch Logs,
 * metrics to CloudWatch, as on Lambda.
 */
import type * as Lambda from '@aws-sdk/client-lambda';
import type { ExecutionEngine } from '../../functions/engine.js';
import type { FunctionSpec, InvocationRequest, InvocationResult } from '../../functions/types.js';
import type { WorkQueue } from '../../storage/work-queue.js';
import type { Region } from './arns.js';
import type { LambdaContext } from './context.js';
import {
  InvalidRequestContentException,
  RequestEntityTooLargeException,
  ServiceException,
  TooManyRequestsException,
} from './errors.js';
import type { FunctionLogs } from './function-logs.js';
import { logTail } from './function-logs.js';
import { functionSpecFor, specKey, type InvocationTarget } from './invocation-target.js';
import type { InvocationTargets } from './invocation-targets.js';
import type { LambdaMetrics } from './lambda-metrics.js';
import type { Metering } from './metering.js';
import { accountQueries } from './settings-tables.js';
import type { ConcurrencyLimiter } from './throttle.js';

export const maxSyncPayloadBytes = 6 * 1024 * 1024;
/** An `Event` invocation's payload: 1 MB since AWS raised it from 256 KB in October 2025. */
export const maxAsyncPayloadBytes = 1_048_576;
/** The deprecated InvokeAsync kept the old limit ("for larger payloads, for up to 1MB, use Invoke"). */
export const maxInvokeAsyncPayloadBytes = 262_144;
export const asyncInvocationQueue = 'lambda-async-invocations';

/** What the async worker stores for each queued event. */
export interface AsyncInvocation {
  at: Region;
  functionName: string;
  qualifier?: string;
  requestId: string;
  payload: string;
  /** When Lambda accepted the event (for MaximumEventAgeInSeconds). */
  acceptedAt: number;
  /**
   * Runs so far that ended in a function error, stored with each retry: work-queue claims also
   * count throttled runs and claims lost to a crash, which must not consume MaximumRetryAttempts.
   * Absent: none.
   */
  failures?: number;
}

export interface InvokerDeps {
  ctx: LambdaContext;
  engine: ExecutionEngine;
  logs: FunctionLogs;
  metrics: LambdaMetrics;
  limiter: ConcurrencyLimiter;
  workQueue: WorkQueue;
  metering: Metering;
  /** What a name resolves to, cached (sync invocations only: the async worker reads afresh). */
  targets: InvocationTargets;
}

const maxCachedSpecs = 1000;
/** Sum of reserved concurrency per account is read at most once a second. */
const reservedTotalTtlMs = 1000;

export class Invoker {
  private readonly reservedTotals = new Map<string, { value: number; readAt: number }>();
  private eventQueued: () => void = () => {};
  private readonly specs = new Map<string, FunctionSpec>();
  /** Bumped by a reset: a run that began before it delivers no log, metric or usage after it. */
  private generation = 0;
  /**
   * Set while a reset is under way: invocations arriving then wait for it, so none resolves a
   * function about to be wiped and leaves a warm environment of it behind.
   */
  private held: { done: Promise<void>; release: () => void } | undefined;

  constructor(private readonly deps: InvokerDeps) {}

  /** A reset begins: new invocations wait until `release`. */
  hold(): void {
    if (this.held) return;
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    this.held = { done, release };
  }

  release(): void {
    this.held?.release();
    this.held = undefined;
  }

  /** Stratus's state was reset: runs under way are abandoned, and cached look-ups forgotten. */
  reset(): void {
    this.generation++;
    this.specs.clear();
    this.reservedTotals.clear();
  }

  async invoke(
    input: Lambda.InvocationRequest,
    at: Region & { requestId: string },
  ): Promise<Lambda.InvocationResponse> {
    await this.held?.done;
    const target = await this.deps.targets.resolve(at, input.FunctionName!, input.Qualifier);
    const payload = Buffer.from(input.Payload ?? new Uint8Array());
    const type = input.InvocationType ?? 'RequestResponse';
    if (type === 'DryRun') return { StatusCode: 204 };
    if (type === 'Event') {
      checkEventSize(payload);
      checkJson(payload);
      await this.enqueue({
        at: { accountId: at.accountId, region: at.region },
        functionName: target.function.name,
        qualifier:
          target.alias?.name ?? (target.executedVersion === '$LATEST' ? undefined : target.executedVersion),
        requestId: at.requestId,
        payload: payload.toString('base64'),
        acceptedAt: this.deps.ctx.clock.now(),
      });
      this.deps.metrics.record(at, {
        functionName: target.function.name,
        values: { AsyncEventsReceived: 1 },
      });
      return { StatusCode: 202 };
    }
    checkRequestSize(payload, maxSyncPayloadBytes, 'InvokeFunction');
    checkJson(payload);
    const result = await this.run(target, payload, at.requestId, { clientContext: input.ClientContext });
    const failed = result.outcome.kind === 'error';
    return {
      StatusCode: 200,
      Payload: result.outcome.payload,
      ExecutedVersion: target.executedVersion,
      ...(failed ? { FunctionError: 'Unhandled' } : {}),
      ...(input.LogType === 'Tail' ? { LogResult: logTail(result) } : {}),
    };
  }

  /**
   * A synchronous invocation for a caller other than Invoke (a function URL): resolved as Invoke
   * resolves it (waiting out a reset under way), run with the caller's own event.
   */
  async invokeWith(
    at: Region,
    target: { functionName: string; qualifier?: string },
    event: { payload: Buffer; requestId: string; onResponseStream?: InvocationRequest['onResponseStream'] },
  ): Promise<InvocationResult> {
    await this.held?.done;
    const resolved = await this.deps.targets.resolve(at, target.functionName, target.qualifier);
    return this.run(resolved, event.payload, event.requestId, {
      ...(event.onResponseStream ? { onResponseStream: event.onResponseStream } : {}),
    });
  }

  async enqueue(invocation: AsyncInvocation, runAt?: number): Promise<void> {
    await this.deps.ctx.store.transaction((tx) =>
      this.deps.workQueue.enqueue(tx, asyncInvocationQueue, invocation, runAt === undefined ? {} : { runAt }),
    );
    this.eventQueued();
  }

  /** Lets the async worker wake the moment an event is queued instead of polling. */
  whenEventQueued(listener: () => void): void {
    this.eventQueued = listener;
  }

  /**
   * Runs the target once under the concurrency limits (throwing TooManyRequestsException when
   * throttled), then delivers its logs and metrics. A synchronous Invoke answers before its log
   * is written; `durableLogs` waits until it is, for callers about to acknowledge an event.
   */
  async run(
    target: InvocationTarget,
    payload: Buffer,
    requestId: string,
    options: {
      clientContext?: string;
      durableLogs?: boolean;
      onResponseStream?: InvocationRequest['onResponseStream'];
    } = {},
  ): Promise<InvocationResult> {
    const { clientContext, durableLogs = false, onResponseStream } = options;
    const { engine, limiter, metrics } = this.deps;
    const at = target.at;
    const functionKey = `${at.accountId}/${at.region}/${target.function.name}`;
    const resource = target.alias
      ? `${target.function.name}:${target.alias.name}`
      : target.executedVersion !== '$LATEST'
        ? `${target.function.name}:${target.executedVersion}`
        : undefined;
    const dimensions = {
      functionName: target.function.name,
      resource,
      executedVersion: target.executedVersion,
    };
    let lease;
    try {
      lease = limiter.acquire(
        `${at.accountId}/${at.region}`,
        functionKey,
        target.function.reserved_concurrency,
        await this.reservedTotal(at),
      );
    } catch (err) {
      if (err instanceof TooManyRequestsException)
        metrics.record(at, { ...dimensions, values: { Throttles: 1 } });
      throw err;
    }
    let result: InvocationResult;
    let logsWritten: Promise<void>;
    const generation = this.generation;
    try {
      const spec = await this.specFor(target);
      const event = payload.length === 0 ? Buffer.from('{}') : payload;
      const concurrent = limiter.running(functionKey);
      result = await engine.invoke(spec, {
        requestId,
        payload: event,
        invokedFunctionArn: target.invokedFunctionArn,
        ...(clientContext ? { clientContext: Buffer.from(clientContext, 'base64').toString('utf8') } : {}),
        ...(onResponseStream ? { onResponseStream } : {}),
      });
      // Its environment was stopped by a reset: its log would recreate a wiped log group.
      if (generation !== this.generation) {
        throw new ServiceException('The invocation was stopped by a reset of Stratus while it ran.');
      }
      logsWritten = this.deps.logs.deliver(at, spec.logGroupName, result, durableLogs);
      this.deps.metering.record(at, {
        functionName: target.function.name,
        version: target.executedVersion,
        memoryMb: spec.memoryMb,
        billedDurationMs: result.billedDurationMs,
        architecture: target.config.architectures[0],
      });
      metrics.record(at, {
        ...dimensions,
        values: {
          Invocations: 1,
          Errors: result.outcome.kind === 'error' ? 1 : 0,
          Duration: result.durationMs,
          ConcurrentExecutions: concurrent,
        },
      });
    } finally {
      lease.release();
    }
    // The run no longer counts against concurrency while its log is written.
    if (durableLogs) await logsWritten;
    return result;
  }

  /**
   * The engine's spec for a version, built once: its key names the code and configuration, so a
   * cached spec can never describe something else (and saves re-checking extracted code per call).
   */
  private async specFor(target: InvocationTarget): Promise<FunctionSpec> {
    const key = specKey(target.at, target.function.name, target.version);
    let spec = this.specs.get(key);
    if (!spec) {
      spec = await functionSpecFor(target, {
        code: this.deps.ctx.code,
        endpointUrl: this.deps.ctx.endpointUrl(),
      });
      if (this.specs.size >= maxCachedSpecs) this.specs.clear();
      this.specs.set(key, spec);
    }
    return spec;
  }

  private async reservedTotal(at: Region): Promise<number> {
    const key = `${at.accountId}/${at.region}`;
    const now = Date.now();
    const cached = this.reservedTotals.get(key);
    if (cached && now - cached.readAt < reservedTotalTtlMs) return cached.value;
    const claims = await accountQueries.concurrencyClaims(this.deps.ctx.store, at);
    const value = claims.reduce((sum, c) => sum + (c.reserved ?? 0), 0);
    this.reservedTotals.set(key, { value, readAt: now });
    return value;
  }
}

/** The size Lambda's front end admits for an operation, refused in its words. */
export function checkRequestSize(payload: Uint8Array, limit: number, operation: string): void {
  if (payload.length > limit) {
    throw new RequestEntityTooLargeException(
      `Request must be smaller than ${limit} bytes for the ${operation} operation`,
    );
  }
}

/** An `Event` invocation's limit, refused in Lambda's words for it. */
function checkEventSize(payload: Buffer): void {
  if (payload.length > maxAsyncPayloadBytes) {
    throw new RequestEntityTooLargeException(
      `${payload.length} byte payload is too large for the Event invocation type (limit ${maxAsyncPayloadBytes} bytes)`,
    );
  }
}

/** Lambda's insistence that an event is JSON. */
function checkJson(payload: Buffer): void {
  if (payload.length === 0) return;
  try {
    JSON.parse(payload.toString('utf8'));
  } catch (err) {
    throw new InvalidRequestContentException(
      `Could not parse request body into json: ${(err as Error).message}`,
    );
  }
}
