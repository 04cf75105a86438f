import { describe, expect, it } from 'vitest';
import { compileFilterPolicy, FilterPolicyError, type FilterAttribute } from './filter-policy.js';

type Attributes = Record<string, FilterAttribute>;
const str = (StringValue: string): FilterAttribute => ({ DataType: 'String', StringValue });
const num = (n: number | string): FilterAttribute => ({ DataType: 'Number', StringValue: String(n) });
const arr = (values: unknown[]): FilterAttribute => ({
  DataType: 'String.Array',
  StringValue: JSON.stringify(values),
});

interface AttributeExample {
  policy: unknown;
  matches: Attributes[];
  rejects: Attributes[];
}

function attributeExamples(examples: AttributeExample[]): void {
  it.each(examples)('$policy', ({ policy, matches, rejects }) => {
    const compiled = compileFilterPolicy(JSON.stringify(policy), 'MessageAttributes');
    for (const attributes of matches)
      expect(compiled.matches({ attributes, body: '' }), `should match ${JSON.stringify(attributes)}`).toBe(
        true,
      );
    for (const attributes of rejects)
      expect(
        compiled.matches({ attributes, body: '' }),
        `should not match ${JSON.stringify(attributes)}`,
      ).toBe(false);
  });
}

interface BodyExample {
  policy: unknown;
  matches: unknown[];
  rejects: unknown[];
}

function bodyExamples(examples: BodyExample[]): void {
  it.each(examples)('$policy', ({ policy, matches, rejects }) => {
    const compiled = compileFilterPolicy(JSON.stringify(policy), 'MessageBody');
    const text = (body: unknown) => (typeof body === 'string' ? body : JSON.stringify(body));
    for (const body of matches)
      expect(compiled.matches({ attributes: {}, body: text(body) }), `should match ${text(body)}`).toBe(true);
    for (const body of rejects)
      expect(compiled.matches({ attributes: {}, body: text(body) }), `should not match ${text(body)}`).toBe(
        false,
      );
  });
}

describe('attribute policies: exact values, AND of keys, OR of values', () => {
  attributeExamples([
    {
      policy: { store: ['example_corp'] },
      matches: [{ store: str('example_corp') }, { store: str('example_corp'), other: str('x') }],
      rejects: [{}, { store: str('Example_Corp') }, { shop: str('example_corp') }],
    },
    {
      policy: { store: ['example_corp'], event: ['order_placed', 'order_cancelled'] },
      matches: [
        { store: str('example_corp'), event: str('order_placed') },
        { store: str('example_corp'), event: str('order_cancelled') },
      ],
      rejects: [{ store: str('example_corp') }, { store: str('example_corp'), event: str('order_shipped') }],
    },
    {
      policy: { price_usd: [100, 200.5] },
      matches: [{ price_usd: num(100) }, { price_usd: num('200.50') }, { price_usd: num('1.0E2') }],
      rejects: [{ price_usd: num(101) }, { price_usd: str('100') }],
    },
    {
      policy: { customer_interests: ['rugby', 'football'] },
      matches: [
        { customer_interests: arr(['soccer', 'rugby', 'hockey']) },
        { customer_interests: str('rugby') },
      ],
      rejects: [{ customer_interests: arr(['baseball', 'basketball']) }, { customer_interests: arr([]) }],
    },
    {
      policy: { flags: [true, 7] },
      matches: [{ flags: arr([false, true]) }, { flags: arr([7]) }],
      rejects: [{ flags: arr(['true', '7']) }],
    },
    {
      policy: { data: ['abc'] },
      matches: [],
      rejects: [
        { data: { DataType: 'Binary' } },
        { data: { DataType: 'String.Array', StringValue: 'not json' } },
      ],
    },
    {
      policy: { type: ['a'] },
      matches: [{ type: { DataType: 'String.custom', StringValue: 'a' } }],
      rejects: [],
    },
  ]);
});

