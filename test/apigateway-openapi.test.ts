/**
 * OpenAPI import and export through the AWS SDKs: a PetStore-style REST API imported from YAML
 * (a MOCK integration with a response template, an HTTP_PROXY one, Lambda proxy ones), deployed
 * and called over HTTP, exported back and imported again; PutRestApi's merge and overwrite;
 * an HTTP API imported, called, exported and reimported; and the errors AWS gives for documents
 * it will not import.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APIGatewayClient,
  BadRequestException,
  CreateDeploymentCommand,
  GetAuthorizersCommand,
  GetExportCommand,
  GetIntegrationCommand,
  GetMethodCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  ImportRestApiCommand,
  PutRestApiCommand,
  type Resource,
} from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client,
  CreateStageCommand,
  ExportApiCommand,
  GetAuthorizersCommand as GetHttpAuthorizersCommand,
  GetApisCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  ImportApiCommand,
  ReimportApiCommand,
} from '@aws-sdk/client-apigatewayv2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { parse as parseYaml } from 'yaml';
import { createFunction } from './support/lambda.js';
import { httpCall } from './support/http.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const echo = `
export const handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(event),
});`;

const lambdaUri = (functionArn: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn}/invocations`;

/** The PetStore, our way: a MOCK welcome page, an HTTP proxy, Lambda proxies, an authorizer. */
function petStore(functionArn: string, backend: string): string {
  return `
openapi: 3.0.1
info:
  title: PetStore
  description: Pets, from an OpenAPI document
  version: 1.0
servers:
  - url: https://example.com/{basePath}
    variables:
      basePath:
        default: v1
x-amazon-apigateway-binary-media-types: [image/png]
x-amazon-apigateway-gateway-responses:
  DEFAULT_4XX:
    responseTemplates:
      application/json: '{"message": $context.error.messageString}'
x-amazon-apigateway-request-validators:
  params:
    validateRequestBody: false
    validateRequestParameters: true
paths:
  /:
    get:
      responses:
        '200':
          description: welcome
          headers:
            X-Welcome: { schema: { type: string } }
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates:
          application/json: '{"statusCode": 200}'
        responses:
          default:
            statusCode: 200
            responseParameters:
              method.response.header.X-Welcome: "'yes'"
            responseTemplates:
              application/json: '{"welcome": "$context.stage"}'
        passthroughBehavior: when_no_match
  /pets:
    get:
      operationId: ListPets
      x-amazon-apigateway-request-validator: params
      parameters:
        - { name: type, in: query, schema: { type: string } }
      responses:
        '200':
          description: pets
          content: { application/json: { schema: { $ref: '#/components/schemas/Pets' } } }
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: GET
        uri: ${backend}/pets
  /pets/{petId}:
    parameters:
      - { name: petId, in: path, required: true, schema: { type: string } }
    get:
      operationId: GetPet
      responses: { '200': { description: a pet } }
      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: '${lambdaUri(functionArn)}' }
    delete:
      security: [{ tokenAuth: [] }]
      responses: { '204': { description: gone } }
      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: '${lambdaUri(functionArn)}' }
  /{proxy+}:
    x-amazon-apigateway-any-method:
      parameters: [{ name: proxy, in: path, required: true, schema: { type: string } }]
      responses: {}
      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: '${lambdaUri(functionArn)}' }
components:
  schemas:
    Pet: { type: object, properties: { id: { type: integer }, type: { type: string } } }
    Pets: { type: array, items: { $ref: '#/components/schemas/Pet' } }
  securitySchemes:
    tokenAuth:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: custom
      x-amazon-apigateway-authorizer:
        type: token
        authorizerUri: '${lambdaUri(functionArn)}'
        authorizerResultTtlInSeconds: 60
`;
}

/** A resource tree as compared across APIs: ids (and what names them) left out. */
function shapeOf(resources: Resource[]) {
  return resources
    .map((resource) => ({
      path: resource.path,
      methods: Object.fromEntries(
        Object.entries(resource.resourceMethods ?? {}).map(([name, method]) => {
          const { authorizerId: _a, requestValidatorId: _v, methodIntegration, ...rest } = method;
          const { cacheNamespace: _c, ...integration } = methodIntegration ?? {};
          return [name, { ...rest, integration }];
        }),
      ),
    }))
    .sort((a, b) => (a.path! < b.path! ? -1 : 1));
}

