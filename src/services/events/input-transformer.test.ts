import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from './envelope.js';
import { targetInput } from './input-transformer.js';

const event: EventEnvelope = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-0123456789', state: 'RUNNING', count: 3, tags: { team: 'a "b"' } },
};
const text = JSON.stringify(event);
const context = {
  ruleArn: 'arn:aws:events:us-east-1:123456789012:rule/r',
  ruleName: 'r',
  ingestionTime: '2015-11-11T21:29:55Z',
};
const paths = {
  instance: '$.detail.instance-id',
  state: '$.detail.state',
  count: '$.detail.count',
  tags: '$.detail.tags',
  missing: '$.detail.nothing',
};
const transform = (InputTemplate: string) =>
  targetInput(
    { Id: 't', Arn: 'x', InputTransformer: { InputPathsMap: paths, InputTemplate } },
    event,
    text,
    context,
  );

describe('target input', () => {
  it('is the event itself without Input, InputPath or InputTransformer', () => {
    expect(targetInput({ Id: 't', Arn: 'x' }, event, text, context)).toBe(text);
  });

  it('is the constant Input, or the part InputPath names (null when nothing is there)', () => {
    expect(targetInput({ Id: 't', Arn: 'x', Input: '{"a":1}' }, event, text, context)).toBe('{"a":1}');
    expect(targetInput({ Id: 't', Arn: 'x', InputPath: '$.detail.tags' }, event, text, context)).toBe(
      '{"team":"a \\"b\\""}',
    );
    expect(targetInput({ Id: 't', Arn: 'x', InputPath: '$.detail.x' }, event, text, context)).toBe('null');
  });

  it('fills a plain-text template with the values as text', () => {
    expect(transform('<instance> is in state <state>')).toBe('i-0123456789 is in state RUNNING');
    expect(transform('count <count>, tags <tags>, missing [<missing>]')).toBe(
      'count 3, tags {"team":"a \\"b\\""}, missing []',
    );
  });

  it('escapes values that stand inside a quoted string', () => {
    expect(transform('"<instance> is in state \\"<state>\\""')).toBe(
      '"i-0123456789 is in state \\"RUNNING\\""',
    );
  });

  it('puts JSON values outside strings and escaped text inside them in a JSON template', () => {
    const out = transform(
      '{"instance": <instance>, "count": <count>, "tags": <tags>, "missing": <missing>, "says": "<instance> has <tags>"}',
    );
    expect(JSON.parse(out)).toEqual({
      instance: 'i-0123456789',
      count: 3,
      tags: { team: 'a "b"' },
      missing: null,
      says: 'i-0123456789 has {"team":"a \\"b\\""}',
    });
  });

  it('knows the predefined variables', () => {
    const out = transform(
      '{"arn": <aws.events.rule-arn>, "name": "<aws.events.rule-name>", "at": <aws.events.event.ingestion-time>, "event": <aws.events.event>, "whole": <aws.events.event.json>}',
    );
    const { detail: _detail, ...withoutDetail } = event;
    expect(JSON.parse(out)).toEqual({
      arn: context.ruleArn,
      name: 'r',
      at: context.ingestionTime,
      event: withoutDetail,
      whole: event,
    });
  });

  it('leaves other angle brackets alone', () => {
    expect(transform('<b><instance></b> <unknown>')).toBe('<b>i-0123456789</b> <unknown>');
  });
});
