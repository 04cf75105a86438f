/**
 * What a DynamoDB stream event source mapping hands a function, and what it makes of the answer —
 * pure, so both sides are tested table-driven (stream-event.test.ts).
 *
 * The event is Lambda's: `{ Records: [{ eventID, eventName, eventVersion: "1.1", eventSource:
 * "aws:dynamodb", awsRegion, dynamodb: { ApproximateCreationDateTime (epoch seconds), Keys,
 * NewImage?, OldImage?, SequenceNumber, SizeBytes, StreamViewType }, eventSourceARN,
 * userIdentity? }] }`, attribute values in DynamoDB's JSON form (binaries base64), and a TTL
 * delete's `userIdentity` in Lambda's lower-case members (`type`, `principalId`) where the Streams
 * API names them `Type` and `PrincipalId`. With a tumbling window the event also carries `window`,
 * `state`, `shardId`, `eventSourceARN`, `isFinalInvokeForWindow` and `isWindowTerminatedEarly`.
 */
import type * as Streams from '@aws-sdk/client-dynamodb-streams';
import type { EventPattern } from '../../patterns/index.js';
import { recordMatches } from './event-filters.js';
import { failedMessageIds, recordsEvent } from './sqs-event.js';

export interface DynamoDbEventRecord {
  eventID: string;
  eventName: string;
  eventVersion: string;
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Record<string, unknown>;
    NewImage?: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: string;
  };
  eventSourceARN: string;
  userIdentity?: { type: string; principalId: string };
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** An attribute value as JSON carries it: binaries base64, the rest as they are. */
export function wireValue(value: Streams.AttributeValue): unknown {
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.M !== undefined) return { M: wireItem(value.M) };
  if (value.L !== undefined) return { L: value.L.map(wireValue) };
  return value;
}

export function wireItem(item: Record<string, Streams.AttributeValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) out[name] = wireValue(value);
  return out;
}

/** The Lambda event record for one record GetRecords returned. */
export function dynamoDbEventRecord(record: Streams._Record, streamArn: string): DynamoDbEventRecord {
  const data = record.dynamodb!;
  const identity = record.userIdentity;
  return {
    eventID: record.eventID!,
    eventName: record.eventName!,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion!,
    dynamodb: {
      ApproximateCreationDateTime: data.ApproximateCreationDateTime!.getTime() / 1000,
      Keys: wireItem(data.Keys ?? {}),
      ...(data.NewImage ? { NewImage: wireItem(data.NewImage) } : {}),
      ...(data.OldImage ? { OldImage: wireItem(data.OldImage) } : {}),
      SequenceNumber: data.SequenceNumber!,
      SizeBytes: data.SizeBytes!,
      StreamViewType: data.StreamViewType!,
    },
    eventSourceARN: streamArn,
    ...(identity ? { userIdentity: { type: identity.Type!, principalId: identity.PrincipalId! } } : {}),
  };
}

/**
 * Whether a record passes a mapping's filters. Lambda filters the record it would deliver, without
 * `eventSource`, `eventSourceARN` and `awsRegion`; its data field `dynamodb` is always JSON.
 */
export function streamRecordMatches(filters: readonly EventPattern[], record: DynamoDbEventRecord): boolean {
  if (filters.length === 0) return true;
  const { eventSource: _source, eventSourceARN: _arn, awsRegion: _region, ...fields } = record;
  return recordMatches(filters, fields, 'dynamodb', 'json');
}

/** A tumbling window: `[start, end)` in ms, aligned to multiples of its length since the epoch. */
export interface TumblingWindow {
  start: number;
  end: number;
}

export function windowOf(createdAtMs: number, seconds: number): TumblingWindow {
  const length = seconds * 1000;
  const start = Math.floor(createdAtMs / length) * length;
  return { start, end: start + length };
}

/** Lambda's window times: to the second, `Z`. */
const windowTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** What a tumbling window adds to the event. */
export interface WindowFields {
  window: TumblingWindow;
  state: unknown;
  shardId: string;
  eventSourceARN: string;
  isFinalInvokeForWindow: boolean;
}

function windowEventFields(fields: WindowFields): Record<string, unknown> {
  return {
    window: { start: windowTime(fields.window.start), end: windowTime(fields.window.end) },
    state: fields.state ?? {},
    shardId: fields.shardId,
    eventSourceARN: fields.eventSourceARN,
    isFinalInvokeForWindow: fields.isFinalInvokeForWindow,
    isWindowTerminatedEarly: false,
  };
}

