/**
 * Failed deliveries on Stratus's clock (a ManualClock): retries with backoff until the target's
 * RetryPolicy runs out — by attempts or by the event's age — then the dead-letter queue, with
 * the attributes EventBridge sets; failures retrying cannot fix go there at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  EventBridgeClient,
  PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import { SQSClient, type Message } from '@aws-sdk/client-sqs';
import { ManualClock } from '../src/engine/clock.js';
import {
  createTestQueue,
  receive,
  ruleWithTargets,
  startApiEndpoint,
  type ApiEndpoint,
  type TestQueue,
} from './support/events.js';
import { eventually } from './support/sns-endpoint.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import { t0 } from './support/sqs.js';

const attributes = (message: Message) =>
  Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]));

describe('EventBridge retries and dead-letter queues', () => {
  const clock = new ManualClock(t0);
  let stratus: TestStratus;
  let eb: EventBridgeClient;
  let sqs: SQSClient;
  let endpoint: ApiEndpoint;
  let dlq: TestQueue;
  let failing: string;

  beforeAll(async () => {
    stratus = await startTestStratus({ clock });
    eb = new EventBridgeClient(stratus.clientConfig);
    sqs = new SQSClient(stratus.clientConfig);
    endpoint = await startApiEndpoint();
    endpoint.answer(() => ({ status: 500 }));
    dlq = await createTestQueue(sqs, 'undelivered');
    const { ConnectionArn } = await eb.send(
      new CreateConnectionCommand({
        Name: 'down',
        AuthorizationType: 'API_KEY',
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } },
      }),
    );
    failing = (
      await eb.send(
        new CreateApiDestinationCommand({
          Name: 'down',
          ConnectionArn,
          InvocationEndpoint: `${endpoint.url}/down`,
          HttpMethod: 'POST',
        }),
      )
    ).ApiDestinationArn!;
  });
  afterAll(async () => {
    eb?.destroy();
    sqs?.destroy();
    await endpoint?.close();
    await stratus?.close();
  });

  async function put(source: string) {
    const { Entries } = await eb.send(
      new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'x', Detail: '{}' }] }),
    );
    return Entries![0]!.EventId!;
  }

  const attemptsWith = (source: string) =>
    endpoint.received.filter((r) => (JSON.parse(r.body) as { source: string }).source === source).length;

  it('retries with backoff on the clock, then sends the event to the dead-letter queue with why', async () => {
    const ruleArn = await ruleWithTargets(eb, 'retried', { source: ['retried'] }, [
      {
        Id: 'api',
        Arn: failing,
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: dlq.arn },
      },
    ]);
    const id = await put('retried');
    await eventually(() => attemptsWith('retried') === 1, 'the first attempt');
    // The first retry comes after 0.5–1 s, the second after 1–2 s: nothing before the clock moves.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(attemptsWith('retried')).toBe(1);
    clock.advance(1000);
    await eventually(() => attemptsWith('retried') === 2, 'the first retry');
    clock.advance(2000);
    await eventually(() => attemptsWith('retried') === 3, 'the second retry');
    const [message] = await receive(sqs, dlq, 1);
    expect(JSON.parse(message!.Body!)).toMatchObject({ id, source: 'retried' });
    expect(attributes(message!)).toEqual({
      RULE_ARN: ruleArn,
      TARGET_ARN: failing,
      ERROR_CODE: 'SDK_CLIENT_ERROR',
      ERROR_MESSAGE: 'Received a 500 response from the API destination endpoint.',
      EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
      RETRY_ATTEMPTS: '2',
    });
    clock.advance(60_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(attemptsWith('retried')).toBe(3);
  });

  it('gives up once the event is older than MaximumEventAgeInSeconds', async () => {
    const dlqAged = await createTestQueue(sqs, 'aged');
    await ruleWithTargets(eb, 'aged', { source: ['aged'] }, [
      {
        Id: 'api',
        Arn: failing,
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 60 },
        DeadLetterConfig: { Arn: dlqAged.arn },
      },
    ]);
    await put('aged');
    await eventually(() => attemptsWith('aged') === 1, 'the first attempt');
    clock.advance(61_000);
    await eventually(() => attemptsWith('aged') === 2, 'the retry');
    const [message] = await receive(sqs, dlqAged, 1);
    expect(attributes(message!)).toMatchObject({
      EXHAUSTED_RETRY_CONDITION: 'MaximumEventAgeInSeconds',
      RETRY_ATTEMPTS: '1',
    });
  });

  it('does not retry a target that does not exist: the event goes to the dead-letter queue at once', async () => {
    const dlqMissing = await createTestQueue(sqs, 'missing-targets');
    const queueArn = 'arn:aws:sqs:us-east-1:000000000000:no-such-queue';
    const functionArn = 'arn:aws:lambda:us-east-1:000000000000:function:no-such-function';
    await ruleWithTargets(eb, 'missing', { source: ['missing'] }, [
      { Id: 'queue', Arn: queueArn, DeadLetterConfig: { Arn: dlqMissing.arn } },
      { Id: 'function', Arn: functionArn, DeadLetterConfig: { Arn: dlqMissing.arn } },
    ]);
    await put('missing');
    const messages = await receive(sqs, dlqMissing, 2);
    const byTarget = Object.fromEntries(messages.map((m) => [attributes(m)['TARGET_ARN'], attributes(m)]));
    for (const arn of [queueArn, functionArn]) {
      expect(byTarget[arn]).toMatchObject({ ERROR_CODE: 'NO_RESOURCE', RETRY_ATTEMPTS: '0' });
      expect(byTarget[arn]).not.toHaveProperty('EXHAUSTED_RETRY_CONDITION');
    }
  });

  it('reports Step Functions targets as failed deliveries while Step Functions is not served', async () => {
    const dlqStates = await createTestQueue(sqs, 'states-targets');
    const machine = 'arn:aws:states:us-east-1:000000000000:stateMachine:orders';
    await ruleWithTargets(eb, 'to-states', { source: ['states'] }, [
      { Id: 'sfn', Arn: machine, DeadLetterConfig: { Arn: dlqStates.arn } },
    ]);
    await put('states');
    const [message] = await receive(sqs, dlqStates, 1);
    expect(attributes(message!)).toMatchObject({
      TARGET_ARN: machine,
      ERROR_MESSAGE: 'Step Functions is not served by this Stratus.',
    });
  });
});
