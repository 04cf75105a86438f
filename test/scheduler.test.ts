/**
 * EventBridge Scheduler on Stratus's clock (a ManualClock): schedule groups and schedules through
 * the SDK, rate schedules that start at once, one-time schedules deleted after they ran, cron
 * schedules in a time zone across a daylight saving change, the universal target, and the errors.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  ListTagsForResourceCommand,
  SchedulerClient,
  TagResourceCommand,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ManualClock } from '../src/engine/clock.js';
import { createTestQueue, receive, type TestQueue } from './support/events.js';
import { startTestStratus, testStoreUrl, type TestStratus } from './support/stratus.js';
import { flexibleOffset } from '../src/services/scheduler/firing.js';
import { t0 } from './support/sqs.js';

const minute = 60_000;
const role = 'arn:aws:iam::000000000000:role/scheduler';
const off = { Mode: 'OFF' as const };

describe('EventBridge Scheduler', () => {
  const clock = new ManualClock(t0);
  // Kept across the restart test's stop and start.
  const dataDir = mkdtempSync(join(tmpdir(), 'stratus-scheduler-'));
  const storeUrl = testStoreUrl();
  let stratus: TestStratus;
  let scheduler: SchedulerClient;
  let sqs: SQSClient;

  const connect = () => {
    scheduler = new SchedulerClient(stratus.clientConfig);
    sqs = new SQSClient(stratus.clientConfig);
  };
  beforeAll(async () => {
    stratus = await startTestStratus({ clock, dataDir, storeUrl });
    connect();
  });
  afterAll(async () => {
    scheduler?.destroy();
    sqs?.destroy();
    await stratus?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function take(queue: TestQueue, count: number): Promise<string[]> {
    const messages = await receive(sqs, queue, count);
    for (const m of messages) {
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: m.ReceiptHandle }));
    }
    expect(messages).toHaveLength(count);
    return messages.map((m) => m.Body!);
  }

  async function expectNothing(queue: TestQueue): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 600));
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    expect(Messages ?? []).toHaveLength(0);
  }

  it('has the default group, creates, tags, lists and deletes groups', async () => {
    const { ScheduleGroupArn } = await scheduler.send(
      new CreateScheduleGroupCommand({ Name: 'jobs', Tags: [{ Key: 'team', Value: 'ops' }] }),
    );
    expect(ScheduleGroupArn).toBe('arn:aws:scheduler:us-east-1:000000000000:schedule-group/jobs');
    await expect(scheduler.send(new CreateScheduleGroupCommand({ Name: 'jobs' }))).rejects.toMatchObject({
      name: 'ConflictException',
    });
    const { ScheduleGroups } = await scheduler.send(new ListScheduleGroupsCommand({}));
    expect(ScheduleGroups!.map((g) => [g.Name, g.State])).toEqual([
      ['default', 'ACTIVE'],
      ['jobs', 'ACTIVE'],
    ]);
    await scheduler.send(
      new TagResourceCommand({ ResourceArn: ScheduleGroupArn, Tags: [{ Key: 'env', Value: 'dev' }] }),
    );
    const { Tags } = await scheduler.send(new ListTagsForResourceCommand({ ResourceArn: ScheduleGroupArn }));
    expect(Tags).toEqual([
      { Key: 'team', Value: 'ops' },
      { Key: 'env', Value: 'dev' },
    ]);
    await scheduler.send(new DeleteScheduleGroupCommand({ Name: 'jobs' }));
    await expect(scheduler.send(new GetScheduleGroupCommand({ Name: 'jobs' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('creates, reads, lists, updates and deletes schedules, and refuses what the Scheduler refuses', async () => {
    const queue = await createTestQueue(sqs, 'crud');
    const target = { Arn: queue.arn, RoleArn: role, Input: 'x' };
    const create = (Name: string, extra = {}) =>
      scheduler.send(
        new CreateScheduleCommand({
          Name,
          ScheduleExpression: 'cron(0 12 1 1 ? 2030)',
          FlexibleTimeWindow: off,
          Target: target,
          ...extra,
        }),
      );
    const { ScheduleArn } = await create('alpha');
    expect(ScheduleArn).toBe('arn:aws:scheduler:us-east-1:000000000000:schedule/default/alpha');
    await create('beta', { State: 'DISABLED' });
    await expect(create('alpha')).rejects.toMatchObject({ name: 'ConflictException' });
    await expect(create('gamma', { GroupName: 'nowhere' })).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(create('bad', { ScheduleExpression: 'rate(1 minutes)' })).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(create('bad', { ScheduleExpressionTimezone: 'Mars/Olympus' })).rejects.toMatchObject({
      name: 'ValidationException',
    });
    const got = await scheduler.send(new GetScheduleCommand({ Name: 'alpha' }));
    expect(got).toMatchObject({
      Arn: ScheduleArn,
      GroupName: 'default',
      State: 'ENABLED',
      ScheduleExpression: 'cron(0 12 1 1 ? 2030)',
      FlexibleTimeWindow: off,
      ActionAfterCompletion: 'NONE',
      Target: target,
    });
    const first = await scheduler.send(new ListSchedulesCommand({ MaxResults: 1 }));
    expect(first.Schedules!.map((s) => s.Name)).toEqual(['alpha']);
    const second = await scheduler.send(
      new ListSchedulesCommand({ MaxResults: 1, NextToken: first.NextToken }),
    );
    expect(second.Schedules!.map((s) => s.Name)).toEqual(['beta']);
    const disabled = await scheduler.send(new ListSchedulesCommand({ State: 'DISABLED' }));
    expect(disabled.Schedules!.map((s) => s.Name)).toEqual(['beta']);
    await scheduler.send(
      new UpdateScheduleCommand({
        Name: 'beta',
        ScheduleExpression: 'rate(1 day)',
        FlexibleTimeWindow: off,
        Target: target,
        State: 'DISABLED',
      }),
    );
    expect((await scheduler.send(new GetScheduleCommand({ Name: 'beta' }))).ScheduleExpression).toBe(
      'rate(1 day)',
    );
    await scheduler.send(new DeleteScheduleCommand({ Name: 'alpha' }));
    await scheduler.send(new DeleteScheduleCommand({ Name: 'beta' }));
    await expect(scheduler.send(new GetScheduleCommand({ Name: 'alpha' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(scheduler.send(new DeleteScheduleCommand({ Name: 'alpha' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('a rate schedule without StartDate runs at once, then every period, sending Input as it is', async () => {
    const queue = await createTestQueue(sqs, 'rate');
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'every-ten',
        ScheduleExpression: 'rate(10 minutes)',
        FlexibleTimeWindow: off,
        Target: { Arn: queue.arn, RoleArn: role, Input: '{"hello":"world"}' },
      }),
    );
    expect(await take(queue, 1)).toEqual(['{"hello":"world"}']);
    clock.advance(9 * minute);
    await expectNothing(queue);
    clock.advance(minute);
    await take(queue, 1);
    clock.advance(10 * minute);
    await take(queue, 1);
    await scheduler.send(new DeleteScheduleCommand({ Name: 'every-ten' }));
  });

  it('a one-time schedule runs once at its time in its zone, then ActionAfterCompletion DELETE removes it', async () => {
    const queue = await createTestQueue(sqs, 'once');
    const due = clock.now() + 30 * minute;
    // The wall-clock time in Tokyo (UTC+9) of `due`.
    const wall = new Date(due + 9 * 60 * minute).toISOString().slice(0, 19);
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'once',
        ScheduleExpression: `at(${wall})`,
        ScheduleExpressionTimezone: 'Asia/Tokyo',
        ActionAfterCompletion: 'DELETE',
        FlexibleTimeWindow: off,
        Target: { Arn: queue.arn, RoleArn: role, Input: 'once' },
      }),
    );
    clock.advance(29 * minute);
    await expectNothing(queue);
    clock.advance(minute);
    expect(await take(queue, 1)).toEqual(['once']);
    await expect(scheduler.send(new GetScheduleCommand({ Name: 'once' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('calls any operation through the universal target with Input as its parameters', async () => {
    const queue = await createTestQueue(sqs, 'universal');
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'universal',
        ScheduleExpression: 'rate(1 hour)',
        FlexibleTimeWindow: off,
        ActionAfterCompletion: 'NONE',
        Target: {
          Arn: 'arn:aws:scheduler:::aws-sdk:sqs:sendMessage',
          RoleArn: role,
          Input: JSON.stringify({ QueueUrl: queue.url, MessageBody: 'from the SDK target' }),
        },
      }),
    );
    expect(await take(queue, 1)).toEqual(['from the SDK target']);
    await scheduler.send(new DeleteScheduleCommand({ Name: 'universal' }));
  });

  it('a cron schedule in New York skips the 02:30 that clocks spring past', async () => {
    const queue = await createTestQueue(sqs, 'dst');
    clock.set(Date.UTC(2027, 2, 13, 0, 0));
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'half-past-two',
        ScheduleExpression: 'cron(30 2 * * ? *)',
        ScheduleExpressionTimezone: 'America/New_York',
        FlexibleTimeWindow: off,
        Target: { Arn: queue.arn, RoleArn: role, Input: 'tick' },
      }),
    );
    clock.set(Date.UTC(2027, 2, 13, 7, 30));
    await take(queue, 1);
    clock.set(Date.UTC(2027, 2, 15, 6, 29));
    await expectNothing(queue);
    clock.set(Date.UTC(2027, 2, 15, 6, 30));
    await take(queue, 1);
  });

  it('a flexible window runs each time at the same offset within it', async () => {
    const queue = await createTestQueue(sqs, 'flexible');
    const created = clock.now();
    const { ScheduleArn } = await scheduler.send(
      new CreateScheduleCommand({
        Name: 'flexible',
        ScheduleExpression: 'rate(1 hour)',
        StartDate: new Date(created + 60 * minute),
        FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
        Target: { Arn: queue.arn, RoleArn: role, Input: 'flex' },
      }),
    );
    const offset = flexibleOffset(ScheduleArn!, created + 60 * minute, 15);
    expect(offset).toBeLessThan(15 * minute);
    clock.set(created + 60 * minute + offset - minute);
    await expectNothing(queue);
    clock.set(created + 60 * minute + offset);
    await take(queue, 1);
    await scheduler.send(new DeleteScheduleCommand({ Name: 'flexible' }));
  });

  it('sends to a FIFO queue with SqsParameters, and a failing target to its dead-letter queue', async () => {
    const fifo = await createTestQueue(sqs, 'ordered.fifo', { FifoQueue: 'true' });
    const dlq = await createTestQueue(sqs, 'failed');
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'fifo',
        ScheduleExpression: 'rate(1 day)',
        FlexibleTimeWindow: off,
        Target: { Arn: fifo.arn, RoleArn: role, Input: 'in order', SqsParameters: { MessageGroupId: 'g1' } },
      }),
    );
    const [message] = await receive(sqs, fifo, 1);
    expect(message!.Body).toBe('in order');
    expect(message!.Attributes?.['MessageGroupId']).toBe('g1');
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'nowhere',
        ScheduleExpression: 'rate(1 day)',
        FlexibleTimeWindow: off,
        Target: {
          Arn: 'arn:aws:sqs:us-east-1:000000000000:missing',
          RoleArn: role,
          Input: 'lost',
          RetryPolicy: { MaximumRetryAttempts: 0 },
          DeadLetterConfig: { Arn: dlq.arn },
        },
      }),
    );
    const [dead] = await receive(sqs, dlq, 1);
    expect(dead!.Body).toBe('lost');
    expect(dead!.MessageAttributes?.['EXHAUSTED_RETRY_CONDITION']?.StringValue).toBe('MaximumRetryAttempts');
    await scheduler.send(new DeleteScheduleCommand({ Name: 'fifo' }));
    await scheduler.send(new DeleteScheduleCommand({ Name: 'nowhere' }));
  });

  it('after a restart a schedule fires once for the latest time it missed, then keeps its times', async () => {
    const queue = await createTestQueue(sqs, 'restarted');
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'restarted',
        ScheduleExpression: 'rate(5 minutes)',
        FlexibleTimeWindow: off,
        Target: { Arn: queue.arn, RoleArn: role, Input: 'r' },
      }),
    );
    await take(queue, 1);
    scheduler.destroy();
    sqs.destroy();
    await stratus.stop();
    clock.advance(17 * minute);
    stratus = await startTestStratus({ clock, dataDir, storeUrl });
    connect();
    await take(queue, 1);
    await expectNothing(queue);
    clock.advance(2 * minute);
    await expectNothing(queue);
    clock.advance(minute);
    await take(queue, 1);
  });
});
