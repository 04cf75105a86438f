/**
 * PutEvents through rules to their targets, observed where the events land: an SQS queue (the
 * event in EventBridge's envelope), a FIFO queue (in the target's message group), a function
 * (invoked asynchronously), an SNS topic, another bus, and what Input, InputPath and
 * InputTransformer make of the event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateEventBusCommand,
  DisableRuleCommand,
  EventBridgeClient,
  PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createTestQueue, depth, receive, ruleWithTargets } from './support/events.js';
import { createFunction } from './support/lambda.js';
import { eventually } from './support/sns-endpoint.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const account = '000000000000';

describe('EventBridge deliveries', () => {
  let stratus: TestStratus;
  let eb: EventBridgeClient;
  let sqs: SQSClient;

  beforeAll(async () => {
    stratus = await startTestStratus();
    eb = new EventBridgeClient(stratus.clientConfig);
    sqs = new SQSClient(stratus.clientConfig);
  });
  afterAll(async () => {
    eb?.destroy();
    sqs?.destroy();
    await stratus?.close();
  });

  async function put(entry: { Source: string; DetailType: string; Detail: string; [k: string]: unknown }) {
    const result = await eb.send(new PutEventsCommand({ Entries: [entry] }));
    expect(result.FailedEntryCount).toBe(0);
    return result.Entries![0]!.EventId!;
  }

  it("puts a matching event on an SQS queue in EventBridge's envelope, and nothing else", async () => {
    const queue = await createTestQueue(sqs, 'orders');
    await ruleWithTargets(eb, 'orders-placed', { source: ['shop'], 'detail-type': ['Order Placed'] }, [
      { Id: 'queue', Arn: queue.arn },
    ]);
    const time = new Date('2026-11-01T12:00:00.750Z');
    const id = await put({
      Source: 'shop',
      DetailType: 'Order Placed',
      Detail: '{"order": {"id": "o-1", "total": 42}}',
      Resources: ['arn:aws:shop:::order/o-1'],
      Time: time,
    });
    await put({ Source: 'shop', DetailType: 'Order Shipped', Detail: '{}' });
    await put({ Source: 'other', DetailType: 'Order Placed', Detail: '{}' });
    const [message] = await receive(sqs, queue, 1);
    const body = JSON.parse(message!.Body!) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      'version',
      'id',
      'detail-type',
      'source',
      'account',
      'time',
      'region',
      'resources',
      'detail',
    ]);
    expect(body).toEqual({
      version: '0',
      id,
      'detail-type': 'Order Placed',
      source: 'shop',
      account,
      time: '2026-11-01T12:00:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:shop:::order/o-1'],
      detail: { order: { id: 'o-1', total: 42 } },
    });
    // The two that did not match never arrive.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await receive(sqs, queue, 0)).toEqual([]);
  });

  it('keeps disabled rules from delivering', async () => {
    const queue = await createTestQueue(sqs, 'disabled');
    await ruleWithTargets(eb, 'disabled-rule', { source: ['quiet'] }, [{ Id: 'q', Arn: queue.arn }]);
    await eb.send(new DisableRuleCommand({ Name: 'disabled-rule' }));
    await put({ Source: 'quiet', DetailType: 'x', Detail: '{}' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await receive(sqs, queue, 0)).toEqual([]);
  });

  it('sends to a FIFO queue in the message group the target names, deduplicated by event id', async () => {
    const queue = await createTestQueue(sqs, 'orders.fifo', { FifoQueue: 'true' });
    await ruleWithTargets(eb, 'to-fifo', { source: ['fifo-shop'] }, [
      { Id: 'fifo', Arn: queue.arn, SqsParameters: { MessageGroupId: 'orders' } },
    ]);
    // One PutEvents: its events are routed in one transaction, in order. (A standard bus does not
    // promise order across PutEvents calls.)
    const { Entries } = await eb.send(
      new PutEventsCommand({
        Entries: [0, 1, 2].map((n) => ({ Source: 'fifo-shop', DetailType: 'n', Detail: `{"n": ${n}}` })),
      }),
    );
    const ids = Entries!.map((e) => e.EventId);
    // Received only once all are in: a FIFO group hands out nothing more while a message is in flight.
    await eventually(async () => (await depth(sqs, queue)) === 3, 'the three messages');
    const messages = await receive(sqs, queue, 3);
    expect(messages.map((m) => (JSON.parse(m.Body!) as { detail: { n: number } }).detail.n)).toEqual([
      0, 1, 2,
    ]);
    expect(messages.map((m) => m.Attributes!['MessageGroupId'])).toEqual(['orders', 'orders', 'orders']);
    expect(messages.map((m) => m.Attributes!['MessageDeduplicationId'])).toEqual(ids);
  });

  it('invokes a function asynchronously with the event', async () => {
    const lambda = new LambdaClient(stratus.clientConfig);
    const logs = new CloudWatchLogsClient(stratus.clientConfig);
    try {
      const fn = await createFunction(lambda, 'on-order', {
        'index.js': 'exports.handler = async (event) => { console.log("EVENT " + JSON.stringify(event)); };',
      });
      await ruleWithTargets(eb, 'to-function', { source: ['lambda-shop'] }, [
        { Id: 'fn', Arn: fn.FunctionArn! },
      ]);
      const id = await put({ Source: 'lambda-shop', DetailType: 'Order Placed', Detail: '{"id": 7}' });
      const line = await eventually(
        async () => {
          const page = await logs
            .send(
              new FilterLogEventsCommand({ logGroupName: '/aws/lambda/on-order', filterPattern: 'EVENT' }),
            )
            .catch(() => undefined);
          return page?.events?.[0]?.message;
        },
        'the function to log its event',
        30_000,
      );
      expect(JSON.parse(line.slice(line.indexOf('EVENT ') + 6))).toMatchObject({
        id,
        source: 'lambda-shop',
        'detail-type': 'Order Placed',
        detail: { id: 7 },
      });
    } finally {
      lambda.destroy();
      logs.destroy();
    }
  });

  it('publishes to an SNS topic', async () => {
    const sns = new SNSClient(stratus.clientConfig);
    try {
      const queue = await createTestQueue(sqs, 'from-topic');
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'order-events' }));
      await sns.send(
        new SubscribeCommand({
          TopicArn,
          Protocol: 'sqs',
          Endpoint: queue.arn,
          Attributes: { RawMessageDelivery: 'true' },
        }),
      );
      await ruleWithTargets(eb, 'to-topic', { source: ['sns-shop'] }, [{ Id: 'topic', Arn: TopicArn! }]);
      const id = await put({ Source: 'sns-shop', DetailType: 'x', Detail: '{"via": "sns"}' });
      const [message] = await receive(sqs, queue, 1);
      expect(JSON.parse(message!.Body!)).toMatchObject({ id, detail: { via: 'sns' } });
    } finally {
      sns.destroy();
    }
  });

  it('routes to another bus, whose rules deliver the same event', async () => {
    await eb.send(new CreateEventBusCommand({ Name: 'audit' }));
    const queue = await createTestQueue(sqs, 'audit-log');
    await ruleWithTargets(eb, 'to-audit', { source: ['bus-shop'] }, [
      { Id: 'audit', Arn: `arn:aws:events:us-east-1:${account}:event-bus/audit` },
    ]);
    await ruleWithTargets(
      eb,
      'audit-all',
      { source: ['bus-shop'] },
      [{ Id: 'log', Arn: queue.arn }],
      'audit',
    );
    const id = await put({ Source: 'bus-shop', DetailType: 'Order Placed', Detail: '{"hop": 1}' });
    const [message] = await receive(sqs, queue, 1);
    expect(JSON.parse(message!.Body!)).toMatchObject({ id, source: 'bus-shop', detail: { hop: 1 } });
  });

  it('sends what Input, InputPath and InputTransformer make of the event', async () => {
    const queue = await createTestQueue(sqs, 'shaped');
    const ruleArn = await ruleWithTargets(eb, 'shaped', { source: ['shape-shop'] }, [
      { Id: 'constant', Arn: queue.arn, Input: '{"fixed": true}' },
      { Id: 'path', Arn: queue.arn, InputPath: '$.detail.customer' },
      {
        Id: 'text',
        Arn: queue.arn,
        InputTransformer: {
          InputPathsMap: { id: '$.detail.id', name: '$.detail.customer.name' },
          InputTemplate: '"Order <id> by <name>"',
        },
      },
      {
        Id: 'json',
        Arn: queue.arn,
        InputTransformer: {
          InputPathsMap: { id: '$.detail.id', customer: '$.detail.customer', missing: '$.detail.nothing' },
          InputTemplate:
            '{"order": <id>, "customer": <customer>, "missing": <missing>, "rule": "<aws.events.rule-name>", "arn": <aws.events.rule-arn>, "at": <aws.events.event.ingestion-time>, "event": <aws.events.event.json>}',
        },
      },
    ]);
    const id = await put({
      Source: 'shape-shop',
      DetailType: 'Order Placed',
      Detail: '{"id": 9, "customer": {"name": "Ada \\"the\\" Lovelace"}}',
    });
    const bodies = (await receive(sqs, queue, 4)).map((m) => m.Body!);
    expect(bodies).toContain('{"fixed": true}');
    expect(bodies).toContain('{"name":"Ada \\"the\\" Lovelace"}');
    expect(bodies).toContain('"Order 9 by Ada \\"the\\" Lovelace"');
    const json = JSON.parse(bodies.find((b) => b.startsWith('{"order"'))!);
    expect(json).toMatchObject({
      order: 9,
      customer: { name: 'Ada "the" Lovelace' },
      missing: null,
      rule: 'shaped',
      arn: ruleArn,
      event: { id, source: 'shape-shop', detail: { id: 9 } },
    });
    expect(Date.parse(json.at)).not.toBeNaN();
  });
});
