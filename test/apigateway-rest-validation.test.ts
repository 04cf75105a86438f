/**
 * REST APIs' models, request validators and gateway responses through the AWS SDK, and what a
 * deployed API does with them when called over plain HTTP: refuse a call missing a required
 * parameter or carrying a body its model refuses, and answer API Gateway's own refusals as the
 * API customized them. Also the Update* operations of the method tree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APIGatewayClient,
  BadRequestException,
  ConflictException,
  CreateDeploymentCommand,
  CreateModelCommand,
  CreateRequestValidatorCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  DeleteGatewayResponseCommand,
  DeleteMethodCommand,
  DeleteModelCommand,
  DeleteRequestValidatorCommand,
  GetGatewayResponseCommand,
  GetGatewayResponsesCommand,
  GetModelCommand,
  GetModelsCommand,
  GetExportCommand,
  GetModelTemplateCommand,
  GetRequestValidatorCommand,
  GetRequestValidatorsCommand,
  GetResourcesCommand,
  ImportRestApiCommand,
  NotFoundException,
  PutGatewayResponseCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateDeploymentCommand,
  UpdateGatewayResponseCommand,
  UpdateIntegrationCommand,
  UpdateIntegrationResponseCommand,
  UpdateMethodCommand,
  UpdateMethodResponseCommand,
  UpdateModelCommand,
  UpdateRequestValidatorCommand,
  UpdateResourceCommand,
} from '@aws-sdk/client-api-gateway';
import { httpCall } from './support/http.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const modelUri = (restApiId: string, name: string) =>
  `https://apigateway.amazonaws.com/restapis/${restApiId}/models/${name}`;

describe('API Gateway REST API models, request validators and gateway responses', () => {
  let stratus: TestStratus;
  let apigateway: APIGatewayClient;

  beforeAll(async () => {
    stratus = await startTestStratus();
    apigateway = new APIGatewayClient(stratus.clientConfig);
  });
  afterAll(async () => {
    apigateway?.destroy();
    await stratus?.close();
  });

  /** `POST /pets` on a mock integration answering `{"ok":true}`, with a validator and a model. */
  async function validatedApi(name: string) {
    const api = await apigateway.send(new CreateRestApiCommand({ name }));
    const restApiId = api.id!;
    await apigateway.send(
      new CreateModelCommand({
        restApiId,
        name: 'Pet',
        contentType: 'application/json',
        schema: JSON.stringify({
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
        }),
      }),
    );
    const validator = await apigateway.send(
      new CreateRequestValidatorCommand({
        restApiId,
        name: 'all',
        validateRequestBody: true,
        validateRequestParameters: true,
      }),
    );
    const pets = await apigateway.send(
      new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: 'pets' }),
    );
    const address = { restApiId, resourceId: pets.id!, httpMethod: 'POST' };
    await apigateway.send(
      new PutMethodCommand({
        ...address,
        authorizationType: 'NONE',
        requestValidatorId: validator.id,
        requestParameters: { 'method.request.querystring.name': true, 'method.request.header.x-tag': false },
        requestModels: { 'application/json': 'Pet' },
      }),
    );
    await apigateway.send(new PutMethodResponseCommand({ ...address, statusCode: '200' }));
    await apigateway.send(
      new PutIntegrationCommand({
        ...address,
        type: 'MOCK',
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
      }),
    );
    await apigateway.send(
      new PutIntegrationResponseCommand({
        ...address,
        statusCode: '200',
        responseTemplates: { 'application/json': '{"ok":true}' },
      }),
    );
    await apigateway.send(new CreateDeploymentCommand({ restApiId, stageName: 'test' }));
    return {
      api,
      restApiId,
      validator,
      pets,
      address,
      url: `${stratus.url}/_aws/execute-api/${restApiId}/test`,
    };
  }

  const post = (url: string, body: string) =>
    httpCall(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('keeps models: AWS default ones, CRUD, flattening, templates and AWS errors', async () => {
    const api = await apigateway.send(new CreateRestApiCommand({ name: 'models' }));
    const restApiId = api.id!;
    const defaults = await apigateway.send(new GetModelsCommand({ restApiId }));
    expect(defaults.items?.map((m) => m.name).sort()).toEqual(['Empty', 'Error']);
    expect(defaults.items?.find((m) => m.name === 'Empty')).toMatchObject({
      description: 'This is a default empty schema model',
      contentType: 'application/json',
    });

    const pet = await apigateway.send(
      new CreateModelCommand({
        restApiId,
        name: 'Pet',
        description: 'a pet',
        contentType: 'application/json',
        schema: JSON.stringify({ type: 'object', properties: { name: { type: 'string' } } }),
      }),
    );
    expect(pet).toMatchObject({ name: 'Pet', description: 'a pet', contentType: 'application/json' });
    expect(pet.id).toMatch(/^[a-z0-9]{6}$/);
    await apigateway.send(
      new CreateModelCommand({
        restApiId,
        name: 'Pets',
        contentType: 'application/json',
        schema: JSON.stringify({ type: 'array', items: { $ref: modelUri(restApiId, 'Pet') } }),
      }),
    );
    const flat = await apigateway.send(new GetModelCommand({ restApiId, modelName: 'Pets', flatten: true }));
    expect(JSON.parse(flat.schema!)).toEqual({
      type: 'array',
      items: { $ref: '#/definitions/Pet' },
      definitions: { Pet: { type: 'object', properties: { name: { type: 'string' } } } },
    });
    const template = await apigateway.send(new GetModelTemplateCommand({ restApiId, modelName: 'Pets' }));
    expect(template.value).toContain('#foreach($elem in $inputRoot)');
    expect(template.value).toContain('"name" : "$elem.name"');

    const updated = await apigateway.send(
      new UpdateModelCommand({
        restApiId,
        modelName: 'Pet',
        patchOperations: [
          { op: 'replace', path: '/description', value: 'still a pet' },
          { op: 'replace', path: '/schema', value: '{"type":"object","required":["name"]}' },
        ],
      }),
    );
    expect(updated).toMatchObject({
      description: 'still a pet',
      schema: '{"type":"object","required":["name"]}',
    });

    const page1 = await apigateway.send(new GetModelsCommand({ restApiId, limit: 3 }));
    expect(page1.items).toHaveLength(3);
    const page2 = await apigateway.send(
      new GetModelsCommand({ restApiId, limit: 3, position: page1.position }),
    );
    expect(page2.items).toHaveLength(1);
    expect(page2.position).toBeUndefined();

    const create = (name: string, schema: string) =>
      apigateway.send(new CreateModelCommand({ restApiId, name, contentType: 'application/json', schema }));
    await expect(create('Pet', '{"type":"object"}')).rejects.toThrow(ConflictException);
    await expect(create('Pet', '{"type":"object"}')).rejects.toThrow(
      'Model name already exists for this REST API',
    );
    await expect(create('my-pet', '{"type":"object"}')).rejects.toThrow(
      'Model name must be alphanumeric: my-pet',
    );
    const badJson = create('Bad', '{"type": ');
    await expect(badJson).rejects.toThrow(BadRequestException);
    await expect(badJson).rejects.toThrow(
      'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]',
    );
    await expect(
      create('Bad', '{"items":{"$ref":"#/definitions/Pet"},"type":"array","definitions":{"Pet":{}}}'),
    ).resolves.toMatchObject({ name: 'Bad' });
    await expect(create('Worse', '{"type":"array","items":{"$ref":"Pet"}}')).rejects.toThrow(
      'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified, Model reference must be in canonical form]',
    );
    await expect(
      apigateway.send(
        new UpdateModelCommand({
          restApiId,
          modelName: 'Pet',
          patchOperations: [{ op: 'replace', path: '/name', value: 'x' }],
        }),
      ),
    ).rejects.toThrow(
      "Invalid patch path  '/name' specified for op 'replace'. Must be one of: [/description, /schema]",
    );
    const missing = apigateway.send(new GetModelCommand({ restApiId, modelName: 'Nope' }));
    await expect(missing).rejects.toThrow(NotFoundException);
    await expect(missing).rejects.toThrow('Invalid model name specified: Nope');

    // A model a method names cannot go.
    const address = { restApiId, resourceId: api.rootResourceId!, httpMethod: 'POST' };
    await apigateway.send(
      new PutMethodCommand({
        ...address,
        authorizationType: 'NONE',
        requestModels: { 'application/json': 'Pet' },
      }),
    );
    await expect(apigateway.send(new DeleteModelCommand({ restApiId, modelName: 'Pet' }))).rejects.toThrow(
      "Cannot delete model 'Pet', is referenced in method request: //POST",
    );
    await expect(
      apigateway.send(
        new PutMethodCommand({
          ...address,
          httpMethod: 'PUT',
          authorizationType: 'NONE',
          requestModels: { 'application/json': 'Nope' },
        }),
      ),
    ).rejects.toThrow('Invalid model identifier specified: Nope');
    await apigateway.send(new DeleteMethodCommand(address));
    await apigateway.send(new DeleteModelCommand({ restApiId, modelName: 'Pet' }));
    await expect(apigateway.send(new GetModelCommand({ restApiId, modelName: 'Pet' }))).rejects.toThrow(
      NotFoundException,
    );
  });

  it("keeps request validators, and methods may only name the API's own", async () => {
    const api = await apigateway.send(new CreateRestApiCommand({ name: 'validators' }));
    const restApiId = api.id!;
    const created = await apigateway.send(
      new CreateRequestValidatorCommand({ restApiId, name: 'body', validateRequestBody: true }),
    );
    expect(created).toEqual({
      $metadata: expect.anything(),
      id: expect.stringMatching(/^[a-z0-9]{6}$/),
      name: 'body',
      validateRequestBody: true,
      validateRequestParameters: false,
    });
    const updated = await apigateway.send(
      new UpdateRequestValidatorCommand({
        restApiId,
        requestValidatorId: created.id!,
        patchOperations: [
          { op: 'replace', path: '/name', value: 'both' },
          { op: 'replace', path: '/validateRequestParameters', value: 'true' },
        ],
      }),
    );
    expect(updated).toMatchObject({
      name: 'both',
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    expect(
      await apigateway.send(new GetRequestValidatorCommand({ restApiId, requestValidatorId: created.id! })),
    ).toMatchObject({ name: 'both' });
    expect((await apigateway.send(new GetRequestValidatorsCommand({ restApiId }))).items).toHaveLength(1);
    await expect(
      apigateway.send(
        new UpdateRequestValidatorCommand({
          restApiId,
          requestValidatorId: created.id!,
          patchOperations: [{ op: 'replace', path: '/nope', value: 'x' }],
        }),
      ),
    ).rejects.toThrow(
      "Invalid patch path  '/nope' specified for op 'replace'. Must be one of: [/name, /validateRequestParameters, /validateRequestBody]",
    );
    await expect(
      apigateway.send(
        new PutMethodCommand({
          restApiId,
          resourceId: api.rootResourceId!,
          httpMethod: 'GET',
          authorizationType: 'NONE',
          requestValidatorId: 'nope00',
        }),
      ),
    ).rejects.toThrow('Invalid Request Validator identifier specified');
    await apigateway.send(new DeleteRequestValidatorCommand({ restApiId, requestValidatorId: created.id! }));
    const gone = apigateway.send(
      new GetRequestValidatorCommand({ restApiId, requestValidatorId: created.id! }),
    );
    await expect(gone).rejects.toThrow(NotFoundException);
    await expect(gone).rejects.toThrow('Invalid Request Validator identifier specified');
  });

  it('refuses a call missing a required parameter or with a body its model refuses, as deployed', async () => {
    const { restApiId, validator, url } = await validatedApi('validated');
    const noName = await post(`${url}/pets`, '{"name":"Rex"}');
    expect(noName.status).toBe(400);
    expect(noName.json()).toEqual({ message: 'Missing required request parameters: [name]' });
    expect(noName.headers['x-amzn-errortype']).toBe('BadRequestException');
    const blank = await post(`${url}/pets?name=`, '{"name":"Rex"}');
    expect(blank.json()).toEqual({ message: 'Missing required request parameters: [name]' });

    const badBody = await post(`${url}/pets?name=rex`, '{"age":-1}');
    expect(badBody.status).toBe(400);
    expect(badBody.json()).toEqual({ message: 'Invalid request body' });
    expect((await post(`${url}/pets?name=rex`, 'not json')).json()).toEqual({
      message: 'Invalid request body',
    });
    expect((await post(`${url}/pets?name=rex`, '')).status).toBe(400);

    const good = await post(`${url}/pets?name=rex`, '{"name":"Rex","age":3}');
    expect(good.status).toBe(200);
    expect(good.json()).toEqual({ ok: true });
    // No model for the content type: the body is not checked.
    const text = await httpCall(`${url}/pets?name=rex`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'anything',
    });
    expect(text.status).toBe(200);

    // Changes reach callers once deployed.
    await apigateway.send(
      new UpdateRequestValidatorCommand({
        restApiId,
        requestValidatorId: validator.id!,
        patchOperations: [{ op: 'replace', path: '/validateRequestBody', value: 'false' }],
      }),
    );
    expect((await post(`${url}/pets?name=rex`, '{"age":-1}')).status).toBe(400);
    await apigateway.send(new CreateDeploymentCommand({ restApiId, stageName: 'test' }));
    expect((await post(`${url}/pets?name=rex`, '{"age":-1}')).status).toBe(200);
  });

  it("lists every gateway response type, customizes one, and brings it back to AWS's", async () => {
    const api = await apigateway.send(new CreateRestApiCommand({ name: 'gateway-responses' }));
    const restApiId = api.id!;
    const all = await apigateway.send(new GetGatewayResponsesCommand({ restApiId }));
    expect(all.items).toHaveLength(21);
    expect(all.items?.every((r) => r.defaultResponse)).toBe(true);
    expect(all.items?.find((r) => r.responseType === 'MISSING_AUTHENTICATION_TOKEN')).toEqual({
      responseType: 'MISSING_AUTHENTICATION_TOKEN',
      statusCode: '403',
      responseParameters: {},
      responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
      defaultResponse: true,
    });
    expect(all.items?.find((r) => r.responseType === 'DEFAULT_5XX')?.statusCode).toBeUndefined();

    await apigateway.send(
      new PutGatewayResponseCommand({ restApiId, responseType: 'DEFAULT_4XX', statusCode: '418' }),
    );
    expect(
      await apigateway.send(new GetGatewayResponseCommand({ restApiId, responseType: 'QUOTA_EXCEEDED' })),
    ).toMatchObject({ statusCode: '418', defaultResponse: true });
    const updated = await apigateway.send(
      new UpdateGatewayResponseCommand({
        restApiId,
        responseType: 'THROTTLED',
        patchOperations: [
          { op: 'replace', path: '/statusCode', value: '503' },
          { op: 'add', path: '/responseParameters/gatewayresponse.header.Retry-After', value: "'1'" },
        ],
      }),
    );
    expect(updated).toMatchObject({
      responseType: 'THROTTLED',
      statusCode: '503',
      responseParameters: { 'gatewayresponse.header.Retry-After': "'1'" },
      defaultResponse: false,
    });
    await expect(
      apigateway.send(
        new UpdateGatewayResponseCommand({
          restApiId,
          responseType: 'THROTTLED',
          patchOperations: [{ op: 'add', path: '/statusCode', value: '500' }],
        }),
      ),
    ).rejects.toThrow('Invalid patch path /statusCode');
    await apigateway.send(new DeleteGatewayResponseCommand({ restApiId, responseType: 'THROTTLED' }));
    expect(
      await apigateway.send(new GetGatewayResponseCommand({ restApiId, responseType: 'THROTTLED' })),
    ).toMatchObject({ statusCode: '418', defaultResponse: true });
    const notCustomized = apigateway.send(
      new DeleteGatewayResponseCommand({ restApiId, responseType: 'UNAUTHORIZED' }),
    );
    await expect(notCustomized).rejects.toThrow(NotFoundException);
    await expect(notCustomized).rejects.toThrow('Gateway response type not defined on api');
  });

  it('answers missing paths and invalid bodies as the deployed gateway responses say', async () => {
    const { restApiId, url } = await validatedApi('customized');
    await apigateway.send(
      new PutGatewayResponseCommand({
        restApiId,
        responseType: 'MISSING_AUTHENTICATION_TOKEN',
        statusCode: '404',
        responseParameters: {
          'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
          'gatewayresponse.header.X-Trace': 'method.request.header.x-trace',
        },
        responseTemplates: {
          'application/json':
            '{"error":"$context.error.message","type":"$context.error.responseType","id":"$context.requestId"}',
        },
      }),
    );
    await apigateway.send(
      new PutGatewayResponseCommand({
        restApiId,
        responseType: 'BAD_REQUEST_BODY',
        statusCode: '422',
        responseParameters: { 'gatewayresponse.header.X-Stage': 'context.stage' },
        responseTemplates: {
          'application/json': '{"problem":"$context.error.message","quoted":$context.error.messageString}',
        },
      }),
    );
    await apigateway.send(
      new PutGatewayResponseCommand({
        restApiId,
        responseType: 'DEFAULT_4XX',
        responseParameters: { 'gatewayresponse.header.X-Fallback': "'4xx'" },
      }),
    );
    // Not deployed yet: AWS's answers.
    const before = await httpCall(`${url}/nowhere`);
    expect(before.status).toBe(403);
    expect(before.json()).toEqual({ message: 'Missing Authentication Token' });

    await apigateway.send(new CreateDeploymentCommand({ restApiId, stageName: 'test' }));
    const missing = await httpCall(`${url}/nowhere`, { headers: { 'x-trace': 'abc' } });
    expect(missing.status).toBe(404);
    expect(missing.headers['access-control-allow-origin']).toBe('*');
    expect(missing.headers['x-trace']).toBe('abc');
    expect(missing.json()).toEqual({
      error: 'Missing Authentication Token',
      type: 'MISSING_AUTHENTICATION_TOKEN',
      id: missing.headers['x-amzn-requestid'],
    });
    const badBody = await post(`${url}/pets?name=rex`, '{}');
    expect(badBody.status).toBe(422);
    expect(badBody.headers['x-stage']).toBe('test');
    expect(badBody.json()).toEqual({ problem: 'Invalid request body', quoted: 'Invalid request body' });
    // A type not customized takes DEFAULT_4XX's headers, and keeps its status and body.
    const noName = await post(`${url}/pets`, '{"name":"a"}');
    expect(noName.status).toBe(400);
    expect(noName.headers['x-fallback']).toBe('4xx');
    expect(noName.json()).toEqual({ message: 'Missing required request parameters: [name]' });
  });

  it('updates resources, methods, integrations, their responses and deployments', async () => {
    const { api, restApiId, pets, address, url } = await validatedApi('updates');
    const shelter = await apigateway.send(
      new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: 'shelter' }),
    );
    const renamed = await apigateway.send(
      new UpdateResourceCommand({
        restApiId,
        resourceId: pets.id!,
        patchOperations: [
          { op: 'replace', path: '/pathPart', value: 'animals' },
          { op: 'replace', path: '/parentId', value: shelter.id! },
        ],
      }),
    );
    expect(renamed).toMatchObject({ path: '/shelter/animals', pathPart: 'animals', parentId: shelter.id });
    const paths = (await apigateway.send(new GetResourcesCommand({ restApiId }))).items?.map((r) => r.path);
    expect(paths?.sort()).toEqual(['/', '/shelter', '/shelter/animals']);
    await expect(
      apigateway.send(
        new UpdateResourceCommand({
          restApiId,
          resourceId: shelter.id!,
          patchOperations: [{ op: 'replace', path: '/parentId', value: pets.id! }],
        }),
      ),
    ).rejects.toThrow('Resources cannot be cyclical.');
    await expect(
      apigateway.send(
        new UpdateResourceCommand({
          restApiId,
          resourceId: shelter.id!,
          patchOperations: [{ op: 'replace', path: '/name', value: 'x' }],
        }),
      ),
    ).rejects.toThrow(
      "Invalid patch path  '/name' specified for op 'replace'. Must be one of: [/parentId, /pathPart]",
    );

    const method = await apigateway.send(
      new UpdateMethodCommand({
        ...address,
        patchOperations: [
          { op: 'add', path: '/requestParameters/method.request.header.x-id', value: 'true' },
          { op: 'remove', path: '/requestParameters/method.request.querystring.name' },
          { op: 'replace', path: '/operationName', value: 'AddPet' },
        ],
      }),
    );
    expect(method).toMatchObject({
      operationName: 'AddPet',
      requestParameters: { 'method.request.header.x-id': true, 'method.request.header.x-tag': false },
    });
    await expect(
      apigateway.send(
        new UpdateMethodCommand({
          ...address,
          patchOperations: [{ op: 'replace', path: '/requestValidatorId', value: 'nope00' }],
        }),
      ),
    ).rejects.toThrow('Invalid Request Validator identifier specified');
    await expect(
      apigateway.send(
        new UpdateMethodCommand({
          ...address,
          patchOperations: [{ op: 'add', path: '/httpMethod', value: 'GET' }],
        }),
      ),
    ).rejects.toThrow(BadRequestException);

    const methodResponse = await apigateway.send(
      new UpdateMethodResponseCommand({
        ...address,
        statusCode: '200',
        patchOperations: [
          { op: 'add', path: '/responseParameters/method.response.header.X-Pet', value: 'false' },
        ],
      }),
    );
    expect(methodResponse.responseParameters).toEqual({ 'method.response.header.X-Pet': false });

    const integration = await apigateway.send(
      new UpdateIntegrationCommand({
        ...address,
        patchOperations: [
          { op: 'replace', path: '/timeoutInMillis', value: '1000' },
          { op: 'add', path: '/requestTemplates/text~1plain', value: '{"statusCode": 200}' },
        ],
      }),
    );
    expect(integration).toMatchObject({
      timeoutInMillis: 1000,
      requestTemplates: { 'application/json': '{"statusCode": 200}', 'text/plain': '{"statusCode": 200}' },
    });
    await expect(
      apigateway.send(
        new UpdateIntegrationCommand({
          ...address,
          patchOperations: [{ op: 'replace', path: '/timeoutInMillis', value: '10' }],
        }),
      ),
    ).rejects.toThrow('Timeout should be between 50 ms and 29000 ms');

    const integrationResponse = await apigateway.send(
      new UpdateIntegrationResponseCommand({
        ...address,
        statusCode: '200',
        patchOperations: [
          { op: 'replace', path: '/responseTemplates/application~1json', value: '{"updated":true}' },
          { op: 'add', path: '/responseParameters/method.response.header.X-Pet', value: "'yes'" },
        ],
      }),
    );
    expect(integrationResponse).toMatchObject({
      responseTemplates: { 'application/json': '{"updated":true}' },
      responseParameters: { 'method.response.header.X-Pet': "'yes'" },
    });

    const deployment = await apigateway.send(new CreateDeploymentCommand({ restApiId, stageName: 'test' }));
    const described = await apigateway.send(
      new UpdateDeploymentCommand({
        restApiId,
        deploymentId: deployment.id!,
        patchOperations: [{ op: 'replace', path: '/description', value: 'moved pets' }],
      }),
    );
    expect(described.description).toBe('moved pets');
    const called = await httpCall(`${url}/shelter/animals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-id': '1' },
      body: '{"name":"Rex"}',
    });
    expect(called.status).toBe(200);
    expect(called.json()).toEqual({ updated: true });
    expect(called.headers['x-pet']).toBe('yes');
  });

  it('imports validators, models and gateway responses from OpenAPI, serves them, and exports them', async () => {
    const document = {
      swagger: '2.0',
      info: { title: 'Imported', version: '1' },
      'x-amazon-apigateway-request-validators': {
        full: { validateRequestBody: true, validateRequestParameters: true },
      },
      'x-amazon-apigateway-gateway-responses': {
        BAD_REQUEST_PARAMETERS: {
          statusCode: '400',
          responseParameters: { 'gatewayresponse.header.X-Why': "'params'" },
          responseTemplates: { 'application/json': '{"why":$context.error.messageString}' },
        },
      },
      paths: {
        '/orders': {
          post: {
            'x-amazon-apigateway-request-validator': 'full',
            consumes: ['application/json'],
            parameters: [
              { in: 'header', name: 'X-Customer', required: true, type: 'string' },
              { in: 'body', name: 'Order', required: true, schema: { $ref: '#/definitions/Order' } },
            ],
            responses: { 200: { description: 'ok' } },
            'x-amazon-apigateway-integration': {
              type: 'mock',
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
              responses: {
                default: { statusCode: '200', responseTemplates: { 'application/json': '{"ok":1}' } },
              },
            },
          },
        },
      },
      definitions: {
        Order: {
          type: 'object',
          required: ['items'],
          properties: { items: { $ref: '#/definitions/Items' } },
        },
        Items: { type: 'array', minItems: 1, items: { type: 'string' } },
      },
    };
    const api = await apigateway.send(
      new ImportRestApiCommand({ body: Buffer.from(JSON.stringify(document)), failOnWarnings: true }),
    );
    const restApiId = api.id!;
    const models = await apigateway.send(new GetModelsCommand({ restApiId }));
    expect(models.items?.map((m) => m.name).sort()).toEqual(['Items', 'Order']);
    const order = models.items!.find((m) => m.name === 'Order')!;
    expect(JSON.parse(order.schema!).properties.items.$ref).toBe(modelUri(restApiId, 'Items'));
    const validators = await apigateway.send(new GetRequestValidatorsCommand({ restApiId }));
    expect(validators.items).toEqual([
      expect.objectContaining({ name: 'full', validateRequestBody: true, validateRequestParameters: true }),
    ]);
    expect(
      await apigateway.send(
        new GetGatewayResponseCommand({ restApiId, responseType: 'BAD_REQUEST_PARAMETERS' }),
      ),
    ).toMatchObject({ statusCode: '400', defaultResponse: false });

    await apigateway.send(new CreateDeploymentCommand({ restApiId, stageName: 'v1' }));
    const url = `${stratus.url}/_aws/execute-api/${restApiId}/v1/orders`;
    const noCustomer = await post(url, '{"items":["a"]}');
    expect(noCustomer.status).toBe(400);
    expect(noCustomer.headers['x-why']).toBe('params');
    expect(noCustomer.json()).toEqual({ why: 'Missing required request parameters: [X-Customer]' });
    const send = (body: string) =>
      httpCall(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-customer': 'c1' },
        body,
      });
    expect((await send('{"items":[]}')).json()).toEqual({ message: 'Invalid request body' });
    expect((await send('{"items":["a"]}')).json()).toEqual({ ok: 1 });

    const exported = await apigateway.send(
      new GetExportCommand({
        restApiId,
        stageName: 'v1',
        exportType: 'swagger',
        parameters: { extensions: 'apigateway' },
      }),
    );
    const written = JSON.parse(Buffer.from(exported.body!).toString('utf8'));
    expect(written.definitions).toEqual(document.definitions);
    expect(written['x-amazon-apigateway-request-validators']).toEqual(
      document['x-amazon-apigateway-request-validators'],
    );
    expect(written['x-amazon-apigateway-gateway-responses']).toEqual(
      document['x-amazon-apigateway-gateway-responses'],
    );
    expect(written.paths['/orders'].post).toMatchObject({
      'x-amazon-apigateway-request-validator': 'full',
      consumes: ['application/json'],
    });
    expect(written.paths['/orders'].post.parameters).toContainEqual({
      in: 'body',
      name: 'Order',
      required: true,
      schema: { $ref: '#/definitions/Order' },
    });
  });
});
