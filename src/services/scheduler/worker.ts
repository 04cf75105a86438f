/**
 * The worker that runs queued invocations (invoke.ts), retrying a failed one on the target's
 * RetryPolicy — backing off from 1 second, doubling, to at most 5 minutes — until its attempts or
 * its age run out, then handing it to the target's dead-letter queue with the attributes the
 * Scheduler sets, or dropping it.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock.js';
import { WorkLoop } from '../../engine/work-loop.js';
import type { WorkItem, WorkQueue } from '../../storage/work-queue.js';
import type { ServiceCaller } from '../service.js';
import { invokeQueue } from './firing.js';
import { invoke, sendToQueue, type Invocation } from './invoke.js';

const leaseMs = 60_000;
const defaultRetries = 185;
const defaultAgeSeconds = 86_400;

export class InvocationWorker {
  private readonly owner = `scheduler-${randomUUID()}`;
  private readonly loop: WorkLoop<Invocation>;

  constructor(
    private readonly deps: { clock: Clock; workQueue: WorkQueue; services: ServiceCaller; logger: Logger },
  ) {
    this.loop = new WorkLoop<Invocation>({
      claim: () => deps.workQueue.claim<Invocation>(invokeQueue, this.owner, { leaseMs, limit: 32 }),
      handle: (item) => this.run(item),
      claimFailed: (err) => deps.logger.warn({ err }, 'could not claim Scheduler invocations'),
      idlePollMs: 200,
      clock: deps.clock,
    });
  }

  start(): void {
    this.loop.start();
  }

  wake(): void {
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async run(item: WorkItem<Invocation>): Promise<void> {
    const { workQueue, clock, services, logger } = this.deps;
    const invocation = item.payload;
    try {
      await invoke(services, invocation);
      await workQueue.complete(item.id, this.owner);
      return;
    } catch (err) {
      const policy = invocation.target.RetryPolicy;
      const now = clock.now();
      const tooOld = now - invocation.dueAt >= (policy?.MaximumEventAgeInSeconds ?? defaultAgeSeconds) * 1000;
      const tooMany = invocation.retries >= (policy?.MaximumRetryAttempts ?? defaultRetries);
      if (!tooOld && !tooMany) {
        const backoff = Math.min(1000 * 2 ** invocation.retries, 300_000);
        await workQueue.retry(item.id, this.owner, now + backoff, {
          payload: { ...invocation, retries: invocation.retries + 1 },
        });
        return;
      }
      await this.deadLetter(invocation, err, tooMany ? 'MaximumRetryAttempts' : 'MaximumEventAgeInSeconds');
      await workQueue.complete(item.id, this.owner);
      logger.debug({ schedule: invocation.scheduleArn }, 'Scheduler invocation failed for good');
    }
  }

  private async deadLetter(invocation: Invocation, err: unknown, condition: string): Promise<void> {
    const dlq = invocation.target.DeadLetterConfig?.Arn;
    if (!dlq) return;
    const error = err as { code?: string; name?: string; message?: string };
    const attribute = (value: string) => ({ DataType: 'String', StringValue: value });
    try {
      await sendToQueue(this.deps.services, dlq, invocation.target.Input ?? '', invocation, undefined, {
        ERROR_CODE: attribute(error.code ?? error.name ?? 'Error'),
        ERROR_MESSAGE: attribute(error.message ?? String(err)),
        EXHAUSTED_RETRY_CONDITION: attribute(condition),
        RETRY_ATTEMPTS: attribute(String(invocation.retries)),
        SCHEDULE_ARN: attribute(invocation.scheduleArn),
        TARGET_ARN: attribute(invocation.target.Arn!),
      });
    } catch (dlqErr) {
      this.deps.logger.warn(
        { err: dlqErr, dlq },
        'could not send a failed invocation to its dead-letter queue',
      );
    }
  }
}
