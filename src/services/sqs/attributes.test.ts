import { describe, expect, it } from 'vitest';
import {
  checkAttributes,
  defaultAttributes,
  firstDifference,
  mergeAttributes,
  parseRedriveAllowPolicy,
  parseRedrivePolicy,
  settingsOf,
} from './attributes.js';

describe('queue attributes', () => {
  it.each([
    ['VisibilityTimeout', '0', true],
    ['VisibilityTimeout', '43200', true],
    ['VisibilityTimeout', '43201', false],
    ['VisibilityTimeout', '-1', false],
    ['VisibilityTimeout', '1.5', false],
    ['MessageRetentionPeriod', '60', true],
    ['MessageRetentionPeriod', '59', false],
    ['MessageRetentionPeriod', '1209600', true],
    ['MessageRetentionPeriod', '1209601', false],
    ['DelaySeconds', '900', true],
    ['DelaySeconds', '901', false],
    ['MaximumMessageSize', '1024', true],
    ['MaximumMessageSize', '1023', false],
    ['MaximumMessageSize', '262145', true],
    ['MaximumMessageSize', '1048576', true],
    ['MaximumMessageSize', '1048577', false],
    ['ReceiveMessageWaitTimeSeconds', '20', true],
    ['ReceiveMessageWaitTimeSeconds', '21', false],
    ['KmsDataKeyReusePeriodSeconds', '59', false],
    ['SqsManagedSseEnabled', 'true', true],
    ['SqsManagedSseEnabled', 'yes', false],
    ['Policy', '{"Version":"2012-10-17"}', true],
    ['Policy', 'not json', false],
  ])('%s=%s accepted: %s', (name, value, accepted) => {
    const run = () => checkAttributes({ [name]: value }, false, false);
    if (accepted) expect(run()).toEqual({ [name]: value });
    else expect(run).toThrow(`Invalid value for the parameter ${name}.`);
  });

  it.each([
    [{ ContentBasedDeduplication: 'true' }, false, 'Unknown Attribute ContentBasedDeduplication.'],
    [{ DeduplicationScope: 'queue' }, false, 'Unknown Attribute DeduplicationScope.'],
    [{ QueueArn: 'x' }, true, 'Unknown Attribute QueueArn.'],
    [{ Colour: 'x' }, true, 'Unknown Attribute Colour.'],
    [{ FifoQueue: 'true' }, true, 'Unknown Attribute FifoQueue.'],
  ])('refuses %j (fifo %s) with %s', (attributes, fifo, message) => {
    expect(() => checkAttributes(attributes, fifo, false)).toThrow(message);
  });

  it('defaults differ by queue kind', () => {
    expect(defaultAttributes(false)).not.toHaveProperty('FifoQueue');
    expect(defaultAttributes(true)).toMatchObject({
      FifoQueue: 'true',
      ContentBasedDeduplication: 'false',
      DeduplicationScope: 'queue',
      FifoThroughputLimit: 'perQueue',
    });
  });

  it('an empty policy removes it; a KMS key turns SQS-managed encryption off', () => {
    const current = { ...defaultAttributes(false), RedrivePolicy: '{}', Policy: '{}' };
    const next = mergeAttributes(current, { RedrivePolicy: '', Policy: '', KmsMasterKeyId: 'alias/aws/sqs' });
    expect(next).not.toHaveProperty('RedrivePolicy');
    expect(next).not.toHaveProperty('Policy');
    expect(next).toMatchObject({ SqsManagedSseEnabled: 'false', KmsDataKeyReusePeriodSeconds: '300' });
  });

  it('perMessageGroupId throughput needs messageGroup deduplication', () => {
    expect(() =>
      mergeAttributes(defaultAttributes(true), { FifoThroughputLimit: 'perMessageGroupId' }),
    ).toThrow(/allowed only when the value for DeduplicationScope is messageGroup/);
  });

  it.each([
    ['{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:d","maxReceiveCount":"5"}', { maxReceiveCount: 5 }],
    ['{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:1:d","maxReceiveCount":1001}', /both inclusive/],
    ['{"maxReceiveCount":3}', /deadLetterTargetArn/],
    ['[1]', /not a valid JSON map/],
  ])('RedrivePolicy %s', (text, expected) => {
    const result = parseRedrivePolicy(text);
    if (expected instanceof RegExp) expect((result as Error).message).toMatch(expected);
    else expect(result).toMatchObject(expected);
  });

  it.each([
    ['{"redrivePermission":"allowAll"}', true],
    ['{"redrivePermission":"denyAll"}', true],
    ['{"redrivePermission":"byQueue","sourceQueueArns":["arn:aws:sqs:us-east-1:1:a"]}', true],
    ['{"redrivePermission":"byQueue"}', false],
    ['{"redrivePermission":"allowAll","sourceQueueArns":["a"]}', false],
    ['{"redrivePermission":"some"}', false],
  ])('RedriveAllowPolicy %s valid: %s', (text, valid) => {
    expect(parseRedriveAllowPolicy(text) instanceof Error).toBe(!valid);
  });

  it('settings are typed from the stored strings', () => {
    expect(settingsOf({ ...defaultAttributes(true), ContentBasedDeduplication: 'true' })).toMatchObject({
      visibilityTimeout: 30,
      retentionSeconds: 345600,
      contentBasedDeduplication: true,
      deduplicationScope: 'queue',
      redrive: undefined,
    });
  });

  it('CreateQueue compares only the attributes asked for', () => {
    const existing = defaultAttributes(false);
    expect(firstDifference(existing, { VisibilityTimeout: '30' })).toBeUndefined();
    expect(firstDifference(existing, { DelaySeconds: '5' })).toBe('DelaySeconds');
  });
});
