import { describe, expect, it } from 'vitest';
import { planRestImport, type RestImportPlan } from './import-rest.js';
import { readDocument } from './read-document.js';

function counter() {
  let n = 0;
  return () => `id${++n}`;
}

function plan(document: object, basePath: 'ignore' | 'prepend' | 'split' = 'ignore'): RestImportPlan {
  return planRestImport(readDocument(JSON.stringify(document)), { basePath, newId: counter() });
}

const lambda =
  'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:f/invocations';

const oas = (paths: object, extra: object = {}) => ({
  openapi: '3.0.1',
  info: { title: 'T' },
  paths,
  ...extra,
});

const method = (p: RestImportPlan, path: string, httpMethod: string) =>
  p.resources.find((r) => r.path === path)?.methods.find((m) => m.httpMethod === httpMethod);

describe('reading a document into a REST API', () => {
  it('takes the API settings from info and the API-level extensions', () => {
    const { settings } = plan(
      oas(
        {},
        {
          info: { title: 'Pets', description: 'd', version: '2' },
          'x-amazon-apigateway-binary-media-types': ['image/png'],
          'x-amazon-apigateway-minimum-compression-size': 1024,
          'x-amazon-apigateway-api-key-source': 'authorizer',
          'x-amazon-apigateway-policy': { Version: '2012-10-17', Statement: [] },
          servers: [
            { url: '/', 'x-amazon-apigateway-endpoint-configuration': { disableExecuteApiEndpoint: true } },
          ],
        },
      ),
    );
    expect(settings).toEqual({
      name: 'Pets',
      description: 'd',
      version: '2',
      binaryMediaTypes: ['image/png'],
      minimumCompressionSize: 1024,
      apiKeySource: 'AUTHORIZER',
      policy: '{"Version":"2012-10-17","Statement":[]}',
      disableExecuteApiEndpoint: true,
    });
  });

  it.each([
    [{ 'x-amazon-apigateway-api-key-source': 'QUERY' }, 'Invalid API Key source specified: QUERY'],
    [{ 'x-amazon-apigateway-minimum-compression-size': -1 }, 'Invalid minimum compression size'],
  ])('refuses API settings CreateRestApi refuses: %j', (extra, message) => {
    expect(() => plan(oas({}, extra))).toThrow(message);
  });

  it('makes a resource per path and a method per operation, ANY included', () => {
    const p = plan(
      oas({
        '/pets': { get: { responses: {} }, post: { responses: {} }, trace: { responses: {} } },
        '/pets/{id}': { 'x-amazon-apigateway-any-method': { responses: {} } },
        '/{proxy+}': { options: { responses: {} } },
      }),
    );
    expect(p.resources.map((r) => [r.path, r.methods.map((m) => m.httpMethod)])).toEqual([
      ['/pets', ['GET', 'POST']],
      ['/pets/{id}', ['ANY']],
      ['/{proxy+}', ['OPTIONS']],
    ]);
  });

  it('reads request parameters from the path and the operation, the operation winning', () => {
    const p = plan(
      oas(
        {
          '/pets/{id}': {
            parameters: [
              { name: 'id', in: 'path', required: true },
              { name: 'trace', in: 'header', required: true },
            ],
            get: {
              responses: {},
              parameters: [
                { name: 'trace', in: 'header' },
                { name: 'page', in: 'query', required: true },
                { $ref: '#/components/parameters/type' },
                { name: 'session', in: 'cookie' },
              ],
            },
          },
        },
        { components: { parameters: { type: { name: 'type', in: 'query' } } } },
      ),
    );
    expect(method(p, '/pets/{id}', 'GET')!.method.requestParameters).toEqual({
      'method.request.path.id': true,
      'method.request.header.trace': false,
      'method.request.querystring.page': true,
      'method.request.querystring.type': false,
    });
  });

  it('makes method responses of status codes, with headers and models', () => {
    const p = plan(
      oas(
        {
          '/pets': {
            post: {
              requestBody: {
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } },
              },
              responses: {
                200: {
                  description: 'ok',
                  headers: { 'Access-Control-Allow-Origin': { schema: { type: 'string' } } },
                  content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } },
                },
                default: { description: 'anything else' },
              },
            },
          },
        },
        { components: { schemas: { Pet: { type: 'object' } } } },
      ),
    );
    const post = method(p, '/pets', 'POST')!;
    expect(post.method.requestModels).toEqual({ 'application/json': 'Pet' });
    expect(post.methodResponses).toEqual([
      {
        statusCode: '200',
        responseParameters: { 'method.response.header.Access-Control-Allow-Origin': false },
        responseModels: { 'application/json': 'Pet' },
      },
    ]);
    expect(p.definitions.models).toEqual([
      { id: 'id1', name: 'Pet', contentType: 'application/json', schema: '{"type":"object"}' },
    ]);
  });

  it('reads Swagger body parameters and response schemas as models', () => {
    const p = plan({
      swagger: '2.0',
      info: { title: 'T' },
      consumes: ['application/json'],
      paths: {
        '/pets': {
          post: {
            produces: ['application/json'],
            parameters: [{ in: 'body', name: 'NewPet', schema: { $ref: '#/definitions/Pet' } }],
            responses: { 200: { description: 'ok', schema: { $ref: '#/definitions/Pets' } } },
          },
        },
      },
      definitions: { Pet: { type: 'object' }, Pets: { type: 'array', items: { $ref: '#/definitions/Pet' } } },
    });
    const post = method(p, '/pets', 'POST')!;
    expect(post.method.requestModels).toEqual({ 'application/json': 'Pet' });
    expect(post.methodResponses[0]!.responseModels).toEqual({ 'application/json': 'Pets' });
    // Models name each other version-neutrally, so either export version can write them.
    expect(JSON.parse(p.definitions.models!.find((m) => m.name === 'Pets')!.schema!)).toEqual({
      type: 'array',
      items: { $ref: '#/models/Pet' },
    });
  });

  it('reads the integration extension into PutIntegration and PutIntegrationResponse', () => {
    const p = plan(
      oas({
        '/pets': {
          get: {
            responses: {},
            'x-amazon-apigateway-integration': {
              type: 'aws',
              httpMethod: 'post',
              uri: lambda,
              passthroughBehavior: 'when_no_templates',
              contentHandling: 'CONVERT_TO_TEXT',
              timeoutInMillis: '5000',
              cacheKeyParameters: ['method.request.querystring.page'],
              requestParameters: { 'integration.request.header.x': "'static'" },
              requestTemplates: { 'application/json': '{"name": "$input.params(\'name\')"}' },
              responses: {
                default: { statusCode: 200, responseTemplates: { 'application/json': "$input.json('$')" } },
                'Bad name.*': {
                  statusCode: '400',
                  responseParameters: { 'method.response.header.x': "'y'" },
                },
              },
            },
          },
        },
      }),
    );
    const get = method(p, '/pets', 'GET')!;
    expect(get.integration).toEqual({
      type: 'AWS',
      integrationHttpMethod: 'POST',
      uri: lambda,
      passthroughBehavior: 'WHEN_NO_TEMPLATES',
      contentHandling: 'CONVERT_TO_TEXT',
      timeoutInMillis: 5000,
      cacheKeyParameters: ['method.request.querystring.page'],
      requestParameters: { 'integration.request.header.x': "'static'" },
      requestTemplates: { 'application/json': '{"name": "$input.params(\'name\')"}' },
    });
    expect(get.integrationResponses).toEqual([
      { statusCode: '200', responseTemplates: { 'application/json': "$input.json('$')" } },
      {
        statusCode: '400',
        selectionPattern: 'Bad name.*',
        responseParameters: { 'method.response.header.x': "'y'" },
      },
    ]);
  });

  it.each([
    ['not an object', 'mock'],
    ['without a type', { uri: lambda }],
    ['with a URI that is not a string', { type: 'aws_proxy', httpMethod: 'POST', uri: { 'Fn::Sub': 'x' } }],
    ['with a response without a status code', { type: 'mock', responses: { default: {} } }],
  ])('refuses an integration %s as malformed', (_, integration) => {
    expect(() =>
      plan(
        oas({ '/pets': { get: { responses: {}, 'x-amazon-apigateway-integration': integration } } }),
        'prepend',
      ),
    ).toThrow('Unable to parse API definition because of a malformed integration at path /pets.');
  });

  it('warns of what AWS warns of, and goes on', () => {
    const p = plan(
      oas(
        {
          '/test': {
            get: {
              'x-amazon-apigateway-integration': {
                type: 'mock',
                requestParameters: {
                  'integration.request.header.nothing': true,
                  'integration.request.header.ok': "'x'",
                },
              },
            },
            post: {
              responses: {
                200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Nope' } } } },
              },
            },
          },
          $default: { get: {} },
        },
        { servers: [{ url: 'https://x.com/base-url/part' }] },
      ),
      'split',
    );
    expect(p.warnings).toEqual([
      "Parse issue: attribute paths.'/test'(get).responses is missing",
      "Invalid format for 'requestParameters'. Expected type string for property 'integration.request.header.nothing' of resource '/part/test' and method 'GET' but got 'true'",
      "Parse issue: attribute paths.'/test'(post).responses.200.content.schema.#/components/schemas/Nope is missing",
      'Parse issue: attribute paths. Resource $default should start with /',
    ]);
    expect(method(p, '/part/test', 'GET')!.integration!.requestParameters).toEqual({
      'integration.request.header.ok': "'x'",
    });
  });

  it('keeps authorizers, and sets the methods their security asks for', () => {
    const p = plan(
      oas(
        {
          '/a': { get: { responses: {}, security: [{ token: [] }] } },
          '/b': { get: { responses: {}, security: [{ pool: ['read'] }] } },
          '/c': { get: { responses: {}, security: [{ sigv4: [] }] } },
          '/d': { get: { responses: {}, security: [{ key: [], token: [] }] } },
          '/e': { get: { responses: {}, security: [] } },
          '/f': { get: { responses: {} } },
        },
        {
          security: [{ key: [] }],
          components: {
            securitySchemes: {
              token: {
                type: 'apiKey',
                name: 'Authorization',
                in: 'header',
                'x-amazon-apigateway-authtype': 'custom',
                'x-amazon-apigateway-authorizer': {
                  type: 'token',
                  authorizerUri: lambda,
                  authorizerResultTtlInSeconds: 60,
                },
              },
              pool: {
                type: 'apiKey',
                name: 'Authorization',
                in: 'header',
                'x-amazon-apigateway-authorizer': {
                  type: 'cognito_user_pools',
                  providerARNs: ['arn:aws:cognito-idp:us-east-1:000000000000:userpool/p'],
                },
              },
              sigv4: {
                type: 'apiKey',
                name: 'Authorization',
                in: 'header',
                'x-amazon-apigateway-authtype': 'awsSigv4',
              },
              key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
            },
          },
        },
      ),
    );
    expect(p.authorizers).toEqual([
      {
        id: 'id1',
        name: 'token',
        type: 'TOKEN',
        authType: 'custom',
        authorizerUri: lambda,
        identitySource: 'method.request.header.Authorization',
        authorizerResultTtlInSeconds: 60,
      },
      {
        id: 'id2',
        name: 'pool',
        type: 'COGNITO_USER_POOLS',
        providerARNs: ['arn:aws:cognito-idp:us-east-1:000000000000:userpool/p'],
        identitySource: 'method.request.header.Authorization',
        authorizerResultTtlInSeconds: 300,
      },
    ]);
    const auth = (path: string) => {
      const { authorizationType, authorizerId, authorizationScopes, apiKeyRequired } = method(
        p,
        path,
        'GET',
      )!.method;
      return { authorizationType, authorizerId, authorizationScopes, apiKeyRequired };
    };
    expect(auth('/a')).toMatchObject({ authorizationType: 'CUSTOM', authorizerId: 'id1' });
    expect(auth('/b')).toMatchObject({
      authorizationType: 'COGNITO_USER_POOLS',
      authorizerId: 'id2',
      authorizationScopes: ['read'],
    });
    expect(auth('/c')).toMatchObject({ authorizationType: 'AWS_IAM' });
    expect(auth('/d')).toMatchObject({
      authorizationType: 'CUSTOM',
      authorizerId: 'id1',
      apiKeyRequired: true,
    });
    expect(auth('/e')).toEqual({ authorizationType: 'NONE' });
    expect(auth('/f')).toMatchObject({ authorizationType: 'NONE', apiKeyRequired: true });
  });

  it('keeps request validators and gateway responses, and names a method validator by id', () => {
    const p = plan(
      oas(
        {
          '/a': { get: { responses: {} } },
          '/b': { get: { responses: {}, 'x-amazon-apigateway-request-validator': 'none' } },
        },
        {
          'x-amazon-apigateway-request-validators': {
            all: { validateRequestBody: true, validateRequestParameters: true },
            none: { validateRequestBody: false, validateRequestParameters: false },
          },
          'x-amazon-apigateway-request-validator': 'all',
          'x-amazon-apigateway-gateway-responses': {
            MISSING_AUTHENTICATION_TOKEN: {
              statusCode: 404,
              responseTemplates: { 'application/json': '{"m":"nope"}' },
            },
          },
        },
      ),
    );
    expect(p.definitions.requestValidators).toEqual([
      { id: 'id1', name: 'all', validateRequestBody: true, validateRequestParameters: true },
      { id: 'id2', name: 'none', validateRequestBody: false, validateRequestParameters: false },
    ]);
    expect(p.definitions.gatewayResponses).toEqual([
      {
        responseType: 'MISSING_AUTHENTICATION_TOKEN',
        statusCode: '404',
        responseTemplates: { 'application/json': '{"m":"nope"}' },
        defaultResponse: false,
      },
    ]);
    expect(method(p, '/a', 'GET')!.method.requestValidatorId).toBe('id1');
    expect(method(p, '/b', 'GET')!.method.requestValidatorId).toBe('id2');
  });
});
