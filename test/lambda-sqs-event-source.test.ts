/**
 * SQS event source mappings end to end: Lambda's control plane through @aws-sdk/client-lambda, and
 * real pollers feeding real functions from real queues (@aws-sdk/client-sqs) — batches, the event
 * shape, partial batch responses, redrive to a dead-letter queue, FIFO order, disabling.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  InvalidParameterValueException,
  ListEventSourceMappingsCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { queueArn, createQueue } from './support/sqs.js';
import { createFunction, eventually, logMessages } from './support/lambda.js';
import { startLambdaSqsTest, type LambdaSqsTest } from './support/lambda-sqs.js';

const account = '000000000000';

/** Logs one `GOT <body>` line per record and fails the records whose body starts with `fail`. */
const recordingHandler = `
exports.handler = async (event) => {
  const failures = [];
  for (const record of event.Records) {
    console.log('GOT ' + record.body);
    if (record.body.startsWith('fail')) failures.push({ itemIdentifier: record.messageId });
  }
  console.log('BATCH ' + event.Records.length);
  return { batchItemFailures: failures };
};`;

describe('Lambda event source mappings for SQS', () => {
  let t: LambdaSqsTest;

  beforeAll(async () => {
    t = await startLambdaSqsTest();
  });
  afterAll(() => t?.close());

  const queue = (name: string, attributes?: Record<string, string>) => createQueue(t.sqs, name, attributes);

  describe('control plane', () => {
    it('creates, reads, lists, updates and deletes a mapping with Lambda state transitions', async () => {
      await queue('cp-jobs');
      await createFunction(t.lambda, 'cp-worker', { 'index.js': recordingHandler });
      const created = await t.lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'cp-worker',
          EventSourceArn: queueArn('cp-jobs'),
          Enabled: false,
        }),
      );
      expect(created).toMatchObject({
        State: 'Creating',
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: 0,
        EventSourceArn: queueArn('cp-jobs'),
        FunctionArn: `arn:aws:lambda:us-east-1:${account}:function:cp-worker`,
        StateTransitionReason: 'USER_INITIATED',
        FunctionResponseTypes: [],
      });
      expect(created.UUID).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.EventSourceMappingArn).toBe(
        `arn:aws:lambda:us-east-1:${account}:event-source-mapping:${created.UUID}`,
      );
      expect(created.LastModified).toBeInstanceOf(Date);

      const uuid = created.UUID!;
      expect((await t.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).State).toBe('Disabled');

      const byFunction = await t.lambda.send(
        new ListEventSourceMappingsCommand({ FunctionName: 'cp-worker' }),
      );
      expect(byFunction.EventSourceMappings!.map((m) => m.UUID)).toEqual([uuid]);
      const bySource = await t.lambda.send(
        new ListEventSourceMappingsCommand({ EventSourceArn: queueArn('cp-jobs') }),
      );
      expect(bySource.EventSourceMappings!.map((m) => m.UUID)).toEqual([uuid]);

      const enabling = await t.lambda.send(
        new UpdateEventSourceMappingCommand({
          UUID: uuid,
          Enabled: true,
          BatchSize: 5,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          ScalingConfig: { MaximumConcurrency: 2 },
        }),
      );
      expect(enabling).toMatchObject({
        State: 'Enabling',
        BatchSize: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 2 },
      });
      const updating = await t.lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, BatchSize: 7 }));
      expect(updating).toMatchObject({ State: 'Updating', BatchSize: 7 });
      expect((await t.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).State).toBe('Enabled');

      const deleting = await t.lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid }));
      expect(deleting.State).toBe('Deleting');
      await expect(t.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).rejects.toThrow(
        ResourceNotFoundException,
      );
      await expect(t.lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid }))).rejects.toThrow(
        'The resource you requested does not exist.',
      );
    });

    it('pages through mappings with MaxItems and Marker', async () => {
      await createFunction(t.lambda, 'cp-pager', { 'index.js': recordingHandler });
      const uuids: string[] = [];
      for (const n of [1, 2, 3]) {
        await queue(`cp-page-${n}`);
        const m = await t.lambda.send(
          new CreateEventSourceMappingCommand({
            FunctionName: 'cp-pager',
            EventSourceArn: queueArn(`cp-page-${n}`),
            Enabled: false,
          }),
        );
        uuids.push(m.UUID!);
      }
      const seen: string[] = [];
      let Marker: string | undefined;
      do {
        const page = await t.lambda.send(
          new ListEventSourceMappingsCommand({ FunctionName: 'cp-pager', MaxItems: 2, Marker }),
        );
        expect(page.EventSourceMappings!.length).toBeLessThanOrEqual(2);
        seen.push(...page.EventSourceMappings!.map((m) => m.UUID!));
        Marker = page.NextMarker;
      } while (Marker);
      expect(seen).toEqual([...uuids].sort());
    });

    it('refuses what Lambda refuses, with its messages', async () => {
      await queue('cp-errors');
      await queue('cp-errors.fifo', { FifoQueue: 'true' });
      await queue('cp-short-visibility', { VisibilityTimeout: '5' });
      await createFunction(t.lambda, 'cp-errors-fn', { 'index.js': recordingHandler }, { Timeout: 10 });
      const create = (input: Partial<ConstructorParameters<typeof CreateEventSourceMappingCommand>[0]>) =>
        t.lambda.send(
          new CreateEventSourceMappingCommand({
            FunctionName: 'cp-errors-fn',
            EventSourceArn: queueArn('cp-errors'),
            Enabled: false,
            ...input,
          }),
        );
      await expect(create({ EventSourceArn: queueArn('no-such-queue') })).rejects.toThrow(
        InvalidParameterValueException,
      );
      await expect(create({ FunctionName: 'no-such-function' })).rejects.toThrow(ResourceNotFoundException);
      await expect(create({ BatchSize: 100 })).rejects.toThrow(
        'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10',
      );
      await expect(
        create({
          EventSourceArn: queueArn('cp-errors.fifo'),
          BatchSize: 20,
          MaximumBatchingWindowInSeconds: 1,
        }),
      ).rejects.toThrow(InvalidParameterValueException);
      await expect(
        create({ EventSourceArn: queueArn('cp-errors.fifo'), MaximumBatchingWindowInSeconds: 5 }),
      ).rejects.toThrow('Batching window is not supported for FIFO queues.');
      await expect(create({ EventSourceArn: queueArn('cp-short-visibility') })).rejects.toThrow(
        'Queue visibility timeout: 5 seconds is less than Function timeout: 10 seconds',
      );
      await expect(create({ StartingPosition: 'LATEST' })).rejects.toThrow(
        'Unsupported StartingPosition parameter for given event source mapping type.',
      );
      await expect(create({ EventSourceArn: 'arn:aws:s3:::bucket' })).rejects.toThrow(
        InvalidParameterValueException,
      );

      const first = await create({ BatchSize: 100, MaximumBatchingWindowInSeconds: 1 });
      expect(first.BatchSize).toBe(100);
      await expect(create({})).rejects.toThrow(ResourceConflictException);
      await expect(
        t.lambda.send(
          new UpdateEventSourceMappingCommand({ UUID: first.UUID, MaximumBatchingWindowInSeconds: 0 }),
        ),
      ).rejects.toThrow(InvalidParameterValueException);
      await expect(
        t.lambda.send(new GetEventSourceMappingCommand({ UUID: '00000000-0000-0000-0000-000000000000' })),
      ).rejects.toThrow(ResourceNotFoundException);
    });
  });

  describe('polling', () => {
    it('hands every message to the function in Lambda SQS event shape and deletes it', async () => {
      const url = await queue('poll-shape');
      await createFunction(t.lambda, 'poll-shape-fn', {
        'index.js': `exports.handler = async (event) => { for (const r of event.Records) console.log('RECORD ' + JSON.stringify(r)); return {}; };`,
      });
      await t.lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'poll-shape-fn',
          EventSourceArn: queueArn('poll-shape'),
        }),
      );
      const sent = await t.sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'hello records',
          MessageAttributes: { color: { DataType: 'String', StringValue: 'red' } },
        }),
      );
      const [line] = await eventually(
        () => logMessages(t.logs, 'poll-shape-fn', '"RECORD"'),
        (lines) => lines.length > 0,
      );
      const record = JSON.parse(line!.slice(line!.indexOf('RECORD ') + 7)) as Record<string, unknown>;
      expect(record).toMatchObject({
        messageId: sent.MessageId,
        body: 'hello records',
        md5OfBody: sent.MD5OfMessageBody,
        md5OfMessageAttributes: sent.MD5OfMessageAttributes,
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn('poll-shape'),
        awsRegion: 'us-east-1',
        messageAttributes: {
          color: { stringValue: 'red', stringListValues: [], binaryListValues: [], dataType: 'String' },
        },
      });
      expect(record.receiptHandle).toEqual(expect.any(String));
      expect(record.attributes).toMatchObject({
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d+$/),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d+$/),
      });
      await eventually(
        () => t.depth(url),
        (n) => n === 0,
      );
    });

    it('processes a burst in batches of at most BatchSize and drains the queue', async () => {
      const url = await queue('poll-burst');
      await createFunction(t.lambda, 'poll-burst-fn', { 'index.js': recordingHandler });
      await t.lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'poll-burst-fn',
          EventSourceArn: queueArn('poll-burst'),
          BatchSize: 4,
        }),
      );
      const bodies = Array.from({ length: 30 }, (_, i) => `job-${i}`);
      for (let i = 0; i < bodies.length; i += 10) {
        await t.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: url,
            Entries: bodies.slice(i, i + 10).map((body, n) => ({ Id: String(n), MessageBody: body })),
          }),
        );
      }
      const received = await eventually(
        () => t.got('poll-burst-fn'),
        (seen) => new Set(seen).size === 30,
      );
      expect(new Set(received)).toEqual(new Set(bodies));
      const batches = (await logMessages(t.logs, 'poll-burst-fn', '"BATCH"')).map((m) =>
        Number(m.trim().split('BATCH ')[1]),
      );
      expect(Math.max(...batches)).toBeLessThanOrEqual(4);
      await eventually(
        () => t.depth(url),
        (n) => n === 0,
      );
    });

    it('deletes the successes of a partial batch and redrives the reported failures to the dead-letter queue', async () => {
      const dlqUrl = await queue('poll-partial-dlq');
      const url = await queue('poll-partial', {
        VisibilityTimeout: '1',
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: queueArn('poll-partial-dlq'),
          maxReceiveCount: 2,
        }),
      });
      await createFunction(t.lambda, 'poll-partial-fn', { 'index.js': recordingHandler }, { Timeout: 1 });
      await t.lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'poll-partial-fn',
          EventSourceArn: queueArn('poll-partial'),
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        }),
      );
      await t.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: ['ok-1', 'fail-1', 'ok-2'].map((body, n) => ({ Id: String(n), MessageBody: body })),
        }),
      );
      const dead = await eventually(
        async () =>
          (await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, WaitTimeSeconds: 1 }))).Messages ??
          [],
        (messages) => messages.length > 0,
        { timeoutMs: 30_000 },
      );
      expect(dead.map((m) => m.Body)).toEqual(['fail-1']);
      const seen = await t.got('poll-partial-fn');
      expect(seen.filter((b) => b === 'ok-1')).toHaveLength(1);
      expect(seen.filter((b) => b === 'ok-2')).toHaveLength(1);
      expect(seen.filter((b) => b === 'fail-1')).toHaveLength(2);
      expect(await t.depth(url)).toBe(0);
    });

    it('returns the whole batch to the queue when the function throws', async () => {
      const dlqUrl = await queue('poll-throw-dlq');
      const url = await queue('poll-throw', {
        VisibilityTimeout: '1',
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: queueArn('poll-throw-dlq'),
          maxReceiveCount: 1,
        }),
      });
      await createFunction(
        t.lambda,
        'poll-throw-fn',
        {
          'index.js': `exports.handler = async (event) => { console.log('GOT ' + event.Records.map((r) => r.body).join(',')); throw new Error('boom'); };`,
        },
        { Timeout: 1 },
      );
      await t.lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'poll-throw-fn',
          EventSourceArn: queueArn('poll-throw'),
        }),
      );
      await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'doomed' }));
      const dead = await eventually(
        async () =>
          (await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, WaitTimeSeconds: 1 }))).Messages ??
          [],
        (messages) => messages.length > 0,
        { timeoutMs: 30_000 },
      );
      expect(dead.map((m) => m.Body)).toEqual(['doomed']);
      expect(await t.got('poll-throw-fn')).toEqual(['doomed']);
      expect(await t.depth(url)).toBe(0);
    });

    it('keeps the order within each FIFO message group', async () => {
      const url = await queue('poll-order.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
      await createFunction(t.lambda, 'poll-order-fn', { 'index.js': recordingHandler });
      await t.lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'poll-order-fn',
          EventSourceArn: queueArn('poll-order.fifo'),
          BatchSize: 3,
        }),
      );
      const sent: string[] = [];
      for (let i = 0; i < 12; i++) {
        const group = i % 2 === 0 ? 'a' : 'b';
        const body = `${group}:${i}`;
        sent.push(body);
        await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: group }));
      }
      const seen = await eventually(
        () => t.got('poll-order-fn'),
        (bodies) => bodies.length >= 12,
      );
      for (const group of ['a', 'b']) {
        expect(seen.filter((b) => b.startsWith(group))).toEqual(sent.filter((b) => b.startsWith(group)));
      }
    });

    it('leaves the queue alone while the mapping is disabled, and drains it once enabled', async () => {
      const url = await queue('poll-toggle');
      await createFunction(t.lambda, 'poll-toggle-fn', { 'index.js': recordingHandler });
      const { UUID } = await t.lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'poll-toggle-fn',
          EventSourceArn: queueArn('poll-toggle'),
          Enabled: false,
        }),
      );
      await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'waiting' }));
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await t.depth(url)).toBe(1);
      await t.lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: true }));
      await eventually(
        () => t.got('poll-toggle-fn'),
        (bodies) => bodies.includes('waiting'),
      );
      await eventually(
        () => t.depth(url),
        (n) => n === 0,
      );
    });
  });
});
