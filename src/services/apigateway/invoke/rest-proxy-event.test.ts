import { describe, expect, it } from 'vitest';
import type { ApiCall, RouteMatch } from './api-call.js';
import { restProxyEvent, type RestEventOptions } from './rest-proxy-event.js';

const domainName = 'a1b2c3d4e5.execute-api.localhost:4566';

/** A call to REST API `a1b2c3d4e5`, stage `prod`, received 2026-12-03T16:05:34.123Z. */
function apiCall(overrides: Partial<ApiCall> = {}): ApiCall {
  return {
    requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    extendedRequestId: 'KDewUgCgiYcEP8A=',
    apiId: 'a1b2c3d4e5',
    accountId: '000000000000',
    region: 'us-east-1',
    stage: 'prod',
    method: 'GET',
    rawPath: '/pets',
    rawQueryString: '',
    headers: [
      ['Host', domainName],
      ['User-Agent', 'curl/8.5.0'],
      ['Accept', '*/*'],
    ],
    body: Buffer.alloc(0),
    sourceIp: '203.0.113.7',
    domainName,
    receivedAt: Date.UTC(2026, 11, 3, 16, 5, 34, 123),
    protocol: 'HTTP/1.1',
    ...overrides,
  };
}

const route = (overrides: Partial<RouteMatch> = {}): RouteMatch => ({
  resourcePath: '/pets',
  resourceId: 'x1y2z3',
  pathParameters: {},
  stageVariables: {},
  ...overrides,
});

const rest: RestEventOptions = { binaryMediaTypes: [] };

