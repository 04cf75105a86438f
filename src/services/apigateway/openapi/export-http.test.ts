import { describe, expect, it } from 'vitest';
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import type { StoredHttpApi } from '../http-apis.js';
import { exportHttpApi } from './export-http.js';

const api: StoredHttpApi = {
  ApiId: 'abcdefghij',
  Name: 'Pets',
  ProtocolType: 'HTTP',
  RouteSelectionExpression: '$request.method $request.path',
  CreatedDate: 0,
  CorsConfiguration: { AllowOrigins: ['https://example.com'], MaxAge: 60 },
};

const authorizers: V2.Authorizer[] = [
  {
    AuthorizerId: 'auth01',
    Name: 'jwt',
    AuthorizerType: 'JWT',
    IdentitySource: ['$request.header.Authorization'],
    JwtConfiguration: { Issuer: 'https://issuer', Audience: ['a'] },
  },
];

const routes: V2.Route[] = [
  {
    RouteId: 'r1',
    RouteKey: 'GET /pets/{id}',
    Target: 'integrations/i1',
    AuthorizationType: 'JWT',
    AuthorizerId: 'auth01',
    AuthorizationScopes: ['read'],
  },
  { RouteId: 'r2', RouteKey: '$default', Target: 'integrations/i1' },
  { RouteId: 'r3', RouteKey: 'ANY /{proxy+}' },
];

const integrations: V2.Integration[] = [
  {
    IntegrationId: 'i1',
    IntegrationType: 'AWS_PROXY',
    IntegrationMethod: 'POST',
    IntegrationUri: 'arn:aws:lambda:us-east-1:000000000000:function:f',
    PayloadFormatVersion: '2.0',
    TimeoutInMillis: 30000,
    ConnectionType: 'INTERNET',
  },
];

const options = {
  endpoint: 'http://abcdefghij.execute-api.localhost:4566',
  now: Date.UTC(2020, 3, 8, 17, 19, 38),
};

describe('exporting an HTTP API', () => {
  it('writes a path per route with its integration, CORS and version extensions', () => {
    const document = exportHttpApi(
      { api, routes, integrations, authorizers },
      {
        ...options,
        stageName: 'prod',
        includeExtensions: true,
      },
    );
    const integration = {
      payloadFormatVersion: '2.0',
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: 'arn:aws:lambda:us-east-1:000000000000:function:f',
      connectionType: 'INTERNET',
      timeoutInMillis: 30000,
    };
    expect(document).toEqual({
      openapi: '3.0.1',
      info: { title: 'Pets', version: '2020-04-08 17:19:38UTC' },
      servers: [
        {
          url: 'http://abcdefghij.execute-api.localhost:4566/{basePath}',
          variables: { basePath: { default: 'prod' } },
        },
      ],
      paths: {
        '/$default': {
          'x-amazon-apigateway-any-method': {
            isDefaultRoute: true,
            responses: { default: { description: 'Default response for $default' } },
            'x-amazon-apigateway-integration': integration,
          },
        },
        '/pets/{id}': {
          get: {
            parameters: [
              {
                name: 'id',
                in: 'path',
                description: 'Generated path parameter for id',
                required: true,
                schema: { type: 'string' },
              },
            ],
            responses: { default: { description: 'Default response for GET /pets/{id}' } },
            security: [{ jwt: ['read'] }],
            'x-amazon-apigateway-integration': integration,
          },
        },
        '/{proxy+}': {
          'x-amazon-apigateway-any-method': {
            parameters: [
              {
                name: 'proxy',
                in: 'path',
                description: 'Generated path parameter for proxy',
                required: true,
                schema: { type: 'string' },
              },
            ],
            responses: { default: { description: 'Default response for ANY /{proxy+}' } },
          },
        },
      },
      components: {
        securitySchemes: {
          jwt: {
            type: 'oauth2',
            flows: {},
            'x-amazon-apigateway-authorizer': {
              type: 'jwt',
              identitySource: '$request.header.Authorization',
              jwtConfiguration: { issuer: 'https://issuer', audience: ['a'] },
            },
          },
        },
      },
      'x-amazon-apigateway-cors': { allowOrigins: ['https://example.com'], maxAge: 60 },
      'x-amazon-apigateway-importexport-version': '1.0',
    });
  });

  it('leaves the extensions out when told, and names no base path for $default', () => {
    const document = exportHttpApi(
      { api: { ...api, Version: '3' }, routes, integrations },
      {
        ...options,
        stageName: '$default',
        includeExtensions: false,
      },
    ) as { info: unknown; servers: unknown; paths: Record<string, Record<string, Record<string, unknown>>> };
    expect(document.info).toEqual({ title: 'Pets', version: '3' });
    expect(document.servers).toEqual([
      {
        url: 'http://abcdefghij.execute-api.localhost:4566/{basePath}',
        variables: { basePath: { default: '' } },
      },
    ]);
    expect(document).not.toHaveProperty('x-amazon-apigateway-cors');
    expect(document.paths['/pets/{id}']!.get).not.toHaveProperty('x-amazon-apigateway-integration');
  });
});
