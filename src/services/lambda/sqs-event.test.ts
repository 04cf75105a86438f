import { describe, expect, it } from 'vitest';
import { failedMessageIds, sqsEvent, sqsRecord } from './sqs-event.js';

const queueArn = 'arn:aws:sqs:us-east-1:000000000000:jobs';

describe('sqsRecord', () => {
  it('is Lambda SQS record shape, attributes in camelCase with binary values in base64', () => {
    const record = sqsRecord(
      {
        MessageId: 'm-1',
        ReceiptHandle: 'rh-1',
        Body: 'hello',
        MD5OfBody: '5d41402abc4b2a76b9719d911017c592',
        MD5OfMessageAttributes: 'abc',
        Attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1700000000000' },
        MessageAttributes: {
          color: { DataType: 'String', StringValue: 'red' },
          blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
        },
      },
      queueArn,
      'us-east-1',
    );
    expect(record).toEqual({
      messageId: 'm-1',
      receiptHandle: 'rh-1',
      body: 'hello',
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1700000000000' },
      messageAttributes: {
        color: { stringValue: 'red', stringListValues: [], binaryListValues: [], dataType: 'String' },
        blob: { binaryValue: 'AQID', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
      },
      md5OfMessageAttributes: 'abc',
      md5OfBody: '5d41402abc4b2a76b9719d911017c592',
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: 'us-east-1',
    });
  });

  it('leaves md5OfMessageAttributes out when the message has no attributes', () => {
    const record = sqsRecord(
      { MessageId: 'm', ReceiptHandle: 'r', Body: 'b', MD5OfBody: 'x' },
      queueArn,
      'us-east-1',
    );
    expect(record).not.toHaveProperty('md5OfMessageAttributes');
    expect(record.messageAttributes).toEqual({});
  });
});

describe('failedMessageIds', () => {
  const batch = ['a', 'b', 'c'];
  const answer = (payload: unknown, functionError = false) => ({
    functionError,
    payload: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)),
  });
  const cases: [string, ReturnType<typeof answer>, boolean, string[]][] = [
    ['a function error fails the whole batch', answer({}, true), false, ['a', 'b', 'c']],
    ['a function error fails it with partial responses too', answer({}, true), true, ['a', 'b', 'c']],
    [
      'without partial responses any answer succeeds',
      answer({ batchItemFailures: [{ itemIdentifier: 'a' }] }),
      false,
      [],
    ],
    [
      'failures named by itemIdentifier',
      answer({ batchItemFailures: [{ itemIdentifier: 'b' }] }),
      true,
      ['b'],
    ],
    ['an empty list is full success', answer({ batchItemFailures: [] }), true, []],
    ['a null list is full success', answer({ batchItemFailures: null }), true, []],
    ['an empty response is full success', answer({}), true, []],
    ['a null response is full success', answer('null'), true, []],
    ['no payload is full success', answer(''), true, []],
    ['a string response is full success', answer('"done"'), true, []],
    ['invalid JSON fails the batch', answer('{not json'), true, ['a', 'b', 'c']],
    [
      'an empty identifier fails the batch',
      answer({ batchItemFailures: [{ itemIdentifier: '' }] }),
      true,
      ['a', 'b', 'c'],
    ],
    [
      'a null identifier fails the batch',
      answer({ batchItemFailures: [{ itemIdentifier: null }] }),
      true,
      ['a', 'b', 'c'],
    ],
    [
      'a misspelt key fails the batch',
      answer({ batchItemFailures: [{ itemIdentifer: 'a' }] }),
      true,
      ['a', 'b', 'c'],
    ],
    [
      'an unknown message id fails the batch',
      answer({ batchItemFailures: [{ itemIdentifier: 'z' }] }),
      true,
      ['a', 'b', 'c'],
    ],
    ['a list that is not a list fails the batch', answer({ batchItemFailures: 'a' }), true, ['a', 'b', 'c']],
  ];
  for (const [name, given, partial, expected] of cases) {
    it(name, () => {
      expect([...failedMessageIds(batch, given, partial)].sort()).toEqual(expected);
    });
  }
});

describe('sqsEvent', () => {
  const record = (id: string, body: string) =>
    sqsRecord(
      { MessageId: id, ReceiptHandle: `rh-${id}`, Body: body, MD5OfBody: 'md5' },
      queueArn,
      'us-east-1',
    );
  const records = ['a', 'b', 'c'].map((id) => record(id, id.repeat(1000)));
  const whole = Buffer.byteLength(JSON.stringify({ Records: records }));

  it("is Lambda's event of all the records when they fit", () => {
    const { event, count } = sqsEvent(records, whole);
    expect(count).toBe(3);
    expect(event.toString()).toBe(JSON.stringify({ Records: records }));
  });

  it('stops before the record that would cross the limit', () => {
    const { event, count } = sqsEvent(records, whole - 1);
    expect(count).toBe(2);
    expect(event.toString()).toBe(JSON.stringify({ Records: records.slice(0, 2) }));
  });

  it('counts bytes as the event is sent: escaped and multi-byte characters weigh more', () => {
    const escaped = [record('q', '"'.repeat(1000)), record('u', 'é'.repeat(1000))];
    const size = Buffer.byteLength(JSON.stringify({ Records: escaped }));
    expect(size).toBeGreaterThan(4000);
    expect(sqsEvent(escaped, size).count).toBe(2);
    expect(sqsEvent(escaped, size - 1).count).toBe(1);
  });

  it('always holds the first record, whatever its size', () => {
    expect(sqsEvent(records, 10).count).toBe(1);
  });
});
