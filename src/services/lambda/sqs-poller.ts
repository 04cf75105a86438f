/**
 * The pollers of one SQS event source mapping, reading the queue through SQS's public API as
 * Lambda's do: long-poll, gather a batch (up to BatchSize, within MaximumBatchingWindowInSeconds
 * of its first message, under the 6 MB invoke limit), invoke the function synchronously, delete
 * what succeeded. Whatever fails — a function error, a throttle, messages the function reports in
 * `batchItemFailures` — is left alone: it reappears once its visibility timeout ends, and the
 * queue's redrive policy moves it to a dead-letter queue after `maxReceiveCount` receives.
 *
 * With `FilterCriteria`, each message is tested as it is received: one no filter matches is
 * deleted at once (as Lambda does) and does not count towards the batch.
 *
 * Scaling: one poller per mapping while the queue is quiet; each full batch starts another, up to
 * `ScalingConfig.MaximumConcurrency` (or the account's concurrency); a poller that finds the queue
 * empty stops while others run. FIFO order holds because SQS keeps a message group from being
 * received while it has messages in flight.
 */
import type * as SQS from '@aws-sdk/client-sqs';
import type { Logger } from 'pino';
import type { EventPattern } from '../../patterns/index.js';
import { isServiceError } from '../../protocol/errors.js';
import type { ServiceCaller } from '../service.js';
import { compileFilters } from './event-filters.js';
import { filterCriteriaOf, type EventSourceMappingRow } from './event-source-tables.js';
import { maxSyncPayloadBytes } from './invoke.js';
import { failedMessageIds, sqsEvent, sqsRecord, sqsRecordMatches } from './sqs-event.js';

/**
 * Gathering stops once a batch's bodies pass this; one receive can still bring up to ten messages
 * of up to 1 MiB each, so the event is cut to the synchronous invoke limit (6 MB) when it is built.
 */
const maxBatchBytes = 5 * 1024 * 1024;
const maxReceive = 10;
const longPollSeconds = 20;
const errorBackoffMs = 1000;
const deleteChunk = 10;

export interface FunctionAnswer {
  functionError: boolean;
  payload: Buffer;
}

export interface SqsPollerDeps {
  services: ServiceCaller;
  /** Runs the mapping's function with one event; throws Lambda's errors (throttles, a missing function). */
  invoke(mapping: EventSourceMappingRow, event: Buffer): Promise<FunctionAnswer>;
  logger: Logger;
  /** Upper bound on pollers when the mapping sets no MaximumConcurrency. */
  defaultMaximumConcurrency: number;
  /** Real time, for pacing: batching windows and back-off are waits, not AWS-visible timestamps. */
  now?: () => number;
}

export class SqsPoller {
  private running = true;
  private readonly loops = new Set<Promise<void>>();
  private readonly batches = new Set<Promise<void>>();
  private readonly where: { accountId: string; region: string };
  private readonly now: () => number;
  private readonly filters: readonly EventPattern[];

  constructor(
    readonly mapping: EventSourceMappingRow,
    private readonly queueUrl: string,
    private readonly deps: SqsPollerDeps,
  ) {
    const [, , , region, accountId] = mapping.event_source_arn.split(':');
    this.where = { accountId: accountId!, region: region! };
    this.now = deps.now ?? Date.now;
    this.filters = compileFilters(filterCriteriaOf(mapping));
  }

  start(): void {
    this.spawn();
  }

