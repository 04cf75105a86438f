import { describe, expect, it } from 'vitest';
import { domainPrefix, groupHeaders, queryParameters, requestTime } from './request-parts.js';

describe('request parts', () => {
  it.each([
    [Date.UTC(2026, 11, 3, 16, 5, 34, 123), '03/Dec/2026:16:05:34 +0000'],
    [Date.UTC(2020, 2, 4, 19, 15, 17, 135), '04/Mar/2020:19:15:17 +0000'],
    [Date.UTC(2027, 0, 1, 0, 0, 0, 0), '01/Jan/2027:00:00:00 +0000'],
  ])('writes %d as the request time %s', (epoch, text) => {
    expect(requestTime(epoch)).toBe(text);
  });

  it.each([
    ['a1b2c3d4e5.execute-api.localhost:4566', 'a1b2c3d4e5'],
    ['id.execute-api.us-east-1.amazonaws.com', 'id'],
    ['localhost:4566', 'localhost'],
  ])('takes the domain prefix of %s as %s', (domain, prefix) => {
    expect(domainPrefix(domain)).toBe(prefix);
  });

  it('keeps query parameters in the order sent, repeats included', () => {
    expect(queryParameters('b=2&a=1&b=3&&c')).toEqual([
      ['b', '2'],
      ['a', '1'],
      ['b', '3'],
      ['c', ''],
    ]);
    expect(queryParameters('')).toEqual([]);
  });

  it('never hands hop-by-hop headers to the function', () => {
    const headers = groupHeaders(
      [
        ['Connection', 'keep-alive'],
        ['Keep-Alive', 'timeout=5'],
        ['Transfer-Encoding', 'chunked'],
        ['Accept', '*/*'],
      ],
      (name) => name,
    );
    expect([...headers]).toEqual([['Accept', ['*/*']]]);
  });
});
