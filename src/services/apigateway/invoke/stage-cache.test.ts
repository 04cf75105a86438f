import type { MethodSetting } from '@aws-sdk/client-api-gateway';
import { describe, expect, it } from 'vitest';
import type { ApiCall, RouteMatch } from './api-call.js';
import { asksForFreshAnswer } from './cache-invalidation.js';
import { cacheKeyOf, methodCaching } from './stage-cache.js';

const defaults = { requireAuthorization: true, unauthorizedStrategy: 'SUCCEED_WITH_RESPONSE_HEADER' };

describe('which calls a stage caches', () => {
  const cluster = (methodSettings: Record<string, MethodSetting>) => ({
    cacheClusterEnabled: true,
    methodSettings,
  });

  it.each<{
    name: string;
    stage: { cacheClusterEnabled?: boolean; methodSettings?: Record<string, MethodSetting> };
    method: [resourcePath: string, httpMethod: string, requestMethod: string];
    expected: object | undefined;
  }>([
    {
      name: 'nothing without a cache cluster',
      stage: { cacheClusterEnabled: false, methodSettings: { '*/*': { cachingEnabled: true } } },
      method: ['/pets', 'GET', 'GET'],
      expected: undefined,
    },
    {
      name: 'nothing with a cluster but caching off',
      stage: cluster({}),
      method: ['/pets', 'GET', 'GET'],
      expected: undefined,
    },
    {
      name: 'GET methods under the stage-wide setting, 300 s by default',
      stage: cluster({ '*/*': { cachingEnabled: true } }),
      method: ['/pets', 'GET', 'GET'],
      expected: { ttlSeconds: 300, ...defaults },
    },
    {
      name: 'not other methods under the stage-wide setting',
      stage: cluster({ '*/*': { cachingEnabled: true } }),
      method: ['/pets', 'POST', 'POST'],
      expected: undefined,
    },
    {
      name: 'a GET call of an ANY method under the stage-wide setting',
      stage: cluster({ '*/*': { cachingEnabled: true } }),
      method: ['/{proxy+}', 'ANY', 'GET'],
      expected: { ttlSeconds: 300, ...defaults },
    },
    {
      name: 'another method its own setting turns on, with the stage-wide TTL',
      stage: cluster({ '*/*': { cacheTtlInSeconds: 60 }, '~1pets/POST': { cachingEnabled: true } }),
      method: ['/pets', 'POST', 'POST'],
      expected: { ttlSeconds: 60, ...defaults },
    },
    {
      name: 'not a GET method its own setting turns off',
      stage: cluster({ '*/*': { cachingEnabled: true }, '~1pets~1{id}/GET': { cachingEnabled: false } }),
      method: ['/pets/{id}', 'GET', 'GET'],
      expected: undefined,
    },
    {
      name: 'not with a TTL of 0',
      stage: cluster({ '*/*': { cachingEnabled: true, cacheTtlInSeconds: 0 } }),
      method: ['/pets', 'GET', 'GET'],
      expected: undefined,
    },
    {
      name: "a method's own invalidation settings over the stage's",
      stage: cluster({
        '*/*': { cachingEnabled: true, unauthorizedCacheControlHeaderStrategy: 'FAIL_WITH_403' },
        '~1pets/GET': { cacheTtlInSeconds: 10, requireAuthorizationForCacheControl: false },
      }),
      method: ['/pets', 'GET', 'GET'],
      expected: { ttlSeconds: 10, requireAuthorization: false, unauthorizedStrategy: 'FAIL_WITH_403' },
    },
  ])('$name', ({ stage, method, expected }) => {
    expect(methodCaching(stage, ...method)).toEqual(expected);
  });
});

describe('cache keys', () => {
  const call = (rawQueryString: string, headers: [string, string][] = []): ApiCall => ({
    requestId: 'r',
    extendedRequestId: 'e',
    apiId: 'a1b2c3d4e5',
    accountId: '000000000000',
    region: 'us-east-1',
    stage: 'prod',
    method: 'GET',
    rawPath: '/pets/1',
    rawQueryString,
    headers,
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    domainName: 'localhost',
    receivedAt: 0,
    protocol: 'HTTP/1.1',
  });
  const route = (id = '1'): RouteMatch => ({
    resourcePath: '/pets/{id}',
    resourceId: 'res1',
    pathParameters: { id },
    stageVariables: {},
  });
  const keyed = {
    cacheKeyParameters: ['method.request.querystring.type', 'method.request.header.X-Tenant'],
  };
  const key = (integration: object, c: ApiCall, r = route(), method = 'GET') =>
    cacheKeyOf(integration, 'res1', method, c, r);

  it('is the same for calls that differ only in other parameters', () => {
    expect(key(keyed, call('type=a&page=1', [['x-tenant', 't']]))).toBe(
      key(
        keyed,
        call('page=2&type=a', [
          ['X-Tenant', 't'],
          ['accept', '*/*'],
        ]),
      ),
    );
  });

  it('differs by the key parameters, the HTTP method and the namespace', () => {
    const base = key(keyed, call('type=a', [['x-tenant', 't']]));
    expect(key(keyed, call('type=b', [['x-tenant', 't']]))).not.toBe(base);
    expect(key(keyed, call('type=a', [['x-tenant', 'u']]))).not.toBe(base);
    expect(key(keyed, call('type=a', [['x-tenant', 't']]), route(), 'POST')).not.toBe(base);
    expect(key({ ...keyed, cacheNamespace: 'shared' }, call('type=a', [['x-tenant', 't']]))).not.toBe(base);
  });

  it('tells a missing parameter from an empty one', () => {
    expect(key(keyed, call(''))).not.toBe(key(keyed, call('type=')));
  });

  it('leaves path parameters out unless they are key parameters, as on AWS', () => {
    expect(key({}, call(''), route('1'))).toBe(key({}, call(''), route('2')));
    const byId = { cacheKeyParameters: ['method.request.path.id'] };
    expect(key(byId, call(''), route('1'))).not.toBe(key(byId, call(''), route('2')));
  });

  it('reads an integration request parameter from the method request parameter it maps', () => {
    const mapped = {
      cacheKeyParameters: ['integration.request.querystring.kind'],
      requestParameters: { 'integration.request.querystring.kind': 'method.request.querystring.type' },
    };
    expect(key(mapped, call('type=a'))).not.toBe(key(mapped, call('type=b')));
    expect(key(mapped, call('type=a&x=1'))).toBe(key(mapped, call('type=a&x=2')));
  });
});

describe('Cache-Control: max-age=0', () => {
  it.each<[[string, string][], boolean]>([
    [[['Cache-Control', 'max-age=0']], true],
    [[['cache-control', 'no-store, MAX-AGE = 0']], true],
    [[['cache-control', 'max-age="0"']], true],
    [[['cache-control', 'max-age=10']], false],
    [[['cache-control', 'no-cache']], false],
    [[['pragma', 'max-age=0']], false],
    [[], false],
  ])('%j asks for a fresh answer: %s', (headers, expected) => {
    expect(asksForFreshAnswer(headers)).toBe(expected);
  });
});
