/**
 * Receiving: one transaction claims up to N messages by moving their `visible_at` past the
 * visibility timeout under a fresh receipt token. Messages that were already received
 * `maxReceiveCount` times move to the dead-letter queue instead, in the same transaction (as AWS,
 * the move happens when a receive would hand them out again). FIFO receives take the queue row's
 * lock so two nodes cannot hand out one group at once; a ReceiveRequestAttemptId repeated within 5
 * minutes answers the same messages again while they are still in flight under that receive.
 */
import { randomBytes } from 'node:crypto';
import type * as SQS from '@aws-sdk/client-sqs';
import type { Clock } from '../../engine/clock.js';
import type { Queryable, Store } from '../../storage/store.js';
import { invalidParameter } from './errors.js';
import type { LongPolls } from './long-poll.js';
import {
  md5Hex,
  md5OfAttributes,
  selectAttributes,
  wireAttributes,
  type StoredAttributes,
} from './message-attributes.js';
import { encodeReceipt } from './names.js';
import type { Queue, Queues } from './queues.js';
import { sequenceNumber } from './send.js';
import { queueQueries, type MessageRow } from './tables.js';
import { attemptQueries, messageQueries } from './message-tables.js';

const attemptWindowMs = 5 * 60_000;
/** How often an idle long poll looks again without being woken (other nodes' sends, ended delays). */
export const recheckMs = 1000;

export interface ReceiveOptions {
  max: number;
  visibilityTimeout: number;
  waitSeconds: number;
  attemptId?: string;
  systemAttributeNames: readonly string[];
  messageAttributeNames: readonly string[];
}

export function receiveOptions(queue: Queue, input: SQS.ReceiveMessageRequest): ReceiveOptions {
  const max = input.MaxNumberOfMessages ?? 1;
  if (!Number.isInteger(max) || max < 1 || max > 10) {
    throw invalidParameter('MaxNumberOfMessages', max, 'Must be between 1 and 10, if provided.');
  }
  const visibilityTimeout = input.VisibilityTimeout ?? queue.settings.visibilityTimeout;
  if (visibilityTimeout < 0 || visibilityTimeout > 43_200) {
    throw invalidParameter('VisibilityTimeout', visibilityTimeout, 'Must be >= 0 and <= 43200, if provided.');
  }
  const waitSeconds = input.WaitTimeSeconds ?? queue.settings.waitTimeSeconds;
  if (waitSeconds < 0 || waitSeconds > 20) {
    throw invalidParameter('WaitTimeSeconds', waitSeconds, 'Must be >= 0 and <= 20, if provided.');
  }
  return {
    max,
    visibilityTimeout,
    waitSeconds,
    attemptId: queue.fifo ? input.ReceiveRequestAttemptId : undefined,
    systemAttributeNames: [...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])],
    messageAttributeNames: input.MessageAttributeNames ?? [],
  };
}

function systemAttributes(
  queue: Queue,
  row: MessageRow,
  names: readonly string[],
): Record<string, string> | undefined {
  if (names.length === 0) return undefined;
  const all = names.includes('All');
  const values: Record<string, string | undefined> = {
    SenderId: row.sender_id,
    SentTimestamp: String(row.sent_at),
    ApproximateReceiveCount: String(row.receive_count),
    ApproximateFirstReceiveTimestamp: String(row.first_received_at ?? ''),
    MessageDeduplicationId: queue.fifo ? (row.dedup_id ?? undefined) : undefined,
    MessageGroupId: row.group_id ?? undefined,
    SequenceNumber: queue.fifo ? sequenceNumber(row.seq) : undefined,
    DeadLetterQueueSourceArn: row.dead_letter_source ?? undefined,
    AWSTraceHeader: row.system_attributes
      ? (JSON.parse(row.system_attributes) as StoredAttributes).AWSTraceHeader?.StringValue
      : undefined,
  };
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && (all || names.includes(name))) out[name] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export function toMessage(queue: Queue, row: MessageRow, options: ReceiveOptions): SQS.Message {
  const attributes = systemAttributes(queue, row, options.systemAttributeNames);
  const selected = selectAttributes(
    row.attributes ? (JSON.parse(row.attributes) as StoredAttributes) : undefined,
    options.messageAttributeNames,
  );
  return {
    MessageId: row.message_id,
    ReceiptHandle: encodeReceipt({ queueId: queue.id, seq: row.seq, token: row.receipt! }),
    MD5OfBody: md5Hex(row.body),
    Body: row.body,
    ...(attributes ? { Attributes: attributes } : {}),
    ...(selected
      ? { MD5OfMessageAttributes: md5OfAttributes(selected)!, MessageAttributes: wireAttributes(selected) }
      : {}),
  };
}

