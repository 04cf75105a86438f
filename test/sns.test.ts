import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddPermissionCommand,
  AuthorizationErrorException,
  BatchEntryIdsNotDistinctException,
  CreateTopicCommand,
  DeleteTopicCommand,
  EmptyBatchRequestException,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  InvalidBatchEntryIdException,
  InvalidParameterException,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  NotFoundException,
  PublishBatchCommand,
  PublishCommand,
  RemovePermissionCommand,
  ResourceNotFoundException,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
  TagLimitExceededException,
  TagResourceCommand,
  TooManyEntriesInBatchRequestException,
  UnsubscribeCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-sns';
import { ManualClock } from '../src/engine/clock.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const account = '000000000000';
const queueArn = (name: string) => `arn:aws:sqs:us-east-1:${account}:${name}`;

describe('SNS topics, subscriptions and publishing (control plane)', () => {
  let stratus: TestStratus;
  let sns: SNSClient;
  const clock = new ManualClock(Date.UTC(2026, 11, 1));

  beforeAll(async () => {
    stratus = await startTestStratus({ clock });
    sns = new SNSClient(stratus.clientConfig);
  });
  afterAll(async () => {
    sns?.destroy();
    await stratus?.close();
  });

  async function topic(name: string, attributes?: Record<string, string>): Promise<string> {
    return (await sns.send(new CreateTopicCommand({ Name: name, Attributes: attributes }))).TopicArn!;
  }

  async function rejects(
    promise: Promise<unknown>,
    type: abstract new (...args: never[]) => Error,
    message: string | RegExp,
  ) {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e as Error & { $metadata: { httpStatusCode?: number }; name: string },
    );
    expect(err, 'the call should fail').toBeInstanceOf(type);
    if (typeof message === 'string') expect(err!.message).toBe(message);
    else expect(err!.message).toMatch(message);
    return err!;
  }

  it('creates topics idempotently with ARNs in the caller account and region, and lists and deletes them', async () => {
    const arn = await topic('orders');
    expect(arn).toBe(`arn:aws:sns:us-east-1:${account}:orders`);
    expect(await topic('orders')).toBe(arn);
    const listed = await sns.send(new ListTopicsCommand({}));
    expect(listed.Topics!.map((t) => t.TopicArn)).toContain(arn);
    await sns.send(new DeleteTopicCommand({ TopicArn: arn }));
    expect((await sns.send(new ListTopicsCommand({}))).Topics!.map((t) => t.TopicArn)).not.toContain(arn);
    // Deleting again succeeds, as in SNS.
    await sns.send(new DeleteTopicCommand({ TopicArn: arn }));
  });

  it('pages ListTopics by 100 with NextToken', async () => {
    for (let i = 0; i < 105; i++) await topic(`page-${String(i).padStart(3, '0')}`);
    const first = await sns.send(new ListTopicsCommand({}));
    expect(first.Topics).toHaveLength(100);
    expect(first.NextToken).toBeDefined();
    const second = await sns.send(new ListTopicsCommand({ NextToken: first.NextToken }));
    const all = [...first.Topics!, ...second.Topics!]
      .map((t) => t.TopicArn!)
      .filter((a) => a.includes(':page-'));
    expect(new Set(all).size).toBe(105);
    expect(second.NextToken).toBeUndefined();
  });

  it('returns the default attributes SNS computes, and sets DisplayName, DeliveryPolicy and Policy', async () => {
    const arn = await topic('attrs');
    const { Attributes: a } = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
    expect(a).toMatchObject({
      TopicArn: arn,
      Owner: account,
      DisplayName: '',
      SubscriptionsConfirmed: '0',
      SubscriptionsPending: '0',
      SubscriptionsDeleted: '0',
    });
    expect(JSON.parse(a!['Policy']!).Statement[0].Resource).toBe(arn);
    expect(JSON.parse(a!['EffectiveDeliveryPolicy']!).http.defaultHealthyRetryPolicy.numRetries).toBe(3);
    expect(a!['FifoTopic']).toBeUndefined();

    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: arn,
        AttributeName: 'DisplayName',
        AttributeValue: 'Orders',
      }),
    );
    const policy = {
      http: { defaultHealthyRetryPolicy: { numRetries: 5, minDelayTarget: 1, maxDelayTarget: 4 } },
    };
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: arn,
        AttributeName: 'DeliveryPolicy',
        AttributeValue: JSON.stringify(policy),
      }),
    );
    const after = (await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!;
    expect(after['DisplayName']).toBe('Orders');
    expect(JSON.parse(after['EffectiveDeliveryPolicy']!).http.defaultHealthyRetryPolicy).toMatchObject({
      numRetries: 5,
      maxDelayTarget: 4,
    });
    // A different attribute on CreateTopic of an existing name is refused.
    await rejects(
      sns.send(new CreateTopicCommand({ Name: 'attrs', Attributes: { DisplayName: 'Other' } })),
      InvalidParameterException,
      'Invalid parameter: Attributes Reason: Topic already exists with different attributes',
    );
  });

  it('answers NotFound, InvalidParameter and their HTTP statuses as SNS does', async () => {
    const missing = `arn:aws:sns:us-east-1:${account}:missing`;
    const err = await rejects(
      sns.send(new GetTopicAttributesCommand({ TopicArn: missing })),
      NotFoundException,
      'Topic does not exist',
    );
    expect(err.$metadata.httpStatusCode).toBe(404);
    expect(err.name).toBe('NotFoundException');
    const bad = await rejects(
      sns.send(new CreateTopicCommand({ Name: 'bad name!' })),
      InvalidParameterException,
      'Invalid parameter: Topic Name',
    );
    expect(bad.$metadata.httpStatusCode).toBe(400);
    await rejects(
      sns.send(new CreateTopicCommand({ Name: 'no-suffix', Attributes: { FifoTopic: 'true' } })),
      InvalidParameterException,
      'Invalid parameter: Topic Name',
    );
    await rejects(
      sns.send(new CreateTopicCommand({ Name: 'x.fifo' })),
      InvalidParameterException,
      'Invalid parameter: Topic Name',
    );
    const arn = await topic('errors');
    await rejects(
      sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'Nope', AttributeValue: 'x' })),
      InvalidParameterException,
      'Invalid parameter: AttributeName',
    );
    await rejects(
      sns.send(new PublishCommand({ TopicArn: missing, Message: 'hi' })),
      NotFoundException,
      'Topic does not exist',
    );
    await rejects(
      sns.send(new PublishCommand({ TopicArn: arn, Message: '' })),
      InvalidParameterException,
      'Invalid parameter: Empty message',
    );
    await rejects(
      sns.send(new PublishCommand({ TopicArn: arn, Message: 'x'.repeat(256 * 1024 + 1) })),
      InvalidParameterException,
      'Invalid parameter: Message too long',
    );
    await rejects(
      sns.send(new PublishCommand({ TopicArn: arn, Message: 'x', Subject: 'two\nlines' })),
      InvalidParameterException,
      'Invalid parameter: Subject',
    );
    await rejects(
      sns.send(new PublishCommand({ TopicArn: arn, Message: 'not json', MessageStructure: 'json' })),
      InvalidParameterException,
      'Invalid parameter: Message Structure - JSON message body failed to parse',
    );
    await rejects(
      sns.send(new PublishCommand({ TopicArn: arn, Message: '{"sqs":"x"}', MessageStructure: 'json' })),
      InvalidParameterException,
      'Invalid parameter: Message Structure - No default entry in JSON message body',
    );
    await rejects(
      sns.send(
        new PublishCommand({
          TopicArn: arn,
          Message: 'x',
          MessageAttributes: { n: { DataType: 'Number', StringValue: 'abc' } },
        }),
      ),
      InvalidParameterException,
      "Invalid parameter: MessageAttributes: Could not cast message attribute 'n' value to number.",
    );
    await rejects(
      sns.send(
        new PublishCommand({
          TopicArn: arn,
          Message: 'x',
          MessageAttributes: { n: { DataType: 'Date', StringValue: 'x' } },
        }),
      ),
      InvalidParameterException,
      /has an invalid message attribute type/,
    );
    await rejects(
      sns.send(new PublishCommand({ TopicArn: arn, Message: 'x', MessageDeduplicationId: 'd' })),
      InvalidParameterException,
      /MessageDeduplicationId parameter that is not valid for this topic type/,
    );
  });

  it("keeps accounts apart: another account's topic is unlisted and refused unless AddPermission grants it", async () => {
    const arn = await topic('private');
    const other = new SNSClient({
      ...stratus.clientConfig,
      credentials: { accessKeyId: '111111111111', secretAccessKey: 'test' },
    });
    try {
      const listed = await other.send(new ListTopicsCommand({}));
      expect(listed.Topics ?? []).toEqual([]);
      const err = await rejects(
        other.send(new PublishCommand({ TopicArn: arn, Message: 'hi' })),
        AuthorizationErrorException,
        `User: arn:aws:iam::111111111111:root is not authorized to perform: SNS:Publish on resource: ${arn} because no resource-based policy allows the SNS:Publish action`,
      );
      expect(err.$metadata.httpStatusCode).toBe(403);
      await rejects(
        other.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: queueArn('q') })),
        AuthorizationErrorException,
        /not authorized to perform: SNS:Subscribe/,
      );
      // The owner grants Publish (only) to the other account, then takes it back.
      await sns.send(
        new AddPermissionCommand({
          TopicArn: arn,
          Label: 'partner',
          AWSAccountId: ['111111111111'],
          ActionName: ['Publish'],
        }),
      );
      const policy = JSON.parse(
        (await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!['Policy']!,
      );
      expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
        '__default_statement_ID',
        'partner',
      ]);
      expect(
        (await other.send(new PublishCommand({ TopicArn: arn, Message: 'hi' }))).MessageId,
      ).toBeDefined();
      await rejects(
        other.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: queueArn('q') })),
        AuthorizationErrorException,
        /not authorized to perform: SNS:Subscribe/,
      );
      await rejects(
        other.send(
          new AddPermissionCommand({
            TopicArn: arn,
            Label: 'more',
            AWSAccountId: ['111111111111'],
            ActionName: ['Subscribe'],
          }),
        ),
        AuthorizationErrorException,
        /not authorized to perform: SNS:AddPermission/,
      );
      await rejects(
        sns.send(
          new AddPermissionCommand({
            TopicArn: arn,
            Label: 'partner',
            AWSAccountId: ['111111111111'],
            ActionName: ['Publish'],
          }),
        ),
        InvalidParameterException,
        'Invalid parameter: Statement already exists',
      );
      await rejects(
        sns.send(
          new AddPermissionCommand({
            TopicArn: arn,
            Label: 'bad',
            AWSAccountId: ['111111111111'],
            ActionName: ['CreateTopic'],
          }),
        ),
        InvalidParameterException,
        'Invalid parameter: Policy statement action out of service scope!',
      );
      await sns.send(new RemovePermissionCommand({ TopicArn: arn, Label: 'partner' }));
      await rejects(
        other.send(new PublishCommand({ TopicArn: arn, Message: 'hi' })),
        AuthorizationErrorException,
        /SNS:Publish/,
      );
    } finally {
      other.destroy();
    }
  });

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

  it('tags topics and answers ResourceNotFound for tags of a missing topic', async () => {
    const arn = (
      await sns.send(new CreateTopicCommand({ Name: 'tagged', Tags: [{ Key: 'team', Value: 'a' }] }))
    ).TopicArn!;
    await sns.send(
      new TagResourceCommand({
        ResourceArn: arn,
        Tags: [
          { Key: 'env', Value: 'dev' },
          { Key: 'team', Value: 'b' },
        ],
      }),
    );
    let tags = (await sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags!;
    expect(Object.fromEntries(tags.map((t) => [t.Key, t.Value]))).toEqual({ team: 'b', env: 'dev' });
    await sns.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['team'] }));
    tags = (await sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags!;
    expect(tags).toEqual([{ Key: 'env', Value: 'dev' }]);
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await rejects(
      sns.send(new TagResourceCommand({ ResourceArn: arn, Tags: many })),
      TagLimitExceededException,
      /tag quota/,
    );
    await rejects(
      sns.send(new ListTagsForResourceCommand({ ResourceArn: `arn:aws:sns:us-east-1:${account}:nope` })),
      ResourceNotFoundException,
      'Resource does not exist',
    );
  });
});
