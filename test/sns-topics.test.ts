import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddPermissionCommand,
  AuthorizationErrorException,
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  InvalidParameterException,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  NotFoundException,
  PublishCommand,
  RemovePermissionCommand,
  ResourceNotFoundException,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
  TagLimitExceededException,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-sns';
import { ManualClock } from '../src/engine/clock.js';
import { rejects } from './support/sns-endpoint.js';
import { startSnsTest, type SnsTest } from './support/sns.js';
import type { TestStratus } from './support/stratus.js';
import { queueArn } from './support/sqs.js';

const account = '000000000000';

describe('SNS topics: attributes, errors, accounts and tags', () => {
  let stratus: TestStratus;
  let sns: SNSClient;
  const clock = new ManualClock(Date.UTC(2026, 11, 1));

  let test: SnsTest;
  let topic: SnsTest['topic'];

  beforeAll(async () => {
    ({ stratus, sns, topic } = test = await startSnsTest(clock));
  });
  afterAll(() => test?.close());

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
