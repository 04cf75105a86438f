import { describe, expect, it } from 'vitest';
import { compilePattern, InvalidPatternError, matches } from './index.js';

interface Example {
  pattern: object;
  matches: unknown[];
  rejects: unknown[];
}

function examples(list: Example[]): void {
  it.each(list)('$pattern', ({ pattern, matches: yes, rejects: no }) => {
    const compiled = compilePattern(pattern);
    for (const event of yes)
      expect(matches(compiled, event), `should match ${JSON.stringify(event)}`).toBe(true);
    for (const event of no)
      expect(matches(compiled, event), `should not match ${JSON.stringify(event)}`).toBe(false);
  });
}

describe('exact values', () => {
  examples([
    {
      pattern: { source: ['aws.ec2'], detail: { state: ['running', 'pending'] } },
      matches: [
        { source: 'aws.ec2', detail: { state: 'running' } },
        { source: 'aws.ec2', detail: { state: 'pending', other: 1 }, more: true },
      ],
      rejects: [
        { source: 'aws.ec2', detail: { state: 'stopped' } },
        { source: 'aws.ec2' },
        { detail: { state: 'running' } },
      ],
    },
    {
      pattern: { n: [300], flag: [true], nothing: [null] },
      matches: [
        { n: 300, flag: true, nothing: null },
        { n: 3e2, flag: true, nothing: null },
        { n: 300.0, flag: true, nothing: null },
      ],
      rejects: [
        { n: '300', flag: true, nothing: null },
        { n: 300, flag: 'true', nothing: null },
        { n: 300, flag: true },
      ],
    },
    {
      pattern: { resources: ['arn:b'] },
      matches: [{ resources: ['arn:a', 'arn:b'] }, { resources: [['arn:b']] }, { resources: 'arn:b' }],
      rejects: [{ resources: [] }, { resources: ['arn:a'] }, { resources: { id: 'arn:b' } }],
    },
    {
      pattern: { empty: [''] },
      matches: [{ empty: '' }],
      rejects: [{ empty: ' ' }, {}, { empty: null }],
    },
    {
      pattern: { ip: ['2001:db8::1', '10.0.0.1'] },
      matches: [{ ip: '2001:0db8:0000:0000:0000:0000:0000:0001' }, { ip: '10.0.0.1' }],
      rejects: [{ ip: '2001:db8::2' }, { ip: '10.0.0.10' }],
    },
    {
      pattern: { id: [{ exactly: '10.0.0.1' }] },
      matches: [{ id: '10.0.0.1' }],
      rejects: [{ id: '10.000.0.1' }],
    },
  ]);
});

describe('string operators', () => {
  examples([
    {
      pattern: { time: [{ prefix: '2017-10-02' }] },
      matches: [{ time: '2017-10-02T18:43:48Z' }, { time: ['x', '2017-10-02'] }],
      rejects: [{ time: '2017-10-03' }, { time: 20171002 }, {}],
    },
    {
      pattern: { source: [{ prefix: { 'equals-ignore-case': 'EventB' } }] },
      matches: [{ source: 'eventbridge' }, { source: 'EVENTBus' }],
      rejects: [{ source: 'event' }, { source: 'xeventb' }],
    },
    {
      pattern: { file: [{ suffix: '.png' }] },
      matches: [{ file: 'a.png' }, { file: '.png' }],
      rejects: [{ file: 'a.PNG' }, { file: 'a.png.gz' }],
    },
    {
      pattern: { file: [{ suffix: { 'equals-ignore-case': '.png' } }] },
      matches: [{ file: 'a.PNG' }, { file: 'b.png' }],
      rejects: [{ file: 'a.jpg' }],
    },
    {
      pattern: { name: [{ 'equals-ignore-case': 'alice' }] },
      matches: [{ name: 'ALICE' }, { name: 'Alice' }],
      rejects: [{ name: 'alicia' }, { name: null }],
    },
    {
      pattern: { path: [{ wildcard: '*/bin/*.jar' }] },
      matches: [{ path: '/usr/bin/app.jar' }, { path: '/bin/.jar' }],
      rejects: [{ path: '/usr/lib/app.jar' }, { path: '/usr/bin/app.jar.old' }, { path: 5 }],
    },
    {
      pattern: { name: [{ wildcard: 'a\\*b\\\\c*' }] },
      matches: [{ name: 'a*b\\c' }, { name: 'a*b\\cde' }],
      rejects: [{ name: 'axb\\c' }, { name: 'a*bc' }],
    },
    {
      pattern: { name: [{ wildcard: '' }] },
      matches: [{ name: '' }],
      rejects: [{ name: 'x' }],
    },
  ]);
});

