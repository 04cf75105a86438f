/**
 * Archives and replays through the SDK: a bus's matching events archived as they arrive, then
 * replayed — with `replay-name` — to the rules a replay names, never archived again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CancelReplayCommand,
  CreateArchiveCommand,
  CreateEventBusCommand,
  DeleteArchiveCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  EventBridgeClient,
  IllegalStatusException,
  InvalidEventPatternException,
  ListArchivesCommand,
  ListReplaysCommand,
  PutEventsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  StartReplayCommand,
  UpdateArchiveCommand,
} from '@aws-sdk/client-eventbridge';
import { DeleteMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { rejection } from './support/rejection.js';
import { createTestQueue, receive, ruleWithTargets, type TestQueue } from './support/events.js';
import { eventually } from './support/sns-endpoint.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const account = '000000000000';
const defaultBus = `arn:aws:events:us-east-1:${account}:event-bus/default`;
const archiveArn = (name: string) => `arn:aws:events:us-east-1:${account}:archive/${name}`;

describe('EventBridge archives and replays', () => {
  let stratus: TestStratus;
  let eb: EventBridgeClient;
  let sqs: SQSClient;
  let first: TestQueue;
  let second: TestQueue;
  let firstRule: string;
  const began = new Date(Date.now() - 60_000);

  beforeAll(async () => {
    stratus = await startTestStratus();
    eb = new EventBridgeClient(stratus.clientConfig);
    sqs = new SQSClient(stratus.clientConfig);
    first = await createTestQueue(sqs, 'first');
    second = await createTestQueue(sqs, 'second');
    firstRule = await ruleWithTargets(eb, 'first', { source: ['archived'] }, [{ Id: 'q', Arn: first.arn }]);
    await ruleWithTargets(eb, 'second', { source: ['archived'] }, [{ Id: 'q', Arn: second.arn }]);
  });
  afterAll(async () => {
    eb?.destroy();
    sqs?.destroy();
    await stratus?.close();
  });

  /** Receives `count` messages and deletes them. */
  async function drain(queue: TestQueue, count: number) {
    const messages = await receive(sqs, queue, count);
    for (const m of messages)
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: m.ReceiptHandle }));
    return messages.map((m) => JSON.parse(m.Body!) as Record<string, unknown>);
  }

  it('archives the events of a bus that match its pattern', async () => {
    const created = await eb.send(
      new CreateArchiveCommand({
        ArchiveName: 'orders',
        EventSourceArn: defaultBus,
        EventPattern: '{"source": ["archived"]}',
        RetentionDays: 7,
        Description: 'all orders',
      }),
    );
    expect(created).toMatchObject({ ArchiveArn: archiveArn('orders'), State: 'ENABLED' });
    await eb.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'archived', DetailType: 'Order Placed', Detail: '{"n": 1}' },
          { Source: 'archived', DetailType: 'Order Placed', Detail: '{"n": 2}' },
          { Source: 'ignored', DetailType: 'Order Placed', Detail: '{"n": 3}' },
        ],
      }),
    );
    expect((await drain(first, 2)).map((e) => (e['detail'] as { n: number }).n).sort()).toEqual([1, 2]);
    await drain(second, 2);
    const archive = await eb.send(new DescribeArchiveCommand({ ArchiveName: 'orders' }));
    expect(archive).toMatchObject({
      ArchiveArn: archiveArn('orders'),
      ArchiveName: 'orders',
      EventSourceArn: defaultBus,
      EventPattern: '{"source": ["archived"]}',
      Description: 'all orders',
      RetentionDays: 7,
      State: 'ENABLED',
      EventCount: 2,
    });
    expect(archive.SizeBytes).toBeGreaterThan(200);
  });

  it('lists archives by one filter at a time, updates and refuses what AWS refuses', async () => {
    await eb.send(new CreateEventBusCommand({ Name: 'other' }));
    await eb.send(
      new CreateArchiveCommand({
        ArchiveName: 'other-all',
        EventSourceArn: defaultBus.replace('default', 'other'),
      }),
    );
    expect(
      (await eb.send(new ListArchivesCommand({ EventSourceArn: defaultBus }))).Archives!.map(
        (a) => a.ArchiveName,
      ),
    ).toEqual(['orders']);
    expect(
      (await eb.send(new ListArchivesCommand({ NamePrefix: 'other' }))).Archives!.map((a) => a.ArchiveName),
    ).toEqual(['other-all']);
    const twoFilters = await rejection(
      eb.send(new ListArchivesCommand({ NamePrefix: 'o', State: 'ENABLED' })),
    );
    expect(twoFilters).toMatchObject({
      name: 'ValidationException',
      message:
        'At most one filter is allowed for ListArchives. Use either : State, EventSourceArn, or NamePrefix.',
    });
    await eb.send(new UpdateArchiveCommand({ ArchiveName: 'other-all', RetentionDays: 1 }));
    expect((await eb.send(new DescribeArchiveCommand({ ArchiveName: 'other-all' }))).RetentionDays).toBe(1);
    const dup = await rejection(
      eb.send(new CreateArchiveCommand({ ArchiveName: 'orders', EventSourceArn: defaultBus })),
    );
    expect(dup).toBeInstanceOf(ResourceAlreadyExistsException);
    expect(dup.message).toBe('Archive orders already exists.');
    const noBus = await rejection(
      eb.send(
        new CreateArchiveCommand({ ArchiveName: 'x', EventSourceArn: defaultBus.replace('default', 'nope') }),
      ),
    );
    expect(noBus).toBeInstanceOf(ResourceNotFoundException);
    expect(noBus.message).toBe('Event bus nope does not exist.');
    const badPattern = await rejection(
      eb.send(
        new CreateArchiveCommand({ ArchiveName: 'x', EventSourceArn: defaultBus, EventPattern: '{"a": 1}' }),
      ),
    );
    expect(badPattern).toBeInstanceOf(InvalidEventPatternException);
    await eb.send(new DeleteArchiveCommand({ ArchiveName: 'other-all' }));
    const gone = await rejection(eb.send(new DescribeArchiveCommand({ ArchiveName: 'other-all' })));
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    expect(gone.message).toBe('Archive other-all does not exist.');
  });

  it('replays the archived events with replay-name, only to the rules it names, and archives none again', async () => {
    const started = await eb.send(
      new StartReplayCommand({
        ReplayName: 'again',
        EventSourceArn: archiveArn('orders'),
        EventStartTime: began,
        EventEndTime: new Date(Date.now() + 60_000),
        Destination: { Arn: defaultBus, FilterArns: [firstRule] },
      }),
    );
    expect(started).toMatchObject({
      ReplayArn: `arn:aws:events:us-east-1:${account}:replay/again`,
      State: 'STARTING',
    });
    const replayed = await drain(first, 2);
    expect(replayed.map((e) => e['replay-name'])).toEqual(['again', 'again']);
    expect(replayed.map((e) => (e['detail'] as { n: number }).n).sort()).toEqual([1, 2]);
    const done = await eventually(async () => {
      const replay = await eb.send(new DescribeReplayCommand({ ReplayName: 'again' }));
      return replay.State === 'COMPLETED' && replay;
    }, 'the replay to complete');
    expect(done).toMatchObject({
      EventSourceArn: archiveArn('orders'),
      Destination: { Arn: defaultBus, FilterArns: [firstRule] },
    });
    expect(done.ReplayEndTime).toBeInstanceOf(Date);
    expect(done.EventLastReplayedTime).toBeInstanceOf(Date);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await receive(sqs, second, 0)).toEqual([]);
    expect((await eb.send(new DescribeArchiveCommand({ ArchiveName: 'orders' }))).EventCount).toBe(2);
    expect(
      (await eb.send(new ListReplaysCommand({ State: 'COMPLETED' }))).Replays!.map((r) => r.ReplayName),
    ).toEqual(['again']);
    const cancelled = await rejection(eb.send(new CancelReplayCommand({ ReplayName: 'again' })));
    expect(cancelled).toBeInstanceOf(IllegalStatusException);
    expect(cancelled.message).toBe('Replay again is not in a valid state for this operation.');
  });

  it('refuses replays AWS refuses', async () => {
    const replay = (overrides: Partial<ConstructorParameters<typeof StartReplayCommand>[0]>) =>
      rejection(
        eb.send(
          new StartReplayCommand({
            ReplayName: 'bad',
            EventSourceArn: archiveArn('orders'),
            EventStartTime: began,
            EventEndTime: new Date(),
            Destination: { Arn: defaultBus },
            ...overrides,
          }),
        ),
      );
    expect((await replay({ Destination: { Arn: defaultBus.replace('default', 'other') } })).message).toBe(
      'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.',
    );
    expect((await replay({ EventSourceArn: archiveArn('missing') })).message).toBe(
      'Parameter EventSourceArn is not valid. Reason: Archive missing does not exist.',
    );
    expect((await replay({ EventEndTime: new Date(began.getTime() - 1000) })).message).toBe(
      'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.',
    );
    const dup = await replay({ ReplayName: 'again' });
    expect(dup).toBeInstanceOf(ResourceAlreadyExistsException);
    expect(dup.message).toBe('Replay again already exists.');
    const unknown = await rejection(eb.send(new DescribeReplayCommand({ ReplayName: 'nope' })));
    expect(unknown).toBeInstanceOf(ResourceNotFoundException);
    expect(unknown.message).toBe('Replay nope does not exist.');
  });
});
