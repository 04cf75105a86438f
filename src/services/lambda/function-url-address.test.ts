import { describe, expect, it } from 'vitest';
import { functionUrlAddress } from './function-url-address.js';

const urlId = 'abcdefghijklmnopqrstuvwxyz012345';

describe('functionUrlAddress', () => {
  it.each([
    [
      'the host form on localhost with a port',
      `${urlId}.lambda-url.us-east-1.localhost:4566`,
      '/a/b',
      { urlId, region: 'us-east-1', path: '/a/b' },
    ],
    [
      'the host form without a port',
      `${urlId}.lambda-url.eu-west-1.localhost`,
      '/',
      { urlId, region: 'eu-west-1', path: '/' },
    ],
    [
      'AWS’s own host name',
      `${urlId}.lambda-url.us-west-2.on.aws`,
      '/x',
      { urlId, region: 'us-west-2', path: '/x' },
    ],
    [
      'a host in capitals',
      `${urlId.toUpperCase()}.LAMBDA-URL.US-EAST-1.LOCALHOST`,
      '/',
      { urlId, region: 'us-east-1', path: '/' },
    ],
    ['the path form', '127.0.0.1:4566', `/_aws/lambda-url/${urlId}/deep/path`, { urlId, path: '/deep/path' }],
    ['the path form without a path', '127.0.0.1:4566', `/_aws/lambda-url/${urlId}`, { urlId, path: '/' }],
  ])('reads %s', (_case, host, path, expected) => {
    expect(functionUrlAddress({ headers: { host }, path })).toEqual(expected);
  });

  it.each([
    ['an id of the wrong length', 'abc.lambda-url.us-east-1.localhost', '/'],
    ['a deployed API', 'abcdef1234.execute-api.localhost', '/'],
    ['an AWS API call', '127.0.0.1:4566', '/2015-03-31/functions'],
    ['another host under localhost', `${urlId}.lambda-url.us-east-1.example.com`, '/'],
  ])('ignores %s', (_case, host, path) => {
    expect(functionUrlAddress({ headers: { host }, path })).toBeUndefined();
  });
});
