/**
 * `POST /_stratus/reset`: every service's state, or the named services', wiped while the server
 * runs — rows, work in flight, warm environments, pollers — and nothing of it coming back.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CreateEventSourceMappingCommand, InvokeCommand, ServiceException } from '@aws-sdk/client-lambda';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { createFunction, eventually } from './support/lambda.js';
import { queueArn } from './support/sqs.js';
import {
  clientsOf,
  counterCode,
  emptyState,
  invoke,
  populate,
  populatedState,
  readState,
  resetStratus,
  type Clients,
} from './support/state.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

describe('reset', () => {
  let stratus: TestStratus;
  let c: Clients;

  beforeAll(async () => {
    stratus = await startTestStratus();
    c = clientsOf(stratus);
  });
  afterAll(async () => {
    c?.destroy();
    await stratus?.close();
  });
  beforeEach(async () => {
    expect((await resetStratus(stratus.url)).status).toBe(200);
  });

  it('wipes every resource, message, log and metric of every service, and the server goes on serving', async () => {
    await populate(c);
    expect(await invoke(c.lambda, 'counter')).toEqual({ count: 1 });
    expect(await readState(c, stratus)).toMatchObject({ ...populatedState, logGroups: expect.any(Array) });

    const { status, body } = await resetStratus(stratus.url);
    expect(status).toBe(200);
    expect(body.services).toEqual([
      'logs',
      'sts',
      'cloudwatch',
      'lambda',
      'sqs',
      'sns',
      'ses',
      'sesv2',
      'dynamodb',
      'dynamodbstreams',
      'apigateway',
      'apigatewayv2',
      'apigatewaymanagementapi',
      'events',
      'scheduler',
      's3',
    ]);
    expect(body.tables).toMatchObject({
      sqs_messages: 3,
      lambda_functions: 1,
      ses_outbox: 1,
      sns_subscriptions: 1,
    });
    expect(await readState(c, stratus)).toEqual(emptyState);
    // Lambda's metrics of the invocation were still being gathered: they must not come back.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await c.cloudwatch.send(new ListMetricsCommand({}))).Metrics).toEqual([]);

    const orders = (await c.sqs.send(new CreateQueueCommand({ QueueName: 'orders' }))).QueueUrl!;
    expect((await c.sqs.send(new ReceiveMessageCommand({ QueueUrl: orders }))).Messages).toBeUndefined();
  });

  it('wipes only the named services, and answers what it reset', async () => {
    await populate(c);
    const { status, body } = await resetStratus(stratus.url, ['sqs']);
    expect(status).toBe(200);
    expect(body.services).toEqual(['sqs']);
    expect(Object.keys(body.tables).every((table) => table.startsWith('sqs_'))).toBe(true);
    expect(await readState(c, stratus)).toEqual({ ...populatedState, queues: [] });
  });

  it('resets SES v1 and v2 together, named either way', async () => {
    await populate(c);
    const { body } = await resetStratus(stratus.url, ['sesv2']);
    expect(body.services).toEqual(['ses', 'sesv2']);
    expect(await readState(c, stratus)).toEqual({ ...populatedState, identities: [], outbox: [] });
  });

  it('refuses unknown service names with the valid ones, and changes nothing', async () => {
    await populate(c);
    const { status, body } = await resetStratus(stratus.url, ['sqs', 'dynamo']);
    expect(status).toBe(400);
    expect(body).toEqual({
      __type: 'ValidationException',
      message:
        "Unknown service 'dynamo'; valid names: logs, sts, cloudwatch, lambda, sqs, sns, ses, sesv2, dynamodb, dynamodbstreams, apigateway, apigatewayv2, apigatewaymanagementapi, events, scheduler, s3",
    });
    expect(await readState(c, stratus)).toEqual(populatedState);
    const malformed = await fetch(new URL('/_stratus/reset', stratus.url), {
      method: 'POST',
      body: '{"services":',
    });
    expect(malformed.status).toBe(400);
  });

  it('stops warm environments: the same function made again starts cold, its old module state gone', async () => {
    await createFunction(c.lambda, 'counter', counterCode);
    await invoke(c.lambda, 'counter');
    expect(await invoke(c.lambda, 'counter')).toEqual({ count: 2 });
    await resetStratus(stratus.url);
    await createFunction(c.lambda, 'counter', counterCode);
    const out = await c.lambda.send(new InvokeCommand({ FunctionName: 'counter', LogType: 'Tail' }));
    expect(JSON.parse(Buffer.from(out.Payload!).toString())).toEqual({ count: 1 });
    expect(Buffer.from(out.LogResult!, 'base64').toString()).toContain('Init Duration');
  });

  it('stops an invocation under way, and its logs and metrics never arrive', async () => {
    await createFunction(c.lambda, 'sleeper', {
      'index.js': [
        'exports.handler = async () => {',
        "  console.log('started');",
        '  await new Promise((resolve) => setTimeout(resolve, 3000));',
        "  console.log('finished');",
        '};',
      ].join('\n'),
    });
    const running = c.lambda
      .send(new InvokeCommand({ FunctionName: 'sleeper' }))
      .catch((err: unknown) => err);
    await new Promise((resolve) => setTimeout(resolve, 800));
    await resetStratus(stratus.url);
    const failure = await running;
    expect(failure).toBeInstanceOf(ServiceException);
    expect((failure as Error).message).toMatch(/stopped by a reset/);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await c.logs.send(new DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
    expect((await c.cloudwatch.send(new ListMetricsCommand({}))).Metrics).toEqual([]);
  });

  it("stops an event source mapping's pollers: a queue made again under the same name keeps its messages", async () => {
    const jobs = (await c.sqs.send(new CreateQueueCommand({ QueueName: 'polled' }))).QueueUrl!;
    await createFunction(c.lambda, 'consumer', counterCode);
    await c.lambda.send(
      new CreateEventSourceMappingCommand({ FunctionName: 'consumer', EventSourceArn: queueArn('polled') }),
    );
    await c.sqs.send(new SendMessageCommand({ QueueUrl: jobs, MessageBody: 'consumed' }));
    const waiting = () =>
      c.sqs
        .send(
          new GetQueueAttributesCommand({
            QueueUrl: jobs,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        )
        .then(
          (out) =>
            Number(out.Attributes!.ApproximateNumberOfMessages) +
            Number(out.Attributes!.ApproximateNumberOfMessagesNotVisible),
        );
    await eventually(waiting, (n) => n === 0);

    await resetStratus(stratus.url);
    const again = (await c.sqs.send(new CreateQueueCommand({ QueueName: 'polled' }))).QueueUrl!;
    await c.sqs.send(new SendMessageCommand({ QueueUrl: again, MessageBody: 'kept' }));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const received = await c.sqs.send(new ReceiveMessageCommand({ QueueUrl: again }));
    expect(received.Messages?.map((m) => m.Body)).toEqual(['kept']);
  });

  it('ends a long poll waiting on a wiped queue with no messages', async () => {
    const queue = (await c.sqs.send(new CreateQueueCommand({ QueueName: 'quiet' }))).QueueUrl!;
    const started = Date.now();
    const polling = c.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue, WaitTimeSeconds: 15 }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await resetStratus(stratus.url);
    expect((await polling).Messages).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
