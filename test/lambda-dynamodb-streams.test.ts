/**
 * DynamoDB stream event source mappings end to end: Lambda's control plane through
 * @aws-sdk/client-lambda, and real shard workers feeding real functions from a real table's
 * stream (@aws-sdk/client-dynamodb) — the event shape, order per key across batch lanes, filters,
 * bisecting a failing batch with retries and an OnFailure queue, partial batch responses,
 * tumbling windows, IteratorAge, and checkpoints that survive a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  InvalidParameterValueException,
  LambdaClient,
  ListEventSourceMappingsCommand,
  ResourceConflictException,
  UpdateEventSourceMappingCommand,
  type CreateEventSourceMappingRequest,
} from '@aws-sdk/client-lambda';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../src/engine/clock.js';
import { startTestStratus, testStoreUrl, type TestStratus } from './support/stratus.js';
import { createQueue, queueArn } from './support/sqs.js';
import { createFunction, eventually, logMessages } from './support/lambda.js';
import { startServer } from './support/processes.js';

const account = '000000000000';

/**
 * Logs each batch as `BATCH <json>` (event name, key, sequence number, images of each record),
 * and answers as the record's `answer` attribute says: `fail` throws, `partial-once` reports the
 * record as failed the first time this environment sees it.
 */
const recordingHandler = `
const seen = new Set();
exports.handler = async (event) => {
  const records = event.Records.map((r) => ({
    name: r.eventName,
    id: r.dynamodb.Keys.id.S,
    seq: r.dynamodb.SequenceNumber,
    newImage: r.dynamodb.NewImage,
    oldImage: r.dynamodb.OldImage,
  }));
  console.log('BATCH ' + JSON.stringify(records));
  const failures = [];
  for (const r of event.Records) {
    const answer = r.dynamodb.NewImage && r.dynamodb.NewImage.answer && r.dynamodb.NewImage.answer.S;
    if (answer === 'fail') throw new Error('poison ' + r.dynamodb.Keys.id.S);
    if (answer === 'partial-once' && !seen.has(r.dynamodb.SequenceNumber)) {
      seen.add(r.dynamodb.SequenceNumber);
      failures.push({ itemIdentifier: r.dynamodb.SequenceNumber });
    }
  }
  return { batchItemFailures: failures };
};`;

interface Seen {
  name: string;
  id: string;
  seq: string;
  newImage?: Record<string, AttributeValue>;
  oldImage?: Record<string, AttributeValue>;
}