  /**
   * Stops polling and waits for the batches being processed (so none is left half deleted). A
   * long poll still waiting is not waited for: what it brings back is released at once.
   */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.batches);
  }

  get pollers(): number {
    return this.loops.size;
  }

  private get maximumConcurrency(): number {
    return this.mapping.maximum_concurrency ?? this.deps.defaultMaximumConcurrency;
  }

  private spawn(): void {
    const loop = this.poll().finally(() => this.loops.delete(loop));
    this.loops.add(loop);
  }

  private async poll(): Promise<void> {
    while (this.running) {
      let batch: SQS.Message[];
      try {
        batch = await this.gather();
      } catch (err) {
        this.deps.logger.warn({ err, mapping: this.mapping.uuid }, 'could not receive from the event source');
        await pause(errorBackoffMs);
        continue;
      }
      if (!this.running) {
        await this.release(batch);
        return;
      }
      if (batch.length === 0) {
        if (this.loops.size > 1) return;
        continue;
      }
      if (
        batch.length >= Math.min(this.mapping.batch_size, maxReceive) &&
        this.loops.size < this.maximumConcurrency
      ) {
        this.spawn();
      }
      const processing = this.process(batch).finally(() => this.batches.delete(processing));
      this.batches.add(processing);
      await processing;
    }
  }

  /**
   * Makes messages received too late to run, or beyond what one event holds, visible again at once
   * rather than after their timeout. Such a receive still counts towards the queue's
   * maxReceiveCount.
   */
  private async release(batch: SQS.Message[]): Promise<void> {
    for (let i = 0; i < batch.length; i += maxReceive) {
      const chunk = batch.slice(i, i + maxReceive);
      await this.deps.services
        .call(
          'sqs',
          'ChangeMessageVisibilityBatch',
          {
            QueueUrl: this.queueUrl,
            Entries: chunk.map((m, n) => ({
              Id: String(n),
              ReceiptHandle: m.ReceiptHandle!,
              VisibilityTimeout: 0,
            })),
          },
          this.where,
        )
        .catch(() => {
          // Stratus is stopping; they reappear after their visibility timeout instead.
        });
    }
  }

  /** One batch: the first receive waits for a message, the rest fill the batch within the window. */
  private async gather(): Promise<SQS.Message[]> {
    const batch: SQS.Message[] = [];
    let bytes = 0;
    const windowMs = this.mapping.maximum_batching_window * 1000;
    let deadline = Infinity;
    while (this.running && batch.length < this.mapping.batch_size && bytes < maxBatchBytes) {
      const remainingMs = deadline - this.now();
      if (batch.length > 0 && (windowMs === 0 || remainingMs <= 0)) break;
      const waitSeconds =
        batch.length === 0 ? longPollSeconds : Math.min(longPollSeconds, Math.ceil(remainingMs / 1000));
      const received = await this.receive(
        Math.min(maxReceive, this.mapping.batch_size - batch.length),
        waitSeconds,
      );
      // A poller stopped meanwhile (its mapping changed, say) releases what it got unfiltered.
      const messages = this.running ? await this.filter(received) : received;
      if (batch.length === 0 && messages.length > 0) deadline = this.now() + windowMs;
      for (const message of messages) {
        batch.push(message);
        bytes += Buffer.byteLength(message.Body ?? '') + 1024;
      }
      if (batch.length === 0) break;
    }
    return batch;
  }

  private async receive(max: number, waitSeconds: number): Promise<SQS.Message[]> {
    const result = await this.deps.services.call<SQS.ReceiveMessageResult>(
      'sqs',
      'ReceiveMessage',
      {
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      },
      this.where,
    );
    return result.Messages ?? [];
  }

  /** The messages that pass the mapping's filters; the others are deleted. */
  private async filter(messages: SQS.Message[]): Promise<SQS.Message[]> {
    if (this.filters.length === 0) return messages;
    const passing: SQS.Message[] = [];
    const dropped: SQS.Message[] = [];
    for (const message of messages) {
      const record = sqsRecord(message, this.mapping.event_source_arn, this.where.region);
      (sqsRecordMatches(this.filters, record) ? passing : dropped).push(message);
    }
    await this.delete(dropped, 'could not delete messages no filter matched');
    return passing;
  }

  private async process(received: SQS.Message[]): Promise<void> {
    const { mapping } = this;
    const records = received.map((m) => sqsRecord(m, mapping.event_source_arn, this.where.region));
    const { event, count } = sqsEvent(records, maxSyncPayloadBytes);
    const batch = received.slice(0, count);
    // What does not fit goes back at once, behind the batch (a FIFO group stays blocked meanwhile).
    if (count < received.length) await this.release(received.slice(count));
    let answer: FunctionAnswer;
    try {
      answer = await this.deps.invoke(mapping, event);
    } catch (err) {
      // Throttled, or the function is gone: the batch goes back to the queue by itself.
      const code = isServiceError(err) ? err.code : undefined;
      this.deps.logger.info(
        { mapping: mapping.uuid, code, err: code ? undefined : err },
        'batch not invoked',
      );
      await pause(errorBackoffMs);
      return;
    }
    const reportsItems = (JSON.parse(mapping.function_response_types) as string[]).includes(
      'ReportBatchItemFailures',
    );
    const failed = failedMessageIds(
      batch.map((m) => m.MessageId!),
      answer,
      reportsItems,
    );
    const done = batch.filter((m) => !failed.has(m.MessageId!));
    await this.delete(done, 'could not delete a processed batch');
  }

  private async delete(messages: SQS.Message[], failure: string): Promise<void> {
    for (let i = 0; i < messages.length; i += deleteChunk) {
      const chunk = messages.slice(i, i + deleteChunk);
      try {
        await this.deps.services.call<SQS.DeleteMessageBatchResult>(
          'sqs',
          'DeleteMessageBatch',
          {
            QueueUrl: this.queueUrl,
            Entries: chunk.map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle! })),
          },
          this.where,
        );
      } catch (err) {
        // The messages come back and are seen again: at-least-once, as on Lambda.
        this.deps.logger.warn({ err, mapping: this.mapping.uuid }, failure);
      }
    }
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