describe('API Gateway OpenAPI import and export', () => {
  let stratus: TestStratus;
  let apigateway: APIGatewayClient;
  let v2: ApiGatewayV2Client;
  let lambda: LambdaClient;
  let functionArn: string;
  let backend: Server;
  let backendUrl: string;

  beforeAll(async () => {
    stratus = await startTestStratus();
    apigateway = new APIGatewayClient(stratus.clientConfig);
    v2 = new ApiGatewayV2Client(stratus.clientConfig);
    lambda = new LambdaClient(stratus.clientConfig);
    functionArn = (await createFunction(lambda, 'openapi-echo', { 'index.mjs': echo })).FunctionArn!;
    backend = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ backend: true, url: request.url }));
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    apigateway?.destroy();
    v2?.destroy();
    lambda?.destroy();
    await new Promise((resolve) => backend?.close(resolve));
    await stratus?.close();
  });

  const invoke = (id: string, stage: string, path: string) =>
    httpCall(`${stratus.url}/_aws/execute-api/${id}/${stage}${path}`);

  it('imports a PetStore document, serves it once deployed, and exports it back', async () => {
    const api = await apigateway.send(
      new ImportRestApiCommand({
        body: Buffer.from(petStore(functionArn, backendUrl)),
        failOnWarnings: true,
      }),
    );
    expect(api).toMatchObject({
      name: 'PetStore',
      description: 'Pets, from an OpenAPI document',
      version: '1.0',
      binaryMediaTypes: ['image/png'],
      endpointConfiguration: { types: ['EDGE'] },
    });
    expect(api.warnings).toBeUndefined();
    const restApiId = api.id!;
    const { items } = await apigateway.send(new GetResourcesCommand({ restApiId, embed: ['methods'] }));
    expect(items!.map((r) => r.path).sort()).toEqual(['/', '/pets', '/pets/{petId}', '/{proxy+}']);
    const pets = items!.find((r) => r.path === '/pets')!;
    expect(pets.resourceMethods!.GET).toMatchObject({
      operationName: 'ListPets',
      authorizationType: 'NONE',
      requestParameters: { 'method.request.querystring.type': false },
      methodResponses: { '200': { statusCode: '200', responseModels: { 'application/json': 'Pets' } } },
      methodIntegration: { type: 'HTTP_PROXY', httpMethod: 'GET', uri: `${backendUrl}/pets` },
    });
    const pet = items!.find((r) => r.path === '/pets/{petId}')!;
    const remove = await apigateway.send(
      new GetMethodCommand({ restApiId, resourceId: pet.id!, httpMethod: 'DELETE' }),
    );
    expect(remove).toMatchObject({
      authorizationType: 'CUSTOM',
      requestParameters: { 'method.request.path.petId': true },
    });
    const { items: authorizers } = await apigateway.send(new GetAuthorizersCommand({ restApiId }));
    expect(authorizers).toEqual([
      expect.objectContaining({
        id: remove.authorizerId,
        name: 'tokenAuth',
        type: 'TOKEN',
        identitySource: 'method.request.header.Authorization',
        authorizerResultTtlInSeconds: 60,
      }),
    ]);
    const root = items!.find((r) => r.path === '/')!;
    const mock = await apigateway.send(
      new GetIntegrationCommand({ restApiId, resourceId: root.id!, httpMethod: 'GET' }),
    );
    expect(mock).toMatchObject({
      type: 'MOCK',
      passthroughBehavior: 'WHEN_NO_MATCH',
      integrationResponses: {
        '200': { statusCode: '200', responseParameters: { 'method.response.header.X-Welcome': "'yes'" } },
      },
    });
    expect(mock.integrationResponses!['200']!.selectionPattern).toBeUndefined();

    await apigateway.send(new CreateDeploymentCommand({ restApiId, stageName: 'test' }));
    const welcome = await invoke(restApiId, 'test', '/');
    expect(welcome.status).toBe(200);
    expect(welcome.json()).toEqual({ welcome: 'test' });
    expect(welcome.headers['x-welcome']).toBe('yes');
    const proxied = await invoke(restApiId, 'test', '/pets?type=cat');
    expect(proxied.json()).toEqual({ backend: true, url: '/pets?type=cat' });
    const fromLambda = await invoke(restApiId, 'test', '/pets/7');
    expect(fromLambda.json()).toMatchObject({ resource: '/pets/{petId}', pathParameters: { petId: '7' } });
    const greedy = await invoke(restApiId, 'test', '/a/b');
    expect(greedy.json()).toMatchObject({ resource: '/{proxy+}', pathParameters: { proxy: 'a/b' } });

    const exported = await apigateway.send(
      new GetExportCommand({
        restApiId,
        stageName: 'test',
        exportType: 'oas30',
        parameters: { extensions: 'apigateway' },
      }),
    );
    // The SDK asks for JSON (`Accept: application/json`) unless told `accepts`.
    expect(exported.contentType).toBe('application/json');
    expect(exported.contentDisposition).toBe('attachment; filename="oas30_1.0.json"');
    const document = JSON.parse(Buffer.from(exported.body!).toString('utf8'));
    expect(document).toMatchObject({
      openapi: '3.0.1',
      info: { title: 'PetStore', version: '1.0' },
      servers: [{ variables: { basePath: { default: 'test' } } }],
      'x-amazon-apigateway-binary-media-types': ['image/png'],
      'x-amazon-apigateway-request-validators': { params: { validateRequestParameters: true } },
      components: {
        schemas: { Pets: { type: 'array', items: { $ref: '#/components/schemas/Pet' } } },
        securitySchemes: { tokenAuth: { 'x-amazon-apigateway-authorizer': { type: 'token' } } },
      },
    });
    expect(document.paths['/pets'].get['x-amazon-apigateway-integration']).toEqual({
      type: 'http_proxy',
      httpMethod: 'GET',
      uri: `${backendUrl}/pets`,
      passthroughBehavior: 'when_no_match',
    });
    expect(document.paths['/{proxy+}']['x-amazon-apigateway-any-method']).toBeDefined();
    expect(document.paths['/pets/{petId}'].delete.security).toEqual([{ tokenAuth: [] }]);

    // The exported document imports as the same API.
    const again = await apigateway.send(
      new ImportRestApiCommand({ body: exported.body!, failOnWarnings: true }),
    );
    const copied = await apigateway.send(
      new GetResourcesCommand({ restApiId: again.id, embed: ['methods'] }),
    );
    expect(shapeOf(copied.items!)).toEqual(shapeOf(items!));

    const yaml = await apigateway.send(
      new GetExportCommand({
        restApiId,
        stageName: 'test',
        exportType: 'swagger',
        accepts: 'application/yaml',
      }),
    );
    expect(yaml.contentType).toBe('application/yaml');
    const swagger = parseYaml(Buffer.from(yaml.body!).toString('utf8'));
    expect(swagger).toMatchObject({
      swagger: '2.0',
      basePath: '/test',
      definitions: { Pet: { type: 'object' } },
    });
    expect(swagger.paths['/pets'].get['x-amazon-apigateway-integration']).toBeUndefined();
  });

  it('places the base path as the basepath parameter says', async () => {
    const paths = async (basepath: string) => {
      const api = await apigateway.send(
        new ImportRestApiCommand({
          body: Buffer.from(petStore(functionArn, backendUrl)),
          parameters: { basepath },
        }),
      );
      const { items } = await apigateway.send(new GetResourcesCommand({ restApiId: api.id }));
      return items!.map((r) => r.path).sort();
    };
    expect(await paths('prepend')).toEqual(['/', '/v1', '/v1/pets', '/v1/pets/{petId}', '/v1/{proxy+}']);
    expect(await paths('ignore')).toEqual(['/', '/pets', '/pets/{petId}', '/{proxy+}']);
  });

  it('merges into an API or overwrites it with PutRestApi', async () => {
    const one = (path: string, title: string) => `{
      "swagger": "2.0", "info": { "title": "${title}", "version": "2" },
      "x-amazon-apigateway-binary-media-types": ["image/${title}"],
      "paths": { "${path}": { "get": { "responses": { "200": { "description": "ok" } },
        "x-amazon-apigateway-integration": { "type": "mock", "requestTemplates": { "application/json": "{\\"statusCode\\": 200}" },
          "responses": { "default": { "statusCode": "200" } } } } } } }`;
    const api = await apigateway.send(new ImportRestApiCommand({ body: Buffer.from(one('/a', 'png')) }));
    const restApiId = api.id!;
    const merged = await apigateway.send(
      new PutRestApiCommand({ restApiId, mode: 'merge', body: Buffer.from(one('/b', 'gif')) }),
    );
    expect(merged).toMatchObject({
      id: restApiId,
      name: 'gif',
      binaryMediaTypes: ['image/png', 'image/gif'],
    });
    expect(merged.rootResourceId).toBe(api.rootResourceId);
    const afterMerge = await apigateway.send(new GetResourcesCommand({ restApiId }));
    expect(afterMerge.items!.map((r) => r.path).sort()).toEqual(['/', '/a', '/b']);

    const overwritten = await apigateway.send(
      new PutRestApiCommand({ restApiId, mode: 'overwrite', body: Buffer.from(one('/c', 'jpeg')) }),
    );
    expect(overwritten.binaryMediaTypes).toEqual(['image/jpeg']);
    const afterOverwrite = await apigateway.send(new GetResourcesCommand({ restApiId }));
    expect(afterOverwrite.items!.map((r) => r.path).sort()).toEqual(['/', '/c']);
  });

  it('refuses documents AWS refuses, with its messages, and changes nothing', async () => {
    const before = (await apigateway.send(new GetRestApisCommand({ limit: 500 }))).items!.length;
    const importing = (body: string, failOnWarnings?: boolean) =>
      apigateway.send(new ImportRestApiCommand({ body: Buffer.from(body), failOnWarnings }));
    await expect(importing("{'key:value}")).rejects.toThrow(BadRequestException);
    await expect(importing("{'key:value}")).rejects.toThrow('Invalid OpenAPI input.');
    await expect(importing('title: not an API\n')).rejects.toThrow('Invalid OpenAPI input.');
    await expect(importing('{"openapi": "3.0.1", "info": {"title": "x"}}')).rejects.toThrow(
      'Invalid OpenAPI input.',
    );
    await expect(
      apigateway.send(new PutRestApiCommand({ restApiId: 'nosuchapi1', body: Buffer.from('{oops') })),
    ).rejects.toThrow('Invalid OpenAPI input.');

    const operation = (integration: string) => `
openapi: 3.0.1
info: { title: broken }
paths:
  /pets:
    get:
      responses: { '200': { description: ok } }
      x-amazon-apigateway-integration: ${integration}
  /other:
    post:
      responses: { '200': { description: ok } }
      x-amazon-apigateway-integration: { type: http, httpMethod: POST, uri: 'not-a-url' }
`;
    await expect(importing(operation('{ type: aws_proxy, httpMethod: POST }'))).rejects.toThrow(
      "Errors found during import:\n\tUnable to put integration on 'GET' for resource at path '/pets': Invalid integration URI specified\n\tUnable to put integration on 'POST' for resource at path '/other': Invalid HTTP endpoint specified for URI",
    );
    await expect(
      importing(operation('{ type: aws_proxy, httpMethod: POST, uri: { Fn::Sub: x } }')),
    ).rejects.toThrow('Unable to parse API definition because of a malformed integration at path /pets.');

    const badAuthorizer = `
openapi: 3.0.1
info: { title: unauthorized }
paths:
  /pets:
    get:
      security: [{ bad: [] }]
      responses: { '200': { description: ok } }
      x-amazon-apigateway-integration: { type: mock, requestTemplates: { application/json: '{"statusCode": 200}' } }
components:
  securitySchemes:
    bad: { type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authorizer: { type: token } }
`;
    await expect(importing(badAuthorizer)).rejects.toThrow(
      "Errors found during import:\n\tUnable to create Authorizer 'bad': Authorizer URI is required for TOKEN and REQUEST authorizers",
    );

    const noResponses = `
openapi: 3.0.1
info: { title: warned }
paths:
  /pets:
    get:
      x-amazon-apigateway-integration: { type: mock, requestTemplates: { application/json: '{"statusCode": 200}' } }
`;
    await expect(importing(noResponses, true)).rejects.toThrow(
      "Warnings found during import:\n\tParse issue: attribute paths.'/pets'(get).responses is missing",
    );
    expect((await apigateway.send(new GetRestApisCommand({ limit: 500 }))).items!.length).toBe(before);
    const warned = await importing(noResponses);
    expect(warned.warnings).toEqual(["Parse issue: attribute paths.'/pets'(get).responses is missing"]);
    expect((await apigateway.send(new GetRestApiCommand({ restApiId: warned.id }))).name).toBe('warned');
  });

  it('imports an HTTP API, serves it, exports it, and reimports it', async () => {
    const document = `
openapi: 3.0.1
info: { title: Hello HTTP, version: '2.0' }
x-amazon-apigateway-importexport-version: '1.0'
x-amazon-apigateway-cors: { allowOrigins: ['https://example.com'], allowMethods: [GET], maxAge: 300 }
paths:
  /hello/{name}:
    get:
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: '${lambdaUri(functionArn)}'
        payloadFormatVersion: 2.0
  /private:
    get:
      security: [{ jwt: [read] }]
      x-amazon-apigateway-integration: { $ref: '#/components/x-amazon-apigateway-integrations/echo' }
  /$default:
    x-amazon-apigateway-any-method:
      isDefaultRoute: true
      x-amazon-apigateway-integration: { $ref: '#/components/x-amazon-apigateway-integrations/echo' }
components:
  securitySchemes:
    jwt:
      type: oauth2
      x-amazon-apigateway-authorizer:
        type: jwt
        identitySource: $request.header.Authorization
        jwtConfiguration: { issuer: 'https://issuer.example.com', audience: [pets] }
  x-amazon-apigateway-integrations:
    echo: { type: aws_proxy, httpMethod: POST, uri: '${functionArn}', payloadFormatVersion: '1.0' }
`;
    const api = await v2.send(new ImportApiCommand({ Body: document, FailOnWarnings: true }));
    expect(api).toMatchObject({
      Name: 'Hello HTTP',
      Version: '2.0',
      ProtocolType: 'HTTP',
      CorsConfiguration: { AllowOrigins: ['https://example.com'], AllowMethods: ['GET'], MaxAge: 300 },
    });
    const ApiId = api.ApiId!;
    const routes = await v2.send(new GetRoutesCommand({ ApiId }));
    expect(routes.Items!.map((r) => r.RouteKey).sort()).toEqual([
      '$default',
      'GET /hello/{name}',
      'GET /private',
    ]);
    const { Items: authorizers } = await v2.send(new GetHttpAuthorizersCommand({ ApiId }));
    expect(authorizers).toMatchObject([
      {
        Name: 'jwt',
        AuthorizerType: 'JWT',
        JwtConfiguration: { Issuer: 'https://issuer.example.com', Audience: ['pets'] },
      },
    ]);
    expect(routes.Items!.find((r) => r.RouteKey === 'GET /private')).toMatchObject({
      AuthorizationType: 'JWT',
      AuthorizerId: authorizers![0]!.AuthorizerId,
      AuthorizationScopes: ['read'],
    });
    const integrations = await v2.send(new GetIntegrationsCommand({ ApiId }));
    expect(integrations.Items!.map((i) => i.PayloadFormatVersion).sort()).toEqual(['1.0', '2.0']);

    await v2.send(new CreateStageCommand({ ApiId, StageName: 'prod', AutoDeploy: true }));
    const hello = await invoke(ApiId, 'prod', '/hello/world');
    expect(hello.json()).toMatchObject({
      version: '2.0',
      routeKey: 'GET /hello/{name}',
      pathParameters: { name: 'world' },
    });
    const other = await invoke(ApiId, 'prod', '/some/where');
    expect(other.json()).toMatchObject({ version: '1.0', path: '/prod/some/where' });

    const exported = await v2.send(
      new ExportApiCommand({ ApiId, Specification: 'OAS30', OutputType: 'JSON', StageName: 'prod' }),
    );
    const written = JSON.parse(Buffer.from(exported.body!).toString('utf8'));
    expect(written).toMatchObject({
      openapi: '3.0.1',
      info: { title: 'Hello HTTP', version: '2.0' },
      'x-amazon-apigateway-importexport-version': '1.0',
      'x-amazon-apigateway-cors': { allowOrigins: ['https://example.com'], maxAge: 300 },
      paths: {
        '/hello/{name}': {
          get: {
            parameters: [{ name: 'name', in: 'path', required: true }],
            'x-amazon-apigateway-integration': { type: 'aws_proxy', payloadFormatVersion: '2.0' },
          },
        },
        '/$default': { 'x-amazon-apigateway-any-method': { isDefaultRoute: true } },
        '/private': { get: { security: [{ jwt: ['read'] }] } },
      },
      components: { securitySchemes: { jwt: { 'x-amazon-apigateway-authorizer': { type: 'jwt' } } } },
    });
    const plain = await v2.send(
      new ExportApiCommand({ ApiId, Specification: 'OAS30', OutputType: 'YAML', IncludeExtensions: false }),
    );
    const plainDocument = parseYaml(Buffer.from(plain.body!).toString('utf8'));
    expect(plainDocument.paths['/hello/{name}'].get['x-amazon-apigateway-integration']).toBeUndefined();

    // The exported document is an HTTP API of its own.
    const copy = await v2.send(new ImportApiCommand({ Body: Buffer.from(exported.body!).toString('utf8') }));
    const copiedRoutes = await v2.send(new GetRoutesCommand({ ApiId: copy.ApiId }));
    expect(copiedRoutes.Items!.map((r) => r.RouteKey).sort()).toEqual([
      '$default',
      'GET /hello/{name}',
      'GET /private',
    ]);
    expect(copiedRoutes.Items!.find((r) => r.RouteKey === 'GET /private')!.AuthorizationType).toBe('JWT');

    const reimported = await v2.send(
      new ReimportApiCommand({
        ApiId,
        Body: `openapi: 3.0.1
info: { title: Bye HTTP, version: '3.0' }
paths:
  /bye:
    get:
      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: '${functionArn}', payloadFormatVersion: '2.0' }
`,
      }),
    );
    expect(reimported).toMatchObject({ ApiId, Name: 'Bye HTTP', Version: '3.0' });
    expect(reimported.CorsConfiguration).toBeUndefined();
    expect((await v2.send(new GetRoutesCommand({ ApiId }))).Items!.map((r) => r.RouteKey)).toEqual([
      'GET /bye',
    ]);
    expect((await invoke(ApiId, 'prod', '/bye')).json()).toMatchObject({ routeKey: 'GET /bye' });
    expect((await invoke(ApiId, 'prod', '/hello/world')).status).toBe(404);
  });

  it('refuses HTTP API documents AWS refuses', async () => {
    const before = (await v2.send(new GetApisCommand({}))).Items!.length;
    await expect(
      v2.send(new ImportApiCommand({ Body: '{"swagger": "2.0", "info": {"title": "x"}, "paths": {}}' })),
    ).rejects.toThrow('Invalid OpenAPI input.');
    const withIntegration = (integration: string) => `
openapi: 3.0.1
info: { title: broken }
paths:
  /x:
    get:
      x-amazon-apigateway-integration: ${integration}
`;
    await expect(
      v2.send(
        new ImportApiCommand({ Body: withIntegration('{ type: aws_proxy, payloadFormatVersion: "2.0" }') }),
      ),
    ).rejects.toThrow(
      "Errors found during import:\n\tUnable to create integration for route 'GET /x': IntegrationUri is required for this integration type",
    );
    const unsupported = withIntegration(
      '{ type: aws, httpMethod: POST, uri: "arn:aws:apigateway:us-east-1:sqs:path/x" }',
    );
    await expect(v2.send(new ImportApiCommand({ Body: unsupported, FailOnWarnings: true }))).rejects.toThrow(
      'Warnings found during import:\n\tIntegration type AWS is not supported for HTTP APIs',
    );
    expect((await v2.send(new GetApisCommand({}))).Items!.length).toBe(before);
    const warned = await v2.send(new ImportApiCommand({ Body: unsupported }));
    expect(warned.Warnings).toHaveLength(1);

    // An authorizer it cannot make is a warning; the route goes without it.
    const noAudience = `
openapi: 3.0.1
info: { title: half-secured }
paths:
  /x:
    get:
      security: [{ jwt: [] }]
components:
  securitySchemes:
    jwt: { type: oauth2, x-amazon-apigateway-authorizer: { type: jwt, jwtConfiguration: { issuer: 'https://i' } } }
`;
    const half = await v2.send(new ImportApiCommand({ Body: noAudience }));
    expect(half.Warnings).toEqual([
      "Unable to create Authorizer 'jwt': JwtConfiguration.Audience is required for JWT authorizers",
    ]);
    const [route] = (await v2.send(new GetRoutesCommand({ ApiId: half.ApiId }))).Items!;
    expect(route).toMatchObject({ RouteKey: 'GET /x', AuthorizationType: 'NONE' });
  });
});