describe('attribute policies: string operators', () => {
  attributeExamples([
    {
      policy: { event: [{ prefix: 'order-' }] },
      matches: [{ event: str('order-placed') }, { event: arr(['x', 'order-1']) }],
      rejects: [{ event: str('neworder-placed') }, { event: num(1) }, {}],
    },
    {
      policy: { image: [{ suffix: '.png' }, { suffix: '.jpg' }] },
      matches: [{ image: str('photo.png') }, { image: str('a.jpg') }],
      rejects: [{ image: str('photo.gif') }, { image: str('png') }],
    },
    {
      policy: { name: [{ 'equals-ignore-case': 'AlIcE' }] },
      matches: [{ name: str('alice') }, { name: str('ALICE') }],
      rejects: [{ name: str('alicia') }],
    },
    {
      policy: { event: [{ 'anything-but': 'order_cancelled' }] },
      matches: [{ event: str('order_placed') }, { event: arr(['order_cancelled', 'x']) }],
      rejects: [{ event: str('order_cancelled') }, {}, { event: num(5) }],
    },
    {
      policy: { event: [{ 'anything-but': ['a', 'b'] }] },
      matches: [{ event: str('c') }],
      rejects: [{ event: str('a') }, { event: str('b') }],
    },
    {
      policy: { price: [{ 'anything-but': [100, 500] }] },
      matches: [{ price: num(101) }, { price: num('100.001') }],
      rejects: [{ price: num(100) }, { price: num('500.000001') }, { price: str('300') }],
    },
    {
      policy: { event: [{ 'anything-but': { prefix: 'order-' } }] },
      matches: [{ event: str('invoice-1') }],
      rejects: [{ event: str('order-1') }],
    },
    {
      policy: { file: [{ 'anything-but': { suffix: '.tmp' } }] },
      matches: [{ file: str('a.txt') }],
      rejects: [{ file: str('a.tmp') }],
    },
    {
      policy: { source_ip: [{ cidr: '10.0.0.0/24' }] },
      matches: [{ source_ip: str('10.0.0.255') }, { source_ip: str('10.0.0.1') }],
      rejects: [{ source_ip: str('10.0.1.1') }, { source_ip: str('not an ip') }],
    },
    {
      policy: { source_ip: [{ cidr: '2001:db8::/32' }] },
      matches: [{ source_ip: str('2001:db8::1') }],
      rejects: [{ source_ip: str('2001:db9::1') }, { source_ip: str('10.0.0.1') }],
    },
  ]);
});

describe('attribute policies: numeric ranges and exists', () => {
  attributeExamples([
    {
      policy: { price: [{ numeric: ['=', 301.5] }] },
      matches: [{ price: num(301.5) }, { price: num('301.500001') }],
      rejects: [{ price: num(301.51) }, { price: str('301.5') }],
    },
    {
      policy: { price: [{ numeric: ['>', 0, '<=', 150] }] },
      matches: [{ price: num(0.00001) }, { price: num(150) }, { price: arr([-5, 42]) }],
      rejects: [{ price: num(0) }, { price: num(150.00001) }, { price: num(-1) }],
    },
    {
      policy: { price: [{ numeric: ['>=', 10] }] },
      matches: [{ price: num(10) }, { price: num(1e9) }],
      rejects: [{ price: num(9.99999) }],
    },
    {
      policy: { price: [{ numeric: ['<', 0] }] },
      matches: [{ price: num(-0.5) }],
      rejects: [{ price: num(0) }],
    },
    {
      policy: { store: [{ exists: true }] },
      matches: [{ store: str('') }, { store: num(1) }],
      rejects: [{}, { other: str('x') }],
    },
    {
      policy: { store: [{ exists: false }] },
      matches: [{}, { other: str('x') }],
      rejects: [{ store: str('x') }],
    },
    {
      policy: { store: [{ exists: false }, 'b'] },
      matches: [{}, { store: str('b') }],
      rejects: [{ store: str('a') }],
    },
  ]);
});

describe('attribute policies: $or', () => {
  attributeExamples([
    {
      policy: {
        source: ['aws.cloudwatch'],
        $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
      },
      matches: [
        { source: str('aws.cloudwatch'), metricName: str('CPUUtilization') },
        { source: str('aws.cloudwatch'), namespace: str('AWS/EC2') },
      ],
      rejects: [
        { source: str('aws.cloudwatch') },
        { metricName: str('CPUUtilization') },
        { source: str('aws.cloudwatch'), namespace: str('AWS/EBS') },
      ],
    },
    {
      policy: { $or: [{ a: ['1'] }, { $or: [{ b: ['2'] }, { c: ['3'] }] }] },
      matches: [{ a: str('1') }, { b: str('2') }, { c: str('3') }],
      rejects: [{ a: str('2') }, {}],
    },
  ]);
});

