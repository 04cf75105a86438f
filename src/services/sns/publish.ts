/**
 * Publish and PublishBatch: a message is checked as SNS checks it (size, subject, attributes,
 * MessageStructure json, FIFO group and deduplication ids), then — in one transaction — matched
 * against every confirmed subscription's filter policy and queued once per match. FIFO topics
 * drop a deduplication id seen in the last five minutes (answering with the first message's id)
 * and number their messages.
 */
import { createHash, randomUUID } from 'node:crypto';
import type * as SNS from '@aws-sdk/client-sns';
import type { Clock } from '../../engine/clock.js';
import type { Queryable, Store } from '../../storage/store.js';
import type { Delivery, StoredAttribute } from './envelope.js';
import { invalidParameter } from './errors.js';
import { compileFilterPolicy, type CompiledFilterPolicy, type FilterPolicyScope } from './filter-policy.js';
import type { DeliveryOutbox } from './outbox.js';
import { subscriptionAttributes } from './subscriptions.js';
import {
  dedupQueries,
  smsQueries,
  subscriptionQueries,
  topicQueries,
  type Region,
  type TopicRow,
} from './tables.js';
import { topicAttributes, type Topics } from './topics.js';

export const maxMessageBytes = 256 * 1024;
const dedupWindowMs = 5 * 60 * 1000;

/** One message to publish: Publish's input, or one PublishBatch entry. */
export interface OutgoingMessage {
  Message?: string;
  Subject?: string;
  MessageStructure?: string;
  MessageAttributes?: Record<string, SNS.MessageAttributeValue>;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
}

export interface Published {
  MessageId: string;
  SequenceNumber?: string;
}

/** A message that passed validation, ready to fan out. */
interface Checked {
  message: string;
  /** Per-protocol bodies of MessageStructure json (`default` always present). */
  perProtocol?: Record<string, string>;
  subject?: string;
  attributes: Record<string, StoredAttribute>;
  groupId?: string;
  dedupId?: string;
}

export class Publisher {
  private readonly policies = new Map<string, CompiledFilterPolicy>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly topics: Topics,
    private readonly outbox: DeliveryOutbox,
  ) {}

  async publish(at: Region, topicArn: string, message: OutgoingMessage): Promise<Published> {
    const topic = await this.topics.get(this.store, at, topicArn, 'Publish');
    const checked = checkMessage(message, topic);
    const published = await this.store.transaction((tx) => this.fanOut(tx, topic, checked));
    this.outbox.committed();
    return published;
  }

  /** Entries are checked one by one (failures are per entry); the valid ones commit together. */
  async publishBatch(
    at: Region,
    topicArn: string,
    entries: SNS.PublishBatchRequestEntry[],
  ): Promise<SNS.PublishBatchResponse> {
    const topic = await this.topics.get(this.store, at, topicArn, 'Publish');
    const failed: SNS.BatchResultErrorEntry[] = [];
    const valid: { id: string; checked: Checked }[] = [];
    for (const entry of entries) {
      try {
        valid.push({ id: entry.Id!, checked: checkMessage(entry, topic) });
      } catch (err) {
        const error = err as { code?: string; message: string };
        failed.push({ Id: entry.Id!, Code: 'InvalidParameter', Message: error.message, SenderFault: true });
      }
    }
    const successful = await this.store.transaction(async (tx) => {
      const out: SNS.PublishBatchResultEntry[] = [];
      for (const { id, checked } of valid) out.push({ Id: id, ...(await this.fanOut(tx, topic, checked)) });
      return out;
    });
    this.outbox.committed();
    return { Successful: successful, Failed: failed };
  }

  /** Publish with PhoneNumber: a text message straight to the SMS outbox. */
  async publishSms(at: Region, phoneNumber: string, message: OutgoingMessage): Promise<Published> {
    const number = phoneNumber.replace(/[\s()-]/g, '');
    if (!/^\+[1-9][0-9]{3,14}$/.test(number))
      throw invalidParameter('PhoneNumber Reason: input incorrectly formatted');
    const checked = checkMessage(message, undefined);
    const messageId = randomUUID();
    await smsQueries.insert(this.store, at, {
      message_id: messageId,
      phone_number: number,
      message: checked.perProtocol?.['sms'] ?? checked.message,
      topic_arn: null,
      subscription_arn: null,
      attributes: JSON.stringify(checked.attributes),
      created_at: this.clock.now(),
    });
    return { MessageId: messageId };
  }

  private async fanOut(tx: Queryable, topic: TopicRow, checked: Checked): Promise<Published> {
    const now = this.clock.now();
    let sequenceNumber: string | undefined;
    if (topic.fifo) {
      const dedupId = checked.dedupId ?? createHash('sha256').update(checked.message).digest('hex');
      const seen = await dedupQueries.find(tx, topic.arn, dedupId, now);
      if (seen) return { MessageId: seen.message_id, SequenceNumber: seen.sequence_number };
      checked = { ...checked, dedupId };
      sequenceNumber = String(await topicQueries.nextSequence(tx, topic.arn)).padStart(20, '0');
    }
    const messageId = randomUUID();
    if (topic.fifo)
      await dedupQueries.remember(
        tx,
        topic.arn,
        checked.dedupId!,
        messageId,
        sequenceNumber!,
        now + dedupWindowMs,
      );
    for (const subscription of await subscriptionQueries.confirmedOf(tx, topic.arn)) {
      const own = subscriptionAttributes(subscription);
      if (own['FilterPolicy'] !== undefined) {
        const scope = (own['FilterPolicyScope'] ?? 'MessageAttributes') as FilterPolicyScope;
        const policy = this.policy(own['FilterPolicy'], scope);
        if (!policy.matches({ attributes: checked.attributes, body: checked.message })) continue;
      }
      const delivery: Delivery = {
        kind: 'Notification',
        at: { accountId: topic.account_id, region: topic.region },
        topicArn: topic.arn,
        subscriptionArn: subscription.arn,
        messageId,
        message: checked.perProtocol?.[subscription.protocol] ?? checked.message,
        ...(checked.subject !== undefined ? { subject: checked.subject } : {}),
        attributes: checked.attributes,
        timestamp: now,
        ...(checked.groupId !== undefined ? { messageGroupId: checked.groupId } : {}),
        ...(checked.dedupId !== undefined ? { messageDeduplicationId: checked.dedupId } : {}),
        ...(sequenceNumber !== undefined ? { sequenceNumber } : {}),
      };
      await this.outbox.add(tx, delivery);
    }
    return { MessageId: messageId, ...(sequenceNumber ? { SequenceNumber: sequenceNumber } : {}) };
  }

  /** Compiled policies are kept by text: a publish fanning out to many subscriptions parses each once. */
  private policy(text: string, scope: FilterPolicyScope): CompiledFilterPolicy {
    const key = `${scope}\n${text}`;
    let policy = this.policies.get(key);
    if (!policy) {
      if (this.policies.size > 1000) this.policies.clear();
      policy = compileFilterPolicy(text, scope);
      this.policies.set(key, policy);
    }
    return policy;
  }
}

