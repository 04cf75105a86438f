/**
 * Where deliveries are queued: one work item per (message, subscription), written in the
 * transaction of the call that caused it (Publish, Subscribe), so "published" means "will be
 * delivered". The delivery worker is woken once that transaction has committed.
 */
import type { Queryable } from '../../storage/store.js';
import type { WorkQueue } from '../../storage/work-queue.js';
import type { Delivery } from './envelope.js';

export const deliveryQueue = 'sns-delivery';

export class DeliveryOutbox {
  private wakeWorker: (() => void) | undefined;

  constructor(private readonly workQueue: WorkQueue) {}

  add(tx: Queryable, delivery: Delivery): Promise<number> {
    return this.workQueue.enqueue(tx, deliveryQueue, delivery);
  }

  /** Call after the transaction that added deliveries has committed. */
  committed(): void {
    this.wakeWorker?.();
  }

  whenCommitted(wake: () => void): void {
    this.wakeWorker = wake;
  }
}
