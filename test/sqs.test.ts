import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SQSServiceException } from '@aws-sdk/client-sqs';
import {
  AddPermissionCommand,
  RemovePermissionCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  InvalidAttributeName,
  InvalidAttributeValue,
  ListDeadLetterSourceQueuesCommand,
  ListQueueTagsCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  PurgeQueueInProgress,
  QueueDeletedRecently,
  QueueDoesNotExist,
  QueueNameExists,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { failure, startSqsTest, t0, type SqsTest } from './support/sqs.js';

describe('SQS queues', () => {
  let t: SqsTest;
  beforeAll(async () => {
    t = await startSqsTest();
  });
  afterAll(() => t?.close());

  const create = async (QueueName: string, Attributes?: Record<string, string>) =>
    (await t.sqs.send(new CreateQueueCommand({ QueueName, Attributes }))).QueueUrl!;

  it('creates a queue at <endpoint>/<account>/<name> and finds it with GetQueueUrl', async () => {
    const url = await create('orders');
    expect(url).toBe(`${t.stratus.url}/000000000000/orders`);
    const found = await t.sqs.send(new GetQueueUrlCommand({ QueueName: 'orders' }));
    expect(found.QueueUrl).toBe(url);
  });

  it('CreateQueue is idempotent for equal attributes and refuses different ones with QueueNameExists', async () => {
    const url = await create('same', { VisibilityTimeout: '40' });
    expect(await create('same', { VisibilityTimeout: '40' })).toBe(url);
    const err = await failure(create('same', { VisibilityTimeout: '41' }));
    expect(err).toBeInstanceOf(QueueNameExists);
    expect(err.message).toBe(
      'A queue already exists with the same name and a different value for attribute VisibilityTimeout',
    );
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it('returns every default attribute and the counters for a standard queue', async () => {
    const url = await create('defaults');
    const { Attributes } = await t.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    expect(Attributes).toEqual({
      DelaySeconds: '0',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '0',
      VisibilityTimeout: '30',
      SqsManagedSseEnabled: 'true',
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      ApproximateNumberOfMessagesDelayed: '0',
      CreatedTimestamp: String(t0 / 1000),
      LastModifiedTimestamp: String(t0 / 1000),
      QueueArn: 'arn:aws:sqs:us-east-1:000000000000:defaults',
    });
  });

  it('FIFO queues carry their FIFO attributes; a FIFO name needs FifoQueue=true', async () => {
    const url = await create('jobs.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    const { Attributes } = await t.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: [
          'FifoQueue',
          'ContentBasedDeduplication',
          'DeduplicationScope',
          'FifoThroughputLimit',
        ],
      }),
    );
    expect(Attributes).toEqual({
      FifoQueue: 'true',
      ContentBasedDeduplication: 'true',
      DeduplicationScope: 'queue',
      FifoThroughputLimit: 'perQueue',
    });
    const err = await failure(create('plain.fifo'));
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.message).toBe(
      'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    );
    const noSuffix = await failure(create('nosuffix', { FifoQueue: 'true' }));
    expect(noSuffix.message).toMatch(/must end with .fifo suffix/);
  });

  it('refuses FIFO-only attributes on a standard queue with InvalidAttributeName', async () => {
    const err = await failure(create('std-cbd', { ContentBasedDeduplication: 'true' }));
    expect(err).toBeInstanceOf(InvalidAttributeName);
    expect(err.message).toBe('Unknown Attribute ContentBasedDeduplication.');
    const url = await create('std-get');
    const get = await failure(
      t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['FifoQueue'] })),
    );
    expect(get).toBeInstanceOf(InvalidAttributeName);
  });

  it.each([
    ['MessageRetentionPeriod', '59'],
    ['MessageRetentionPeriod', '1209601'],
    ['VisibilityTimeout', '43201'],
    ['DelaySeconds', '901'],
    ['MaximumMessageSize', '1048577'],
    ['MaximumMessageSize', '1023'],
    ['ReceiveMessageWaitTimeSeconds', '21'],
    ['VisibilityTimeout', 'soon'],
  ])('refuses %s=%s with InvalidAttributeValue', async (name, value) => {
    const url = await create('ranges');
    const err = await failure(
      t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { [name]: value } })),
    );
    expect(err).toBeInstanceOf(InvalidAttributeValue);
    expect(err.message).toBe(`Invalid value for the parameter ${name}.`);
  });

  it('sets attributes at the edges of their ranges and moves LastModifiedTimestamp', async () => {
    const url = await create('edges');
    t.clock.advance(5000);
    await t.sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: {
          MessageRetentionPeriod: '60',
          VisibilityTimeout: '43200',
          DelaySeconds: '900',
          MaximumMessageSize: '1024',
          ReceiveMessageWaitTimeSeconds: '20',
          Policy: '{"Version":"2012-10-17","Statement":[]}',
        },
      }),
    );
    const { Attributes } = await t.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({
      MessageRetentionPeriod: '60',
      VisibilityTimeout: '43200',
      DelaySeconds: '900',
      MaximumMessageSize: '1024',
      ReceiveMessageWaitTimeSeconds: '20',
      Policy: '{"Version":"2012-10-17","Statement":[]}',
      LastModifiedTimestamp: String((t0 + 5000) / 1000),
    });
  });

  it('wires a RedrivePolicy and lists the dead-letter source queues', async () => {
    const dlq = await create('orders-dlq');
    const { Attributes } = await t.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] }),
    );
    const policy = JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: '3' });
    const a = await create('source-a', { RedrivePolicy: policy });
    const b = await create('source-b');
    await t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: b, Attributes: { RedrivePolicy: policy } }));
    const got = await t.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: a, AttributeNames: ['RedrivePolicy'] }),
    );
    expect(JSON.parse(got.Attributes!.RedrivePolicy!)).toEqual({
      deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:orders-dlq',
      maxReceiveCount: 3,
    });
    const sources = await t.sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }));
    expect(sources.queueUrls).toEqual([a, b]);

    const missing = await failure(
      create('source-c', {
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:nope',
          maxReceiveCount: 1,
        }),
      }),
    );
    expect(missing.name).toBe('InvalidParameterValue');
    expect(missing.message).toMatch(/Dead letter target does not exist/);
    const count = await failure(
      create('source-d', {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: 0 }),
      }),
    );
    expect(count.message).toMatch(/valid values are from 1 to 1000 both inclusive/);
  });

  it('a RedriveAllowPolicy of denyAll or byQueue decides which sources may use the queue', async () => {
    const deny = await create('deny-dlq', { RedriveAllowPolicy: '{"redrivePermission":"denyAll"}' });
    const denyArn = deny.replace(/.*\/(\d+)\/(.*)/, 'arn:aws:sqs:us-east-1:$1:$2');
    const err = await failure(
      create('wants-deny', {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: denyArn, maxReceiveCount: 2 }),
      }),
    );
    expect(err.message).toMatch(/does not allow this queue/);
    const allowed = 'arn:aws:sqs:us-east-1:000000000000:listed';
    const byQueue = await create('by-queue-dlq', {
      RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [allowed] }),
    });
    const byQueueArn = byQueue.replace(/.*\/(\d+)\/(.*)/, 'arn:aws:sqs:us-east-1:$1:$2');
    const policy = JSON.stringify({ deadLetterTargetArn: byQueueArn, maxReceiveCount: 2 });
    await create('listed', { RedrivePolicy: policy });
    expect((await failure(create('unlisted', { RedrivePolicy: policy }))).message).toMatch(/does not allow/);
  });

  it('lists queues by prefix, and pages only when MaxResults is given', async () => {
    for (const n of ['p-1', 'p-2', 'p-3', 'q-1']) await create(n);
    const all = await t.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'p-' }));
    expect(all.QueueUrls?.map((u) => u.split('/').pop())).toEqual(['p-1', 'p-2', 'p-3']);
    expect(all.NextToken).toBeUndefined();
    const first = await t.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'p-', MaxResults: 2 }));
    expect(first.QueueUrls?.map((u) => u.split('/').pop())).toEqual(['p-1', 'p-2']);
    const second = await t.sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: 'p-', MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(second.QueueUrls?.map((u) => u.split('/').pop())).toEqual(['p-3']);
    expect(second.NextToken).toBeUndefined();
    const none = await t.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'zzz' }));
    expect(none.QueueUrls).toBeUndefined();
  });

  it('tags queues at creation and with TagQueue/UntagQueue', async () => {
    const { QueueUrl } = await t.sqs.send(
      new CreateQueueCommand({ QueueName: 'tagged', tags: { team: 'a' } }),
    );
    await t.sqs.send(new TagQueueCommand({ QueueUrl, Tags: { env: 'prod', team: 'b' } }));
    expect((await t.sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({
      team: 'b',
      env: 'prod',
    });
    await t.sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ['team'] }));
    expect((await t.sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({ env: 'prod' });
  });

  it('AddPermission writes a policy statement per label and RemovePermission takes it out', async () => {
    const url = await create('shared');
    await t.sqs.send(
      new AddPermissionCommand({
        QueueUrl: url,
        Label: 'producers',
        AWSAccountIds: ['111111111111'],
        Actions: ['SendMessage', 'GetQueueUrl'],
      }),
    );
    const read = async () =>
      (await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Policy'] })))
        .Attributes?.Policy;
    expect(JSON.parse((await read())!)).toMatchObject({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'producers',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111111111111:root' },
          Action: ['SQS:SendMessage', 'SQS:GetQueueUrl'],
          Resource: 'arn:aws:sqs:us-east-1:000000000000:shared',
        },
      ],
    });
    const again = await failure(
      t.sqs.send(
        new AddPermissionCommand({
          QueueUrl: url,
          Label: 'producers',
          AWSAccountIds: ['1'],
          Actions: ['SendMessage'],
        }),
      ),
    );
    expect(again.message).toBe('Value producers for parameter Label is invalid. Reason: Already exists.');
    await t.sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: 'producers' }));
    expect(await read()).toBeUndefined();
    const gone = await failure(
      t.sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: 'producers' })),
    );
    expect(gone.name).toBe('InvalidParameterValue');
  });

  it('a missing queue is QueueDoesNotExist with the query code in the error', async () => {
    const err = await failure(t.sqs.send(new GetQueueUrlCommand({ QueueName: 'missing' })));
    expect(err).toBeInstanceOf(QueueDoesNotExist);
    expect(err.message).toBe('The specified queue does not exist.');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect((err as SQSServiceException & { Code?: string }).Code).toBe(
      'AWS.SimpleQueueService.NonExistentQueue',
    );
    const send = await failure(
      t.sqs.send(
        new SendMessageCommand({ QueueUrl: `${t.stratus.url}/000000000000/missing`, MessageBody: 'x' }),
      ),
    );
    expect(send).toBeInstanceOf(QueueDoesNotExist);
  });

  it('resolves a queue URL by its path, whatever host the client used', async () => {
    await create('any-host');
    const { Attributes } = await t.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000000/any-host',
        AttributeNames: ['QueueArn'],
      }),
    );
    expect(Attributes?.QueueArn).toBe('arn:aws:sqs:us-east-1:000000000000:any-host');
  });

  it('deletes a queue and keeps its name for 60 seconds', async () => {
    const url = await create('short-lived');
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'gone' }));
    await t.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    expect(await failure(t.sqs.send(new GetQueueUrlCommand({ QueueName: 'short-lived' })))).toBeInstanceOf(
      QueueDoesNotExist,
    );
    const err = await failure(create('short-lived'));
    expect(err).toBeInstanceOf(QueueDeletedRecently);
    expect(err.message).toBe(
      'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
    );
    t.clock.advance(60_001);
    const again = await create('short-lived');
    expect((await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: again }))).Messages).toBeUndefined();
  });

  it('purges a queue at most once per 60 seconds', async () => {
    const url = await create('purged');
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'one' }));
    await t.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    expect((await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    const err = await failure(t.sqs.send(new PurgeQueueCommand({ QueueUrl: url })));
    expect(err).toBeInstanceOf(PurgeQueueInProgress);
    expect(err.message).toBe('Only one PurgeQueue operation on purged is allowed every 60 seconds.');
    expect(err.$metadata.httpStatusCode).toBe(403);
    t.clock.advance(60_000);
    await t.sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
  });

  it('a missing required parameter is MissingParameter', async () => {
    const err = await failure(
      t.sqs.send(new CreateQueueCommand({ QueueName: undefined as unknown as string })),
    );
    expect(err.name).toBe('MissingParameter');
    expect(err.message).toBe('The request must contain the parameter QueueName.');
  });
});
