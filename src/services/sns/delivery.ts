/**
 * The delivery worker: leases queued deliveries, attempts each, and on failure retries on SNS's
 * schedule — the HTTP/S delivery policy for http/https endpoints, SNS's managed policy for the
 * others — or, once retries are spent or the failure is the client's, hands the message to the
 * subscription's RedrivePolicy dead-letter queue (and otherwise drops it, as SNS does).
 * Deliveries of one FIFO message group to one subscription run one after another, in order: the
 * work queue holds each back until the one before it is delivered, dead-lettered or dropped.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Store } from '../../storage/store.js';
import type { WorkItem, WorkQueue } from '../../storage/work-queue.js';
import type { Clock } from '../../engine/clock.js';
import { WorkLoop } from '../../engine/work-loop.js';
import { effectiveSubscriptionPolicy, managedRetryPolicy, retryDelaySeconds } from './delivery-policy.js';
import type { Delivery } from './envelope.js';
import { deliveryQueue, orderingKey } from './outbox.js';
import { DeliveryFailure, type Senders } from './senders.js';
import { subscriptionAttributes } from './subscriptions.js';
import { subscriptionQueries, topicQueries, type SubscriptionRow, type TopicRow } from './tables.js';
import { topicAttributes } from './topics.js';

/** Outlasts the slowest attempt (an HTTP/S endpoint's 15 seconds), so a held lease means a live attempt. */
const leaseMs = 30_000;
const batchSize = 32;
const idlePollMs = 200;

export class DeliveryWorker {
  private readonly owner = `sns-delivery-${randomUUID()}`;
  private readonly loop: WorkLoop<Delivery>;

  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      workQueue: WorkQueue;
      senders: Senders;
      logger: Logger;
    },
  ) {
    this.loop = new WorkLoop<Delivery>({
      claim: () => deps.workQueue.claim<Delivery>(deliveryQueue, this.owner, { leaseMs, limit: batchSize }),
      handle: (item) => this.process(item),
      claimFailed: (err) => deps.logger.warn({ err }, 'could not claim SNS deliveries'),
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

  private async process(item: WorkItem<Delivery>): Promise<void> {
    await this.attempt(item);
    // The next delivery of its group (or its own immediate retry) may be claimable now: claim
    // again rather than wait for the rest of the batch.
    if (orderingKey(item.payload) !== undefined) this.loop.wake();
  }

  private async attempt(item: WorkItem<Delivery>): Promise<void> {
    const { store, workQueue, clock, logger, senders } = this.deps;
    const delivery = item.payload;
    try {
      const subscription = await subscriptionQueries.get(store, delivery.subscriptionArn);
      const topic = await topicQueries.get(store, delivery.topicArn);
      // An unsubscribed endpoint or deleted topic gets nothing more, as in SNS.
      if (!subscription || !topic || (delivery.kind === 'Notification' && subscription.pending)) {
        await workQueue.complete(item.id, this.owner);
        return;
      }
      try {
        await senders.send(delivery, subscription, topic);
        await workQueue.complete(item.id, this.owner);
        return;
      } catch (err) {
        if (!(err instanceof DeliveryFailure)) throw err;
        const delay = err.retryable
          ? retryDelaySeconds(retryPolicyOf(subscription, topic), item.attempts)
          : undefined;
        if (delay !== undefined) {
          logger.debug(
            { subscription: subscription.arn, reason: err.message, delay },
            'SNS delivery failed; retrying',
          );
          await workQueue.retry(item.id, this.owner, clock.now() + delay * 1000);
          return;
        }
        await this.deadLetter(delivery, subscription, topic, err.message);
        await workQueue.complete(item.id, this.owner);
      }
    } catch (err) {
      logger.error(
        { err, subscription: delivery.subscriptionArn },
        'SNS delivery failed; its lease will expire and it runs again',
      );
    }
  }

  private async deadLetter(
    delivery: Delivery,
    subscription: SubscriptionRow,
    topic: TopicRow,
    reason: string,
  ) {
    const { logger, senders } = this.deps;
    const redrive = subscriptionAttributes(subscription)['RedrivePolicy'];
    const target = redrive
      ? (JSON.parse(redrive) as { deadLetterTargetArn: string }).deadLetterTargetArn
      : undefined;
    if (!target || delivery.kind !== 'Notification') {
      logger.warn(
        { subscription: subscription.arn, reason },
        'SNS delivery failed for good; the message is dropped',
      );
      return;
    }
    try {
      await senders.toDeadLetterQueue(target, delivery, subscription, topic);
    } catch (err) {
      logger.warn(
        { err, subscription: subscription.arn, target },
        'could not move an SNS message to its dead-letter queue',
      );
    }
  }
}

function retryPolicyOf(subscription: SubscriptionRow, topic: TopicRow) {
  if (subscription.protocol !== 'http' && subscription.protocol !== 'https') return managedRetryPolicy;
  return effectiveSubscriptionPolicy(
    topicAttributes(topic)['DeliveryPolicy'],
    subscriptionAttributes(subscription)['DeliveryPolicy'],
  ).healthyRetryPolicy;
}
