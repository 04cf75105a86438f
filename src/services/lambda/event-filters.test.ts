import { describe, expect, it } from 'vitest';
import { compilePattern } from '../../patterns/index.js';
import { isServiceError } from '../../protocol/errors.js';
import { checkFilterCriteria, compileFilters, patternDataFormats, recordMatches } from './event-filters.js';
import { sqsRecordMatches, type SqsRecord } from './sqs-event.js';

function refusal(criteria: Parameters<typeof checkFilterCriteria>[0]): { code: string; message: string } {
  try {
    checkFilterCriteria(criteria);
  } catch (err) {
    if (isServiceError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('accepted');
}

describe('checkFilterCriteria', () => {
  it('keeps the patterns as given, and nothing for no filters', () => {
    const pattern = '{ "body" : { "a": [ 1 ] } }';
    expect(checkFilterCriteria({ Filters: [{ Pattern: pattern }] })).toEqual({
      Filters: [{ Pattern: pattern }],
    });
    expect(checkFilterCriteria({})).toBeUndefined();
    expect(checkFilterCriteria({ Filters: [] })).toBeUndefined();
  });

  it.each([
    ['a missing pattern', {}],
    ['an empty pattern', { Pattern: '' }],
    ['a plain string', { Pattern: 'simple string' }],
    ['a scalar for a key', { Pattern: '{"eventSource": "aws:sqs"}' }],
    ['an empty list', { Pattern: '{"eventSource": []}' }],
    ['broken JSON', { Pattern: '[{"eventName": ["INSERT"=123}]' }],
    ['a wildcard (not for event sources)', { Pattern: '{"body": {"a": [{"wildcard": "x*"}]}}' }],
    [
      'anything-but of a prefix (not for event sources)',
      { Pattern: '{"body": [{"anything-but": {"prefix": "x"}}]}' },
    ],
  ])('refuses %s with Lambda’s one message', (_name, filter) => {
    expect(refusal({ Filters: [filter] })).toEqual({
      code: 'InvalidParameterValueException',
      message: 'Invalid filter pattern definition.',
    });
  });

  it('takes five filters and refuses a sixth', () => {
    const filter = { Pattern: '{"body": ["x"]}' };
    expect(checkFilterCriteria({ Filters: Array(5).fill(filter) })?.Filters).toHaveLength(5);
    expect(refusal({ Filters: Array(6).fill(filter) }).code).toBe('InvalidParameterValueException');
  });
});

function record(body: string, extra: Partial<SqsRecord> = {}): SqsRecord {
  return {
    messageId: 'm-1',
    receiptHandle: 'r-1',
    body,
    attributes: { ApproximateReceiveCount: '1', MessageGroupId: 'g' },
    messageAttributes: {
      color: { stringValue: 'red', stringListValues: [], binaryListValues: [], dataType: 'String' },
    },
    md5OfBody: 'md5',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
    awsRegion: 'us-east-1',
    ...extra,
  };
}

const filters = (...patterns: string[]) =>
  compileFilters({ Filters: patterns.map((Pattern) => ({ Pattern })) });

describe('filtering SQS records as Lambda does', () => {
  it.each([
    ['JSON body, JSON pattern: filtered', '{"body": {"kind": ["order"]}}', '{"kind": "order"}', true],
    ['JSON body, JSON pattern, no match', '{"body": {"kind": ["order"]}}', '{"kind": "refund"}', false],
    ['plain body, plain pattern: filtered', '{"body": ["hello"]}', 'hello', true],
    ['plain body, plain prefix pattern', '{"body": [{"prefix": "hel"}]}', 'hello world', true],
    ['plain body, plain pattern, no match', '{"body": ["hello"]}', 'goodbye', false],
    ['plain body, JSON pattern: dropped', '{"body": {"kind": [{"exists": false}]}}', 'plain text', false],
    ['JSON body, plain pattern: dropped', '{"body": [{"anything-but": "x"}]}', '{"kind": "order"}', false],
    ['a JSON number body is JSON', '{"body": [123]}', '123', false],
    [
      'a JSON body, numeric filter',
      '{"body": {"n": [{"numeric": [">=", 100, "<", 200]}]}}',
      '{"n": 100}',
      true,
    ],
    ['no body pattern: the other fields only', '{"attributes": {"MessageGroupId": ["g"]}}', 'anything', true],
    ['message attributes', '{"messageAttributes": {"color": {"stringValue": ["red"]}}}', '{}', true],
    ['not on eventSource (Lambda adds it after filtering)', '{"eventSource": ["aws:sqs"]}', '{}', false],
  ])('%s', (_name, pattern, body, delivered) => {
    expect(sqsRecordMatches(filters(pattern), record(body))).toBe(delivered);
  });

  it('delivers a record any one filter matches, and every record without filters', () => {
    const both = filters('{"body": {"kind": ["a"]}}', '{"body": ["plain"]}');
    expect(sqsRecordMatches(both, record('{"kind": "a"}'))).toBe(true);
    expect(sqsRecordMatches(both, record('plain'))).toBe(true);
    expect(sqsRecordMatches(both, record('{"kind": "b"}'))).toBe(false);
    expect(sqsRecordMatches([], record('anything'))).toBe(true);
  });

  it('applies the format rule branch by branch of a $or', () => {
    const either = filters('{"$or": [{"body": ["plain"]}, {"body": {"kind": ["a"]}}]}');
    expect(sqsRecordMatches(either, record('plain'))).toBe(true);
    expect(sqsRecordMatches(either, record('{"kind": "a"}'))).toBe(true);
  });
});

describe('stream records (DynamoDB, Kinesis)', () => {
  const newImage = {
    eventName: 'INSERT',
    dynamodb: { Keys: { id: { S: 'a' } }, NewImage: { id: { S: 'a' }, n: { N: '42' } } },
  };

  it('filters on eventName and the JSON data field', () => {
    const insertA = filters('{"eventName": ["INSERT"], "dynamodb": {"NewImage": {"id": {"S": ["a"]}}}}');
    expect(recordMatches(insertA, newImage, 'dynamodb', 'json')).toBe(true);
    expect(recordMatches(insertA, { ...newImage, eventName: 'MODIFY' }, 'dynamodb', 'json')).toBe(false);
  });

  it('tells which formats a pattern expects of the data field', () => {
    expect(patternDataFormats(compilePattern('{"dynamodb": ["x"]}'), 'dynamodb')).toEqual(new Set(['plain']));
    expect(patternDataFormats(compilePattern('{"dynamodb": {"a": ["x"]}}'), 'dynamodb')).toEqual(
      new Set(['json']),
    );
    expect(patternDataFormats(compilePattern('{"eventName": ["x"]}'), 'dynamodb')).toEqual(new Set());
  });
});