describe('restProxyEvent', () => {
  it('is the REST payload: last value wins in headers and query, every value in the multi-value maps', () => {
    const call = apiCall({
      rawQueryString: 'tag=cat&tag=dog&limit=10',
      headers: [
        ['Host', domainName],
        ['User-Agent', 'curl/8.5.0'],
        ['Accept', '*/*'],
        ['X-Trace', 'a'],
        ['X-Trace', 'b'],
      ],
    });
    expect(restProxyEvent(call, route({ stageVariables: { table: 'pets-prod' } }), rest)).toEqual({
      resource: '/pets',
      path: '/pets',
      httpMethod: 'GET',
      headers: { Host: domainName, 'User-Agent': 'curl/8.5.0', Accept: '*/*', 'X-Trace': 'b' },
      multiValueHeaders: {
        Host: [domainName],
        'User-Agent': ['curl/8.5.0'],
        Accept: ['*/*'],
        'X-Trace': ['a', 'b'],
      },
      queryStringParameters: { tag: 'dog', limit: '10' },
      multiValueQueryStringParameters: { tag: ['cat', 'dog'], limit: ['10'] },
      requestContext: {
        accountId: '000000000000',
        apiId: 'a1b2c3d4e5',
        domainName,
        domainPrefix: 'a1b2c3d4e5',
        extendedRequestId: 'KDewUgCgiYcEP8A=',
        httpMethod: 'GET',
        identity: {
          accessKey: null,
          accountId: null,
          caller: null,
          cognitoAuthenticationProvider: null,
          cognitoAuthenticationType: null,
          cognitoIdentityId: null,
          cognitoIdentityPoolId: null,
          principalOrgId: null,
          sourceIp: '203.0.113.7',
          user: null,
          userAgent: 'curl/8.5.0',
          userArn: null,
        },
        path: '/prod/pets',
        protocol: 'HTTP/1.1',
        requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
        requestTime: '03/Dec/2026:16:05:34 +0000',
        requestTimeEpoch: Date.UTC(2026, 11, 3, 16, 5, 34, 123),
        resourceId: 'x1y2z3',
        resourcePath: '/pets',
        stage: 'prod',
      },
      pathParameters: null,
      stageVariables: { table: 'pets-prod' },
      body: null,
      isBase64Encoded: false,
    });
  });

  it('has null, not {}, for no query string, no path parameters, no stage variables and no body', () => {
    const event = restProxyEvent(apiCall(), route(), rest);
    expect(event).toMatchObject({
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
    });
    expect(event).not.toHaveProperty('version');
    expect(event.requestContext).not.toHaveProperty('authorizer');
  });

  it('passes a JSON POST body as text and leaves Content-Length out', () => {
    const body = '{"name":"Rex","kind":"dog"}';
    const event = restProxyEvent(
      apiCall({
        method: 'POST',
        headers: [
          ['Host', domainName],
          ['Content-Type', 'application/json;charset=utf-8'],
          ['Content-Length', String(body.length)],
          ['Connection', 'keep-alive'],
        ],
        body: Buffer.from(body),
      }),
      route(),
      { binaryMediaTypes: ['image/*'] },
    );
    expect(event.body).toBe(body);
    expect(event.isBase64Encoded).toBe(false);
    expect(event.httpMethod).toBe('POST');
    expect(event.requestContext.httpMethod).toBe('POST');
    expect(event.headers).toEqual({ Host: domainName, 'Content-Type': 'application/json;charset=utf-8' });
  });

  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
  const binaryCases: [contentType: string | undefined, binaryMediaTypes: string[], base64: boolean][] = [
    ['image/png', ['image/*'], true],
    ['image/png', ['image/png'], true],
    ['IMAGE/PNG', ['image/png'], true],
    ['image/png', ['*/*'], true],
    ['application/octet-stream', ['application/octet-stream', 'image/*'], true],
    ['image/png', [], false],
    ['image/png', ['image/jpeg'], false],
    ['image/png', ['application/*'], false],
    ['application/json', ['image/*'], false],
    [undefined, ['image/*'], false],
    [undefined, ['*/*'], true],
  ];
  it.each(binaryCases)(
    'with Content-Type %s and binaryMediaTypes %j, base64 is %s',
    (type, types, base64) => {
      const headers: [string, string][] = type ? [['Content-Type', type]] : [];
      const event = restProxyEvent(apiCall({ method: 'PUT', headers, body: png }), route(), {
        binaryMediaTypes: types,
      });
      expect(event.isBase64Encoded).toBe(base64);
      expect(event.body).toBe(base64 ? png.toString('base64') : png.toString('utf8'));
    },
  );

  it('keeps the path of a greedy {proxy+} route percent-encoded, as sent', () => {
    const event = restProxyEvent(
      apiCall({ rawPath: '/api/user/test%2Balias@example.com/a%20b' }),
      route({
        resourcePath: '/{proxy+}',
        resourceId: 'g7h8i9',
        pathParameters: { proxy: 'api/user/test+alias@example.com/a b' },
      }),
      rest,
    );
    expect(event.resource).toBe('/{proxy+}');
    expect(event.path).toBe('/api/user/test%2Balias@example.com/a%20b');
    expect(event.pathParameters).toEqual({ proxy: 'api/user/test+alias@example.com/a b' });
    expect(event.requestContext).toMatchObject({
      path: '/prod/api/user/test%2Balias@example.com/a%20b',
      resourcePath: '/{proxy+}',
      resourceId: 'g7h8i9',
    });
  });

  const queryCases: [
    rawQueryString: string,
    single: Record<string, string>,
    multi: Record<string, string[]>,
  ][] = [
    [
      'email=test%2Balias@example.com',
      { email: 'test+alias@example.com' },
      { email: ['test+alias@example.com'] },
    ],
    ['q=foo+bar&q=baz%20qux', { q: 'baz qux' }, { q: ['foo bar', 'baz qux'] }],
    ['flag&empty=', { flag: '', empty: '' }, { flag: [''], empty: [''] }],
    ['a%5B%5D=1&a%5B%5D=2', { 'a[]': '2' }, { 'a[]': ['1', '2'] }],
    ['bad=%E0%A4%A', { bad: '%E0%A4%A' }, { bad: ['%E0%A4%A'] }],
  ];
  it.each(queryCases)('decodes the query %s', (rawQueryString, single, multi) => {
    const event = restProxyEvent(apiCall({ rawQueryString }), route(), rest);
    expect(event.queryStringParameters).toEqual(single);
    expect(event.multiValueQueryStringParameters).toEqual(multi);
  });

  it('capitalises Authorization and User-Agent as REST APIs deliver them, other names stay as sent', () => {
    const event = restProxyEvent(
      apiCall({
        headers: [
          ['authorization', 'Bearer t0k3n'],
          ['user-agent', 'python-requests/2.32'],
          ['tEsT-HEADeR', 'aValUE'],
        ],
      }),
      route(),
      rest,
    );
    expect(event.multiValueHeaders).toEqual({
      Authorization: ['Bearer t0k3n'],
      'User-Agent': ['python-requests/2.32'],
      'tEsT-HEADeR': ['aValUE'],
    });
    expect(event.requestContext.identity.userAgent).toBe('python-requests/2.32');
  });

  it('groups a header sent under two spellings under the first one', () => {
    const event = restProxyEvent(
      apiCall({
        headers: [
          ['X-Forwarded-For', '198.51.100.1'],
          ['x-forwarded-for', '198.51.100.2'],
        ],
      }),
      route(),
      rest,
    );
    expect(event.headers).toEqual({ 'X-Forwarded-For': '198.51.100.2' });
    expect(event.multiValueHeaders).toEqual({ 'X-Forwarded-For': ['198.51.100.1', '198.51.100.2'] });
  });

  it('has null headers and a null userAgent for a call without headers', () => {
    const event = restProxyEvent(apiCall({ headers: [] }), route(), rest);
    expect(event.headers).toBeNull();
    expect(event.multiValueHeaders).toBeNull();
    expect(event.requestContext.identity.userAgent).toBeNull();
  });

  it('carries the authorizer context, the identity it established and the deployment id', () => {
    const event = restProxyEvent(apiCall(), route(), {
      binaryMediaTypes: [],
      authorizer: { principalId: 'user-42', tenant: 'acme', integrationLatency: 12 },
      identity: { apiKey: 'k-123', apiKeyId: 'kid-1', caller: 'AIDAEXAMPLE' },
      deploymentId: 'dep123',
    });
    expect(event.requestContext.authorizer).toEqual({
      principalId: 'user-42',
      tenant: 'acme',
      integrationLatency: 12,
    });
    expect(event.requestContext.deploymentId).toBe('dep123');
    expect(event.requestContext.identity).toMatchObject({
      apiKey: 'k-123',
      apiKeyId: 'kid-1',
      caller: 'AIDAEXAMPLE',
      accessKey: null,
      sourceIp: '203.0.113.7',
    });
  });

  it('leaves the stage out of requestContext.path when resourcePathWithStage is false', () => {
    const event = restProxyEvent(apiCall(), route(), { binaryMediaTypes: [], resourcePathWithStage: false });
    expect(event.requestContext.path).toBe('/pets');
    expect(event.path).toBe('/pets');
  });
});