describe('message body policies', () => {
  bodyExamples([
    {
      policy: { store: ['example_corp'] },
      matches: [{ store: 'example_corp' }, { store: ['x', 'example_corp'] }],
      rejects: [{ store: 'other' }, 'store example_corp', 'null', [{ store: 'example_corp' }], {}],
    },
    {
      policy: { customer: { interests: ['rugby'], address: { city: [{ prefix: 'Sea' }] } } },
      matches: [
        { customer: { interests: ['rugby', 'chess'], address: { city: 'Seattle' } } },
        { customer: [{ interests: 'rugby', address: { city: 'Seaside' } }] },
      ],
      rejects: [
        { customer: { interests: ['rugby'], address: { city: 'Portland' } } },
        { customer: { interests: 'rugby' } },
        { interests: 'rugby', city: 'Seattle' },
      ],
    },
    {
      policy: { price: [{ numeric: ['>=', 100] }], paid: [true], coupon: [null] },
      matches: [{ price: 100, paid: true, coupon: null }],
      rejects: [
        { price: '100', paid: true, coupon: null },
        { price: 100, paid: 'true', coupon: null },
        { price: 100, paid: true },
        { price: 100, paid: true, coupon: 'x' },
      ],
    },
    {
      policy: { detail: { state: [{ exists: false }] } },
      matches: [{ detail: {} }, {}, { detail: { other: 1 } }],
      rejects: [{ detail: { state: 'on' } }],
    },
    {
      policy: { detail: { $or: [{ a: [1] }, { b: [2] }] } },
      matches: [{ detail: { a: 1 } }, { detail: { b: 2 } }],
      rejects: [{ detail: { a: 2 } }, { a: 1 }],
    },
  ]);
});

describe('validation: AWS reasons after "Invalid parameter: FilterPolicy: "', () => {
  const cases: [string, string, 'MessageAttributes' | 'MessageBody', RegExp][] = [
    ['not JSON', '{"a": [', 'MessageAttributes', /^failed to parse JSON/],
    ['not an object', '["a"]', 'MessageAttributes', /^Filter policy must be a JSON object$/],
    ['a scalar value', '{"a": "b"}', 'MessageAttributes', /^"a" must be an object or an array$/],
    ['an empty array', '{"a": []}', 'MessageAttributes', /^Empty arrays are not allowed$/],
    [
      'nesting in the attribute scope',
      '{"a": {"b": ["c"]}}',
      'MessageAttributes',
      /does not support nested filter policy$/,
    ],
    [
      'an unknown operator',
      '{"a": [{"contains": "x"}]}',
      'MessageBody',
      /^Unrecognized match type contains$/,
    ],
    [
      'two operators in one object',
      '{"a": [{"prefix": "x", "suffix": "y"}]}',
      'MessageBody',
      /^Only one key allowed/,
    ],
    [
      'a non-string prefix',
      '{"a": [{"prefix": 1}]}',
      'MessageBody',
      /^prefix match pattern must be a string$/,
    ],
    ['a non-boolean exists', '{"a": [{"exists": "yes"}]}', 'MessageBody', /either true or false/],
    [
      'a bad numeric operator',
      '{"a": [{"numeric": ["!=", 1]}]}',
      'MessageBody',
      /^Unrecognized numeric range operator: !=$/,
    ],
    [
      'a non-numeric bound',
      '{"a": [{"numeric": [">", "1"]}]}',
      'MessageBody',
      /^Value of > must be numeric$/,
    ],
    [
      'an inverted range',
      '{"a": [{"numeric": [">", 10, "<", 5]}]}',
      'MessageBody',
      /^Bottom must be less than top$/,
    ],
    ['a number out of range', '{"a": [1000000001]}', 'MessageBody', /between -1000000000 and 1000000000/],
    ['a mixed anything-but list', '{"a": [{"anything-but": ["x", 1]}]}', 'MessageBody', /anything but list/],
    ['a bad CIDR', '{"a": [{"cidr": "10.0.0.0"}]}', 'MessageBody', /Malformed CIDR/],
    ['$or with one branch', '{"$or": [{"a": ["1"]}]}', 'MessageBody', /^\$or must be an array/],
    [
      'more than five keys',
      JSON.stringify({ a: [1], b: [1], c: [1], d: [1], e: [1], f: [1] }),
      'MessageAttributes',
      /^Filter policy can not have more than 5 keys$/,
    ],
    [
      'more than 150 combinations',
      JSON.stringify({
        a: Array.from({ length: 10 }, (_, i) => i),
        b: Array.from({ length: 16 }, (_, i) => i),
      }),
      'MessageAttributes',
      /^Filter policy is too complex$/,
    ],
  ];
  it.each(cases)('rejects %s', (_name, policy, scope, reason) => {
    expect(() => compileFilterPolicy(policy, scope)).toThrow(FilterPolicyError);
    expect(() => compileFilterPolicy(policy, scope)).toThrow(reason);
  });

  it('accepts exactly 150 combinations and five keys', () => {
    const policy = {
      a: Array.from({ length: 10 }, (_, i) => i),
      b: Array.from({ length: 15 }, (_, i) => i),
      c: ['x'],
      d: ['y'],
      e: [{ exists: true }],
    };
    expect(compileFilterPolicy(JSON.stringify(policy), 'MessageAttributes').scope).toBe('MessageAttributes');
  });
});
