/**
 * FIFO topics keep each message group in order to each subscription through failures and
 * retries, and when several nodes share the delivery work. SQS's SendMessage is wrapped to watch
 * (and, for one test, refuse) what SNS hands the queue; everything else is the real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTopicCommand, PublishBatchCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type * as SQS from '@aws-sdk/client-sqs';
import { ManualClock } from '../src/engine/clock.js';
import { InternalFailure } from '../src/protocol/errors.js';
import { serviceDefinitions } from '../src/services/registry.js';
import type { RequestContext, ServiceDefinition } from '../src/services/service.js';
import { sqs as sqsService } from '../src/services/sqs/definition.js';
import { eventually } from './support/sns-endpoint.js';
import { startTestStratus, testStoreUrl, type TestStratus } from './support/stratus.js';

type SendMessage = (input: SQS.SendMessageRequest, context: RequestContext) => Promise<unknown>;

/** The registry with SQS's SendMessage running `before` first: it may wait, or throw to refuse. */
function servicesWithSendHook(
  before: (input: SQS.SendMessageRequest) => Promise<void> | void,
): ServiceDefinition[] {
  const sqs: ServiceDefinition = {
    ...sqsService,
    async create(context) {
      const instance = await sqsService.create(context);
      const provider = instance.provider as { SendMessage: SendMessage };
      const send = provider.SendMessage.bind(provider);
      provider.SendMessage = async (input, requestContext) => {
        await before(input);
        return send(input, requestContext);
      };
      return instance;
    },
  };
  return serviceDefinitions.map((definition) => (definition.name === 'sqs' ? sqs : definition));
}

/** A FIFO topic with a FIFO queue subscribed (raw, so bodies are the messages); the queue's URL. */
async function fifoTopicToQueue(sns: SNSClient, sqs: SQSClient, name: string) {
  const { TopicArn } = await sns.send(
    new CreateTopicCommand({
      Name: `${name}.fifo`,
      Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' },
    }),
  );
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: `${name}.fifo`, Attributes: { FifoQueue: 'true' } }),
  );
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn,
      Protocol: 'sqs',
      Endpoint: Attributes!['QueueArn'],
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  return { topicArn: TopicArn!, queueUrl: QueueUrl! };
}

/** Receives and deletes what the queue holds, appending each body to its group's list. */
async function drain(sqs: SQSClient, queueUrl: string, byGroup: Map<string, string[]>): Promise<void> {
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['MessageGroupId'],
      }),
    );
    if (Messages.length === 0) return;
    for (const m of Messages) {
      const group = m.Attributes!['MessageGroupId']!;
      byGroup.set(group, [...(byGroup.get(group) ?? []), m.Body!]);
    }
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, n) => ({ Id: `d${n}`, ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
}

const numbered = (prefix: string, count: number) => Array.from({ length: count }, (_, n) => `${prefix} ${n}`);

describe('SNS FIFO topics: group order across retries', () => {
  let stratus: TestStratus;
  let sns: SNSClient;
  let sqs: SQSClient;
  const clock = new ManualClock(Date.UTC(2026, 11, 3, 9, 0, 0));
  /** Every body SNS tried to send, refused or not, in order. */
  const attempts: string[] = [];
  let queueDown = false;

  beforeAll(async () => {
    const services = servicesWithSendHook(({ MessageBody }) => {
      attempts.push(MessageBody!);
      if (queueDown && MessageBody === 'held 0') throw new InternalFailure('the queue is unavailable');
    });
    stratus = await startTestStratus({ clock, services });
    sns = new SNSClient(stratus.clientConfig);
    sqs = new SQSClient(stratus.clientConfig);
  });
  afterAll(async () => {
    sns?.destroy();
    sqs?.destroy();
    await stratus?.close();
  });

  it('a delivery that fails holds back the later messages of its group until its retry succeeds; other groups go on', async () => {
    const { topicArn, queueUrl } = await fifoTopicToQueue(sns, sqs, 'retried');
    queueDown = true;
    const held = numbered('held', 5);
    const free = numbered('free', 5);
    await sns.send(
      new PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: held.flatMap((message, n) => [
          { Id: `h${n}`, Message: message, MessageGroupId: 'held' },
          { Id: `f${n}`, Message: free[n], MessageGroupId: 'free' },
        ]),
      }),
    );

    // 'held 0' fails its first attempt and SNS's three immediate retries; the next retry is a
    // second away on the manual clock. Meanwhile the other group is delivered in full.
    const received = new Map<string, string[]>();
    await eventually(async () => {
      await drain(sqs, queueUrl, received);
      return (received.get('free') ?? []).length === free.length;
    }, 'the other group');
    await eventually(() => attempts.filter((b) => b === 'held 0').length === 4, 'four attempts of held 0');
    expect(received.get('free')).toEqual(free);
    expect(received.get('held')).toBeUndefined();
    expect(attempts.filter((b) => b.startsWith('held'))).toEqual(Array(4).fill('held 0'));

    queueDown = false;
    clock.advance(1_000);
    await eventually(async () => {
      await drain(sqs, queueUrl, received);
      return (received.get('held') ?? []).length === held.length;
    }, 'the held group');
    expect(received.get('held')).toEqual(held);
    // Nothing of the group was sent before its first message finally went through.
    expect(attempts.filter((b) => b.startsWith('held'))).toEqual([
      ...Array(5).fill('held 0'),
      ...held.slice(1),
    ]);
  });
});

