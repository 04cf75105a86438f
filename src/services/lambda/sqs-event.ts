/**
 * What an SQS event source mapping hands a function, and what it makes of the answer — pure, so
 * both sides are tested table-driven (sqs-event.test.ts).
 *
 * The event is Lambda's: `{ Records: [{ messageId, receiptHandle, body, attributes,
 * messageAttributes, md5OfBody, md5OfMessageAttributes?, eventSource: 'aws:sqs', eventSourceARN,
 * awsRegion }] }`, message attributes in camelCase with binary values base64-encoded.
 */
import type * as SQS from '@aws-sdk/client-sqs';
import type { EventPattern } from '../../patterns/index.js';
import { readData, recordMatches } from './event-filters.js';

export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, SqsRecordAttribute>;
  md5OfMessageAttributes?: string;
  md5OfBody: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

export interface SqsRecordAttribute {
  stringValue?: string;
  binaryValue?: string;
  stringListValues: string[];
  binaryListValues: string[];
  dataType: string;
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

export function sqsRecord(message: SQS.Message, queueArn: string, region: string): SqsRecord {
  const messageAttributes: Record<string, SqsRecordAttribute> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: base64(value.BinaryValue) } : {}),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map(base64),
      dataType: value.DataType!,
    };
  }
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: { ...message.Attributes },
    messageAttributes,
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    md5OfBody: message.MD5OfBody!,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/**
 * Whether a message passes a mapping's filters. Lambda filters the record it would deliver, without
 * `eventSource`, `eventSourceARN` and `awsRegion`, its `body` read as JSON when it is JSON.
 */
export function sqsRecordMatches(filters: readonly EventPattern[], record: SqsRecord): boolean {
  if (filters.length === 0) return true;
  const { eventSource: _source, eventSourceARN: _arn, awsRegion: _region, body, ...fields } = record;
  const data = readData(body);
  return recordMatches(filters, { ...fields, body: data.value }, 'body', data.format);
}

/**
 * `{"Records": [...], ...fields}` for the longest run of records, from the first, that stays
 * within `limit` bytes (the synchronous invoke limit, which Lambda keeps a batch under), and how
 * many records it holds: always at least one. `fields` are the event's other members, as JSON
 * object members without braces (a stream's tumbling-window state), or none.
 */
export function recordsEvent(
  records: readonly unknown[],
  limit: number,
  fields = '',
): { event: Buffer; count: number } {
  const tail = fields ? `,${fields}` : '';
  const parts: string[] = [];
  let bytes = Buffer.byteLength(`{"Records":[]${tail}}`);
  for (const record of records) {
    const part = JSON.stringify(record);
    const size = Buffer.byteLength(part) + (parts.length > 0 ? 1 : 0);
    if (parts.length > 0 && bytes + size > limit) break;
    parts.push(part);
    bytes += size;
  }
  return { event: Buffer.from(`{"Records":[${parts.join(',')}]${tail}}`), count: parts.length };
}

/** A batch of SQS messages as the event Lambda sends (see `recordsEvent`); one message, at most 1 MiB, always fits. */
export function sqsEvent(records: readonly SqsRecord[], limit: number): { event: Buffer; count: number } {
  return recordsEvent(records, limit);
}

/**
 * Which messages of a batch to leave on the queue once the function has answered. A function
 * error fails the whole batch. Without `ReportBatchItemFailures` a successful answer succeeds the
 * whole batch; with it, the answer's `batchItemFailures` name the failed messages, and an answer
 * Lambda cannot read (not JSON, an identifier that is empty, missing or not in the batch) fails
 * the whole batch, as Lambda documents.
 */
export function failedMessageIds(
  batch: readonly string[],
  answer: { functionError: boolean; payload: Buffer },
  reportBatchItemFailures: boolean,
): Set<string> {
  const all = new Set(batch);
  if (answer.functionError) return all;
  if (!reportBatchItemFailures) return new Set();
  let response: unknown;
  try {
    const text = answer.payload.toString('utf8').trim();
    response = text === '' ? null : JSON.parse(text);
  } catch {
    return all;
  }
  if (response === null || typeof response !== 'object' || Array.isArray(response)) return new Set();
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return all;
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !all.has(id)) return all;
    failed.add(id);
  }
  return failed;
}