describe('Lambda event source mappings for DynamoDB streams', () => {
  let stratus: TestStratus;
  let lambda: LambdaClient;
  let dynamodb: DynamoDBClient;
  let sqs: SQSClient;
  let logs: CloudWatchLogsClient;

  beforeAll(async () => {
    stratus = await startTestStratus();
    lambda = new LambdaClient(stratus.clientConfig);
    dynamodb = new DynamoDBClient(stratus.clientConfig);
    sqs = new SQSClient(stratus.clientConfig);
    logs = new CloudWatchLogsClient(stratus.clientConfig);
  });
  afterAll(async () => {
    for (const client of [lambda, dynamodb, sqs, logs]) client?.destroy();
    await stratus?.close();
  });

  async function streamTable(name: string) {
    const created = await dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'n', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'id', KeyType: 'HASH' },
          { AttributeName: 'n', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    return created.TableDescription!.LatestStreamArn!;
  }

  const put = (table: string, id: string, n: number, extra: Record<string, AttributeValue> = {}) =>
    dynamodb.send(
      new PutItemCommand({ TableName: table, Item: { id: { S: id }, n: { N: String(n) }, ...extra } }),
    );

  const mapping = (
    input: Omit<CreateEventSourceMappingRequest, 'StartingPosition'> & { StartingPosition?: string },
  ) => lambda.send(new CreateEventSourceMappingCommand(input as CreateEventSourceMappingRequest));

  async function batches(functionName: string): Promise<Seen[][]> {
    return (await logMessages(logs, functionName, '"BATCH"')).map(
      (m) => JSON.parse(m.trim().replace(/^.*BATCH /, '')) as Seen[],
    );
  }

  /** Waits until the function has seen `count` records in all. */
  const seenRecords = async (functionName: string, count: number) =>
    (
      await eventually(
        () => batches(functionName),
        (b) => b.flat().length >= count,
      )
    ).flat();

  describe('control plane', () => {
    it('creates a stream mapping with Lambda defaults and shows its stream settings', async () => {
      const arn = await streamTable('cp-orders');
      await createFunction(lambda, 'cp-stream', { 'index.js': recordingHandler });
      const created = await mapping({
        FunctionName: 'cp-stream',
        EventSourceArn: arn,
        StartingPosition: 'LATEST',
      });
      expect(created).toMatchObject({
        State: 'Creating',
        StateTransitionReason: 'User action',
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 0,
        StartingPosition: 'LATEST',
        ParallelizationFactor: 1,
        BisectBatchOnFunctionError: false,
        MaximumRetryAttempts: -1,
        MaximumRecordAgeInSeconds: -1,
        TumblingWindowInSeconds: 0,
        DestinationConfig: { OnFailure: {} },
        FunctionResponseTypes: [],
        LastProcessingResult: 'No records processed',
        EventSourceArn: arn,
        FunctionArn: `arn:aws:lambda:us-east-1:${account}:function:cp-stream`,
      });
      await createQueue(sqs, 'cp-failures');
      const updated = await lambda.send(
        new UpdateEventSourceMappingCommand({
          UUID: created.UUID,
          BatchSize: 500,
          ParallelizationFactor: 4,
          MaximumRetryAttempts: 2,
          MaximumRecordAgeInSeconds: 3600,
          BisectBatchOnFunctionError: true,
          DestinationConfig: { OnFailure: { Destination: queueArn('cp-failures') } },
        }),
      );
      expect(updated).toMatchObject({
        State: 'Updating',
        BatchSize: 500,
        ParallelizationFactor: 4,
        MaximumRetryAttempts: 2,
        MaximumRecordAgeInSeconds: 3600,
        BisectBatchOnFunctionError: true,
        StartingPosition: 'LATEST',
        DestinationConfig: { OnFailure: { Destination: queueArn('cp-failures') } },
      });
      const read = await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
      expect(read).toMatchObject({ State: 'Enabled', ParallelizationFactor: 4 });
      const duplicate = await mapping({
        FunctionName: 'cp-stream',
        EventSourceArn: arn,
        StartingPosition: 'LATEST',
      }).catch((e: unknown) => e);
      expect(duplicate).toBeInstanceOf(ResourceConflictException);
      expect((duplicate as Error).message).toBe(
        `The event source arn (" ${arn} ") and function (" cp-stream ") provided mapping already exists. Please update or delete the existing mapping with UUID ${created.UUID}`,
      );
      expect((await lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }))).State).toBe(
        'Deleting',
      );
    });

    it("refuses what Lambda refuses of a stream mapping, in Lambda's words", async () => {
      const arn = await streamTable('cp-refusals');
      await createFunction(lambda, 'cp-refused', { 'index.js': recordingHandler });
      const refused = async (input: Record<string, unknown>, message: string) => {
        const err = await mapping({ FunctionName: 'cp-refused', EventSourceArn: arn, ...input }).catch(
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(InvalidParameterValueException);
        expect((err as Error).message).toBe(message);
      };
      await refused(
        {},
        "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.",
      );
      await refused(
        { StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: new Date() },
        `Unsupported starting position for arn type: ${arn}`,
      );
      await refused(
        { StartingPosition: 'LATEST', MaximumRecordAgeInSeconds: 30 },
        'MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)',
      );
      await refused(
        { StartingPosition: 'LATEST', FilterCriteria: { Filters: [{ Pattern: '{"dynamodb": ["x"]}' }] } },
        'Invalid filter pattern definition.',
      );
      await refused(
        { StartingPosition: 'LATEST', ScalingConfig: { MaximumConcurrency: 2 } },
        'Unsupported ScalingConfig parameter for given event source mapping type.',
      );
      const missing = `${arn.replace('cp-refusals', 'cp-missing')}`;
      const err = await mapping({
        FunctionName: 'cp-refused',
        EventSourceArn: missing,
        StartingPosition: 'LATEST',
      }).catch((e: unknown) => e);
      expect((err as Error).message).toBe(`Stream not found: ${missing}`);
    });
  });

  describe('delivery', () => {
    it('delivers INSERT, MODIFY and REMOVE records with their images, in order, as Lambda shapes them', async () => {
      const arn = await streamTable('shapes');
      await createFunction(lambda, 'shape-reader', {
        'index.js': `exports.handler = async (event) => { console.log('EVENT ' + JSON.stringify(event)); };`,
      });
      await mapping({ FunctionName: 'shape-reader', EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON' });
      await put('shapes', 'a', 1, { blob: { B: Buffer.from('hi') }, v: { N: '1' } });
      await dynamodb.send(
        new UpdateItemCommand({
          TableName: 'shapes',
          Key: { id: { S: 'a' }, n: { N: '1' } },
          UpdateExpression: 'SET v = :v',
          ExpressionAttributeValues: { ':v': { N: '2' } },
        }),
      );
      await dynamodb.send(
        new DeleteItemCommand({ TableName: 'shapes', Key: { id: { S: 'a' }, n: { N: '1' } } }),
      );
      const events = await eventually(
        async () =>
          (await logMessages(logs, 'shape-reader', '"EVENT"')).map(
            (m) => JSON.parse(m.trim().replace(/^.*EVENT /, '')) as { Records: Record<string, unknown>[] },
          ),
        (e) => e.flatMap((x) => x.Records).length >= 3,
      );
      const records = events.flatMap((e) => e.Records);
      expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
      const [insert, modify, remove] = records as {
        dynamodb: { SequenceNumber: string; ApproximateCreationDateTime: number };
      }[];
      expect(insert).toEqual({
        eventID: expect.stringMatching(/^[0-9a-f]{32}$/),
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'us-east-1',
        dynamodb: {
          ApproximateCreationDateTime: expect.any(Number),
          Keys: { id: { S: 'a' }, n: { N: '1' } },
          NewImage: { id: { S: 'a' }, n: { N: '1' }, blob: { B: 'aGk=' }, v: { N: '1' } },
          SequenceNumber: expect.stringMatching(/^\d{21}$/),
          SizeBytes: expect.any(Number),
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
        eventSourceARN: arn,
      });
      expect(Number.isInteger(insert!.dynamodb.ApproximateCreationDateTime)).toBe(true);
      expect(modify).toMatchObject({
        dynamodb: { OldImage: { v: { N: '1' } }, NewImage: { v: { N: '2' } } },
      });
      expect(remove).toMatchObject({ dynamodb: { OldImage: { v: { N: '2' } } } });
      expect(remove!.dynamodb).not.toHaveProperty('NewImage');
      expect(BigInt(insert!.dynamodb.SequenceNumber)).toBeLessThan(BigInt(modify!.dynamodb.SequenceNumber));
    });

    it('keeps each partition key in order across ParallelizationFactor lanes', async () => {
      const arn = await streamTable('lanes');
      await createFunction(lambda, 'lane-reader', { 'index.js': recordingHandler });
      await mapping({
        FunctionName: 'lane-reader',
        EventSourceArn: arn,
        StartingPosition: 'TRIM_HORIZON',
        ParallelizationFactor: 3,
        BatchSize: 4,
      });
      const keys = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'];
      for (let n = 1; n <= 5; n++) for (const id of keys) await put('lanes', id, n);
      const seen = await seenRecords('lane-reader', 30);
      expect(seen).toHaveLength(30);
      for (const id of keys) {
        expect(seen.filter((r) => r.id === id).map((r) => r.newImage!.n!.N)).toEqual([
          '1',
          '2',
          '3',
          '4',
          '5',
        ]);
      }
    });

    it('starts at LATEST after the records written before the mapping', async () => {
      const arn = await streamTable('latest');
      await createFunction(lambda, 'latest-reader', { 'index.js': recordingHandler });
      await put('latest', 'before', 1);
      await mapping({ FunctionName: 'latest-reader', EventSourceArn: arn, StartingPosition: 'LATEST' });
      await put('latest', 'after', 1);
      const seen = await seenRecords('latest-reader', 1);
      expect(seen.map((r) => r.id)).toEqual(['after']);
    });
    it('reads nothing while disabled, and goes on from its checkpoint once enabled again', async () => {
      const arn = await streamTable('toggled');
      await createFunction(lambda, 'toggled-reader', { 'index.js': recordingHandler });
      const { UUID } = await mapping({
        FunctionName: 'toggled-reader',
        EventSourceArn: arn,
        StartingPosition: 'TRIM_HORIZON',
        Enabled: false,
      });
      await put('toggled', 'one', 1);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await batches('toggled-reader')).toEqual([]);
      const enabling = await lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: true }));
      expect(enabling.State).toBe('Enabling');
      expect((await seenRecords('toggled-reader', 1)).map((r) => r.id)).toEqual(['one']);

      await lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: false }));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await put('toggled', 'two', 1);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect((await batches('toggled-reader')).flat().map((r) => r.id)).toEqual(['one']);
      await lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: true }));
      expect((await seenRecords('toggled-reader', 2)).map((r) => r.id)).toEqual(['one', 'two']);
    });
  });

  describe('filters', () => {
    it('delivers only INSERT records with an eventName filter', async () => {
      const arn = await streamTable('inserts');
      await createFunction(lambda, 'insert-reader', { 'index.js': recordingHandler });
      await mapping({
        FunctionName: 'insert-reader',
        EventSourceArn: arn,
        StartingPosition: 'TRIM_HORIZON',
        FilterCriteria: { Filters: [{ Pattern: '{"eventName": ["INSERT"]}' }] },
      });
      await put('inserts', 'x', 1);
      await put('inserts', 'x', 1, { changed: { BOOL: true } });
      await dynamodb.send(
        new DeleteItemCommand({ TableName: 'inserts', Key: { id: { S: 'x' }, n: { N: '1' } } }),
      );
      await put('inserts', 'y', 1);
      const seen = await seenRecords('insert-reader', 2);
      expect(seen.map((r) => `${r.name} ${r.id}`)).toEqual(['INSERT x', 'INSERT y']);
    });

    it('filters on NewImage fields', async () => {
      const arn = await streamTable('statuses');
      await createFunction(lambda, 'done-reader', { 'index.js': recordingHandler });
      await mapping({
        FunctionName: 'done-reader',
        EventSourceArn: arn,
        StartingPosition: 'TRIM_HORIZON',
        FilterCriteria: { Filters: [{ Pattern: '{"dynamodb": {"NewImage": {"status": {"S": ["done"]}}}}' }] },
      });
      await put('statuses', 'a', 1, { status: { S: 'open' } });
      await put('statuses', 'b', 1, { status: { S: 'done' } });
      await put('statuses', 'a', 1, { status: { S: 'done' } });
      const seen = await seenRecords('done-reader', 2);
      expect(seen.map((r) => `${r.name} ${r.id}`)).toEqual(['INSERT b', 'MODIFY a']);
    });
  });

  describe('failures', () => {
    it('bisects a failing batch, retries the poison record, sends it to the OnFailure queue and goes on', async () => {
      const arn = await streamTable('poison');
      const failuresUrl = await createQueue(sqs, 'poison-failures');
      await createFunction(lambda, 'poison-reader', { 'index.js': recordingHandler });
      await mapping({
        FunctionName: 'poison-reader',
        EventSourceArn: arn,
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 4,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 1,
        DestinationConfig: { OnFailure: { Destination: queueArn('poison-failures') } },
      });
      await dynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            poison: ['a', 'b', 'c', 'd'].map((id) => ({
              PutRequest: {
                Item: { id: { S: id }, n: { N: '1' }, ...(id === 'c' ? { answer: { S: 'fail' } } : {}) },
              },
            })),
          },
        }),
      );
      const { Messages } = await eventually(
        () => sqs.send(new ReceiveMessageCommand({ QueueUrl: failuresUrl, WaitTimeSeconds: 1 })),
        (r) => (r.Messages ?? []).length > 0,
      );
      const failure = JSON.parse(Messages![0]!.Body!) as Record<string, Record<string, unknown>>;
      const all = (await batches('poison-reader')).flat();
      const poison = all.find((r) => r.id === 'c')!;
      expect(failure).toEqual({
        requestContext: {
          requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          functionArn: `arn:aws:lambda:us-east-1:${account}:function:poison-reader`,
          condition: 'RetryAttemptsExhausted',
          approximateInvokeCount: expect.any(Number),
        },
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        version: '1.0',
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        DDBStreamBatchInfo: {
          shardId: expect.stringMatching(/^shardId-/),
          startSequenceNumber: poison.seq,
          endSequenceNumber: poison.seq,
          approximateArrivalOfFirstRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
          approximateArrivalOfLastRecord: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
          batchSize: 1,
          streamArn: arn,
        },
      });
      // Every other record got through, the last after it; the poison record was tried alone twice (once, then one retry).
      const seen = (
        await eventually(
          async () => (await batches('poison-reader')).flat().map((r) => r.id),
          (ids) => ids.lastIndexOf('d') > ids.lastIndexOf('c'),
        )
      ).filter((id) => id !== 'c');
      expect(new Set(seen)).toEqual(new Set(['a', 'b', 'd']));
      const singles = (await batches('poison-reader')).filter((b) => b.length === 1 && b[0]!.id === 'c');
      expect(singles).toHaveLength(2);
      expect(failure.requestContext!.approximateInvokeCount).toBeGreaterThanOrEqual(2);
      const [poisonMapping] = await mappingsOf('poison-reader');
      expect(poisonMapping!.LastProcessingResult).toBe('OK');
    });

    it('retries from the first record a ReportBatchItemFailures answer names', async () => {
      const arn = await streamTable('partial');
      await createFunction(lambda, 'partial-reader', { 'index.js': recordingHandler });
      await mapping({
        FunctionName: 'partial-reader',
        EventSourceArn: arn,
        StartingPosition: 'TRIM_HORIZON',
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      await dynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            partial: ['a', 'b', 'c'].map((id) => ({
              PutRequest: {
                Item: {
                  id: { S: id },
                  n: { N: '1' },
                  ...(id === 'b' ? { answer: { S: 'partial-once' } } : {}),
                },
              },
            })),
          },
        }),
      );
      await seenRecords('partial-reader', 5);
      const seen = (await batches('partial-reader')).map((b) => b.map((r) => r.id).join(''));
      expect(seen).toEqual(['abc', 'bc']);
    });
  });

  async function mappingsOf(functionName: string) {
    const { EventSourceMappings = [] } = await lambda.send(
      new ListEventSourceMappingsCommand({ FunctionName: functionName }),
    );
    return EventSourceMappings;
  }
});

