/**
 * The asynchronous invocation worker: events queued by `Invoke` with `InvocationType: Event` are
 * durable work items; this worker leases them, runs them, retries function errors (after 1 then
 * 2 minutes, up to MaximumRetryAttempts, default 2) and throttles (until MaximumEventAgeInSeconds,
 * default 6 hours), sends invocation records to OnSuccess / OnFailure destinations, and the event
 * of one that failed for good to the function's dead-letter queue (destinations.ts).
 * A server crash mid-invocation leaves the lease to expire, so the event runs again elsewhere.
 * Only runs that ended in a function error consume retries: the event counts them itself
 * (`failures`, stored with each retry), since work-queue claims also count throttled runs and
 * claims lost to a crash.
 */
import { randomUUID } from 'node:crypto';
import type * as Lambda from '@aws-sdk/client-lambda';
import type { Logger } from 'pino';
import type { InvocationResult } from '../../functions/types.js';
import { isServiceError } from '../../protocol/errors.js';
import { WorkLoop } from '../../engine/work-loop.js';
import type { WorkItem, WorkQueue } from '../../storage/work-queue.js';
import type { ServiceCaller } from '../service.js';
import { functionArn } from './arns.js';
import type { LambdaContext } from './context.js';
import {
  sendToDeadLetter,
  sendToDestination,
  UnsupportedDestination,
  type DestinationDeps,
} from './destinations.js';
import { TooManyRequestsException } from './errors.js';
import { resolveInvocationTarget, type InvocationTarget } from './invocation-target.js';
import { asyncInvocationQueue, type AsyncInvocation, type Invoker } from './invoke.js';
import type { LambdaMetrics } from './lambda-metrics.js';
import { eventInvokeQueries } from './settings-tables.js';

const defaultMaximumRetryAttempts = 2;
const defaultMaximumEventAgeSeconds = 6 * 3600;
const retryDelaysMs = [60_000, 120_000];
const throttleRetryMs = 30_000;
/** Lease while the target is resolved; extended to the function's timeout once known. */
const initialLeaseMs = 30_000;
const batchSize = 16;
const idlePollMs = 500;

type Condition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

export class AsyncInvocationWorker {
  private readonly owner = `lambda-async-${randomUUID()}`;
  private readonly loop: WorkLoop<AsyncInvocation>;
  private readonly destinations: DestinationDeps;

  constructor(
    private readonly ctx: LambdaContext,
    private readonly workQueue: WorkQueue,
    private readonly invoker: Invoker,
    private readonly logger: Logger,
    services: ServiceCaller,
    private readonly metrics: LambdaMetrics,
  ) {
    this.destinations = {
      services,
      enqueue: (invocation) => invoker.enqueue(invocation),
      now: () => ctx.clock.now(),
    };
    this.loop = new WorkLoop<AsyncInvocation>({
      claim: () =>
        workQueue.claim<AsyncInvocation>(asyncInvocationQueue, this.owner, {
          leaseMs: initialLeaseMs,
          limit: batchSize,
        }),
      handle: (item) => this.process(item),
      claimFailed: (err) => logger.warn({ err }, 'could not claim async invocations'),
      idlePollMs,
      clock: ctx.clock,
      // Invocations in hand end with the execution engine; their leases bring them back.
      waitForItemsOnStop: false,
    });
  }

  start(): void {
    this.loop.start();
  }

