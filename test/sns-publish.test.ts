import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchEntryIdsNotDistinctException,
  EmptyBatchRequestException,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  InvalidBatchEntryIdException,
  InvalidParameterException,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  NotFoundException,
  PublishBatchCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
  TooManyEntriesInBatchRequestException,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import type { SNSClient } from '@aws-sdk/client-sns';
import { ManualClock } from '../src/engine/clock.js';
import { rejects } from './support/sns-endpoint.js';
import { startSnsTest, type SnsTest } from './support/sns.js';
import { queueArn } from './support/sqs.js';

const account = '000000000000';

describe('SNS subscriptions, FIFO topics and PublishBatch', () => {
  let sns: SNSClient;
  const clock = new ManualClock(Date.UTC(2026, 11, 1));

  let test: SnsTest;
  let topic: SnsTest['topic'];

  beforeAll(async () => {
    ({ sns, topic } = test = await startSnsTest(clock));
  });
  afterAll(() => test?.close());

  it('subscribes SQS and Lambda endpoints confirmed at once, idempotently, and lists them', async () => {
    const arn = await topic('fanout');
    const sub = await sns.send(
      new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: queueArn('q1') }),
    );
    expect(sub.SubscriptionArn).toMatch(new RegExp(`^${arn}:[0-9a-f-]{36}$`));
    const again = await sns.send(
      new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: queueArn('q1') }),
    );
    expect(again.SubscriptionArn).toBe(sub.SubscriptionArn);
    const fn = `arn:aws:lambda:us-east-1:${account}:function:f`;
    await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'lambda', Endpoint: fn }));
    const email = await sns.send(
      new SubscribeCommand({ TopicArn: arn, Protocol: 'email', Endpoint: 'a@example.com' }),
    );
    expect(email.SubscriptionArn).toBe('pending confirmation');

    const byTopic = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }));
    expect(
      byTopic.Subscriptions!.map((s) => [
        s.Protocol,
        s.Endpoint,
        s.SubscriptionArn === 'PendingConfirmation',
      ]),
    ).toEqual([
      ['sqs', queueArn('q1'), false],
      ['lambda', fn, false],
      ['email', 'a@example.com', true],
    ]);
    const all = await sns.send(new ListSubscriptionsCommand({}));
    expect(all.Subscriptions!.filter((s) => s.TopicArn === arn)).toHaveLength(3);
    const counts = (await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!;
    expect([counts['SubscriptionsConfirmed'], counts['SubscriptionsPending']]).toEqual(['2', '1']);

    const attrs = (
      await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn }))
    ).Attributes!;
    expect(attrs).toMatchObject({
      SubscriptionArn: sub.SubscriptionArn,
      TopicArn: arn,
      Protocol: 'sqs',
      Endpoint: queueArn('q1'),
      Owner: account,
      PendingConfirmation: 'false',
      ConfirmationWasAuthenticated: 'true',
      RawMessageDelivery: 'false',
    });

    await sns.send(new UnsubscribeCommand({ SubscriptionArn: sub.SubscriptionArn }));
    await rejects(
      sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn })),
      NotFoundException,
      'Subscription does not exist',
    );
    expect(
      (await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!['SubscriptionsDeleted'],
    ).toBe('1');
  });

  it('validates subscription endpoints, attributes and filter policies with SNS messages', async () => {
    const arn = await topic('validate');
    const cases: [string, string, string][] = [
      [
        'carrier-pigeon',
        'x',
        'Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon',
      ],
      ['sqs', 'not-an-arn', 'Invalid parameter: SQS endpoint ARN'],
      ['lambda', queueArn('q'), 'Invalid parameter: Lambda endpoint ARN'],
      ['http', 'https://example.com', 'Invalid parameter: Endpoint must match the specified protocol'],
      ['email', 'nobody', 'Invalid parameter: Email address'],
      [
        'sqs',
        queueArn('q.fifo'),
        'Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics',
      ],
    ];
    for (const [Protocol, Endpoint, message] of cases) {
      await rejects(
        sns.send(new SubscribeCommand({ TopicArn: arn, Protocol, Endpoint })),
        InvalidParameterException,
        message,
      );
    }
    await rejects(
      sns.send(
        new SubscribeCommand({ TopicArn: `${arn}-missing`, Protocol: 'sqs', Endpoint: queueArn('q') }),
      ),
      NotFoundException,
      'Topic does not exist',
    );
    await rejects(
      sns.send(
        new SubscribeCommand({
          TopicArn: arn,
          Protocol: 'sqs',
          Endpoint: queueArn('q'),
          Attributes: { FilterPolicy: '{"a": "b"}' },
        }),
      ),
      InvalidParameterException,
      'Invalid parameter: FilterPolicy: "a" must be an object or an array',
    );
    await rejects(
      sns.send(
        new SubscribeCommand({
          TopicArn: arn,
          Protocol: 'lambda',
          Endpoint: `arn:aws:lambda:us-east-1:${account}:function:f`,
          Attributes: { RawMessageDelivery: 'true' },
        }),
      ),
      InvalidParameterException,
      'Invalid parameter: Attributes Reason: Delivery protocol [lambda] does not support raw message delivery.',
    );
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: queueArn('q') }),
    );
    const set = (AttributeName: string, AttributeValue: string) =>
      sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName, AttributeValue }));
    await rejects(
      set('FilterPolicy', '{"price": [{"numeric": [">", "ten"]}]}'),
      InvalidParameterException,
      'Invalid parameter: FilterPolicy: Value of > must be numeric',
    );
    await rejects(
      set('FilterPolicy', '{"a": {"b": ["c"]}}'),
      InvalidParameterException,
      /does not support nested filter policy$/,
    );
    await rejects(
      set('FilterPolicyScope', 'Everything'),
      InvalidParameterException,
      /FilterPolicyScope: Invalid value \[Everything\]/,
    );
    await rejects(
      set('RedrivePolicy', '{"deadLetterTargetArn": "nope"}'),
      InvalidParameterException,
      'Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn',
    );
    await rejects(set('Color', 'blue'), InvalidParameterException, 'Invalid parameter: AttributeName');
    // A nested policy is fine once the scope is the message body.
    await set('FilterPolicyScope', 'MessageBody');
    await set('FilterPolicy', '{"a": {"b": ["c"]}}');
    await set('RawMessageDelivery', 'true');
    const attrs = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!;
    expect(attrs).toMatchObject({
      FilterPolicyScope: 'MessageBody',
      FilterPolicy: '{"a": {"b": ["c"]}}',
      RawMessageDelivery: 'true',
    });
    await rejects(
      sns.send(
        new SubscribeCommand({
          TopicArn: arn,
          Protocol: 'sqs',
          Endpoint: queueArn('q'),
          Attributes: { RawMessageDelivery: 'false' },
        }),
      ),
      InvalidParameterException,
      'Invalid parameter: Attributes Reason: Subscription already exists with different attributes',
    );
  });

  it('FIFO topics: require FifoTopic and .fifo, SQS FIFO subscribers, group ids, and deduplicate for five minutes', async () => {
    const arn = await topic('events.fifo', { FifoTopic: 'true' });
    const attrs = (await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!;
    expect(attrs).toMatchObject({ FifoTopic: 'true', ContentBasedDeduplication: 'false' });
    await rejects(
      sns.send(
        new SubscribeCommand({
          TopicArn: arn,
          Protocol: 'lambda',
          Endpoint: `arn:aws:lambda:us-east-1:${account}:function:f`,
        }),
      ),
      InvalidParameterException,
      /FIFO topics deliver only to SQS FIFO queues/,
    );
    await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: queueArn('q.fifo') }));
    await rejects(
      sns.send(new PublishCommand({ TopicArn: arn, Message: 'x' })),
      InvalidParameterException,
      'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
    );
    await rejects(
      sns.send(new PublishCommand({ TopicArn: arn, Message: 'x', MessageGroupId: 'g' })),
      InvalidParameterException,
      'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
    const first = await sns.send(
      new PublishCommand({ TopicArn: arn, Message: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }),
    );
    expect(first.SequenceNumber).toMatch(/^\d{20}$/);
    const duplicate = await sns.send(
      new PublishCommand({ TopicArn: arn, Message: 'y', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }),
    );
    expect(duplicate).toMatchObject({ MessageId: first.MessageId, SequenceNumber: first.SequenceNumber });
    clock.advance(5 * 60 * 1000 - 1);
    const stillDuplicate = await sns.send(
      new PublishCommand({ TopicArn: arn, Message: 'y', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }),
    );
    expect(stillDuplicate.MessageId).toBe(first.MessageId);
    clock.advance(1);
    const afterWindow = await sns.send(
      new PublishCommand({ TopicArn: arn, Message: 'y', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }),
    );
    expect(afterWindow.MessageId).not.toBe(first.MessageId);
    const next = await sns.send(
      new PublishCommand({ TopicArn: arn, Message: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd2' }),
    );
    expect(BigInt(next.SequenceNumber!)).toBeGreaterThan(BigInt(first.SequenceNumber!));

    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: arn,
        AttributeName: 'ContentBasedDeduplication',
        AttributeValue: 'true',
      }),
    );
    const a = await sns.send(
      new PublishCommand({ TopicArn: arn, Message: 'same body', MessageGroupId: 'g' }),
    );
    const b = await sns.send(
      new PublishCommand({ TopicArn: arn, Message: 'same body', MessageGroupId: 'g' }),
    );
    expect(b.MessageId).toBe(a.MessageId);
    const standard = await topic('standard-for-cbd');
    await rejects(
      sns.send(
        new SetTopicAttributesCommand({
          TopicArn: standard,
          AttributeName: 'ContentBasedDeduplication',
          AttributeValue: 'true',
        }),
      ),
      InvalidParameterException,
      /can only be set for FIFO topics/,
    );
  });

  it('PublishBatch publishes valid entries, reports invalid ones per entry, and checks the batch', async () => {
    const arn = await topic('batch');
    const result = await sns.send(
      new PublishBatchCommand({
        TopicArn: arn,
        PublishBatchRequestEntries: [
          { Id: 'one', Message: 'first' },
          { Id: 'two', Message: '' },
          { Id: 'three', Message: 'third', Subject: 'Hello' },
        ],
      }),
    );
    expect(result.Successful!.map((s) => s.Id)).toEqual(['one', 'three']);
    expect(result.Successful![0]!.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.Failed).toEqual([
      { Id: 'two', Code: 'InvalidParameter', Message: 'Invalid parameter: Empty message', SenderFault: true },
    ]);

    await rejects(
      sns.send(new PublishBatchCommand({ TopicArn: arn, PublishBatchRequestEntries: [] })),
      EmptyBatchRequestException,
      /doesn't contain any entries/,
    );
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, Message: 'm' }));
    await rejects(
      sns.send(new PublishBatchCommand({ TopicArn: arn, PublishBatchRequestEntries: eleven })),
      TooManyEntriesInBatchRequestException,
      /more entries than permissible/,
    );
    await rejects(
      sns.send(
        new PublishBatchCommand({
          TopicArn: arn,
          PublishBatchRequestEntries: [
            { Id: 'a', Message: 'm' },
            { Id: 'a', Message: 'n' },
          ],
        }),
      ),
      BatchEntryIdsNotDistinctException,
      'Two or more batch entries in the request have the same Id.',
    );
    await rejects(
      sns.send(
        new PublishBatchCommand({ TopicArn: arn, PublishBatchRequestEntries: [{ Id: 'a b', Message: 'm' }] }),
      ),
      InvalidBatchEntryIdException,
      /alphanumeric characters, hyphens and underscores/,
    );
  });
});
