/**
 * Where deliveries are queued: one work item per (message, subscription), written in the
 * transaction of the call that caused it (Publish, Subscribe), so "published" means "will be
 * delivered". The delivery worker is woken once that transaction has committed. A FIFO message's
 * deliveries carry an ordering key per subscription and message group, so the work queue hands
 * out each group's next delivery to a subscription only once the one before it has ended —
 * across retries and nodes. Publish numbers FIFO messages under the topic row's lock, which is
 * what keeps a key's items enqueued one transaction after another, as the work queue requires.
 */
import type { Queryable } from '../../storage/store.js';
import type { WorkQueue } from '../../storage/work-queue.js';
import type { Delivery } from './envelope.js';

export const deliveryQueue = 'sns-delivery';

export class DeliveryOutbox {
  private wakeWorker: (() => void) | undefined;

  constructor(private readonly workQueue: WorkQueue) {}

  add(tx: Queryable, delivery: Delivery): Promise<number> {
    const key = orderingKey(delivery);
    return this.workQueue.enqueue(tx, deliveryQueue, delivery, key === undefined ? {} : { orderingKey: key });
  }

  /** Call after the transaction that added deliveries has committed. */
  committed(): void {
    this.wakeWorker?.();
  }

  whenCommitted(wake: () => void): void {
    this.wakeWorker = wake;
  }
}

/** FIFO messages of one group to one subscription go one after another; others in any order. */
export function orderingKey(delivery: Delivery): string | undefined {
  if (delivery.sequenceNumber === undefined || delivery.messageGroupId === undefined) return undefined;
  return `${delivery.subscriptionArn}\n${delivery.messageGroupId}`;
}