describe('restProxyEvent for an HTTP API with payload format 1.0', () => {
  const httpApi: RestEventOptions = { binaryMediaTypes: [], payloadVersion: '1.0' };
  const httpRoute = route({
    resourcePath: 'ANY /{proxy+}',
    resourceId: 'r0ute1d',
    pathParameters: { proxy: 'pets/7' },
  });

  it('adds version 1.0, lower-cases header names and keeps Content-Length', () => {
    const event = restProxyEvent(
      apiCall({
        stage: 'dev',
        rawPath: '/pets/7',
        headers: [
          ['Host', domainName],
          ['User-Agent', 'curl/8.5.0'],
          ['Content-Length', '0'],
        ],
      }),
      httpRoute,
      httpApi,
    );
    expect(event.version).toBe('1.0');
    expect(event.multiValueHeaders).toEqual({
      host: [domainName],
      'user-agent': ['curl/8.5.0'],
      'content-length': ['0'],
    });
    expect(event.resource).toBe('/{proxy+}');
    expect(event.path).toBe('/dev/pets/7');
    expect(event.requestContext).toEqual({
      accountId: '000000000000',
      apiId: 'a1b2c3d4e5',
      domainName,
      domainPrefix: 'a1b2c3d4e5',
      extendedRequestId: 'KDewUgCgiYcEP8A=',
      httpMethod: 'GET',
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        sourceIp: '203.0.113.7',
        user: null,
        userAgent: 'curl/8.5.0',
        userArn: null,
      },
      path: '/dev/pets/7',
      protocol: 'HTTP/1.1',
      requestId: 'KDewUgCgiYcEP8A=',
      requestTime: '03/Dec/2026:16:05:34 +0000',
      requestTimeEpoch: Date.UTC(2026, 11, 3, 16, 5, 34, 123),
      resourceId: 'ANY /{proxy+}',
      resourcePath: '/{proxy+}',
      stage: 'dev',
    });
  });

  it('has no stage in the paths on the $default stage, and the $default route takes the path as resource', () => {
    const event = restProxyEvent(
      apiCall({ stage: '$default', rawPath: '/my/path' }),
      route({ resourcePath: '$default', resourceId: 'r0ute1d' }),
      { ...httpApi, deploymentId: 'dep123' },
    );
    expect(event.path).toBe('/my/path');
    expect(event.resource).toBe('/my/path');
    expect(event.requestContext).toMatchObject({
      path: '/my/path',
      resourceId: null,
      resourcePath: '/my/path',
      stage: '$default',
    });
    expect(event.requestContext).not.toHaveProperty('deploymentId');
  });

  const bodyCases: [contentType: string | undefined, base64: boolean][] = [
    ['application/json', false],
    ['text/plain; charset=utf-8', false],
    ['application/xml', false],
    ['application/javascript', false],
    ['application/x-www-form-urlencoded', true],
    ['image/png', true],
    [undefined, true],
  ];
  it.each(bodyCases)('base64-encodes a %s body: %s, binaryMediaTypes or not', (contentType, base64) => {
    const headers: [string, string][] = contentType ? [['content-type', contentType]] : [];
    const body = Buffer.from('a=1&b=2');
    const event = restProxyEvent(apiCall({ method: 'POST', headers, body }), httpRoute, {
      ...httpApi,
      binaryMediaTypes: ['*/*'],
    });
    expect(event.isBase64Encoded).toBe(base64);
    expect(event.body).toBe(base64 ? body.toString('base64') : 'a=1&b=2');
  });
});