/**
 * A batch of stream records as the event Lambda sends (see `recordsEvent`), with a tumbling
 * window's fields when the mapping has windows; at least one record, since an item is at most
 * 400 KB.
 */
export function streamEvent(
  records: readonly DynamoDbEventRecord[],
  limit: number,
  window?: WindowFields,
): { event: Buffer; count: number } {
  return recordsEvent(records, limit, window ? JSON.stringify(windowEventFields(window)).slice(1, -1) : '');
}

/** How a batch went, as the retry rules (stream-retries.ts) read it. */
export type BatchOutcome = { kind: 'success' } | { kind: 'partial'; failedAt: number } | { kind: 'error' };

export interface StreamAnswer {
  functionError: boolean;
  payload: Buffer;
}

/**
 * Reads the function's answer to a batch. A function error fails it whole. With
 * `ReportBatchItemFailures`, `batchItemFailures` name records by SequenceNumber and Lambda goes
 * on from the lowest one named (an answer it cannot read fails the batch whole). With a tumbling
 * window the answer must carry a `state` object — Lambda counts one without as a failed
 * invocation — which the next invocation of the window receives.
 */
export function readStreamAnswer(
  sequenceNumbers: readonly string[],
  answer: StreamAnswer,
  options: { reportBatchItemFailures: boolean; windowed: boolean },
): { outcome: BatchOutcome; state?: unknown } {
  if (answer.functionError) return { outcome: { kind: 'error' } };
  let state: unknown;
  if (options.windowed) {
    state = answerState(answer.payload);
    if (state === undefined) return { outcome: { kind: 'error' } };
  }
  const failed = failedMessageIds(sequenceNumbers, answer, options.reportBatchItemFailures);
  const failedAt = sequenceNumbers.findIndex((seq) => failed.has(seq));
  const outcome: BatchOutcome = failedAt === -1 ? { kind: 'success' } : { kind: 'partial', failedAt };
  return options.windowed ? { outcome, state } : { outcome };
}

function answerState(payload: Buffer): unknown {
  try {
    const answer = JSON.parse(payload.toString('utf8')) as { state?: unknown } | null;
    const state = answer?.state;
    return state !== null && typeof state === 'object' && !Array.isArray(state) ? state : undefined;
  } catch {
    return undefined;
  }
}

export type FailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

export interface FailureDetails {
  condition: FailureCondition;
  functionArn: string;
  /** The last invocation of the records, if there was one. */
  lastInvocation?: { requestId: string; executedVersion: string; functionError: boolean };
  approximateInvokeCount: number;
  shardId: string;
  streamArn: string;
  records: readonly DynamoDbEventRecord[];
  now: number;
}

/** Stream times in a failure record: to the second, `Z`. */
const arrival = (record: DynamoDbEventRecord) =>
  windowTime(record.dynamodb.ApproximateCreationDateTime * 1000);

/**
 * The record Lambda sends an OnFailure destination for records it discards: what failed, where,
 * and which records (by sequence number range) — not the records themselves.
 */
export function failureRecord(details: FailureDetails): string {
  const first = details.records[0]!;
  const last = details.records[details.records.length - 1]!;
  const invocation = details.lastInvocation;
  return JSON.stringify({
    requestContext: {
      requestId: invocation?.requestId ?? '',
      functionArn: details.functionArn,
      condition: details.condition,
      approximateInvokeCount: details.approximateInvokeCount,
    },
    responseContext: invocation
      ? {
          statusCode: 200,
          executedVersion: invocation.executedVersion,
          ...(invocation.functionError ? { functionError: 'Unhandled' } : {}),
        }
      : {},
    version: '1.0',
    timestamp: new Date(details.now).toISOString(),
    DDBStreamBatchInfo: {
      shardId: details.shardId,
      startSequenceNumber: first.dynamodb.SequenceNumber,
      endSequenceNumber: last.dynamodb.SequenceNumber,
      approximateArrivalOfFirstRecord: arrival(first),
      approximateArrivalOfLastRecord: arrival(last),
      batchSize: details.records.length,
      streamArn: details.streamArn,
    },
  });
}