const t0 = Date.UTC(2026, 10, 2, 9, 0, 30);

describe('tumbling windows and IteratorAge on a moved clock', () => {
  const clock = new ManualClock(t0);
  let stratus: TestStratus;
  let lambda: LambdaClient;
  let dynamodb: DynamoDBClient;
  let logs: CloudWatchLogsClient;
  let cloudwatch: CloudWatchClient;

  beforeAll(async () => {
    stratus = await startTestStratus({ clock });
    lambda = new LambdaClient(stratus.clientConfig);
    dynamodb = new DynamoDBClient(stratus.clientConfig);
    logs = new CloudWatchLogsClient(stratus.clientConfig);
    cloudwatch = new CloudWatchClient(stratus.clientConfig);
  });
  afterAll(async () => {
    for (const client of [lambda, dynamodb, logs, cloudwatch]) client?.destroy();
    await stratus?.close();
  });

  it('passes state between the invocations of a window and ends it with a final invocation', async () => {
    const { TableDescription } = await dynamodb.send(
      new CreateTableCommand({
        TableName: 'counts',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    await createFunction(lambda, 'counter', {
      'index.js': `exports.handler = async (event) => {
        const count = (event.state.count || 0) + event.Records.length;
        console.log('WINDOW ' + JSON.stringify({ ...event, Records: event.Records.map((r) => r.dynamodb.Keys.id.S) }));
        return { state: { count } };
      };`,
    });
    await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'counter',
        EventSourceArn: TableDescription!.LatestStreamArn!,
        StartingPosition: 'TRIM_HORIZON',
        TumblingWindowInSeconds: 60,
        BatchSize: 2,
      }),
    );
    for (const id of ['a', 'b', 'c']) {
      await dynamodb.send(new PutItemCommand({ TableName: 'counts', Item: { id: { S: id } } }));
    }
    type WindowEvent = {
      Records: string[];
      state: { count?: number };
      window: { start: string; end: string };
      isFinalInvokeForWindow: boolean;
      isWindowTerminatedEarly: boolean;
      shardId: string;
      eventSourceARN: string;
    };
    const invocations = async () =>
      (await logMessages(logs, 'counter', '"WINDOW"')).map(
        (m) => JSON.parse(m.trim().replace(/^.*WINDOW /, '')) as WindowEvent,
      );
    const aggregating = await eventually(invocations, (e) => e.flatMap((x) => x.Records).length >= 3);
    expect(aggregating.flatMap((e) => e.Records)).toEqual(['a', 'b', 'c']);
    expect(aggregating.every((e) => !e.isFinalInvokeForWindow)).toBe(true);
    expect(aggregating[0]!.state).toEqual({});
    expect(aggregating[1]!.state).toEqual({ count: aggregating[0]!.Records.length });
    expect(aggregating[0]!.window).toEqual({ start: '2026-11-02T09:00:00Z', end: '2026-11-02T09:01:00Z' });

    clock.advance(60_000);
    const all = await eventually(invocations, (e) => e.some((x) => x.isFinalInvokeForWindow));
    expect(all.at(-1)).toEqual({
      Records: [],
      state: { count: 3 },
      window: { start: '2026-11-02T09:00:00Z', end: '2026-11-02T09:01:00Z' },
      shardId: expect.stringMatching(/^shardId-/),
      eventSourceARN: TableDescription!.LatestStreamArn!,
      isFinalInvokeForWindow: true,
      isWindowTerminatedEarly: false,
    });
  });

  it('publishes IteratorAge to AWS/Lambda in milliseconds', async () => {
    const stats = await eventually(
      () =>
        cloudwatch.send(
          new GetMetricStatisticsCommand({
            Namespace: 'AWS/Lambda',
            MetricName: 'IteratorAge',
            Dimensions: [{ Name: 'FunctionName', Value: 'counter' }],
            StartTime: new Date(t0 - 3600_000),
            EndTime: new Date(t0 + 3600_000),
            Period: 3600,
            Statistics: ['SampleCount', 'Maximum'],
          }),
        ),
      (r) => (r.Datapoints ?? []).length > 0,
    );
    expect(stats.Datapoints![0]).toMatchObject({ Unit: 'Milliseconds' });
    expect(stats.Datapoints![0]!.SampleCount).toBeGreaterThanOrEqual(1);
    // The records were read at once, on a clock that stood still: they were at most a second old.
    expect(stats.Datapoints![0]!.Maximum).toBeLessThan(1000);
  });
});

