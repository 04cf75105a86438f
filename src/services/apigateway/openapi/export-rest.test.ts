import { describe, expect, it } from 'vitest';
import type { RestSnapshot } from '../deployments.js';
import type { WithRestDefinitions } from './definitions.js';
import { exportRestApi, type RestExportOptions } from './export-rest.js';

const api: WithRestDefinitions<RestSnapshot['api']> = {
  id: 'abcdefghij',
  name: 'Pets',
  description: 'pets',
  createdDate: 0,
  apiKeySource: 'HEADER',
  binaryMediaTypes: ['image/png'],
  policy: '{"Version":"2012-10-17"}',
  rootResourceId: 'root01',
  openApiDefinitions: {
    requestValidators: [
      { id: 'val001', name: 'params', validateRequestBody: false, validateRequestParameters: true },
    ],
    models: [
      { id: 'm1', name: 'Pet', contentType: 'application/json', schema: '{"type":"object"}' },
      {
        id: 'm2',
        name: 'Pets',
        contentType: 'application/json',
        schema: '{"type":"array","items":{"$ref":"#/models/Pet"}}',
      },
    ],
  },
};

const snapshot: RestSnapshot = {
  api,
  authorizers: [
    {
      id: 'auth01',
      name: 'tokenAuth',
      type: 'TOKEN',
      authorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/x',
      identitySource: 'method.request.header.Authorization',
      authorizerResultTtlInSeconds: 60,
    },
  ],
  resources: [
    { id: 'root01', path: '/' },
    {
      id: 'pets01',
      path: '/pets',
      pathPart: 'pets',
      resourceMethods: {
        GET: {
          httpMethod: 'GET',
          authorizationType: 'CUSTOM',
          authorizerId: 'auth01',
          apiKeyRequired: true,
          operationName: 'ListPets',
          requestValidatorId: 'val001',
          requestParameters: {
            'method.request.querystring.page': false,
            'method.request.path.ignored': true,
          },
          methodResponses: {
            '200': {
              statusCode: '200',
              responseParameters: { 'method.response.header.X-Count': false },
              responseModels: { 'application/json': 'Pets' },
            },
          },
          methodIntegration: {
            type: 'HTTP',
            httpMethod: 'GET',
            uri: 'http://backend/pets',
            passthroughBehavior: 'WHEN_NO_MATCH',
            connectionType: 'INTERNET',
            timeoutInMillis: 29000,
            cacheNamespace: 'pets01',
            cacheKeyParameters: [],
            integrationResponses: {
              '200': { statusCode: '200', responseParameters: { 'method.response.header.X-Count': "'1'" } },
              '500': { statusCode: '500', selectionPattern: '5\\d{2}' },
            },
          },
        },
        ANY: {
          httpMethod: 'ANY',
          authorizationType: 'AWS_IAM',
          methodIntegration: { type: 'MOCK', timeoutInMillis: 1000 },
        },
      },
    },
  ],
};

const options = (version: 'oas30' | 'swagger', extensions: string[] = []): RestExportOptions => ({
  version,
  stageName: 'prod',
  endpoint: 'http://abcdefghij.execute-api.localhost:4566',
  extensions: new Set(extensions),
  deployedAt: Date.UTC(2026, 0, 2, 3, 4, 5, 600),
});

describe('exporting a REST API', () => {
  it('writes OpenAPI 3.0 with parameters, responses, models and security', () => {
    const document = exportRestApi(snapshot, options('oas30'));
    expect(document).toEqual({
      openapi: '3.0.1',
      info: { title: 'Pets', description: 'pets', version: '2026-01-02T03:04:05Z' },
      servers: [
        {
          url: 'http://abcdefghij.execute-api.localhost:4566/{basePath}',
          variables: { basePath: { default: 'prod' } },
        },
      ],
      paths: {
        '/pets': {
          get: {
            operationId: 'ListPets',
            parameters: [
              { name: 'page', in: 'query', required: false, schema: { type: 'string' } },
              { name: 'ignored', in: 'path', required: true, schema: { type: 'string' } },
            ],
            responses: {
              '200': {
                description: '200 response',
                headers: { 'X-Count': { schema: { type: 'string' } } },
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Pets' } } },
              },
            },
            security: [{ tokenAuth: [], api_key: [] }],
          },
          'x-amazon-apigateway-any-method': { responses: {}, security: [{ sigv4: [] }] },
        },
      },
      components: {
        schemas: {
          Pet: { type: 'object' },
          Pets: { type: 'array', items: { $ref: '#/components/schemas/Pet' } },
        },
        securitySchemes: {
          api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
          sigv4: {
            type: 'apiKey',
            name: 'Authorization',
            in: 'header',
            'x-amazon-apigateway-authtype': 'awsSigv4',
          },
          tokenAuth: {
            type: 'apiKey',
            name: 'Authorization',
            in: 'header',
            'x-amazon-apigateway-authtype': 'custom',
          },
        },
      },
    });
  });

  it('adds the integrations with extensions=integrations, leaving defaults out', () => {
    const document = exportRestApi(snapshot, options('oas30', ['integrations'])) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(document.paths['/pets']!.get!['x-amazon-apigateway-integration']).toEqual({
      type: 'http',
      httpMethod: 'GET',
      uri: 'http://backend/pets',
      passthroughBehavior: 'when_no_match',
      responses: {
        default: { statusCode: '200', responseParameters: { 'method.response.header.X-Count': "'1'" } },
        '5\\d{2}': { statusCode: '500' },
      },
    });
    expect(
      document.paths['/pets']!['x-amazon-apigateway-any-method']!['x-amazon-apigateway-integration'],
    ).toEqual({
      type: 'mock',
      timeoutInMillis: 1000,
    });
    expect(document).toMatchObject({ 'x-amazon-apigateway-binary-media-types': ['image/png'] });
    expect(document).not.toHaveProperty('x-amazon-apigateway-policy');
  });

  it('adds every API Gateway extension with extensions=apigateway', () => {
    const document = exportRestApi(snapshot, options('oas30', ['apigateway']));
    expect(document).toMatchObject({
      'x-amazon-apigateway-api-key-source': 'HEADER',
      'x-amazon-apigateway-policy': { Version: '2012-10-17' },
      'x-amazon-apigateway-request-validators': {
        params: { validateRequestBody: false, validateRequestParameters: true },
      },
      components: {
        securitySchemes: {
          tokenAuth: {
            'x-amazon-apigateway-authorizer': {
              type: 'token',
              authorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/x',
              authorizerResultTtlInSeconds: 60,
            },
          },
        },
      },
      paths: { '/pets': { get: { 'x-amazon-apigateway-request-validator': 'params' } } },
    });
  });

  it('writes Swagger 2.0 with host, base path, definitions and body schemas', () => {
    const document = exportRestApi(snapshot, options('swagger'));
    expect(document).toMatchObject({
      swagger: '2.0',
      host: 'abcdefghij.execute-api.localhost:4566',
      basePath: '/prod',
      schemes: ['http'],
      definitions: { Pets: { items: { $ref: '#/definitions/Pet' } } },
      paths: {
        '/pets': {
          get: {
            produces: ['application/json'],
            parameters: [{ name: 'page', in: 'query', required: false, type: 'string' }, { name: 'ignored' }],
            responses: {
              '200': {
                description: '200 response',
                schema: { $ref: '#/definitions/Pets' },
                headers: { 'X-Count': { type: 'string' } },
              },
            },
          },
        },
      },
    });
  });
});
