/**
 * Queue attributes, pure: which names a queue of each kind accepts, their ranges and defaults,
 * and the typed settings the message code runs on. Values are strings on the wire and in the
 * store, exactly as GetQueueAttributes returns them.
 */
import type { ServiceError } from '../../protocol/errors.js';
import { InvalidAttributeName, InvalidAttributeValue, invalidParameter } from './errors.js';

export type QueueAttributes = Record<string, string>;

/** SQS's largest message, and MaximumMessageSize's default: 1 MiB since AWS raised it from 256 KiB (2025). */
const maxMessageBytes = 1_048_576;

const ranges: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, maxMessageBytes],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43_200],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};

const enums: Record<string, readonly string[]> = {
  SqsManagedSseEnabled: ['true', 'false'],
  ContentBasedDeduplication: ['true', 'false'],
  DeduplicationScope: ['messageGroup', 'queue'],
  FifoThroughputLimit: ['perQueue', 'perMessageGroupId'],
};

const fifoOnly = new Set([
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
]);
const settable = new Set([
  ...Object.keys(ranges),
  ...Object.keys(enums),
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
]);

/** Attributes SQS computes; GetQueueAttributes returns them, Set/CreateQueue refuse them. */
export const computedAttributes = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
] as const;

export function defaultAttributes(fifo: boolean): QueueAttributes {
  const base: QueueAttributes = {
    DelaySeconds: '0',
    MaximumMessageSize: String(maxMessageBytes),
    MessageRetentionPeriod: '345600',
    ReceiveMessageWaitTimeSeconds: '0',
    VisibilityTimeout: '30',
    SqsManagedSseEnabled: 'true',
  };
  if (!fifo) return base;
  return {
    ...base,
    FifoQueue: 'true',
    ContentBasedDeduplication: 'false',
    DeduplicationScope: 'queue',
    FifoThroughputLimit: 'perQueue',
  };
}

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function parseRedrivePolicy(text: string): RedrivePolicy | ServiceError {
  const policy = parseJsonObject(text);
  const fail = (reason: string) => invalidParameter('RedrivePolicy', text, reason);
  if (!policy) return fail('Redrive policy is not a valid JSON map.');
  const arn = policy.deadLetterTargetArn;
  if (typeof arn !== 'string' || !arn.startsWith('arn:'))
    return fail('Invalid value for deadLetterTargetArn.');
  const count = Number(policy.maxReceiveCount);
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    return fail(
      `Invalid value for maxReceiveCount: ${String(policy.maxReceiveCount)}, valid values are from 1 to 1000 both inclusive.`,
    );
  }
  return { deadLetterTargetArn: arn, maxReceiveCount: count };
}

export interface RedriveAllowPolicy {
  redrivePermission: 'allowAll' | 'denyAll' | 'byQueue';
  sourceQueueArns?: string[];
}

export function parseRedriveAllowPolicy(text: string): RedriveAllowPolicy | ServiceError {
  const policy = parseJsonObject(text);
  const fail = (reason: string) => invalidParameter('RedriveAllowPolicy', text, reason);
  if (!policy) return fail('Redrive allow policy is not a valid JSON map.');
  const permission = policy.redrivePermission;
  if (permission !== 'allowAll' && permission !== 'denyAll' && permission !== 'byQueue') {
    return fail("Amazon SQS can't create the redrive allow policy, as it's in an unsupported format.");
  }
  const arns = policy.sourceQueueArns;
  if (permission !== 'byQueue') {
    if (arns !== undefined) return fail('Only specify sourceQueueArns when redrivePermission is byQueue.');
    return { redrivePermission: permission };
  }
  if (!Array.isArray(arns) || arns.length === 0 || arns.some((a) => typeof a !== 'string')) {
    return fail('Specify sourceQueueArns when redrivePermission is byQueue.');
  }
  if (arns.length > 10) return fail('The number of source queue ARNs must be at most 10.');
  return { redrivePermission: permission, sourceQueueArns: arns as string[] };
}

