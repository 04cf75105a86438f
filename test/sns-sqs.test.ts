import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  PublishBatchCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import { eventually, startRecordingEndpoint, verifySnsSignature } from './support/sns-endpoint.js';

const account = '000000000000';
describe('SNS deliveries to SQS queues and dead-letter queues', () => {
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

  async function queue(name: string, attributes?: Record<string, string>) {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    return { url: QueueUrl!, arn: Attributes!['QueueArn']! };
  }

  async function receive(url: string, count: number, what: string): Promise<Message[]> {
    const got: Message[] = [];
    await eventually(async () => {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
        }),
      );
      got.push(...(Messages ?? []));
      return got.length >= count;
    }, what);
    return got;
  }

  it('SQS: the queue receives the signed SNS envelope, or with RawMessageDelivery the bare message and its attributes', async () => {
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'to-queues' }))).TopicArn!;
    const wrapped = await queue('wrapped');
    const raw = await queue('raw');
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: wrapped.arn }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: raw.arn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: 'order placed',
        Subject: 'Orders',
        MessageAttributes: {
          store: { DataType: 'String', StringValue: 'north' },
          total: { DataType: 'Number', StringValue: '12.5' },
          png: { DataType: 'Binary', BinaryValue: Buffer.from('PNG') },
        },
      }),
    );
    const [message] = await receive(wrapped.url, 1, 'the wrapped message');
    const body = JSON.parse(message!.Body!) as Record<string, string>;
    expect(body).toMatchObject({
      Type: 'Notification',
      MessageId,
      TopicArn: topicArn,
      Subject: 'Orders',
      Message: 'order placed',
      MessageAttributes: {
        store: { Type: 'String', Value: 'north' },
        total: { Type: 'Number', Value: '12.5' },
      },
    });
    expect(body['UnsubscribeURL']).toContain(encodeURIComponent(SubscriptionArn!));
    expect(await verifySnsSignature(body)).toBe(true);
    expect(message!.MessageAttributes).toBeUndefined();

    const [bare] = await receive(raw.url, 1, 'the raw message');
    expect(bare!.Body).toBe('order placed');
    expect(bare!.MessageAttributes).toMatchObject({
      store: { DataType: 'String', StringValue: 'north' },
      total: { DataType: 'Number', StringValue: '12.5' },
    });
    expect(Buffer.from(bare!.MessageAttributes!['png']!.BinaryValue!).toString()).toBe('PNG');
  });

  it('FIFO topic to FIFO queue: group order kept, group and deduplication ids passed on, duplicates dropped', async () => {
    const topicArn = (
      await sns.send(
        new CreateTopicCommand({
          Name: 'ledger.fifo',
          Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' },
        }),
      )
    ).TopicArn!;
    const q = await queue('ledger.fifo', { FifoQueue: 'true' });
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: q.arn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    const entries = Array.from({ length: 10 }, (_, i) => ({
      Id: `e${i}`,
      Message: `entry ${i}`,
      MessageGroupId: i % 2 ? 'odd' : 'even',
    }));
    await sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }));
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'entry 0', MessageGroupId: 'even' }));
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'entry 10', MessageGroupId: 'even' }));
    const got: Message[] = [];
    await eventually(async () => {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: q.url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      for (const m of Messages ?? []) {
        got.push(m);
        await sqs.send(new DeleteMessageCommand({ QueueUrl: q.url, ReceiptHandle: m.ReceiptHandle }));
      }
      return got.length >= 11;
    }, 'eleven FIFO messages');
    const byGroup = (group: string) =>
      got.filter((m) => m.Attributes!['MessageGroupId'] === group).map((m) => m.Body);
    expect(byGroup('even')).toEqual(['entry 0', 'entry 2', 'entry 4', 'entry 6', 'entry 8', 'entry 10']);
    expect(byGroup('odd')).toEqual(['entry 1', 'entry 3', 'entry 5', 'entry 7', 'entry 9']);
  });

  it('a delivery the queue refuses goes to the RedrivePolicy dead-letter queue', async () => {
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'with-dlq' }))).TopicArn!;
    const dlq = await queue('sns-dlq');
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: `arn:aws:sqs:us-east-1:${account}:does-not-exist`,
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) },
      }),
    );
    const { MessageId } = await sns.send(
      new PublishCommand({ TopicArn: topicArn, Message: 'lost without a DLQ' }),
    );
    const [dead] = await receive(dlq.url, 1, 'the dead-lettered message');
    expect(JSON.parse(dead!.Body!)).toMatchObject({
      Type: 'Notification',
      MessageId,
      Message: 'lost without a DLQ',
    });
  });

  it('an HTTP/S delivery that fails through its delivery policy goes to the dead-letter queue', async () => {
    const endpoint = await startRecordingEndpoint();
    try {
      const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'http-dlq' }))).TopicArn!;
      const dlq = await queue('http-dlq');
      const { SubscriptionArn } = await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'http',
          Endpoint: `${endpoint.url}/down`,
          ReturnSubscriptionArn: true,
          Attributes: {
            RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
            DeliveryPolicy: JSON.stringify({
              healthyRetryPolicy: { numRetries: 2, minDelayTarget: 1, maxDelayTarget: 1 },
            }),
          },
        }),
      );
      const confirmation = await eventually(() => endpoint.received[0], 'the confirmation');
      await fetch((JSON.parse(confirmation.body) as { SubscribeURL: string }).SubscribeURL);
      expect(
        (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes![
          'PendingConfirmation'
        ],
      ).toBe('false');
      endpoint.answerByDefault(500);
      const { MessageId } = await sns.send(
        new PublishCommand({ TopicArn: topicArn, Message: 'nobody home' }),
      );
      const [dead] = await receive(dlq.url, 1, 'the dead-lettered HTTP message');
      expect(JSON.parse(dead!.Body!)).toMatchObject({ MessageId, Message: 'nobody home' });
      const attempts = endpoint.received.filter((r) => r.body.includes('nobody home'));
      expect(attempts).toHaveLength(3);
    } finally {
      await endpoint.close();
    }
  });
});