export class Receiver {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly queues: Queues,
    private readonly polls: LongPolls,
  ) {}

  /** Claims messages, long-polling up to `waitSeconds` when there are none. */
  async receive(queue: Queue, options: ReceiveOptions): Promise<MessageRow[]> {
    const deadline = performance.now() + options.waitSeconds * 1000;
    const generation = this.polls.generation;
    for (;;) {
      const wakeup = options.waitSeconds > 0 ? this.polls.arm(queue.id) : undefined;
      const rows = await this.claim(queue, options);
      const remaining = deadline - performance.now();
      if (!wakeup) return rows;
      if (rows.length > 0 || remaining <= 0 || this.polls.isStopped) {
        wakeup.cancel();
        return rows;
      }
      await wakeup.wait(Math.min(remaining, await this.untilNextVisible(queue)));
      // Woken by the server stopping: answer empty rather than touch a store being closed; or by
      // a reset: the queue this poll was for is gone.
      if (this.polls.isStopped || this.polls.generation !== generation) return [];
    }
  }

  private async untilNextVisible(queue: Queue): Promise<number> {
    const now = this.clock.now();
    const next = await messageQueries.nextVisibleAt(this.store, queue.id, now);
    return next?.at ? Math.min(recheckMs, Math.max(1, next.at - now)) : recheckMs;
  }

  private async claim(queue: Queue, options: ReceiveOptions): Promise<MessageRow[]> {
    const now = this.clock.now();
    const sentAfter = now - queue.settings.retentionSeconds * 1000;
    const visibleAt = now + options.visibilityTimeout * 1000;
    if (!queue.fifo && !queue.settings.redrive) {
      // The common case is one atomic statement: no transaction, no second round trip.
      const token = randomBytes(8).toString('hex');
      const rows = await messageQueries.claimStandard(this.store, this.store.dialect, {
        queueId: queue.id,
        now,
        sentAfter,
        limit: options.max,
        visibleAt,
        receipt: token,
      });
      return rows.sort((a, b) => a.seq - b.seq);
    }
    return this.store.transaction(async (tx) => {
      if (queue.fifo) await queueQueries.lock(tx, this.store.dialect, queue.id);
      if (options.attemptId) {
        const repeated = await this.repeatedAttempt(tx, queue, options.attemptId, now);
        if (repeated) return repeated;
      }
      const token = randomBytes(8).toString('hex');
      const deliver: MessageRow[] = [];
      // Dead-lettered candidates leave room for more: look again (a bounded number of times).
      for (let round = 0; round < 10 && deliver.length < options.max; round++) {
        const want = options.max - deliver.length;
        const candidates = queue.fifo
          ? await messageQueries.fifoCandidates(tx, queue.id, now, sentAfter, want)
          : await messageQueries.standardCandidates(tx, this.store.dialect, queue.id, now, sentAfter, want);
        const claimed = await this.redrive(tx, queue, candidates, now);
        if (claimed.length > 0)
          await messageQueries.claim(
            tx,
            claimed.map((m) => m.seq),
            visibleAt,
            now,
            token,
          );
        deliver.push(...claimed);
        if (claimed.length === candidates.length) break;
      }
      if (deliver.length === 0) return [];
      if (options.attemptId) {
        const seqs = deliver.map((m) => m.seq);
        await attemptQueries.put(tx, queue.id, options.attemptId, token, seqs, now + attemptWindowMs);
      }
      return deliver.map((m) => ({
        ...m,
        visible_at: visibleAt,
        receive_count: m.receive_count + 1,
        first_received_at: m.first_received_at ?? now,
        received_at: now,
        receipt: token,
      }));
    });
  }

  private async repeatedAttempt(
    tx: Queryable,
    queue: Queue,
    attemptId: string,
    now: number,
  ): Promise<MessageRow[] | undefined> {
    const attempt = await attemptQueries.find(tx, queue.id, attemptId, now);
    if (!attempt) return undefined;
    const seqs = JSON.parse(attempt.seqs) as number[];
    const rows = seqs.length > 0 ? await messageQueries.bySeqs(tx, queue.id, seqs) : [];
    const still = rows.filter((r) => r.receipt === attempt.receipt && r.visible_at > now);
    // Once a message of that receive was deleted or became visible again, the attempt is spent.
    return still.length === seqs.length && seqs.length > 0 ? still : undefined;
  }

  /** Moves candidates past their maxReceiveCount to the dead-letter queue; returns the rest. */
  private async redrive(
    tx: Queryable,
    queue: Queue,
    candidates: MessageRow[],
    now: number,
  ): Promise<MessageRow[]> {
    const policy = queue.settings.redrive;
    if (!policy) return candidates;
    const spent = candidates.filter((m) => m.receive_count >= policy.maxReceiveCount);
    if (spent.length === 0) return candidates;
    const dlq = await this.queues.byArn(policy.deadLetterTargetArn, tx);
    if (!dlq) return candidates;
    await messageQueries.move(
      tx,
      spent.map((m) => m.seq),
      dlq.id,
      now,
      queue.arn,
    );
    this.polls.notify(dlq.id);
    return candidates.filter((m) => m.receive_count < policy.maxReceiveCount);
  }
}
