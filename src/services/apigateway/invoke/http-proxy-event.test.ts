import { describe, expect, it } from 'vitest';
import type { ApiCall, RouteMatch } from './api-call.js';
import { httpProxyEventV2 } from './http-proxy-event.js';

const domainName = 'h1t2t3p4a5.execute-api.localhost:4566';

/** A call to HTTP API `h1t2t3p4a5`, stage `$default`, received 2026-12-03T16:05:34.123Z. */
function apiCall(overrides: Partial<ApiCall> = {}): ApiCall {
  return {
    requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    extendedRequestId: 'KDewUgCgiYcEP8A=',
    apiId: 'h1t2t3p4a5',
    accountId: '000000000000',
    region: 'us-east-1',
    stage: '$default',
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
  resourcePath: 'GET /pets',
  resourceId: 'r0ute1d',
  pathParameters: {},
  stageVariables: {},
  ...overrides,
});

describe('httpProxyEventV2', () => {
  it('is the 2.0 payload: repeated headers and query parameters joined with commas, cookies split out', () => {
    const call = apiCall({
      rawQueryString: 'tag=cat&tag=dog&limit=10',
      headers: [
        ['Host', domainName],
        ['User-Agent', 'Mozilla/5.0'],
        ['Accept', 'text/html'],
        ['Accept', 'application/json'],
        ['Cookie', 'session=abc123; theme=dark'],
        ['cookie', 'lang=en'],
      ],
    });
    expect(httpProxyEventV2(call, route({ stageVariables: { table: 'pets' } }), {})).toEqual({
      version: '2.0',
      routeKey: 'GET /pets',
      rawPath: '/pets',
      rawQueryString: 'tag=cat&tag=dog&limit=10',
      cookies: ['session=abc123', 'theme=dark', 'lang=en'],
      headers: { host: domainName, 'user-agent': 'Mozilla/5.0', accept: 'text/html,application/json' },
      queryStringParameters: { tag: 'cat,dog', limit: '10' },
      requestContext: {
        accountId: '000000000000',
        apiId: 'h1t2t3p4a5',
        domainName,
        domainPrefix: 'h1t2t3p4a5',
        http: {
          method: 'GET',
          path: '/pets',
          protocol: 'HTTP/1.1',
          sourceIp: '203.0.113.7',
          userAgent: 'Mozilla/5.0',
        },
        requestId: 'KDewUgCgiYcEP8A=',
        routeKey: 'GET /pets',
        stage: '$default',
        time: '03/Dec/2026:16:05:34 +0000',
        timeEpoch: Date.UTC(2026, 11, 3, 16, 5, 34, 123),
      },
      isBase64Encoded: false,
      stageVariables: { table: 'pets' },
    });
  });

  it('leaves out, rather than nulls, cookies, query parameters, path parameters, stage variables and body', () => {
    const event = httpProxyEventV2(apiCall(), route(), {});
    for (const field of ['cookies', 'queryStringParameters', 'pathParameters', 'stageVariables', 'body']) {
      expect(event).not.toHaveProperty(field);
    }
    expect(event.rawQueryString).toBe('');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext).not.toHaveProperty('authorizer');
  });

  it('puts a named stage in front of rawPath and http.path, keeping the path percent-encoded', () => {
    const event = httpProxyEventV2(
      apiCall({ stage: 'prod', rawPath: '/files/a%20b/report.pdf' }),
      route({ resourcePath: 'ANY /files/{proxy+}', pathParameters: { proxy: 'a b/report.pdf' } }),
      {},
    );
    expect(event.rawPath).toBe('/prod/files/a%20b/report.pdf');
    expect(event.requestContext.http.path).toBe('/prod/files/a%20b/report.pdf');
    expect(event.requestContext.stage).toBe('prod');
    expect(event.routeKey).toBe('ANY /files/{proxy+}');
    expect(event.pathParameters).toEqual({ proxy: 'a b/report.pdf' });
  });

  it('passes a JSON POST body as text and keeps Content-Length', () => {
    const body = '{"name":"Rex"}';
    const event = httpProxyEventV2(
      apiCall({
        method: 'POST',
        headers: [
          ['Content-Type', 'application/json'],
          ['Content-Length', String(body.length)],
        ],
        body: Buffer.from(body),
      }),
      route({ resourcePath: 'POST /pets' }),
      {},
    );
    expect(event.body).toBe(body);
    expect(event.isBase64Encoded).toBe(false);
    expect(event.headers).toEqual({ 'content-type': 'application/json', 'content-length': '14' });
    expect(event.requestContext.http.method).toBe('POST');
    expect(event.requestContext.http.userAgent).toBe('');
  });

  const bodyCases: [contentType: string | undefined, base64: boolean][] = [
    ['application/json; charset=utf-8', false],
    ['text/csv', false],
    ['application/xml', false],
    ['application/javascript', false],
    ['image/png', true],
    ['application/octet-stream', true],
    ['application/x-www-form-urlencoded', true],
    ['multipart/form-data; boundary=----x', true],
    [undefined, true],
  ];
  it.each(bodyCases)('base64-encodes a %s body: %s', (contentType, base64) => {
    const body = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]);
    const headers: [string, string][] = contentType ? [['content-type', contentType]] : [];
    const event = httpProxyEventV2(apiCall({ method: 'PUT', headers, body }), route(), {});
    expect(event.isBase64Encoded).toBe(base64);
    expect(event.body).toBe(base64 ? body.toString('base64') : body.toString('utf8'));
  });

  it('decodes query parameters and joins repeats in order', () => {
    const event = httpProxyEventV2(
      apiCall({ rawQueryString: 'q=foo+bar&q=a%2Cb&email=x%2By%40example.com' }),
      route(),
      {},
    );
    expect(event.queryStringParameters).toEqual({ q: 'foo bar,a,b', email: 'x+y@example.com' });
    expect(event.rawQueryString).toBe('q=foo+bar&q=a%2Cb&email=x%2By%40example.com');
  });

  it('carries the authorizer context as given', () => {
    const authorizer = { jwt: { claims: { sub: 'user-42' }, scopes: ['pets:read'] } };
    const event = httpProxyEventV2(apiCall(), route(), { authorizer });
    expect(event.requestContext.authorizer).toEqual(authorizer);
  });
});