describe('anything-but: every value it does not exclude, whatever its type', () => {
  examples([
    {
      pattern: { state: [{ 'anything-but': 'initializing' }] },
      matches: [{ state: 'running' }, { state: null }, { state: 12 }, { state: ['initializing', 'x'] }],
      rejects: [{ state: 'initializing' }, {}, { state: [] }],
    },
    {
      pattern: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] },
      matches: [{ state: 'running' }],
      rejects: [{ state: 'stopped' }, { state: 'overloaded' }],
    },
    {
      pattern: { limit: [{ 'anything-but': [100, 200] }] },
      matches: [{ limit: 150 }, { limit: '100' }],
      rejects: [{ limit: 100 }, { limit: 200.0 }],
    },
    {
      pattern: { limit: [{ 'anything-but': 0 }] },
      matches: [{ limit: 789 }],
      rejects: [{ limit: 0 }],
    },
    {
      pattern: { state: [{ 'anything-but': { prefix: 'init' } }] },
      matches: [{ state: 'running' }, { state: 12 }, { state: null }],
      rejects: [{ state: 'initializing' }],
    },
    {
      pattern: { file: [{ 'anything-but': { suffix: ['.tmp', '.bak'] } }] },
      matches: [{ file: 'a.txt' }],
      rejects: [{ file: 'a.tmp' }, { file: 'a.bak' }],
    },
    {
      pattern: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] },
      matches: [{ state: 'running' }, { state: null }],
      rejects: [{ state: 'STOPPED' }, { state: 'overloaded' }],
    },
    {
      pattern: { path: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
      matches: [{ path: '/usr/bin/x' }, { path: 123 }],
      rejects: [{ path: '/usr/lib/x' }],
    },
  ]);
});

describe('numeric and cidr', () => {
  examples([
    {
      pattern: { count: [{ numeric: ['>', 0, '<=', 5] }] },
      matches: [{ count: 5 }, { count: 0.0001 }, { count: [9, 3] }],
      rejects: [{ count: 0 }, { count: 5.0000001 }, { count: '3' }],
    },
    {
      pattern: { limit: [{ numeric: ['=', 3.018e2] }] },
      matches: [{ limit: 301.8 }],
      rejects: [{ limit: 301.80000001 }],
    },
    {
      pattern: { a: [{ numeric: ['>=', -1e308] }], b: [{ numeric: ['<', 1e-300] }] },
      matches: [{ a: -1e308, b: 0 }],
      rejects: [
        { a: -Number.MAX_VALUE, b: 0 },
        { a: 0, b: 1e-300 },
      ],
    },
    {
      pattern: { ip: [{ cidr: '10.0.0.0/24' }] },
      matches: [{ ip: '10.0.0.255' }, { ip: '10.0.0.0' }],
      rejects: [{ ip: '10.0.1.0' }, { ip: 'not an ip' }, { ip: 167772160 }, { ip: '::a00:1' }],
    },
    {
      pattern: { ip: [{ cidr: '2001:db8:1234:1a00::/64' }] },
      matches: [{ ip: '2001:db8:1234:1a00::1' }, { ip: '2001:db8:1234:1a00:ffff:ffff:ffff:ffff' }],
      rejects: [{ ip: '2001:db8:1234:1a01::' }, { ip: '10.0.0.1' }],
    },
  ]);
});