/**
 * Checks attributes a caller sets and returns them normalized. `creating` admits `FifoQueue`,
 * which only CreateQueue may set. The first broken attribute is thrown, as AWS reports one.
 */
export function checkAttributes(input: QueueAttributes, fifo: boolean, creating: boolean): QueueAttributes {
  const out: QueueAttributes = {};
  for (const [name, value] of Object.entries(input)) {
    if (name === 'FifoQueue' && creating) {
      if (value !== 'true' && value !== 'false')
        throw new InvalidAttributeValue(`Invalid value for the parameter FifoQueue.`);
      continue;
    }
    if (!settable.has(name) || (fifoOnly.has(name) && !fifo)) {
      throw new InvalidAttributeName(`Unknown Attribute ${name}.`);
    }
    const range = ranges[name];
    if (range) {
      const n = Number(value);
      if (!/^\d+$/.test(value.trim()) || n < range[0] || n > range[1]) {
        throw new InvalidAttributeValue(`Invalid value for the parameter ${name}.`);
      }
      out[name] = String(n);
      continue;
    }
    const allowed = enums[name];
    if (allowed && !allowed.includes(value)) {
      throw new InvalidAttributeValue(`Invalid value for the parameter ${name}.`);
    }
    if (name === 'Policy' && value !== '' && !parseJsonObject(value)) {
      throw new InvalidAttributeValue(`Invalid value for the parameter Policy.`);
    }
    if (name === 'RedrivePolicy' && value !== '') {
      const policy = parseRedrivePolicy(value);
      if (policy instanceof Error) throw policy;
      out[name] = JSON.stringify(policy);
      continue;
    }
    if (name === 'RedriveAllowPolicy' && value !== '') {
      const policy = parseRedriveAllowPolicy(value);
      if (policy instanceof Error) throw policy;
      out[name] = JSON.stringify(policy);
      continue;
    }
    out[name] = value;
  }
  return out;
}

/** Applies checked changes: an empty Policy, RedrivePolicy or RedriveAllowPolicy removes it. */
export function mergeAttributes(current: QueueAttributes, changes: QueueAttributes): QueueAttributes {
  const next = { ...current, ...changes };
  for (const name of ['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId']) {
    if (next[name] === '') delete next[name];
  }
  if (changes.KmsMasterKeyId) {
    next.SqsManagedSseEnabled = 'false';
    next.KmsDataKeyReusePeriodSeconds ??= '300';
  }
  if (next.FifoThroughputLimit === 'perMessageGroupId' && next.DeduplicationScope !== 'messageGroup') {
    throw new InvalidAttributeValue(
      'The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup.',
    );
  }
  return next;
}

/** The attributes the message code runs on, typed. */
export interface QueueSettings {
  visibilityTimeout: number;
  maximumMessageSize: number;
  retentionSeconds: number;
  delaySeconds: number;
  waitTimeSeconds: number;
  redrive: RedrivePolicy | undefined;
  contentBasedDeduplication: boolean;
  deduplicationScope: 'queue' | 'messageGroup';
}

export function settingsOf(attributes: QueueAttributes): QueueSettings {
  return {
    visibilityTimeout: Number(attributes.VisibilityTimeout),
    maximumMessageSize: Number(attributes.MaximumMessageSize),
    retentionSeconds: Number(attributes.MessageRetentionPeriod),
    delaySeconds: Number(attributes.DelaySeconds),
    waitTimeSeconds: Number(attributes.ReceiveMessageWaitTimeSeconds),
    redrive: attributes.RedrivePolicy ? (JSON.parse(attributes.RedrivePolicy) as RedrivePolicy) : undefined,
    contentBasedDeduplication: attributes.ContentBasedDeduplication === 'true',
    deduplicationScope: attributes.DeduplicationScope === 'messageGroup' ? 'messageGroup' : 'queue',
  };
}

/** The attributes CreateQueue compares with an existing queue's: the first that differs, if any. */
export function firstDifference(existing: QueueAttributes, requested: QueueAttributes): string | undefined {
  return Object.keys(requested).find((name) => name !== 'FifoQueue' && existing[name] !== requested[name]);
}
