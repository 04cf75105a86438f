import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchEntryIdsNotDistinct,
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  EmptyBatchRequest,
  InvalidBatchEntryId,
  InvalidMessageContents,
  ReceiptHandleIsInvalid,
  SendMessageBatchCommand,
  SendMessageCommand,
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
  beforeAll(async () => {
    t = await startSqsTest();
  });
  afterAll(() => t?.close());

  const queue = (attributes?: Record<string, string>) => t.queue(attributes);
  const receive: SqsTest['receive'] = (url, extra) => t.receive(url, extra);
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
      Array.from({ length: 2 }, (_, i) => ({ Id: `b${i}`, MessageBody: 'x'.repeat(600_000) })),
    );
    expect(big).toBeInstanceOf(BatchRequestTooLong);
    expect(big.message).toBe(
      'Batch requests cannot be longer than 1048576 bytes. You have sent 1200000 bytes.',
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
});
