import { describe, expect, it } from 'vitest';
import { renderAccessLog, valueAt, variablesOf } from './access-log-format.js';

const values: Record<string, string | number> = {
  requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  'identity.sourceIp': '192.0.2.1',
  requestTime: '04/Mar/2020:19:15:17 +0000',
  httpMethod: 'GET',
  resourcePath: '/pets/{id}',
  protocol: 'HTTP/1.1',
  status: 200,
  responseLength: 42,
  'identity.userAgent': '',
};
const lookup = (name: string) => values[name];

describe('access log formats', () => {
  it("renders AWS's CLF example, missing variables as -", () => {
    const clf =
      '$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] ' +
      '"$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId';
    expect(renderAccessLog(clf, lookup)).toBe(
      '192.0.2.1 - - [04/Mar/2020:19:15:17 +0000] "GET /pets/{id} HTTP/1.1" 200 42 c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    );
  });

  it('renders a JSON format into JSON, without escaping the values', () => {
    const json =
      '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","status":"$context.status"}';
    expect(JSON.parse(renderAccessLog(json, lookup))).toEqual({
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      ip: '192.0.2.1',
      status: '200',
    });
    expect(renderAccessLog('$context.requestId "$context.x"', () => 'a "quoted" value')).toBe(
      'a "quoted" value "a "quoted" value"',
    );
  });

  it('renders an empty value and an unknown variable as -', () => {
    expect(renderAccessLog('$context.identity.userAgent|$context.noSuchThing', lookup)).toBe('-|-');
  });

  it('ends a variable at a character names do not have, and at a dot no name follows', () => {
    expect(renderAccessLog('[$context.status],$context.status.', lookup)).toBe('[200],200.');
    expect(renderAccessLog('$context.httpMethod-$context.protocol', lookup)).toBe('GET-HTTP/1.1');
    expect(variablesOf('$context.a.b $context.c. $contextual $context.')).toEqual(['a.b', 'c']);
  });

  it('reads nested values by dotted path, stringifying scalars and objects', () => {
    const authorizer = { principalId: 'user', numKey: 1, boolKey: true, claims: { sub: 'abc' }, list: [1] };
    expect(valueAt(authorizer, 'principalId')).toBe('user');
    expect(valueAt(authorizer, 'numKey')).toBe('1');
    expect(valueAt(authorizer, 'boolKey')).toBe('true');
    expect(valueAt(authorizer, 'claims.sub')).toBe('abc');
    expect(valueAt(authorizer, 'list')).toBe('[1]');
    expect(valueAt(authorizer, 'claims.sub.deeper')).toBeUndefined();
    expect(valueAt(undefined, 'x')).toBeUndefined();
  });
});