const postgres = testStoreUrl();

describe.skipIf(!postgres)('SNS FIFO topics on two nodes sharing one PostgreSQL store', () => {
  it('delivers each message group in order while both nodes deliver', { timeout: 120_000 }, async () => {
    // A send takes 5–15 ms, as to a queue across a network: deliveries fall behind publishing,
    // so both nodes hold deliveries of one group at the same time.
    const sent = [0, 0];
    const slowSends = (node: number) =>
      servicesWithSendHook(() => {
        sent[node]!++;
        return new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 10));
      });
    const a = await startTestStratus({ storeUrl: postgres, services: slowSends(0) });
    const b = await startTestStratus({ storeUrl: postgres, dataDir: a.dataDir, services: slowSends(1) });
    const snsClients = [new SNSClient(a.clientConfig), new SNSClient(b.clientConfig)];
    const sqs = new SQSClient(a.clientConfig);
    try {
      const { topicArn, queueUrl } = await fifoTopicToQueue(snsClients[0]!, sqs, 'shared');
      const groups = ['g0', 'g1', 'g2', 'g3'];
      const perGroup = 40;
      // Ten messages a batch, the groups interleaved, the batches published through both nodes.
      for (let batch = 0; batch < (groups.length * perGroup) / 10; batch++) {
        await snsClients[batch % 2]!.send(
          new PublishBatchCommand({
            TopicArn: topicArn,
            PublishBatchRequestEntries: Array.from({ length: 10 }, (_, n) => {
              const i = batch * 10 + n;
              const group = groups[i % groups.length]!;
              return {
                Id: `e${n}`,
                Message: `${group} ${Math.floor(i / groups.length)}`,
                MessageGroupId: group,
              };
            }),
          }),
        );
      }
      const received = new Map<string, string[]>();
      await eventually(
        async () => {
          await drain(sqs, queueUrl, received);
          return groups.every((g) => (received.get(g) ?? []).length >= perGroup);
        },
        'every message',
        60_000,
      );
      for (const group of groups) expect(received.get(group)).toEqual(numbered(group, perGroup));
      expect(
        sent.every((count) => count > 0),
        `both nodes delivered (${sent.join(' and ')})`,
      ).toBe(true);
    } finally {
      for (const client of [...snsClients, sqs]) client.destroy();
      await b.stop();
      await a.close();
    }
  });
});
