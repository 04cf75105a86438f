import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchEntryIdsNotDistinct,
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  EmptyBatchRequest,
  GetQueueAttributesCommand,
  InvalidBatchEntryId,
  InvalidMessageContents,
  MessageNotInflight,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TooManyEntriesInBatchRequest,
  BatchRequestTooLong,
} from '@aws-sdk/client-sqs';
import { failure, startSqsTest, t0, type SqsTest } from './support/sqs.js';

/** SQS's attribute digest, written out independently of the server's code from AWS's description. */
function expectedMd5(
  attributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }>,
) {
  const parts: Buffer[] = [];
  const field = (b: Buffer) => {
    const n = Buffer.alloc(4);
    n.writeInt32BE(b.length);
    parts.push(n, b);
  };
  for (const name of Object.keys(attributes).sort()) {
    const a = attributes[name]!;
    field(Buffer.from(name));
    field(Buffer.from(a.DataType));
    if (a.BinaryValue) {
      parts.push(Buffer.from([2]));
      field(Buffer.from(a.BinaryValue));
    } else {
      parts.push(Buffer.from([1]));
      field(Buffer.from(a.StringValue!));
    }
  }
  return createHash('md5').update(Buffer.concat(parts)).digest('hex');
}

describe('SQS messages', () => {
  let t: SqsTest;
  let n = 0;
  beforeAll(async () => {
    t = await startSqsTest();
  });
  afterAll(() => t?.close());

  const queue = async (Attributes?: Record<string, string>) =>
    (await t.sqs.send(new CreateQueueCommand({ QueueName: `m${++n}`, Attributes }))).QueueUrl!;
  const receive = (
    QueueUrl: string,
    extra: Partial<ConstructorParameters<typeof ReceiveMessageCommand>[0]> = {},
  ) => t.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ...extra }));
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

  it('sends and receives a message with attributes and their MD5s exactly as AWS computes them', async () => {
    const url = await queue();
    const attributes = {
      colour: { DataType: 'String', StringValue: 'blue' },
      amount: { DataType: 'Number', StringValue: '12.5' },
      blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2, 255]) },
      'custom.kind': { DataType: 'String.utf8', StringValue: 'ünïcode ✓' },
    };
    const sent = await t.sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'hello ✓',
        MessageAttributes: attributes,
        MessageSystemAttributes: {
          AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793' },
        },
      }),
    );
    expect(sent.MD5OfMessageBody).toBe(createHash('md5').update('hello ✓').digest('hex'));
    expect(sent.MD5OfMessageAttributes).toBe(expectedMd5(attributes));
    expect(sent.MD5OfMessageSystemAttributes).toBe(
      expectedMd5({
        AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793' },
      }),
    );
    t.clock.advance(1500);
    const { Messages } = await receive(url, {
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
    });
    expect(Messages).toHaveLength(1);
    const m = Messages![0]!;
    expect(m).toMatchObject({ MessageId: sent.MessageId, Body: 'hello ✓', MD5OfBody: sent.MD5OfMessageBody });
    expect(m.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect(m.MessageAttributes?.blob?.BinaryValue).toEqual(new Uint8Array([0, 1, 2, 255]));
    expect(m.MessageAttributes?.['custom.kind']).toMatchObject({
      DataType: 'String.utf8',
      StringValue: 'ünïcode ✓',
    });
    expect(m.Attributes).toEqual({
      SenderId: '000000000000',
      SentTimestamp: String(t0),
      ApproximateReceiveCount: '1',
      ApproximateFirstReceiveTimestamp: String(t0 + 1500),
      AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793',
    });
  });

  it('returns only the message attributes asked for, by name or prefix.*', async () => {
    const url = await queue();
    await t.sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'x',
        MessageAttributes: {
          'order.id': { DataType: 'String', StringValue: '1' },
          'order.total': { DataType: 'Number', StringValue: '2' },
          other: { DataType: 'String', StringValue: '3' },
        },
      }),
    );
    const { Messages } = await receive(url, {
      MessageAttributeNames: ['order.*'],
      MessageSystemAttributeNames: ['SentTimestamp'],
    });
    const m = Messages![0]!;
    expect(Object.keys(m.MessageAttributes!).sort()).toEqual(['order.id', 'order.total']);
    expect(m.MD5OfMessageAttributes).toBe(
      expectedMd5({
        'order.id': { DataType: 'String', StringValue: '1' },
        'order.total': { DataType: 'Number', StringValue: '2' },
      }),
    );
    expect(m.Attributes).toEqual({ SentTimestamp: String(t0 + 1500) });
  });

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

  it('deletes a message by receipt handle; deleting again succeeds', async () => {
    const url = await queue({ VisibilityTimeout: '0' });
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'bye' }));
    const { Messages } = await receive(url);
    await t.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: Messages![0]!.ReceiptHandle }));
    await t.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: Messages![0]!.ReceiptHandle }));
    expect((await receive(url)).Messages).toBeUndefined();
  });

  it('refuses a malformed receipt handle and one from another queue with ReceiptHandleIsInvalid', async () => {
    const url = await queue();
    const other = await queue();
    await t.sqs.send(new SendMessageCommand({ QueueUrl: other, MessageBody: 'x' }));
    const { Messages } = await receive(other);
    const err = await failure(
      t.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'garbage' })),
    );
    expect(err).toBeInstanceOf(ReceiptHandleIsInvalid);
    expect(err.message).toBe('The input receipt handle "garbage" is not a valid receipt handle.');
    expect(err.$metadata.httpStatusCode).toBe(404);
    const cross = await failure(
      t.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: Messages![0]!.ReceiptHandle })),
    );
    expect(cross).toBeInstanceOf(ReceiptHandleIsInvalid);
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

  it('receives at most MaxNumberOfMessages (≤ 10)', async () => {
    const url = await queue();
    for (let i = 0; i < 2; i++) {
      await t.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: Array.from({ length: 10 }, (_, j) => ({ Id: `e${j}`, MessageBody: `b${i}-${j}` })),
        }),
      );
    }
    expect((await receive(url, { MaxNumberOfMessages: 3 })).Messages).toHaveLength(3);
    expect((await receive(url)).Messages).toHaveLength(10);
    expect((await receive(url)).Messages).toHaveLength(7);
    for (const bad of [0, 11]) {
      const err = await failure(receive(url, { MaxNumberOfMessages: bad }));
      expect(err.name).toBe('InvalidParameterValue');
      expect(err.message).toBe(
        `Value ${bad} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`,
      );
    }
  });

  it('refuses a body with characters outside the XML range with InvalidMessageContents', async () => {
    const url = await queue();
    const err = await failure(
      t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'bell \u0007' })),
    );
    expect(err).toBeInstanceOf(InvalidMessageContents);
    expect(err.message).toMatch(/^Invalid characters found/);
  });

  it('refuses a message larger than MaximumMessageSize, attributes included', async () => {
    const url = await queue({ MaximumMessageSize: '1024' });
    await t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(1024) }));
    const err = await failure(
      t.sqs.send(
        new SendMessageCommand({
          QueueUrl: url,
          MessageBody: 'x'.repeat(1000),
          MessageAttributes: { a: { DataType: 'String', StringValue: 'y'.repeat(30) } },
        }),
      ),
    );
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.message).toBe(
      'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.',
    );
  });

  it.each([
    [{ 'AWS.x': { DataType: 'String', StringValue: 'v' } }, /attribute name 'AWS.x' is invalid/],
    [{ 'a..b': { DataType: 'String', StringValue: 'v' } }, /attribute name 'a..b' is invalid/],
    [{ a: { DataType: 'Text', StringValue: 'v' } }, /type of message \(user\) attribute 'a' is invalid/],
    [
      { a: { DataType: 'Number', StringValue: 'ten' } },
      /Can't cast the value of message \(user\) attribute 'a' to a number/,
    ],
    [{ a: { DataType: 'String', StringValue: '' } }, /must contain a non-empty value of type 'String'/],
    [
      Object.fromEntries(
        Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]),
      ),
      /Number of message attributes \[11\] exceeds the allowed maximum \[10\]/,
    ],
  ])('refuses invalid message attributes (%#)', async (MessageAttributes, message) => {
    const url = await queue();
    const err = await failure(
      t.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes })),
    );
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.message).toMatch(message);
  });

  it('SendMessageBatch reports failures per entry and sends the rest', async () => {
    const url = await queue();
    const out = await t.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'good', MessageBody: 'fine' },
          { Id: 'bad', MessageBody: 'bell \u0007' },
          { Id: 'late', MessageBody: 'later', DelaySeconds: 2000 },
        ],
      }),
    );
    expect(out.Successful?.map((s) => s.Id)).toEqual(['good']);
    expect(out.Successful![0]!.MD5OfMessageBody).toBe(createHash('md5').update('fine').digest('hex'));
    expect(out.Failed).toEqual([
      expect.objectContaining({ Id: 'bad', SenderFault: true, Code: 'InvalidMessageContents' }),
      expect.objectContaining({ Id: 'late', SenderFault: true, Code: 'InvalidParameterValue' }),
    ]);
    expect((await receive(url)).Messages?.map((m) => m.Body)).toEqual(['fine']);
  });

  it('refuses empty, oversized, duplicate-id and bad-id batches', async () => {
    const url = await queue();
    const send = (Entries: { Id: string; MessageBody: string }[]) =>
      failure(t.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries })));
    const empty = await send([]);
    expect(empty).toBeInstanceOf(EmptyBatchRequest);
    expect(empty.message).toBe('There should be at least one SendMessageBatchRequestEntry in the request.');
    const many = await send(Array.from({ length: 11 }, (_, i) => ({ Id: `i${i}`, MessageBody: 'x' })));
    expect(many).toBeInstanceOf(TooManyEntriesInBatchRequest);
    expect(many.message).toBe('Maximum number of entries per request are 10. You have sent 11.');
    const dup = await send([
      { Id: 'same', MessageBody: 'a' },
      { Id: 'same', MessageBody: 'b' },
    ]);
    expect(dup).toBeInstanceOf(BatchEntryIdsNotDistinct);
    expect(dup.message).toBe('Id same repeated.');
    expect(await send([{ Id: 'no spaces', MessageBody: 'a' }])).toBeInstanceOf(InvalidBatchEntryId);
    const big = await send(
      Array.from({ length: 2 }, (_, i) => ({ Id: `b${i}`, MessageBody: 'x'.repeat(200_000) })),
    );
    expect(big).toBeInstanceOf(BatchRequestTooLong);
    expect(big.message).toBe(
      'Batch requests cannot be longer than 262144 bytes. You have sent 400000 bytes.',
    );
  });

  it('DeleteMessageBatch and ChangeMessageVisibilityBatch report per entry', async () => {
    const url = await queue();
    await t.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: 'a' },
          { Id: 'b', MessageBody: 'b' },
        ],
      }),
    );
    const { Messages } = await receive(url);
    const [a, b] = Messages!;
    const changed = await t.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', ReceiptHandle: a!.ReceiptHandle, VisibilityTimeout: 0 },
          { Id: 'x', ReceiptHandle: 'nope', VisibilityTimeout: 0 },
        ],
      }),
    );
    expect(changed.Successful).toEqual([{ Id: 'a' }]);
    expect(changed.Failed).toEqual([
      {
        Id: 'x',
        SenderFault: true,
        Code: 'ReceiptHandleIsInvalid',
        Message: 'The input receipt handle "nope" is not a valid receipt handle.',
      },
    ]);
    const deleted = await t.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'b', ReceiptHandle: b!.ReceiptHandle },
          { Id: 'y', ReceiptHandle: 'bad' },
        ],
      }),
    );
    expect(deleted.Successful).toEqual([{ Id: 'b' }]);
    expect(deleted.Failed?.map((f) => f.Id)).toEqual(['y']);
    expect((await receive(url)).Messages?.map((m) => m.Body)).toEqual(['a']);
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
