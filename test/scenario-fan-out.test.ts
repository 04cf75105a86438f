/**
 * Scenario 7 — fan-out and back-pressure, end to end through the AWS SDK: an SNS topic feeds two
 * SQS queues (one filtered on a message attribute) and a function; one queue drives a function
 * through an event source mapping with batch size 10 and ReportBatchItemFailures, and the records
 * that keep failing reach its dead-letter queue; a FIFO topic and queue keep per-group order and
 * drop duplicates within the deduplication window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateEventSourceMappingCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateTopicCommand,
  PublishBatchCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import { queueArn, createQueue } from './support/sqs.js';
import { createFunction, eventually, logMessages } from './support/lambda.js';

const account = '000000000000';

describe('scenario 7: fan-out and back-pressure', () => {
  let stratus: TestStratus;
  let lambda: LambdaClient;
  let sns: SNSClient;
  let sqs: SQSClient;
  let logs: CloudWatchLogsClient;

  beforeAll(async () => {
    stratus = await startTestStratus();
    lambda = new LambdaClient(stratus.clientConfig);
    sns = new SNSClient(stratus.clientConfig);
    sqs = new SQSClient(stratus.clientConfig);
    logs = new CloudWatchLogsClient(stratus.clientConfig);
  });
  afterAll(async () => {
    for (const client of [lambda, sns, sqs, logs]) client?.destroy();
    await stratus?.close();
  });

  const queue = (name: string, attributes?: Record<string, string>) => createQueue(sqs, name, attributes);

  /** Receives until `count` messages have arrived (deleting them), or fails after the timeout. */
  async function drain(queueUrl: string, count: number, timeoutMs = 20_000): Promise<Message[]> {
    const received: Message[] = [];
    await eventually(
      async () => {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            MessageAttributeNames: ['All'],
          }),
        );
        received.push(...Messages);
        if (Messages.length) {
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
            }),
          );
        }
        return received.length;
      },
      (n) => n >= count,
      { timeoutMs, everyMs: 0 },
    );
    return received;
  }

  it('fans a topic out to a queue, a filtered queue and a function; the queue drives a function that reports failures, and poison reaches the DLQ', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'orders' }));
    await queue('orders-dlq');
    const allUrl = await queue('all-orders', {
      VisibilityTimeout: '2',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn('orders-dlq'), maxReceiveCount: 2 }),
    });
    const bigUrl = await queue('big-orders');

    await createFunction(lambda, 'order-audit', {
      'index.js': `exports.handler = async (event) => { for (const r of event.Records) console.log('AUDIT ' + r.EventSource + ' ' + r.Sns.Message); };`,
    });
    await createFunction(
      lambda,
      'order-processor',
      {
        'index.js': `exports.handler = async (event) => {
          const batchItemFailures = [];
          for (const r of event.Records) {
            console.log('PROCESS ' + r.body);
            if (r.body.includes('poison')) batchItemFailures.push({ itemIdentifier: r.messageId });
          }
          return { batchItemFailures };
        };`,
      },
      { Timeout: 2 },
    );

    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: queueArn('all-orders'),
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: queueArn('big-orders'),
        Attributes: { RawMessageDelivery: 'true', FilterPolicy: JSON.stringify({ size: ['big'] }) },
      }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'lambda',
        Endpoint: `arn:aws:lambda:us-east-1:${account}:function:order-audit`,
      }),
    );
    await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'order-processor',
        EventSourceArn: queueArn('all-orders'),
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      }),
    );

    const orders = [
      { body: 'order-1', size: 'small' },
      { body: 'order-2', size: 'big' },
      { body: 'order-3 poison', size: 'small' },
      { body: 'order-4', size: 'big' },
      { body: 'order-5', size: 'small' },
    ];
    for (const order of orders) {
      await sns.send(
        new PublishCommand({
          TopicArn,
          Message: order.body,
          MessageAttributes: { size: { DataType: 'String', StringValue: order.size } },
        }),
      );
    }

    const big = await drain(bigUrl, 2);
    expect(big.map((m) => m.Body).sort()).toEqual(['order-2', 'order-4']);

    const audited = await eventually(
      () => logMessages(logs, 'order-audit', '"AUDIT"'),
      (lines) => lines.length >= orders.length,
    );
    expect(audited.map((l) => l.trim().replace(/^.*AUDIT /, '')).sort()).toEqual(
      orders.map((o) => `aws:sns ${o.body}`).sort(),
    );

    const dead = await drain(await queue('orders-dlq'), 1, 30_000);
    expect(dead.map((m) => m.Body)).toEqual(['order-3 poison']);
    const processed = (await logMessages(logs, 'order-processor', '"PROCESS"')).map((l) =>
      l.trim().replace(/^.*PROCESS /, ''),
    );
    for (const order of orders.filter((o) => !o.body.includes('poison'))) {
      expect(processed.filter((b) => b === order.body)).toHaveLength(1);
    }
    expect(processed.filter((b) => b === 'order-3 poison')).toHaveLength(2);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: allUrl, AttributeNames: ['All'] }),
    );
    expect(Number(Attributes!.ApproximateNumberOfMessages)).toBe(0);
    expect(Number(Attributes!.ApproximateNumberOfMessagesNotVisible)).toBe(0);
  });

  it('keeps per-group order through a FIFO topic and queue and drops duplicates within the window', async () => {
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({ Name: 'ledger.fifo', Attributes: { FifoTopic: 'true' } }),
    );
    const url = await queue('ledger.fifo', { FifoQueue: 'true' });
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: queueArn('ledger.fifo'),
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    const entries = Array.from({ length: 8 }, (_, i) => ({
      Id: `e${i}`,
      Message: `${i % 2 ? 'eu' : 'us'}:${i}`,
      MessageGroupId: i % 2 ? 'eu' : 'us',
      MessageDeduplicationId: `entry-${i}`,
    }));
    await sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: entries }));
    // The same deduplication ids again, within five minutes: dropped.
    for (const entry of entries.slice(0, 3)) {
      await sns.send(
        new PublishCommand({
          TopicArn,
          Message: `${entry.Message} again`,
          MessageGroupId: entry.MessageGroupId,
          MessageDeduplicationId: entry.MessageDeduplicationId,
        }),
      );
    }
    const received = await drain(url, entries.length);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }),
    );
    expect(Messages).toEqual([]);
    const bodies = received.map((m) => m.Body!);
    expect(bodies).toHaveLength(entries.length);
    for (const group of ['us', 'eu']) {
      expect(bodies.filter((b) => b.startsWith(group))).toEqual(
        entries.filter((e) => e.MessageGroupId === group).map((e) => e.Message),
      );
    }
  });
});
