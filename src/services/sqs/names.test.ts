import { describe, expect, it } from 'vitest';
import { checkQueueName, decodeReceipt, encodeReceipt, parseQueueArn, parseQueueUrl } from './names.js';

describe('queue names, URLs and receipt handles', () => {
  it.each([
    ['orders', false, true],
    ['a'.repeat(80), false, true],
    ['a'.repeat(81), false, false],
    ['with space', false, false],
    ['dotted.name', false, false],
    ['jobs.fifo', true, true],
    ['jobs', true, false],
    [`${'a'.repeat(75)}.fifo`, true, true],
    [`${'a'.repeat(76)}.fifo`, true, false],
    ['.fifo', true, false],
  ])('%s (fifo %s) valid: %s', (name, fifo, valid) => {
    if (valid) expect(() => checkQueueName(name, fifo)).not.toThrow();
    else expect(() => checkQueueName(name, fifo)).toThrow();
  });

  it.each([
    ['http://127.0.0.1:4566/000000000000/orders', { accountId: '000000000000', name: 'orders' }],
    [
      'https://sqs.eu-west-1.amazonaws.com/123456789012/jobs.fifo',
      { accountId: '123456789012', name: 'jobs.fifo' },
    ],
    ['orders', { accountId: '111111111111', name: 'orders' }],
  ])('parses %s', (url, expected) => {
    expect(parseQueueUrl(url, '111111111111')).toEqual(expected);
  });

  it('a URL without an account and a name does not name a queue', () => {
    expect(() => parseQueueUrl('http://127.0.0.1:4566/orders', '1')).toThrow(
      'The specified queue does not exist.',
    );
    expect(() => parseQueueUrl('not a url at all', '1')).toThrow(/is not valid for this endpoint/);
  });

  it('parses queue ARNs and refuses others', () => {
    expect(parseQueueArn('arn:aws:sqs:us-east-1:000000000000:q')).toEqual({
      accountId: '000000000000',
      region: 'us-east-1',
      name: 'q',
    });
    expect(parseQueueArn('arn:aws:sns:us-east-1:000000000000:t')).toBeUndefined();
    expect(parseQueueArn('nope')).toBeUndefined();
  });

  it('receipt handles round-trip and refuse anything else', () => {
    const receipt = { queueId: 7, seq: 123456789, token: '0123456789abcdef' };
    expect(decodeReceipt(encodeReceipt(receipt))).toEqual(receipt);
    for (const bad of ['', 'garbage', Buffer.from('sqs1:1:2:short').toString('base64'), 'c3FzMTox!']) {
      expect(() => decodeReceipt(bad)).toThrow('is not a valid receipt handle');
    }
  });
});