  /** New work was queued: stop sleeping. */
  wake(): void {
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async process(item: WorkItem<AsyncInvocation>): Promise<void> {
    const event = item.payload;
    try {
      const target = await resolveInvocationTarget(
        this.ctx.store,
        event.at,
        event.functionName,
        event.qualifier,
      );
      const config = await eventInvokeQueries.get(
        this.ctx.store,
        target.function.id,
        event.qualifier ?? '$LATEST',
      );
      const maxRetries = config?.maximum_retry_attempts ?? defaultMaximumRetryAttempts;
      const maxAgeMs = (config?.maximum_event_age ?? defaultMaximumEventAgeSeconds) * 1000;
      const destinations = config ? (JSON.parse(config.destination_config) as Lambda.DestinationConfig) : {};
      const failures = event.failures ?? 0;
      const now = this.ctx.clock.now();
      if (now - event.acceptedAt > maxAgeMs) {
        await this.sendRecord(destinations.OnFailure, target, event, failures, 'EventAgeExceeded');
        await this.sendToDeadLetter(target, event, 'Event age exceeded');
        await this.workQueue.complete(item.id, this.owner);
        return;
      }
      await this.workQueue.extend(item.id, this.owner, (target.config.timeout + 30) * 1000);
      let result: InvocationResult;
      try {
        result = await this.invoker.run(target, Buffer.from(event.payload, 'base64'), event.requestId, {
          durableLogs: true,
        });
      } catch (err) {
        if (!(err instanceof TooManyRequestsException)) throw err;
        await this.workQueue.retry(item.id, this.owner, this.ctx.clock.now() + throttleRetryMs);
        return;
      }
      // This run is one invocation more, whatever earlier claims of the event came to.
      const invocations = failures + 1;
      if (result.outcome.kind === 'error') {
        if (invocations <= maxRetries) {
          const delay = retryDelaysMs[Math.min(failures, retryDelaysMs.length - 1)]!;
          await this.workQueue.retry(item.id, this.owner, this.ctx.clock.now() + delay, {
            payload: { ...event, failures: invocations } satisfies AsyncInvocation,
          });
          return;
        }
        await this.sendRecord(destinations.OnFailure, target, event, invocations, 'RetriesExhausted', result);
        await this.sendToDeadLetter(target, event, result.outcome.errorMessage);
      } else {
        await this.sendRecord(destinations.OnSuccess, target, event, invocations, 'Success', result);
      }
      await this.workQueue.complete(item.id, this.owner);
    } catch (err) {
      if (isServiceError(err) && err.code === 'ResourceNotFoundException') {
        // The function is gone: Lambda drops its queued events.
        this.logger.info({ function: event.functionName }, 'dropping an async event of a deleted function');
        await this.workQueue.complete(item.id, this.owner);
        return;
      }
      this.logger.error(
        { err, function: event.functionName },
        'async invocation failed; its lease will expire and it runs again',
      );
    }
  }

  /** Lambda's invocation record, sent to an OnSuccess / OnFailure destination. */
  private async sendRecord(
    destination: Lambda.OnSuccess | Lambda.OnFailure | undefined,
    target: InvocationTarget,
    event: AsyncInvocation,
    invokeCount: number,
    condition: Condition,
    result?: InvocationResult,
  ): Promise<void> {
    const arn = destination?.Destination;
    if (!arn) return;
    const record = {
      version: '1.0',
      timestamp: new Date(this.ctx.clock.now()).toISOString(),
      requestContext: {
        requestId: event.requestId,
        // Qualified as Lambda writes it: `…:function:name:$LATEST`, a version or the alias.
        functionArn: functionArn(
          target.at,
          target.function.name,
          target.alias?.name ?? target.executedVersion,
        ),
        condition,
        approximateInvokeCount: invokeCount,
      },
      requestPayload: parseJson(Buffer.from(event.payload, 'base64')),
      ...(result
        ? {
            responseContext: {
              statusCode: 200,
              executedVersion: target.executedVersion,
              ...(result.outcome.kind === 'error' ? { functionError: 'Unhandled' } : {}),
            },
            responsePayload: parseJson(result.outcome.payload),
          }
        : {}),
    };
    try {
      await sendToDestination(this.destinations, arn, JSON.stringify(record));
    } catch (err) {
      // A missing queue or topic loses the record, as on Lambda; a store failure retries the event.
      if (!(err instanceof UnsupportedDestination) && !isServiceError(err)) throw err;
      this.logger.warn({ err, destination: arn }, 'could not deliver an invocation record');
    }
  }

  /**
   * The event of an invocation that failed for good, to the function's dead-letter queue or
   * topic with Lambda's RequestID / ErrorCode / ErrorMessage attributes. A delivery that fails is
   * counted in the DeadLetterErrors metric.
   */
  private async sendToDeadLetter(
    target: InvocationTarget,
    event: AsyncInvocation,
    errorMessage: string,
  ): Promise<void> {
    const arn = target.config.deadLetterTargetArn;
    if (!arn) return;
    try {
      await sendToDeadLetter(this.destinations, arn, Buffer.from(event.payload, 'base64').toString('utf8'), {
        RequestID: event.requestId,
        ErrorCode: '200',
        ErrorMessage: errorMessage.slice(0, 1024),
      });
    } catch (err) {
      this.logger.warn({ err, deadLetterQueue: arn }, 'could not deliver to the dead-letter queue');
      this.metrics.record(target.at, {
        functionName: target.function.name,
        values: { DeadLetterErrors: 1 },
      });
    }
  }
}

function parseJson(bytes: Buffer): unknown {
  if (bytes.length === 0) return null;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return bytes.toString('utf8');
  }
}
