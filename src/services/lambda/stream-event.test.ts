import type * as Streams from '@aws-sdk/client-dynamodb-streams';
import { describe, expect, it } from 'vitest';
import { compileFilters } from './event-filters.js';
import {
  dynamoDbEventRecord,
  failureRecord,
  readStreamAnswer,
  streamEvent,
  streamRecordMatches,
  windowOf,
  type DynamoDbEventRecord,
} from './stream-event.js';

const streamArn = 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders/stream/2026-11-01T00:00:00.000';

function streamsRecord(seq: string, overrides: Partial<Streams._Record> = {}): Streams._Record {
  return {
    eventID: 'e1',
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: new Date(1_790_000_000_000),
      Keys: { id: { S: 'a' } },
      NewImage: { id: { S: 'a' }, data: { B: Buffer.from('hi') }, tags: { L: [{ BS: [Buffer.from([1])] }] } },
      SequenceNumber: seq,
      SizeBytes: 12,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    ...overrides,
  };
}

const record = (seq: string, overrides?: Partial<Streams._Record>) =>
  dynamoDbEventRecord(streamsRecord(seq, overrides), streamArn);

const answer = (value: unknown, functionError = false) => ({
  functionError,
  payload: Buffer.from(value === undefined ? '' : JSON.stringify(value)),
});

describe('dynamoDbEventRecord', () => {
  it("is Lambda's record: creation time in epoch seconds, binaries in base64, the stream's ARN", () => {
    expect(record('000000000000000000001')).toEqual({
      eventID: 'e1',
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        ApproximateCreationDateTime: 1_790_000_000,
        Keys: { id: { S: 'a' } },
        NewImage: { id: { S: 'a' }, data: { B: 'aGk=' }, tags: { L: [{ BS: ['AQ=='] }] } },
        SequenceNumber: '000000000000000000001',
        SizeBytes: 12,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: streamArn,
    });
  });

  it("names a TTL delete's identity in lower camel case", () => {
    const removal = record('2', {
      eventName: 'REMOVE',
      userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' },
    });
    expect(removal.userIdentity).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
  });
});

describe('streamRecordMatches', () => {
  it.each([
    ['{"eventName": ["INSERT"]}', true],
    ['{"eventName": ["REMOVE"]}', false],
    ['{"dynamodb": {"NewImage": {"id": {"S": ["a"]}}}}', true],
    ['{"dynamodb": {"NewImage": {"id": {"S": ["b"]}}}}', false],
    ['{"eventSource": ["aws:dynamodb"]}', false],
    ['{"awsRegion": ["us-east-1"]}', false],
  ])('%s → %s', (pattern, expected) => {
    expect(streamRecordMatches(compileFilters({ Filters: [{ Pattern: pattern }] }), record('1'))).toBe(
      expected,
    );
  });
});

describe('streamEvent', () => {
  it('cuts the batch to what fits within the limit, keeping at least one record', () => {
    const records = ['1', '2', '3'].map((seq) => record(seq));
    const one = Buffer.byteLength(JSON.stringify({ Records: [records[0]] }));
    expect(streamEvent(records, one + 10).count).toBe(1);
    expect(streamEvent(records, 10).count).toBe(1);
    const all = streamEvent(records, 6_000_000);
    expect(all.count).toBe(3);
    expect(JSON.parse(all.event.toString())).toEqual({ Records: records });
  });

  it('adds the tumbling window members', () => {
    const window = windowOf(Date.UTC(2026, 0, 1, 10, 4, 59), 300);
    const { event } = streamEvent([], 1000, {
      window,
      state: { n: 1 },
      shardId: 'shardId-1',
      eventSourceARN: streamArn,
      isFinalInvokeForWindow: true,
    });
    expect(JSON.parse(event.toString())).toEqual({
      Records: [],
      window: { start: '2026-01-01T10:00:00Z', end: '2026-01-01T10:05:00Z' },
      state: { n: 1 },
      shardId: 'shardId-1',
      eventSourceARN: streamArn,
      isFinalInvokeForWindow: true,
      isWindowTerminatedEarly: false,
    });
  });
});

describe('readStreamAnswer', () => {
  const seqs = ['10', '11', '12'];
  const items = { reportBatchItemFailures: true, windowed: false };
  it.each([
    ['a function error', answer({ errorMessage: 'x' }, true), items, { kind: 'error' }],
    ['no item failures reported', answer({ batchItemFailures: [] }), items, { kind: 'success' }],
    ['a null answer', answer(null), items, { kind: 'success' }],
    ['an empty answer', answer(undefined), items, { kind: 'success' }],
    [
      'the lowest named record',
      answer({ batchItemFailures: [{ itemIdentifier: '12' }, { itemIdentifier: '11' }] }),
      items,
      { kind: 'partial', failedAt: 1 },
    ],
    [
      'an identifier not in the batch',
      answer({ batchItemFailures: [{ itemIdentifier: '99' }] }),
      items,
      { kind: 'partial', failedAt: 0 },
    ],
    [
      'an identifier that is not a string',
      answer({ batchItemFailures: [{ itemIdentifier: 12 }] }),
      items,
      { kind: 'partial', failedAt: 0 },
    ],
    [
      'failures without ReportBatchItemFailures',
      answer({ batchItemFailures: [{ itemIdentifier: '11' }] }),
      { ...items, reportBatchItemFailures: false },
      { kind: 'success' },
    ],
    [
      'a window answer without state',
      answer({}),
      { reportBatchItemFailures: false, windowed: true },
      { kind: 'error' },
    ],
  ] as const)('%s', (_name, given, options, outcome) => {
    expect(readStreamAnswer(seqs, given, options).outcome).toEqual(outcome);
  });

  it('hands on the state a windowed answer carries', () => {
    expect(
      readStreamAnswer(seqs, answer({ state: { n: 3 } }), { reportBatchItemFailures: false, windowed: true }),
    ).toEqual({
      outcome: { kind: 'success' },
      state: { n: 3 },
    });
  });
});

describe('failureRecord', () => {
  it('describes the discarded records by shard and sequence number range', () => {
    const records: DynamoDbEventRecord[] = [record('000000000000000000007'), record('000000000000000000009')];
    const body = failureRecord({
      condition: 'RetryAttemptsExhausted',
      functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
      lastInvocation: { requestId: 'r-1', executedVersion: '$LATEST', functionError: true },
      approximateInvokeCount: 2,
      shardId: 'shardId-1',
      streamArn,
      records,
      now: Date.UTC(2026, 0, 1, 0, 0, 1, 250),
    });
    expect(JSON.parse(body)).toEqual({
      requestContext: {
        requestId: 'r-1',
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 2,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      timestamp: '2026-01-01T00:00:01.250Z',
      DDBStreamBatchInfo: {
        shardId: 'shardId-1',
        startSequenceNumber: '000000000000000000007',
        endSequenceNumber: '000000000000000000009',
        approximateArrivalOfFirstRecord: '2026-09-21T14:13:20Z',
        approximateArrivalOfLastRecord: '2026-09-21T14:13:20Z',
        batchSize: 2,
        streamArn,
      },
    });
  });
});
