import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CancelMessageMoveTaskCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  ResourceNotFoundException,
  SendMessageBatchCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { failure, startSqsTest, type SqsTest } from './support/sqs.js';

describe('SQS FIFO queues, dead-letter queues and message move tasks', () => {
  let t: SqsTest;
  let n = 0;
  beforeAll(async () => {
    t = await startSqsTest();
  });
  afterAll(() => t?.close());

  const create = async (name: string, Attributes?: Record<string, string>) => {
    const { QueueUrl } = await t.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }));
    const arn = (await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] })))
      .Attributes!.QueueArn!;
    return { url: QueueUrl!, arn };
  };
  const fifo = (Attributes: Record<string, string> = {}) =>
    create(`f${++n}.fifo`, { FifoQueue: 'true', ...Attributes });
  const send = (
    QueueUrl: string,
    MessageBody: string,
    MessageGroupId: string,
    MessageDeduplicationId?: string,
  ) =>
    t.sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody,
        MessageGroupId,
        MessageDeduplicationId: MessageDeduplicationId ?? MessageBody,
      }),
    );
  const receive = async (
    QueueUrl: string,
    max = 10,
    extra: Record<string, unknown> = {},
  ): Promise<Message[]> =>
    (
      await t.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: max,
          MessageSystemAttributeNames: ['All'],
          ...extra,
        }),
      )
    ).Messages ?? [];
  const bodies = (messages: Message[]) => messages.map((m) => m.Body);

  it('delivers each group in order and blocks a group while one of its messages is in flight', async () => {
    const { url } = await fifo();
    for (const body of ['a1', 'a2', 'a3']) await send(url, body, 'A');
    await send(url, 'b1', 'B');
    const first = await receive(url, 1);
    expect(bodies(first)).toEqual(['a1']);
    expect(bodies(await receive(url))).toEqual(['b1']);
    expect(await receive(url)).toEqual([]);
    await t.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first[0]!.ReceiptHandle }));
    expect(bodies(await receive(url))).toEqual(['a2', 'a3']);
  });

  it('a message whose visibility times out comes back before the rest of its group', async () => {
    const { url } = await fifo({ VisibilityTimeout: '5' });
    for (const body of ['x1', 'x2']) await send(url, body, 'X');
    expect(bodies(await receive(url, 1))).toEqual(['x1']);
    t.clock.advance(5000);
    expect(bodies(await receive(url, 10))).toEqual(['x1', 'x2']);
  });

  it('reports group, deduplication id and increasing sequence numbers', async () => {
    const { url } = await fifo();
    const one = await send(url, 'one', 'G', 'd-1');
    const two = await send(url, 'two', 'G', 'd-2');
    expect(one.SequenceNumber).toMatch(/^\d{20}$/);
    expect(BigInt(two.SequenceNumber!)).toBeGreaterThan(BigInt(one.SequenceNumber!));
    const [m] = await receive(url, 1);
    expect(m!.Attributes).toMatchObject({
      MessageGroupId: 'G',
      MessageDeduplicationId: 'd-1',
      SequenceNumber: one.SequenceNumber,
      ApproximateReceiveCount: '1',
    });
  });

  it('drops a duplicate deduplication id for 5 minutes, answering with the first message', async () => {
    const { url } = await fifo();
    const first = await send(url, 'pay', 'G', 'order-1');
    const again = await send(url, 'pay again', 'G', 'order-1');
    expect(again.MessageId).toBe(first.MessageId);
    expect(again.SequenceNumber).toBe(first.SequenceNumber);
    const batch = await t.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: 'new', MessageGroupId: 'G', MessageDeduplicationId: 'order-2' },
          { Id: 'b', MessageBody: 'new twin', MessageGroupId: 'G', MessageDeduplicationId: 'order-2' },
        ],
      }),
    );
    expect(batch.Successful![1]!.MessageId).toBe(batch.Successful![0]!.MessageId);
    const received = await receive(url);
    expect(bodies(received)).toEqual(['pay', 'new']);
    for (const m of received)
      await t.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    t.clock.advance(5 * 60_000 - 1);
    await send(url, 'still a duplicate', 'G', 'order-1');
    expect(await receive(url)).toEqual([]);
    t.clock.advance(1);
    await send(url, 'accepted', 'G', 'order-1');
    expect(bodies(await receive(url))).toEqual(['accepted']);
  });

  it('deduplicates by content with ContentBasedDeduplication, per group with DeduplicationScope=messageGroup', async () => {
    const cbd = await fifo({ ContentBasedDeduplication: 'true' });
    const a = await t.sqs.send(
      new SendMessageCommand({ QueueUrl: cbd.url, MessageBody: 'same', MessageGroupId: 'G' }),
    );
    const b = await t.sqs.send(
      new SendMessageCommand({ QueueUrl: cbd.url, MessageBody: 'same', MessageGroupId: 'H' }),
    );
    expect(b.MessageId).toBe(a.MessageId);
    const scoped = await fifo({
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    });
    const c = await send(scoped.url, 'c', 'G', 'same-id');
    const d = await send(scoped.url, 'd', 'H', 'same-id');
    expect(d.MessageId).not.toBe(c.MessageId);
    expect(bodies(await receive(scoped.url))).toEqual(['c', 'd']);
  });

  it('refuses sends FIFO queues cannot take', async () => {
    const { url } = await fifo();
    const noGroup = await failure(t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })));
    expect(noGroup.name).toBe('MissingParameter');
    expect(noGroup.message).toBe('The request must contain the parameter MessageGroupId.');
    const noDedup = await failure(
      t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'G' })),
    );
    expect(noDedup.name).toBe('InvalidParameterValue');
    expect(noDedup.message).toBe(
      'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
    const delayed = await failure(
      t.sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'x',
          MessageGroupId: 'G',
          MessageDeduplicationId: 'x',
          DelaySeconds: 5,
        }),
      ),
    );
    expect(delayed.message).toBe(
      'Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
    );
    const { url: standard } = await create(`std${++n}`);
    const dedupOnStandard = await failure(
      t.sqs.send(
        new SendMessageCommand({ QueueUrl: standard, MessageBody: 'x', MessageDeduplicationId: 'x' }),
      ),
    );
    expect(dedupOnStandard.name).toBe('InvalidParameterValue');
  });

  it('a repeated ReceiveRequestAttemptId answers the same messages and receipt handles', async () => {
    const { url } = await fifo();
    for (const body of ['r1', 'r2']) await send(url, body, 'R');
    const first = await receive(url, 10, { ReceiveRequestAttemptId: 'attempt-1' });
    const repeat = await receive(url, 10, { ReceiveRequestAttemptId: 'attempt-1' });
    expect(bodies(first)).toEqual(['r1', 'r2']);
    expect(repeat.map((m) => m.ReceiptHandle)).toEqual(first.map((m) => m.ReceiptHandle));
    expect(await receive(url, 10, { ReceiveRequestAttemptId: 'attempt-2' })).toEqual([]);
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives', async () => {
    const dlq = await create(`dlq${++n}`);
    const { url, arn } = await create(`src${n}`, {
      VisibilityTimeout: '1',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }),
    });
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    for (let i = 1; i <= 2; i++) {
      const [m] = await receive(url);
      expect(m!.Attributes!.ApproximateReceiveCount).toBe(String(i));
      t.clock.advance(1000);
    }
    expect(await receive(url)).toEqual([]);
    const [dead] = await receive(dlq.url);
    expect(dead!.Body).toBe('poison');
    expect(dead!.Attributes).toMatchObject({ DeadLetterQueueSourceArn: arn, ApproximateReceiveCount: '1' });
  });

  it('a FIFO dead-letter queue keeps the group and order', async () => {
    const dlq = await fifo();
    const source = await fifo({
      VisibilityTimeout: '1',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }),
    });
    for (const body of ['p1', 'p2']) await send(source.url, body, 'P');
    expect(bodies(await receive(source.url))).toEqual(['p1', 'p2']);
    t.clock.advance(1000);
    expect(await receive(source.url)).toEqual([]);
    const dead = await receive(dlq.url);
    expect(bodies(dead)).toEqual(['p1', 'p2']);
    expect(dead[0]!.Attributes!.MessageGroupId).toBe('P');
  });

  async function deadLettered(count: number) {
    const dlq = await create(`mdlq${++n}`);
    const source = await create(`msrc${n}`, {
      VisibilityTimeout: '1',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }),
    });
    for (let i = 0; i < count; i += 10) {
      await t.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: source.url,
          Entries: Array.from({ length: Math.min(10, count - i) }, (_, j) => ({
            Id: `e${j}`,
            MessageBody: `m${i + j}`,
          })),
        }),
      );
    }
    while ((await receive(source.url)).length > 0);
    t.clock.advance(1000);
    expect(await receive(source.url)).toEqual([]);
    return { dlq, source };
  }

  async function settled(sourceArn: string) {
    for (let i = 0; i < 100; i++) {
      const { Results } = await t.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn }));
      if (Results?.[0]?.Status !== 'RUNNING') return Results![0]!;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the move task did not finish');
  }

  it('StartMessageMoveTask returns dead-lettered messages to their source queue', async () => {
    const { dlq, source } = await deadLettered(25);
    const { TaskHandle } = await t.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
    expect(TaskHandle).toBeTruthy();
    const task = await settled(dlq.arn);
    expect(task).toMatchObject({
      Status: 'COMPLETED',
      SourceArn: dlq.arn,
      ApproximateNumberOfMessagesMoved: 25,
      ApproximateNumberOfMessagesToMove: 25,
    });
    expect(task.TaskHandle).toBeUndefined();
    let back: string[] = [];
    for (let batch = await receive(source.url); batch.length > 0; batch = await receive(source.url)) {
      back = back.concat(bodies(batch) as string[]);
    }
    expect(back.sort()).toEqual(Array.from({ length: 25 }, (_, i) => `m${i}`).sort());
  });

  it('moves to an explicit DestinationArn, and cancels a running task', async () => {
    const { dlq } = await deadLettered(30);
    const elsewhere = await create(`elsewhere${++n}`);
    const { TaskHandle } = await t.sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: dlq.arn,
        DestinationArn: elsewhere.arn,
        MaxNumberOfMessagesPerSecond: 5,
      }),
    );
    const running = await failure(t.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn })));
    expect(running.name).toBe('InvalidParameterValue');
    const { ApproximateNumberOfMessagesMoved } = await t.sqs.send(
      new CancelMessageMoveTaskCommand({ TaskHandle }),
    );
    expect(ApproximateNumberOfMessagesMoved).toBeLessThan(30);
    const task = await settled(dlq.arn);
    expect(task).toMatchObject({
      Status: 'CANCELLED',
      DestinationArn: elsewhere.arn,
      MaxNumberOfMessagesPerSecond: 5,
    });
    const again = await failure(t.sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle })));
    expect(again.name).toBe('InvalidParameterValue');
  });

  it('refuses move tasks from a queue that is no dead-letter queue, or does not exist', async () => {
    const plain = await create(`plain${++n}`);
    const notDlq = await failure(t.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: plain.arn })));
    expect(notDlq.name).toBe('InvalidParameterValue');
    expect(notDlq.message).toBe('Source queue must be configured as a Dead Letter Queue.');
    const missing = await failure(
      t.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: 'arn:aws:sqs:us-east-1:000000000000:nope' })),
    );
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing.$metadata.httpStatusCode).toBe(404);
  });
});
