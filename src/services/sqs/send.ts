/**
 * Sending: each entry is checked on its own (a batch reports failures per entry), then every
 * accepted message of a request is written in one transaction with one multi-row INSERT. FIFO
 * queues drop a message whose deduplication id (explicit, or the body's SHA-256 with
 * ContentBasedDeduplication) was seen in the last 5 minutes, answering with the first one's ids.
 */
import { createHash, randomUUID } from 'node:crypto';
import type * as SQS from '@aws-sdk/client-sqs';
import type { Clock } from '../../engine/clock.js';
import { isServiceError, type ServiceError } from '../../protocol/errors.js';
import type { Store } from '../../storage/store.js';
import { InvalidParameterValue, MissingParameter, invalidParameter } from './errors.js';
import type { LongPolls } from './long-poll.js';
import {
  attributesSize,
  checkAttributes,
  checkBody,
  md5Hex,
  md5OfAttributes,
  type StoredAttributes,
} from './message-attributes.js';
import type { Queue } from './queues.js';
import { dedupQueries, messageQueries, type NewMessage } from './message-tables.js';

export const dedupWindowMs = 5 * 60_000;

export interface SendEntry {
  MessageBody?: string;
  DelaySeconds?: number;
  MessageAttributes?: Record<string, SQS.MessageAttributeValue>;
  MessageSystemAttributes?: Record<string, SQS.MessageSystemAttributeValue>;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

export interface Sent {
  MessageId: string;
  MD5OfMessageBody: string;
  MD5OfMessageAttributes?: string;
  MD5OfMessageSystemAttributes?: string;
  SequenceNumber?: string;
}

/** FIFO sequence numbers: the row's sequence, zero-padded so text order is numeric order. */
export const sequenceNumber = (seq: number) => String(seq).padStart(20, '0');

const fifoIdPattern = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

interface Prepared {
  message: NewMessage;
  sent: Sent;
  dedupKey?: string;
}

function md5s(
  body: string,
  user: StoredAttributes | undefined,
  system: StoredAttributes | undefined,
): Omit<Sent, 'MessageId'> {
  const attributes = md5OfAttributes(user);
  const systemAttributes = md5OfAttributes(system);
  return {
    MD5OfMessageBody: md5Hex(body),
    ...(attributes ? { MD5OfMessageAttributes: attributes } : {}),
    ...(systemAttributes ? { MD5OfMessageSystemAttributes: systemAttributes } : {}),
  };
}

function prepare(queue: Queue, entry: SendEntry, senderId: string, now: number): Prepared {
  const body = entry.MessageBody ?? '';
  checkBody(body);
  const user = checkAttributes(entry.MessageAttributes, 'user');
  const system = checkAttributes(entry.MessageSystemAttributes, 'system');
  const max = queue.settings.maximumMessageSize;
  if (Buffer.byteLength(body, 'utf8') + attributesSize(user) > max) {
    throw new InvalidParameterValue(
      `One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes.`,
    );
  }
  const delay = entry.DelaySeconds;
  if (delay !== undefined && delay !== null) {
    if (queue.fifo) {
      throw invalidParameter(
        'DelaySeconds',
        delay,
        'The request include parameter that is not valid for this queue type.',
      );
    }
    if (delay < 0 || delay > 900) {
      throw invalidParameter('DelaySeconds', delay, 'DelaySeconds must be >= 0 and <= 900.');
    }
  }
  let dedupKey: string | undefined;
  let dedupId: string | null = null;
  const groupId = entry.MessageGroupId ?? null;
  if (queue.fifo) {
    if (groupId === null)
      throw new MissingParameter('The request must contain the parameter MessageGroupId.');
    if (!fifoIdPattern.test(groupId)) {
      throw invalidParameter(
        'MessageGroupId',
        groupId,
        'MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
      );
    }
    dedupId = entry.MessageDeduplicationId ?? null;
    if (dedupId === null) {
      if (!queue.settings.contentBasedDeduplication) {
        throw new InvalidParameterValue(
          'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
        );
      }
      dedupId = createHash('sha256').update(body, 'utf8').digest('hex');
    } else if (!fifoIdPattern.test(dedupId)) {
      throw invalidParameter(
        'MessageDeduplicationId',
        dedupId,
        'MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
      );
    }
    // Group ids have no whitespace, so a newline separates the scope unambiguously (and PostgreSQL text refuses NUL).
    dedupKey = queue.settings.deduplicationScope === 'messageGroup' ? `${groupId}\n${dedupId}` : dedupId;
  } else if (entry.MessageDeduplicationId !== undefined) {
    throw invalidParameter(
      'MessageDeduplicationId',
      entry.MessageDeduplicationId,
      'The request include parameter that is not valid for this queue type.',
    );
  }
  const messageId = randomUUID();
  const sums = md5s(body, user, system);
  return {
    dedupKey,
    sent: { MessageId: messageId, ...sums },
    message: {
      messageId,
      body,
      attributes: user ? JSON.stringify(user) : null,
      systemAttributes: system ? JSON.stringify(system) : null,
      md5Attributes: sums.MD5OfMessageAttributes ?? null,
      md5SystemAttributes: sums.MD5OfMessageSystemAttributes ?? null,
      groupId,
      dedupId,
      senderId,
      sentAt: now,
      visibleAt: now + (delay ?? queue.settings.delaySeconds) * 1000,
    },
  };
}

export class Sender {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly polls: LongPolls,
  ) {}

  /** Sends each entry; a refused entry comes back as its error, in place. */
  async send(
    queue: Queue,
    entries: readonly SendEntry[],
    senderId: string,
  ): Promise<(Sent | ServiceError)[]> {
    const now = this.clock.now();
    const results: (Sent | ServiceError)[] = [];
    const prepared: (Prepared | undefined)[] = entries.map((entry) => {
      try {
        return prepare(queue, entry, senderId, now);
      } catch (err) {
        if (!isServiceError(err)) throw err;
        results.push(err);
        return undefined;
      }
    });
    const accepted = prepared.filter((p): p is Prepared => p !== undefined);
    if (accepted.length > 0) {
      if (!queue.fifo) {
        // One multi-row INSERT is atomic by itself.
        await messageQueries.insert(
          this.store,
          queue.id,
          accepted.map((p) => p.message),
        );
      } else {
        await this.store.transaction(async (tx) => {
          // One message at a time, so a duplicate inside the batch sees the first one's row.
          for (const p of accepted) {
            const seen = await dedupQueries.find(tx, queue.id, p.dedupKey!, now);
            if (seen) {
              p.sent = { ...p.sent, MessageId: seen.message_id, SequenceNumber: sequenceNumber(seen.seq) };
              continue;
            }
            const [row] = await messageQueries.insert(tx, queue.id, [p.message]);
            await dedupQueries.put(
              tx,
              queue.id,
              p.dedupKey!,
              p.message.messageId,
              row!.seq,
              now + dedupWindowMs,
            );
            p.sent.SequenceNumber = sequenceNumber(row!.seq);
          }
        });
      }
      if (accepted.some((p) => p.message.visibleAt <= now)) this.polls.notify(queue.id);
    }
    let next = 0;
    return prepared.map((p) => (p ? p.sent : results[next++]!));
  }
}
