/**
 * Messages for SQS targets, sent in batches: the deliveries the worker runs side by side that go
 * to one queue in the same turn of the event loop share one SendMessageBatch (up to 10 messages
 * and SQS's batch size), so they share one commit of the queue's store, as SQS clients batch.
 * Each delivery still learns its own outcome; a message the batch refused fails alone.
 */
import type { ServiceCaller } from '../service.js';
import type { Region } from './arns.js';
import { classify, DeliveryFailure } from './failures.js';

export interface QueueMessage {
  MessageBody: string;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
  MessageAttributes?: Record<string, { DataType: string; StringValue: string }>;
}

interface Pending {
  message: QueueMessage;
  bytes: number;
  resolve: () => void;
  reject: (failure: DeliveryFailure) => void;
}

const maxEntries = 10;
/** SQS's limit on a batch's bodies and attributes. */
const maxBatchBytes = 1_048_576;

interface BatchResult {
  Failed?: { Id?: string; Code?: string; Message?: string; SenderFault?: boolean }[];
}

export class SqsBatcher {
  private readonly waiting = new Map<string, { at: Region; messages: Pending[] }>();

  constructor(private readonly services: ServiceCaller) {}

  send(queueUrl: string, at: Region, message: QueueMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      let group = this.waiting.get(queueUrl);
      if (!group) {
        group = { at, messages: [] };
        this.waiting.set(queueUrl, group);
        setImmediate(() => this.flush(queueUrl));
      }
      group.messages.push({ message, bytes: size(message), resolve, reject });
    });
  }

  private flush(queueUrl: string): void {
    const group = this.waiting.get(queueUrl)!;
    this.waiting.delete(queueUrl);
    let batch: Pending[] = [];
    let bytes = 0;
    for (const pending of group.messages) {
      if (batch.length === maxEntries || (batch.length > 0 && bytes + pending.bytes > maxBatchBytes)) {
        void this.sendBatch(queueUrl, group.at, batch);
        batch = [];
        bytes = 0;
      }
      batch.push(pending);
      bytes += pending.bytes;
    }
    void this.sendBatch(queueUrl, group.at, batch);
  }

  private async sendBatch(queueUrl: string, at: Region, batch: Pending[]): Promise<void> {
    let result: BatchResult;
    try {
      result = await this.services.call<BatchResult>(
        'sqs',
        'SendMessageBatch',
        { QueueUrl: queueUrl, Entries: batch.map((p, i) => ({ Id: String(i), ...p.message })) },
        at,
      );
    } catch (err) {
      const failure = classify(err);
      for (const pending of batch) pending.reject(failure);
      return;
    }
    const failed = new Map((result.Failed ?? []).map((f) => [f.Id, f]));
    batch.forEach((pending, i) => {
      const refusal = failed.get(String(i));
      if (!refusal) pending.resolve();
      else {
        const message = `${refusal.Code}: ${refusal.Message}`;
        pending.reject(
          refusal.SenderFault
            ? new DeliveryFailure('SDK_CLIENT_ERROR', message, false)
            : new DeliveryFailure('INTERNAL_ERROR', message, true),
        );
      }
    });
  }
}

function size(message: QueueMessage): number {
  let bytes = Buffer.byteLength(message.MessageBody);
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    bytes +=
      Buffer.byteLength(name) + Buffer.byteLength(value.DataType) + Buffer.byteLength(value.StringValue);
  }
  return bytes;
}
