/**
 * Scheduled rules on Stratus's clock (a ManualClock): a rule with a ScheduleExpression sends a
 * `Scheduled Event` to its targets at each due time — once per time, counted from when the rule
 * was put or enabled for a rate, at the named minutes for a cron expression — stops while
 * disabled, and after downtime fires once for the latest time it missed, neither losing nor
 * repeating a time across the restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DeleteRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ManualClock } from '../src/engine/clock.js';
import { createTestQueue, receive, type TestQueue } from './support/events.js';
import { startTestStratus, testStoreUrl, type TestStratus } from './support/stratus.js';
import { t0 } from './support/sqs.js';

const minute = 60_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const settle = () => new Promise((resolve) => setTimeout(resolve, 600));

interface ScheduledEvent {
  source: string;
  'detail-type': string;
  detail: unknown;
  resources: string[];
  time: string;
  account: string;
  region: string;
}

describe('EventBridge scheduled rules', () => {
  const clock = new ManualClock(t0);
  // Kept across the restart test's stop and start.
  const dataDir = mkdtempSync(join(tmpdir(), 'stratus-schedules-'));
  const storeUrl = testStoreUrl();
  let stratus: TestStratus;
  let eb: EventBridgeClient;
  let sqs: SQSClient;

  const connect = async () => {
    eb = new EventBridgeClient(stratus.clientConfig);
    sqs = new SQSClient(stratus.clientConfig);
  };
  const disconnect = () => {
    eb.destroy();
    sqs.destroy();
  };

  beforeAll(async () => {
    stratus = await startTestStratus({ clock, dataDir, storeUrl });
    await connect();
  });
  afterAll(async () => {
    disconnect();
    await stratus?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function scheduledRule(name: string, expression: string): Promise<{ arn: string; queue: TestQueue }> {
    const queue = await createTestQueue(sqs, name);
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: name, ScheduleExpression: expression }));
    await eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'q', Arn: queue.arn }] }));
    return { arn: RuleArn!, queue };
  }

  /** Receives `count` events from the queue and deletes them. */
  async function take(queue: TestQueue, count: number): Promise<ScheduledEvent[]> {
    const messages = await receive(sqs, queue, count);
    for (const m of messages) {
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: m.ReceiptHandle }));
    }
    expect(messages).toHaveLength(count);
    return messages.map((m) => JSON.parse(m.Body!) as ScheduledEvent);
  }

  async function expectNothing(queue: TestQueue): Promise<void> {
    await settle();
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    expect(Messages ?? []).toHaveLength(0);
  }

  async function stop(name: string) {
    await eb.send(new RemoveTargetsCommand({ Rule: name, Ids: ['q'] }));
    await eb.send(new DeleteRuleCommand({ Name: name }));
  }

  it('a rate rule fires once per period, counted from when it was put, with the Scheduled Event envelope', async () => {
    const start = clock.now();
    const { arn, queue } = await scheduledRule('every-five', 'rate(5 minutes)');
    clock.advance(4 * minute);
    await expectNothing(queue);
    clock.advance(minute);
    const [first] = await take(queue, 1);
    expect(first).toMatchObject({
      source: 'aws.events',
      'detail-type': 'Scheduled Event',
      detail: {},
      resources: [arn],
      time: iso(start + 5 * minute),
      account: '000000000000',
      region: 'us-east-1',
    });
    const times = [first!.time];
    for (let period = 2; period <= 4; period++) {
      clock.advance(5 * minute);
      const [event] = await take(queue, 1);
      times.push(event!.time);
    }
    expect(times).toEqual([5, 10, 15, 20].map((m) => iso(start + m * minute)));
    await expectNothing(queue);
    await stop('every-five');
  });

  it('a cron rule fires at the minutes it names, in UTC, and at no other time', async () => {
    const hour = Date.UTC(2026, 10, 2, 9, 0, 0);
    clock.set(hour);
    const { queue } = await scheduledRule('half-past', 'cron(30 * ? * MON *)');
    clock.set(hour + 29 * minute);
    await expectNothing(queue);
    clock.set(hour + 30 * minute);
    expect((await take(queue, 1))[0]!.time).toBe(iso(hour + 30 * minute));
    clock.set(hour + 89 * minute);
    await expectNothing(queue);
    clock.set(hour + 90 * minute);
    expect((await take(queue, 1))[0]!.time).toBe(iso(hour + 90 * minute));
    await stop('half-past');
  });

  it('a disabled rule does not fire; enabled again, its rate counts from the moment it was enabled', async () => {
    const { queue } = await scheduledRule('paused', 'rate(10 minutes)');
    clock.advance(10 * minute);
    await take(queue, 1);
    await eb.send(new DisableRuleCommand({ Name: 'paused' }));
    clock.advance(30 * minute);
    await expectNothing(queue);
    clock.advance(3 * minute);
    const enabledAt = clock.now();
    await eb.send(new EnableRuleCommand({ Name: 'paused' }));
    clock.advance(9 * minute);
    await expectNothing(queue);
    clock.advance(minute);
    expect((await take(queue, 1))[0]!.time).toBe(iso(enabledAt + 10 * minute));
    await stop('paused');
  });

  it('after a restart a rule fires once for the latest time it missed, then keeps its times', async () => {
    const putAt = clock.now();
    const { queue } = await scheduledRule('restarted', 'rate(5 minutes)');
    clock.advance(5 * minute);
    await take(queue, 1);
    disconnect();
    await stratus.stop();
    clock.advance(17 * minute);
    stratus = await startTestStratus({ clock, dataDir, storeUrl });
    await connect();
    const [missed] = await take(queue, 1);
    expect(missed!.time).toBe(iso(putAt + 20 * minute));
    await expectNothing(queue);
    clock.advance(3 * minute);
    expect((await take(queue, 1))[0]!.time).toBe(iso(putAt + 25 * minute));
    await expectNothing(queue);
  });

  it('refuses a schedule EventBridge does not accept, and one on a custom bus', async () => {
    await expect(
      eb.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: 'rate(1 minutes)' })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Parameter ScheduleExpression is not valid.',
    });
    await expect(
      eb.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: 'cron(0 12 * * * *)' })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      eb.send(
        new PutRuleCommand({ Name: 'bad', ScheduleExpression: 'rate(5 minutes)', EventBusName: 'orders' }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'ScheduleExpression is supported only on the default event bus.',
    });
  });
});
