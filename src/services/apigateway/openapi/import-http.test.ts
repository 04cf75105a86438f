import { describe, expect, it } from 'vitest';
import { planHttpImport, type HttpImportPlan } from './import-http.js';
import { readDocument } from './read-document.js';

const fn = 'arn:aws:lambda:us-east-1:000000000000:function:f';

function plan(
  document: object | string,
  basePath: 'ignore' | 'prepend' | 'split' = 'ignore',
): HttpImportPlan {
  let n = 0;
  const body = typeof document === 'string' ? document : JSON.stringify(document);
  return planHttpImport(readDocument(body), { basePath, newId: () => `id${++n}` });
}

describe('reading a document into an HTTP API', () => {
  it('makes a route per path and operation, ANY and $default included, in YAML with numeric versions', () => {
    const p = plan(`
openapi: 3.0.1
info: { title: Example, version: 1.0, description: d }
x-amazon-apigateway-cors:
  allowOrigins: [https://example.com]
  allowCredentials: true
  maxAge: 600
  allow_methods: [GET]
paths:
  /pets/{id}:
    get:
      operationId: GetPet
      x-amazon-apigateway-integration:
        type: AWS_PROXY
        httpMethod: POST
        uri: ${fn}
        payloadFormatVersion: 2.0
        timeoutInMillis: 1000
  /pets:
    x-amazon-apigateway-any-method:
      x-amazon-apigateway-integration: { type: http_proxy, httpMethod: ANY, uri: 'https://example.com/pets', payloadFormatVersion: 1.0 }
  /$default:
    x-amazon-apigateway-any-method:
      isDefaultRoute: true
  /unintegrated:
    post: {}
`);
    expect(p.settings).toEqual({
      Name: 'Example',
      Version: '1.0',
      Description: 'd',
      CorsConfiguration: { AllowOrigins: ['https://example.com'], AllowCredentials: true, MaxAge: 600 },
    });
    expect(p.routes).toEqual([
      { RouteKey: 'GET /pets/{id}', OperationName: 'GetPet', integration: 'GET /pets/{id}' },
      { RouteKey: 'ANY /pets', integration: 'ANY /pets' },
      { RouteKey: '$default' },
      { RouteKey: 'POST /unintegrated' },
    ]);
    expect(p.integrations.get('GET /pets/{id}')).toEqual({
      IntegrationType: 'AWS_PROXY',
      IntegrationMethod: 'POST',
      IntegrationUri: fn,
      PayloadFormatVersion: '2.0',
      TimeoutInMillis: 1000,
    });
    expect(p.integrations.get('ANY /pets')).toMatchObject({
      IntegrationType: 'HTTP_PROXY',
      PayloadFormatVersion: '1.0',
    });
    expect(p.warnings).toEqual([]);
  });

  it('shares an integration the routes reference in components', () => {
    const shared = { $ref: '#/components/x-amazon-apigateway-integrations/one' };
    const p = plan({
      openapi: '3.0.1',
      info: { title: 'T' },
      paths: {
        '/a': { get: { 'x-amazon-apigateway-integration': shared } },
        '/b': { get: { 'x-amazon-apigateway-integration': shared } },
      },
      components: {
        'x-amazon-apigateway-integrations': {
          one: { type: 'aws_proxy', httpMethod: 'POST', uri: fn, payloadFormatVersion: '2.0' },
        },
      },
    });
    expect([...p.integrations.keys()]).toEqual(['#/components/x-amazon-apigateway-integrations/one']);
    expect(p.routes.map((r) => r.integration)).toEqual([
      '#/components/x-amazon-apigateway-integrations/one',
      '#/components/x-amazon-apigateway-integrations/one',
    ]);
  });

  it('places paths under the base path, and warns of paths and integrations it cannot take', () => {
    const p = plan(
      {
        openapi: '3.0.1',
        info: { title: 'T' },
        servers: [{ url: 'https://example.com/v1/api' }],
        paths: {
          '/a': { get: { 'x-amazon-apigateway-integration': { type: 'mock' } } },
          $default: { get: {} },
        },
      },
      'prepend',
    );
    expect(p.routes).toEqual([{ RouteKey: 'GET /v1/api/a' }]);
    expect(p.warnings).toEqual([
      'Integration type MOCK is not supported for HTTP APIs: route GET /v1/api/a was imported without its integration',
      'Parse issue: attribute paths. Resource $default should start with /',
    ]);
  });

  it('refuses a malformed integration', () => {
    expect(() =>
      plan({
        openapi: '3.0.1',
        info: { title: 'T' },
        paths: { '/a': { get: { 'x-amazon-apigateway-integration': 'x' } } },
      }),
    ).toThrow('Unable to parse API definition because of a malformed integration at path /a.');
  });

  it('keeps JWT and Lambda authorizers and sets the routes their security asks for', () => {
    const p = plan({
      openapi: '3.0.1',
      info: { title: 'T' },
      paths: {
        '/jwt': { get: { security: [{ jwt: ['read'] }] } },
        '/lambda': { get: { security: [{ lambda: [] }] } },
        '/iam': { get: { security: [{ iam: [] }] } },
      },
      components: {
        securitySchemes: {
          jwt: {
            type: 'oauth2',
            'x-amazon-apigateway-authorizer': {
              type: 'jwt',
              jwtConfiguration: { issuer: 'https://issuer', audience: ['a'] },
              identitySource: '$request.header.Authorization',
            },
          },
          lambda: {
            type: 'apiKey',
            name: 'Unused',
            in: 'header',
            'x-amazon-apigateway-authorizer': {
              type: 'request',
              identitySource: '$request.header.Auth, $request.querystring.q',
              authorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/x',
              authorizerPayloadFormatVersion: '2.0',
              enableSimpleResponses: true,
            },
          },
          iam: {
            type: 'apiKey',
            name: 'Authorization',
            in: 'header',
            'x-amazon-apigateway-authtype': 'awsSigv4',
          },
        },
      },
    });
    expect(p.authorizers).toEqual([
      {
        AuthorizerId: 'id1',
        Name: 'jwt',
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Issuer: 'https://issuer', Audience: ['a'] },
      },
      {
        AuthorizerId: 'id2',
        Name: 'lambda',
        AuthorizerType: 'REQUEST',
        IdentitySource: ['$request.header.Auth', '$request.querystring.q'],
        AuthorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/x',
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: true,
      },
    ]);
    expect(p.routes).toEqual([
      { RouteKey: 'GET /jwt', AuthorizationType: 'JWT', AuthorizerId: 'id1', AuthorizationScopes: ['read'] },
      { RouteKey: 'GET /lambda', AuthorizationType: 'CUSTOM', AuthorizerId: 'id2' },
      { RouteKey: 'GET /iam', AuthorizationType: 'AWS_IAM' },
    ]);
  });
});
