import { describe, expect, it } from 'vitest';
import { failedMessageIds, sqsRecord } from './sqs-event.js';

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
