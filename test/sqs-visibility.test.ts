import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChangeMessageVisibilityCommand,
  GetQueueAttributesCommand,
  MessageNotInflight,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { failure, startSqsTest, type SqsTest } from './support/sqs.js';

describe('SQS visibility, delays, retention and long polling', () => {
  let t: SqsTest;
  beforeAll(async () => {
    t = await startSqsTest();
  });
  afterAll(() => t?.close());

  const queue = (attributes?: Record<string, string>) => t.queue(attributes);
  const receive: SqsTest['receive'] = (url, extra) => t.receive(url, extra);
  const count = async (QueueUrl: string) =>
    (
      await t.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl,
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'ApproximateNumberOfMessagesDelayed',
          ],
        }),
      )
    ).Attributes;

  it('a received message stays invisible for the visibility timeout, then comes back with a higher receive count', async () => {
    const url = await queue({ VisibilityTimeout: '10' });
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'again' }));
    const first = await receive(url, { MessageSystemAttributeNames: ['ApproximateReceiveCount'] });
    expect(first.Messages![0]!.Attributes).toEqual({ ApproximateReceiveCount: '1' });
    expect(await count(url)).toEqual({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '1',
      ApproximateNumberOfMessagesDelayed: '0',
    });
    expect((await receive(url)).Messages).toBeUndefined();
    t.clock.advance(9_999);
    expect((await receive(url)).Messages).toBeUndefined();
    t.clock.advance(1);
    const second = await receive(url, { AttributeNames: ['All'] });
    expect(second.Messages![0]!.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(second.Messages![0]!.ReceiptHandle).not.toBe(first.Messages![0]!.ReceiptHandle);
    // ReceiveMessage's own VisibilityTimeout wins over the queue's.
    t.clock.advance(10_000);
    await receive(url, { VisibilityTimeout: 100 });
    t.clock.advance(99_000);
    expect((await receive(url)).Messages).toBeUndefined();
  });

  it('ChangeMessageVisibility extends or ends the invisibility; a message not in flight is MessageNotInflight', async () => {
    const url = await queue({ VisibilityTimeout: '30' });
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'v' }));
    const { Messages } = await receive(url);
    const handle = Messages![0]!.ReceiptHandle!;
    await t.sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 60 }),
    );
    t.clock.advance(59_000);
    expect((await receive(url)).Messages).toBeUndefined();
    await t.sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 0 }),
    );
    const again = await receive(url);
    expect(again.Messages![0]!.Body).toBe('v');
    t.clock.advance(30_000);
    const err = await failure(
      t.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: url,
          ReceiptHandle: again.Messages![0]!.ReceiptHandle,
          VisibilityTimeout: 5,
        }),
      ),
    );
    expect(err).toBeInstanceOf(MessageNotInflight);
    expect(err.message).toBe('Message does not exist or is not available for visibility timeout change.');
    const range = await failure(
      t.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: url,
          ReceiptHandle: handle,
          VisibilityTimeout: 43_201,
        }),
      ),
    );
    expect(range.name).toBe('InvalidParameterValue');
  });

  it('keeps a message invisible at most 12 hours after its receive', async () => {
    const url = await queue();
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'long job' }));
    const { Messages } = await receive(url, { VisibilityTimeout: 3600 });
    const ReceiptHandle = Messages![0]!.ReceiptHandle!;
    t.clock.advance(3600_000 - 1);
    await t.sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle, VisibilityTimeout: 39_600 }),
    );
    const err = await failure(
      t.sqs.send(
        new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle, VisibilityTimeout: 39_601 }),
      ),
    );
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.message).toBe(
      'Value 39601 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]',
    );
  });

  it('delays a message by the queue delay or its own DelaySeconds, counting it as delayed', async () => {
    const url = await queue({ DelaySeconds: '5' });
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'queue delay' }));
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'own delay', DelaySeconds: 20 }));
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'no delay', DelaySeconds: 0 }));
    expect(await count(url)).toMatchObject({
      ApproximateNumberOfMessages: '1',
      ApproximateNumberOfMessagesDelayed: '2',
    });
    expect((await receive(url, { VisibilityTimeout: 600 })).Messages?.map((m) => m.Body)).toEqual([
      'no delay',
    ]);
    t.clock.advance(5000);
    expect((await receive(url, { VisibilityTimeout: 600 })).Messages?.map((m) => m.Body)).toEqual([
      'queue delay',
    ]);
    t.clock.advance(15_000);
    expect((await receive(url, { VisibilityTimeout: 600 })).Messages?.map((m) => m.Body)).toEqual([
      'own delay',
    ]);
    const err = await failure(
      t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', DelaySeconds: 901 })),
    );
    expect(err.name).toBe('InvalidParameterValue');
  });

  it('drops messages past the retention period', async () => {
    const url = await queue({ MessageRetentionPeriod: '60' });
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'old' }));
    t.clock.advance(30_000);
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'new' }));
    t.clock.advance(30_000);
    expect(await count(url)).toMatchObject({ ApproximateNumberOfMessages: '1' });
    expect((await receive(url)).Messages?.map((m) => m.Body)).toEqual(['new']);
  });

  it('long polling answers the moment a message arrives', async () => {
    const url = await queue();
    const started = performance.now();
    const polling = receive(url, { WaitTimeSeconds: 20 });
    await new Promise((r) => setTimeout(r, 200));
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'now' }));
    const { Messages } = await polling;
    const waited = performance.now() - started;
    expect(Messages?.map((m) => m.Body)).toEqual(['now']);
    expect(waited).toBeGreaterThanOrEqual(190);
    expect(waited).toBeLessThan(1500);
  });

  it('long polling ends empty after WaitTimeSeconds, and the queue default applies', async () => {
    const url = await queue({ ReceiveMessageWaitTimeSeconds: '1' });
    const started = performance.now();
    const { Messages } = await receive(url);
    expect(Messages).toBeUndefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    const err = await failure(receive(url, { WaitTimeSeconds: 21 }));
    expect(err.name).toBe('InvalidParameterValue');
  });

  it('a long poll does not hold up other requests', async () => {
    const url = await queue();
    const polling = receive(url, { WaitTimeSeconds: 2 });
    const started = performance.now();
    await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    expect(performance.now() - started).toBeLessThan(500);
    await t.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DelaySeconds: '0' } }));
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'late' }));
    expect((await polling).Messages?.map((m) => m.Body)).toEqual(['late']);
  });
});