describe('exists', () => {
  examples([
    {
      pattern: { detail: { count: [{ exists: true }] } },
      matches: [{ detail: { count: 5 } }, { detail: { count: null } }, { detail: { count: [1] } }],
      rejects: [{ detail: {} }, { detail: { count: {} } }, { detail: { count: [] } }, {}],
    },
    {
      pattern: { detail: { count: [{ exists: false }] } },
      matches: [{ detail: {} }, {}, { detail: { count: { c1: 100 } } }, { detail: 'x' }],
      rejects: [{ detail: { count: 0 } }, { detail: { count: [null] } }],
    },
    {
      pattern: { state: [{ exists: false }, 'b'] },
      matches: [{}, { state: 'b' }],
      rejects: [{ state: 'a' }],
    },
  ]);
});

describe('$or, nesting and arrays of objects', () => {
  examples([
    {
      pattern: { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPU'] }, { namespace: ['AWS/EC2'] }] },
      matches: [
        { source: 'aws.cloudwatch', metricName: 'CPU' },
        { source: 'aws.cloudwatch', namespace: 'AWS/EC2' },
      ],
      rejects: [{ source: 'aws.cloudwatch' }, { metricName: 'CPU' }],
    },
    {
      pattern: { detail: { $or: [{ a: [1] }, { $or: [{ b: [2] }, { c: [3] }] }] } },
      matches: [{ detail: { a: 1 } }, { detail: { b: 2 } }, { detail: { c: 3 } }],
      rejects: [{ detail: { a: 2 } }, { a: 1 }],
    },
    {
      pattern: { detail: { state: { status: ['running'] } } },
      matches: [{ detail: { state: { status: 'running' } } }, { detail: { 'state.status': 'running' } }],
      rejects: [{ detail: { state: 'running' } }],
    },
    {
      pattern: { items: { id: ['a'], state: ['done'] } },
      matches: [
        {
          items: [
            { id: 'a', state: 'done' },
            { id: 'b', state: 'new' },
          ],
        },
        { items: { id: 'a', state: 'done' } },
      ],
      rejects: [
        {
          items: [
            { id: 'a', state: 'new' },
            { id: 'b', state: 'done' },
          ],
        },
      ],
    },
    {
      pattern: { orders: { lines: { sku: ['x'] } }, status: ['open'] },
      matches: [{ orders: [{ lines: [{ sku: 'y' }, { sku: 'x' }] }], status: ['closed', 'open'] }],
      rejects: [{ orders: [{ lines: [{ sku: 'y' }] }], status: 'open' }],
    },
  ]);
});

describe('dialects and limits', () => {
  it.each([
    [{ a: [{ wildcard: 'x*' }] }, 'Unrecognized match type wildcard'],
    [{ a: [{ 'anything-but': { prefix: 'x' } }] }, 'Unsupported anything-but pattern: prefix'],
    [
      { a: [{ 'anything-but': { 'equals-ignore-case': 'x' } }] },
      'Unsupported anything-but pattern: equals-ignore-case',
    ],
  ])('the event-source dialect refuses %j', (pattern, reason) => {
    expect(() => compilePattern(pattern)).not.toThrow();
    expect(() => compilePattern(pattern, { dialect: 'event-source' })).toThrow(
      new InvalidPatternError(reason),
    );
  });

  it('counts wildcard complexity field by field over the branches', () => {
    const stacks = (names: string[]) => names.map((n) => ({ wildcard: `*:stack/${n}/*` }));
    expect(() => compilePattern({ id: stacks(['A', 'B', 'C']) })).not.toThrow();
    expect(() => compilePattern({ id: stacks(['A', 'B', 'C', 'D']) })).toThrow(/^Rule is too complex/);
    expect(() => compilePattern({ $or: [{ id: stacks(['A', 'B']) }, { id: stacks(['C', 'D']) }] })).toThrow(
      /^Rule is too complex/,
    );
    expect(() =>
      compilePattern({ id: stacks(['A', 'B', 'C']), other: stacks(['A', 'B', 'C']) }),
    ).not.toThrow();
  });
});