describe('checkpoints across a restart', () => {
  it('resumes after the last checkpoint: nothing checkpointed is delivered again, nothing is lost', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stratus-streams-restart-'));
    const storeUrl = testStoreUrl();
    const start = () => startTestStratus({ dataDir, ...(storeUrl ? { storeUrl } : {}) });
    const clients = (s: TestStratus) => ({
      lambda: new LambdaClient(s.clientConfig),
      dynamodb: new DynamoDBClient(s.clientConfig),
      logs: new CloudWatchLogsClient(s.clientConfig),
    });
    const keysSeen = async (c: ReturnType<typeof clients>) =>
      (await logMessages(c.logs, 'restart-reader', '"KEY"')).map((m) => m.trim().replace(/^.*KEY /, ''));
    const put = (c: ReturnType<typeof clients>, id: string) =>
      c.dynamodb.send(new PutItemCommand({ TableName: 'restart', Item: { id: { S: id } } }));

    const first = await start();
    let c = clients(first);
    try {
      const { TableDescription } = await c.dynamodb.send(
        new CreateTableCommand({
          TableName: 'restart',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
        }),
      );
      await createFunction(c.lambda, 'restart-reader', {
        'index.js': `exports.handler = async (event) => { for (const r of event.Records) console.log('KEY ' + r.dynamodb.Keys.id.S); };`,
      });
      await c.lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'restart-reader',
          EventSourceArn: TableDescription!.LatestStreamArn!,
          StartingPosition: 'TRIM_HORIZON',
          BatchSize: 1,
        }),
      );
      for (const id of ['r1', 'r2', 'r3']) await put(c, id);
      await eventually(
        () => keysSeen(c),
        (k) => k.length >= 3,
      );
    } finally {
      for (const client of Object.values(c)) client.destroy();
      await first.stop();
    }

    const second = await start();
    c = clients(second);
    try {
      for (const id of ['r4', 'r5']) await put(c, id);
      const seen = await eventually(
        () => keysSeen(c),
        (k) => k.length >= 5,
      );
      // A little longer: a record delivered twice would show up now.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await keysSeen(c)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
      expect(seen).toHaveLength(5);
    } finally {
      for (const client of Object.values(c)) client.destroy();
      await second.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('resumes after kill -9 in order: at most the batch in flight runs again, nothing is lost', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stratus-streams-kill-'));
    const storeUrl = testStoreUrl();
    const { child, url } = await startServer('test/support/serve.ts', [dataDir, storeUrl ?? '']);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const config = {
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    };
    const keys = Array.from({ length: 30 }, (_, n) => `k${String(n).padStart(2, '0')}`);
    const seenIn = async (logs: CloudWatchLogsClient) =>
      (await logMessages(logs, 'crash-reader', '"KEY"')).map((m) => m.trim().replace(/^.*KEY /, ''));
    let c = {
      lambda: new LambdaClient(config),
      dynamodb: new DynamoDBClient(config),
      logs: new CloudWatchLogsClient(config),
    };
    try {
      const { TableDescription } = await c.dynamodb.send(
        new CreateTableCommand({
          TableName: 'crash',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
        }),
      );
      await createFunction(c.lambda, 'crash-reader', {
        'index.js': `exports.handler = async (event) => {
          for (const r of event.Records) console.log('KEY ' + r.dynamodb.Keys.id.S);
          await new Promise((resolve) => setTimeout(resolve, 50));
        };`,
      });
      await c.lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'crash-reader',
          EventSourceArn: TableDescription!.LatestStreamArn!,
          StartingPosition: 'TRIM_HORIZON',
          BatchSize: 1,
        }),
      );
      for (const id of keys)
        await c.dynamodb.send(new PutItemCommand({ TableName: 'crash', Item: { id: { S: id } } }));
      await eventually(
        () => seenIn(c.logs),
        (seen) => seen.length >= 5,
        { everyMs: 20 },
      );
    } finally {
      child.kill('SIGKILL');
      for (const client of Object.values(c)) client.destroy();
    }
    await exited;

    // The killed server's lease on the shard has expired by the restarted server's host clock.
    const restarted = await startTestStratus({
      dataDir,
      ...(storeUrl ? { storeUrl } : {}),
      hostClock: new ManualClock(Date.now() + 120_000),
    });
    c = {
      lambda: new LambdaClient(restarted.clientConfig),
      dynamodb: new DynamoDBClient(restarted.clientConfig),
      logs: new CloudWatchLogsClient(restarted.clientConfig),
    };
    try {
      const seen = await eventually(
        () => seenIn(c.logs),
        (s) => new Set(s).size === keys.length,
        { timeoutMs: 60_000 },
      );
      const firsts = seen.filter((key, i) => seen.indexOf(key) === i);
      expect(firsts).toEqual(keys);
      expect(seen.length - keys.length).toBeLessThanOrEqual(1);
    } finally {
      for (const client of Object.values(c)) client.destroy();
      await restarted.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

const postgres = testStoreUrl();

describe.skipIf(!postgres)('stream mappings on two nodes sharing one PostgreSQL store', () => {
  it('reads each shard on one node at a time: every record once, in order, also when a node stops', async () => {
    const a = await startTestStratus({ storeUrl: postgres });
    const b = await startTestStratus({ storeUrl: postgres, dataDir: a.dataDir });
    const onA = { lambda: new LambdaClient(a.clientConfig), dynamodb: new DynamoDBClient(a.clientConfig) };
    const onB = {
      dynamodb: new DynamoDBClient(b.clientConfig),
      logs: new CloudWatchLogsClient(b.clientConfig),
    };
    const keysSeen = async () =>
      (await logMessages(onB.logs, 'shared-reader', '"KEY"')).map((m) => m.trim().replace(/^.*KEY /, ''));
    const keys = Array.from({ length: 20 }, (_, n) => `k${String(n).padStart(2, '0')}`);
    let aStopped: Promise<void> | undefined;
    const stopA = () => {
      if (!aStopped) {
        for (const client of Object.values(onA)) client.destroy();
        aStopped = a.stop();
      }
      return aStopped;
    };
    try {
      const { TableDescription } = await onA.dynamodb.send(
        new CreateTableCommand({
          TableName: 'shared',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
        }),
      );
      await createFunction(onA.lambda, 'shared-reader', {
        'index.js': `exports.handler = async (event) => { for (const r of event.Records) console.log('KEY ' + r.dynamodb.Keys.id.S); };`,
      });
      await onA.lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'shared-reader',
          EventSourceArn: TableDescription!.LatestStreamArn!,
          StartingPosition: 'TRIM_HORIZON',
          BatchSize: 3,
        }),
      );
      for (const id of keys.slice(0, 10)) {
        await onB.dynamodb.send(new PutItemCommand({ TableName: 'shared', Item: { id: { S: id } } }));
      }
      await eventually(keysSeen, (seen) => seen.length >= 10);
      // Whichever node held the shard, the other takes it over (or it stays where it was).
      await stopA();
      for (const id of keys.slice(10)) {
        await onB.dynamodb.send(new PutItemCommand({ TableName: 'shared', Item: { id: { S: id } } }));
      }
      await eventually(keysSeen, (seen) => seen.length >= keys.length, { timeoutMs: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await keysSeen()).toEqual(keys);
    } finally {
      await stopA();
      for (const client of Object.values(onB)) client.destroy();
      // The nodes share the data directory and the schema: the last one removes both.
      await b.stop();
      await a.close();
    }
  }, 120_000);
});