function checkMessage(input: OutgoingMessage, topic: TopicRow | undefined): Checked {
  const message = input.Message ?? '';
  if (message === '') throw invalidParameter('Empty message');
  const attributes = checkAttributes(input.MessageAttributes ?? {});
  const size =
    Buffer.byteLength(message) +
    Object.entries(attributes).reduce(
      (sum, [name, a]) =>
        sum +
        Buffer.byteLength(name) +
        Buffer.byteLength(a.DataType) +
        Buffer.byteLength(a.StringValue ?? a.BinaryValue ?? ''),
      0,
    );
  if (size > maxMessageBytes) throw invalidParameter('Message too long');
  if (input.Subject !== undefined && !/^[\x20-\x7e]{1,100}$/.test(input.Subject))
    throw invalidParameter('Subject');
  let perProtocol: Record<string, string> | undefined;
  let text = message;
  if (input.MessageStructure !== undefined) {
    if (input.MessageStructure !== 'json') throw invalidParameter('MessageStructure');
    perProtocol = parseStructure(message);
    text = perProtocol['default']!;
  }
  if (topic?.fifo) {
    if (!input.MessageGroupId)
      throw invalidParameter('The MessageGroupId parameter is required for FIFO topics');
    if (!input.MessageDeduplicationId && topicAttributes(topic)['ContentBasedDeduplication'] !== 'true') {
      throw invalidParameter(
        'The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      );
    }
  } else if (input.MessageDeduplicationId !== undefined) {
    throw invalidParameter(
      'MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type',
    );
  }
  return {
    message: text,
    ...(perProtocol ? { perProtocol } : {}),
    ...(input.Subject !== undefined ? { subject: input.Subject } : {}),
    attributes,
    ...(input.MessageGroupId !== undefined ? { groupId: input.MessageGroupId } : {}),
    ...(input.MessageDeduplicationId !== undefined ? { dedupId: input.MessageDeduplicationId } : {}),
  };
}

function parseStructure(message: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  const entries = parsed as Record<string, unknown>;
  if (typeof entries['default'] !== 'string') {
    throw invalidParameter('Message Structure - No default entry in JSON message body');
  }
  const out: Record<string, string> = {};
  for (const [protocol, value] of Object.entries(entries)) {
    if (typeof value === 'string') out[protocol] = value;
  }
  return out;
}

/** SNS's own attributes for SMS and mobile push (`AWS.SNS.SMS.SenderID`, `AWS.MM.SMS.OriginationNumber` …). */
const reservedAttribute = /^AWS\.(SNS|MM)\./;
const attributeName = /^(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9_.-]{1,256}$/;

/** Message attributes checked as SNS does; binary values kept as base64 for the work item. */
function checkAttributes(
  attributes: Record<string, SNS.MessageAttributeValue>,
): Record<string, StoredAttribute> {
  const out: Record<string, StoredAttribute> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (!attributeName.test(name) || (/^(aws\.|amazon\.)/i.test(name) && !reservedAttribute.test(name))) {
      throw invalidParameter(`MessageAttributes: The message attribute name '${name}' is invalid.`);
    }
    const type = value.DataType ?? '';
    const base = /^(String\.Array|String|Number|Binary)(\..+)?$/.exec(type)?.[1];
    if (!base) {
      throw invalidParameter(
        `MessageAttributes: The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    if (base === 'Binary') {
      if (!value.BinaryValue || value.BinaryValue.length === 0) throw emptyValue(name, type);
      out[name] = { DataType: type, BinaryValue: Buffer.from(value.BinaryValue).toString('base64') };
      continue;
    }
    const text = value.StringValue;
    if (text === undefined || text === '') throw emptyValue(name, type);
    if (base === 'Number' && !Number.isFinite(Number(text))) {
      throw invalidParameter(
        `MessageAttributes: Could not cast message attribute '${name}' value to number.`,
      );
    }
    if (base === 'String.Array' && !Array.isArray(parseJson(text))) {
      throw invalidParameter(
        `MessageAttributes: Invalid value for message attribute '${name}' of type String.Array: the value is not a JSON array.`,
      );
    }
    out[name] = { DataType: type, StringValue: text };
  }
  return out;
}

function emptyValue(name: string, type: string) {
  return invalidParameter(
    `MessageAttributes: The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type.split('.')[0]}'.`,
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
