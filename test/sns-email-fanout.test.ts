import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  PublishCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import { eventually, verifySnsSignature } from './support/sns-endpoint.js';
import { zipOf } from './support/zip.js';

const account = '000000000000';
interface OutboxMessage {
  source: string;
  destination: { to: string[] };
  subject: string;
  text: string;
}

describe('SNS deliveries to email through SES', () => {
  let stratus: TestStratus;
  let sns: SNSClient;
  let sqs: SQSClient;

  beforeAll(async () => {
    stratus = await startTestStratus();
    sns = new SNSClient(stratus.clientConfig);
    sqs = new SQSClient(stratus.clientConfig);
  });
  afterAll(async () => {
    sns?.destroy();
    sqs?.destroy();
    await stratus?.close();
  });

  async function outbox(to: string): Promise<OutboxMessage[]> {
    const answer = await fetch(`${stratus.url}/_stratus/ses/messages?to=${encodeURIComponent(to)}`);
    return ((await answer.json()) as { messages: OutboxMessage[] }).messages;
  }

  it('email: a confirmation mail with SubscribeURL, then notifications with an unsubscribe link; email-json gets the JSON', async () => {
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'newsletter' }))).TopicArn!;
    const address = 'reader@example.com';
    expect(
      (await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: address })))
        .SubscriptionArn,
    ).toBe('pending confirmation');
    const [confirmation] = await eventually(async () => {
      const mails = await outbox(address);
      return mails.length > 0 && mails;
    }, 'the confirmation email');
    expect(confirmation).toMatchObject({
      source: 'no-reply@sns.amazonaws.com',
      subject: 'AWS Notification - Subscription Confirmation',
    });
    expect(confirmation!.destination.to).toEqual([address]);
    const link = /(http:\/\/\S+Action=ConfirmSubscription\S+)/.exec(confirmation!.text)![1]!;
    const confirmed = await fetch(link);
    const subscriptionArn = /<SubscriptionArn>([^<]+)</.exec(await confirmed.text())![1]!;
    const attrs = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn })))
      .Attributes!;
    expect(attrs['PendingConfirmation']).toBe('false');

    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: topicArn,
        AttributeName: 'DisplayName',
        AttributeValue: 'Weekly News',
      }),
    );
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'Issue 1 is out', Subject: 'Issue 1' }));
    const issue = await eventually(
      async () => (await outbox(address)).find((m) => m.subject === 'Issue 1'),
      'the notification email',
    );
    expect(issue.source).toBe('"Weekly News" <no-reply@sns.amazonaws.com>');
    expect(issue.text).toMatch(/^Issue 1 is out\n\n--\nIf you wish to stop receiving notifications/);
    expect(issue.text).toContain(`Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`);

    const jsonAddress = 'machine@example.com';
    await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email-json', Endpoint: jsonAddress }),
    );
    const jsonConfirmation = await eventually(
      async () => (await outbox(jsonAddress))[0],
      'the email-json confirmation',
    );
    const envelope = JSON.parse(jsonConfirmation.text) as Record<string, string>;
    expect(envelope).toMatchObject({ Type: 'SubscriptionConfirmation', TopicArn: topicArn });
    expect(await verifySnsSignature(envelope)).toBe(true);
  });
});

describe('scenario 7 (first half): a topic feeds two queues, one filtered, and a function', () => {
  let stratus: TestStratus;
  let sns: SNSClient;
  let sqs: SQSClient;
  let lambda: LambdaClient;
  let logs: CloudWatchLogsClient;

  beforeAll(async () => {
    stratus = await startTestStratus();
    sns = new SNSClient(stratus.clientConfig);
    sqs = new SQSClient(stratus.clientConfig);
    lambda = new LambdaClient(stratus.clientConfig);
    logs = new CloudWatchLogsClient(stratus.clientConfig);
  });
  afterAll(async () => {
    for (const client of [sns, sqs, lambda, logs]) client?.destroy();
    await stratus?.close();
  });

  it('every order reaches the all-orders queue and the function; only large ones reach the filtered queue', async () => {
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'orders' }))).TopicArn!;
    const make = async (name: string) => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
      const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] })))
        .Attributes!['QueueArn']!;
      return { url: QueueUrl!, arn };
    };
    const all = await make('all-orders');
    const large = await make('large-orders');
    const fn = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'order-audit',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: `arn:aws:iam::${account}:role/lambda-role`,
        Code: {
          ZipFile: await zipOf({
            'index.js':
              'exports.handler = async (e) => { console.log("AUDIT " + e.Records[0].Sns.Message); };',
          }),
        },
      }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: all.arn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: large.arn,
        Attributes: { RawMessageDelivery: 'true', FilterPolicy: JSON.stringify({ size: ['large'] }) },
      }),
    );
    await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'lambda', Endpoint: fn.FunctionArn }),
    );
    for (const [order, size] of [
      ['o1', 'small'],
      ['o2', 'large'],
      ['o3', 'small'],
      ['o4', 'large'],
    ]) {
      await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: order,
          MessageAttributes: { size: { DataType: 'String', StringValue: size } },
        }),
      );
    }
    const drain = async (url: string, count: number) => {
      const bodies: string[] = [];
      await eventually(async () => {
        const { Messages } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
        );
        bodies.push(...(Messages ?? []).map((m) => m.Body!));
        return bodies.length >= count;
      }, `${count} messages`);
      return bodies.sort();
    };
    expect(await drain(all.url, 4)).toEqual(['o1', 'o2', 'o3', 'o4']);
    expect(await drain(large.url, 2)).toEqual(['o2', 'o4']);
    const audited = await eventually(
      async () => {
        const page = await logs
          .send(
            new FilterLogEventsCommand({ logGroupName: '/aws/lambda/order-audit', filterPattern: 'AUDIT' }),
          )
          .catch(() => undefined);
        const lines = (page?.events ?? []).map((e) => /AUDIT (\w+)/.exec(e.message!)![1]!);
        return lines.length >= 4 && lines.sort();
      },
      'four audit lines',
      30_000,
    );
    expect(audited).toEqual(['o1', 'o2', 'o3', 'o4']);
  });
});
