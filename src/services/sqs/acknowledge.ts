/**
 * What a consumer does with a received message: delete it or change its visibility, by receipt
 * handle. A handle that does not parse, or names another queue, is `ReceiptHandleIsInvalid`.
 * Deleting is idempotent; on a standard queue any handle of the message deletes it, on a FIFO
 * queue only the latest receive's (an older one succeeds without deleting, as AWS documents).
 */
import type { Clock } from '../../engine/clock.js';
import { isServiceError, type ServiceError } from '../../protocol/errors.js';
import type { Store } from '../../storage/store.js';
import { MessageNotInflight, invalidParameter, invalidReceiptHandle } from './errors.js';
import type { LongPolls } from './long-poll.js';
import { decodeReceipt, type Receipt } from './names.js';
import type { Queue } from './queues.js';
import { messageQueries } from './message-tables.js';

const maxVisibilityMs = 43_200_000;

export interface VisibilityChange {
  ReceiptHandle: string;
  VisibilityTimeout: number;
}

export class Acknowledger {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly polls: LongPolls,
  ) {}

  private receipt(queue: Queue, handle: string): Receipt {
    const receipt = decodeReceipt(handle);
    if (receipt.queueId !== queue.id) throw invalidReceiptHandle(handle);
    return receipt;
  }

  /** Deletes by receipt handle; a refused handle comes back as its error, in place. */
  async delete(queue: Queue, handles: readonly string[]): Promise<(ServiceError | undefined)[]> {
    const results: (ServiceError | undefined)[] = [];
    const receipts: Receipt[] = [];
    for (const handle of handles) {
      try {
        receipts.push(this.receipt(queue, handle));
        results.push(undefined);
      } catch (err) {
        if (!isServiceError(err)) throw err;
        results.push(err);
      }
    }
    if (receipts.length === 0) return results;
    if (!queue.fifo) {
      await messageQueries.delete(
        this.store,
        queue.id,
        receipts.map((r) => r.seq),
      );
      return results;
    }
    await this.store.transaction(async (tx) => {
      for (const r of receipts) await messageQueries.deleteWithReceipt(tx, queue.id, r.seq, r.token);
    });
    return results;
  }

  async changeVisibility(
    queue: Queue,
    changes: readonly VisibilityChange[],
  ): Promise<(ServiceError | undefined)[]> {
    const now = this.clock.now();
    const results: (ServiceError | undefined)[] = [];
    let madeVisible = false;
    await this.store.transaction(async (tx) => {
      for (const change of changes) {
        try {
          const timeout = change.VisibilityTimeout;
          if (!Number.isInteger(timeout) || timeout < 0 || timeout > 43_200) {
            throw invalidParameter(
              'VisibilityTimeout',
              timeout,
              'VisibilityTimeout must be >= 0 and <= 43200.',
            );
          }
          const r = this.receipt(queue, change.ReceiptHandle);
          const inFlight = await messageQueries.receivedAt(tx, queue.id, r.seq, r.token, now);
          if (!inFlight) {
            throw new MessageNotInflight(
              'Message does not exist or is not available for visibility timeout change.',
            );
          }
          // A message stays invisible at most 12 hours after the receive that handed it out.
          if (now + timeout * 1000 > inFlight.received_at + maxVisibilityMs) {
            throw invalidParameter(
              'VisibilityTimeout',
              timeout,
              'Total VisibilityTimeout for the message is beyond the limit [43200 seconds]',
            );
          }
          await messageQueries.changeVisibility(tx, queue.id, r.seq, r.token, now + timeout * 1000, now);
          madeVisible ||= timeout === 0;
          results.push(undefined);
        } catch (err) {
          if (!isServiceError(err)) throw err;
          results.push(err);
        }
      }
    });
    if (madeVisible) this.polls.notify(queue.id);
    return results;
  }
}
