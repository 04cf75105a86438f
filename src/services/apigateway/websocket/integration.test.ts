import { describe, expect, it } from 'vitest';
import { admits, readResult, type IntegrationOutcome } from './integration.js';

const result = (value: unknown) => readResult(Buffer.from(JSON.stringify(value)));

describe('readResult', () => {
  it.each<[string, Buffer, IntegrationOutcome]>([
    [
      'a proxy result with a text body',
      Buffer.from('{"statusCode":200,"body":"hi","headers":{"Sec-WebSocket-Protocol":"v1"}}'),
      {
        kind: 'answered',
        statusCode: 200,
        headers: { 'sec-websocket-protocol': 'v1' },
        body: { data: Buffer.from('hi'), binary: false },
      },
    ],
    [
      'a base64 body, which goes out binary',
      Buffer.from('{"statusCode":"200","body":"/wAB","isBase64Encoded":true}'),
      {
        kind: 'answered',
        statusCode: 200,
        headers: {},
        body: { data: Buffer.from([0xff, 0, 1]), binary: true },
      },
    ],
    [
      'nothing returned',
      Buffer.from('null'),
      { kind: 'answered', statusCode: undefined, headers: {}, body: undefined },
    ],
    [
      'a status without a body',
      Buffer.from('{"statusCode":401}'),
      { kind: 'answered', statusCode: 401, headers: {}, body: undefined },
    ],
    ['a result that is not JSON', Buffer.from('{oops'), { kind: 'failed', reason: 'the result is not JSON' }],
    [
      'a body that is an object',
      Buffer.from('{"statusCode":200,"body":{"a":1}}'),
      { kind: 'failed', reason: 'body is not a string' },
    ],
  ])('%s', (_name, payload, expected) => {
    expect(readResult(payload)).toEqual(expected);
  });
});

describe('admits', () => {
  it.each([
    [{ statusCode: 200 }, true],
    [{ statusCode: 204 }, true],
    [{}, true],
    [{ statusCode: 302 }, false],
    [{ statusCode: 401 }, false],
    [{ statusCode: 500 }, false],
  ])('a $connect answering %j lets the client in: %s', (answer, expected) => {
    expect(admits(result(answer))).toBe(expected);
  });

  it('a failed $connect lets nobody in', () => {
    expect(admits({ kind: 'failed', reason: 'the function failed' })).toBe(false);
  });
});
