/**
 * The worker: leases EventBridge's work items and does each — a delivery to a target (retried on
 * the target's RetryPolicy, then handed to its dead-letter queue or dropped), a connection's
 * OAuth authorization, or the next batch of a replay. A lease outlives the slowest attempt, so a
 * held lease means a live attempt; one a crash left behind expires and the item runs again.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock.js';
import { WorkLoop } from '../../engine/work-loop.js';
import type { WorkItem, WorkQueue } from '../../storage/work-queue.js';
import type { Connections } from './connections.js';
import { classify } from './failures.js';
import { workQueueName, type TargetDelivery, type WorkPayload } from './outbox.js';
import type { Replays } from './replays.js';
import { afterFailure } from './retry-policy.js';
import type { Senders } from './senders.js';

const leaseMs = 30_000;
const batchSize = 64;
const idlePollMs = 200;

export interface WorkerDeps {
  clock: Clock;
  workQueue: WorkQueue;
  senders: Senders;
  connections: Connections;
  replays: Replays;
  logger: Logger;
}

export class DeliveryWorker {
  private readonly owner = `events-${randomUUID()}`;
  private readonly loop: WorkLoop<WorkPayload>;
  /** Deliveries finished in this turn of the event loop, deleted together (see `finish`). */
  private finished: { ids: number[]; done: Promise<void> } | undefined;

  constructor(private readonly deps: WorkerDeps) {
    this.loop = new WorkLoop<WorkPayload>({
      claim: () =>
        deps.workQueue.claim<WorkPayload>(workQueueName, this.owner, { leaseMs, limit: batchSize }),
      handle: (item) => this.process(item),
      claimFailed: (err) => deps.logger.warn({ err }, 'could not claim EventBridge work'),
      idlePollMs,
      clock: deps.clock,
      paceBatches: true,
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

  private async process(item: WorkItem<WorkPayload>): Promise<void> {
    const { workQueue, connections, replays, logger } = this.deps;
    try {
      const payload = item.payload;
      if (payload.kind === 'target') return await this.deliver(item, payload);
      if (payload.kind === 'authorize') await connections.authorize(payload.connectionArn);
      else if (await replays.step(payload.replayArn)) {
        // More of the archive to go: the replay's item comes round again at once.
        await workQueue.retry(item.id, this.owner, this.deps.clock.now());
        this.loop.wake();
        return;
      }
      await workQueue.complete(item.id, this.owner);
    } catch (err) {
      logger.error(
        { err, kind: item.payload.kind },
        'EventBridge work failed; its lease will expire and it runs again',
      );
    }
  }

  private async deliver(item: WorkItem<WorkPayload>, delivery: TargetDelivery): Promise<void> {
    const { workQueue, clock, senders, logger } = this.deps;
    let failure;
    try {
      await senders.send(delivery);
    } catch (err) {
      failure = classify(err);
    }
    if (!failure) {
      await this.finish(item.id);
      return;
    }
    const next = afterFailure({
      policy: delivery.target.RetryPolicy,
      retries: delivery.retries,
      retryable: failure.retryable,
      ingestedAt: delivery.ingestedAt,
      now: clock.now(),
    });
    if ('retryAt' in next) {
      logger.debug(
        { target: delivery.target.Arn, reason: failure.message },
        'EventBridge delivery failed; retrying',
      );
      await workQueue.retry(item.id, this.owner, next.retryAt, {
        payload: { ...delivery, retries: delivery.retries + 1 },
      });
      return;
    }
    const dlq = delivery.target.DeadLetterConfig?.Arn;
    if (dlq) {
      try {
        await senders.deadLetter(delivery, failure, next.exhausted);
      } catch (err) {
        logger.warn(
          { err, target: delivery.target.Arn, dlq },
          'could not send an undelivered event to its dead-letter queue',
        );
      }
    } else {
      logger.warn(
        { target: delivery.target.Arn, rule: delivery.ruleArn, reason: failure.message },
        'EventBridge delivery failed for good; the event is dropped',
      );
    }
    await this.finish(item.id);
  }

  /**
   * Completes a delivery along with the others that finish in the same turn of the event loop:
   * a batch of deliveries to one queue ends together, and its items go in one statement.
   */
  private finish(id: number): Promise<void> {
    if (!this.finished) {
      const batch = { ids: [] as number[], done: Promise.resolve() };
      batch.done = new Promise<void>((resolve, reject) =>
        setImmediate(() => {
          if (this.finished === batch) this.finished = undefined;
          this.deps.workQueue.completeMany(batch.ids, this.owner).then(resolve, reject);
        }),
      );
      this.finished = batch;
    }
    this.finished.ids.push(id);
    return this.finished.done;
  }
}
