/**
 * REST APIs (API Gateway v1) through the AWS SDK — resources, methods, integrations, deployments,
 * stages — and their deployed form called over plain HTTP, by Host name and by path, in front of a
 * real function through the Lambda proxy integration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APIGatewayClient,
  BadRequestException,
  ConflictException,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  DeleteDeploymentCommand,
  DeleteResourceCommand,
  DeleteRestApiCommand,
  GetIntegrationCommand,
  GetMethodCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStagesCommand,
  NotFoundException,
  PutIntegrationCommand,
  type PutIntegrationCommandInput,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateRestApiCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { createFunction, eventually } from './support/lambda.js';
import { httpCall } from './support/http.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

/** Answers with the event it got, and misbehaves on request. */
const echo = `
export const handler = async (event) => {
  const mode = event.queryStringParameters?.mode;
  if (mode === 'throw') throw new Error('boom');
  if (mode === 'malformed') return { body: { not: 'a string' } };
  if (mode === 'cookies') {
    return { statusCode: 201, multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] }, body: 'made' };
  }
  return { statusCode: 200, headers: { 'Content-Type': 'application/json', 'X-Echo': 'yes' }, body: JSON.stringify(event) };
};`;

/** Takes the event a request template made; refuses a name of 'fail'. */
const mapper = `
export const handler = async (event) => {
  if (event.name === 'fail') throw new Error('Bad name: ' + event.name);
  return event;
};`;

const lambdaUri = (functionArn: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn}/invocations`;

describe('API Gateway REST APIs', () => {
  let stratus: TestStratus;
  let apigateway: APIGatewayClient;
  let lambda: LambdaClient;
  let functionArn: string;
  let mapperArn: string;

  beforeAll(async () => {
    stratus = await startTestStratus();
    apigateway = new APIGatewayClient(stratus.clientConfig);
    lambda = new LambdaClient(stratus.clientConfig);
    functionArn = (await createFunction(lambda, 'echo', { 'index.mjs': echo })).FunctionArn!;
    mapperArn = (await createFunction(lambda, 'mapper', { 'index.mjs': mapper })).FunctionArn!;
  });
  afterAll(async () => {
    apigateway?.destroy();
    lambda?.destroy();
    await stratus?.close();
  });

  /** An API with `ANY /pets/{id}` and `ANY /{proxy+}` on the echo function, deployed to `test`. */
  async function deployedApi(name: string) {
    const api = await apigateway.send(new CreateRestApiCommand({ name }));
    const restApiId = api.id!;
    const pets = await apigateway.send(
      new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: 'pets' }),
    );
    const pet = await apigateway.send(
      new CreateResourceCommand({ restApiId, parentId: pets.id!, pathPart: '{id}' }),
    );
    const proxy = await apigateway.send(
      new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: '{proxy+}' }),
    );
    for (const resourceId of [pet.id!, proxy.id!]) {
      await apigateway.send(
        new PutMethodCommand({ restApiId, resourceId, httpMethod: 'ANY', authorizationType: 'NONE' }),
      );
      await apigateway.send(
        new PutIntegrationCommand({
          restApiId,
          resourceId,
          httpMethod: 'ANY',
          type: 'AWS_PROXY',
          integrationHttpMethod: 'POST',
          uri: lambdaUri(functionArn),
        }),
      );
    }
    await apigateway.send(
      new CreateDeploymentCommand({ restApiId, stageName: 'test', variables: { color: 'blue' } }),
    );
    return { api, restApiId, pets, pet, proxy };
  }

  it('keeps APIs, resources, methods and integrations as AWS describes them', async () => {
    const { api, restApiId, pet } = await deployedApi('shapes');
    expect(api).toMatchObject({
      name: 'shapes',
      apiKeySource: 'HEADER',
      endpointConfiguration: { types: ['EDGE'] },
    });
    expect(api.id).toMatch(/^[a-z0-9]{10}$/);
    expect(api.createdDate).toBeInstanceOf(Date);

    const listed = await apigateway.send(new GetRestApisCommand({}));
    expect(listed.items?.map((a) => a.id)).toContain(restApiId);

    const resources = await apigateway.send(new GetResourcesCommand({ restApiId }));
    expect(resources.items?.map((r) => r.path).sort()).toEqual(['/', '/pets', '/pets/{id}', '/{proxy+}']);
    expect(resources.items?.find((r) => r.path === '/pets/{id}')?.resourceMethods).toEqual({ ANY: {} });
    const embedded = await apigateway.send(new GetResourcesCommand({ restApiId, embed: ['methods'] }));
    expect(embedded.items?.find((r) => r.path === '/pets/{id}')?.resourceMethods?.ANY).toMatchObject({
      httpMethod: 'ANY',
      authorizationType: 'NONE',
      methodIntegration: { type: 'AWS_PROXY', httpMethod: 'POST', timeoutInMillis: 29000 },
    });

    const method = await apigateway.send(
      new GetMethodCommand({ restApiId, resourceId: pet.id!, httpMethod: 'ANY' }),
    );
    expect(method).toMatchObject({ httpMethod: 'ANY', apiKeyRequired: false });
    const integration = await apigateway.send(
      new GetIntegrationCommand({ restApiId, resourceId: pet.id!, httpMethod: 'ANY' }),
    );
    expect(integration).toMatchObject({
      type: 'AWS_PROXY',
      uri: lambdaUri(functionArn),
      passthroughBehavior: 'WHEN_NO_MATCH',
      cacheNamespace: pet.id,
    });

    const updated = await apigateway.send(
      new UpdateRestApiCommand({
        restApiId,
        patchOperations: [
          { op: 'replace', path: '/description', value: 'pets' },
          { op: 'add', path: '/binaryMediaTypes/image~1png', value: '' },
        ],
      }),
    );
    expect(updated).toMatchObject({ description: 'pets', binaryMediaTypes: ['image/png'] });
    expect((await apigateway.send(new GetRestApiCommand({ restApiId }))).description).toBe('pets');

    const stages = await apigateway.send(new GetStagesCommand({ restApiId }));
    expect(stages.item).toHaveLength(1);
    expect(stages.item![0]).toMatchObject({ stageName: 'test', variables: { color: 'blue' } });
  });

  it('refuses what API Gateway refuses, with its errors and messages', async () => {
    const api = await apigateway.send(new CreateRestApiCommand({ name: 'errors' }));
    const restApiId = api.id!;
    const root = api.rootResourceId!;
    await apigateway.send(new CreateResourceCommand({ restApiId, parentId: root, pathPart: 'a' }));
    await expect(
      apigateway.send(new CreateResourceCommand({ restApiId, parentId: root, pathPart: 'a' })),
    ).rejects.toThrow(ConflictException);
    await expect(
      apigateway.send(new CreateResourceCommand({ restApiId, parentId: root, pathPart: 'a b' })),
    ).rejects.toThrow(BadRequestException);
    const greedy = await apigateway.send(
      new CreateResourceCommand({ restApiId, parentId: root, pathPart: '{p+}' }),
    );
    await expect(
      apigateway.send(new CreateResourceCommand({ restApiId, parentId: greedy.id!, pathPart: 'x' })),
    ).rejects.toThrow('Cannot create a child of a resource with a greedy path variable: {p+}');
    await expect(
      apigateway.send(new CreateResourceCommand({ restApiId, parentId: root, pathPart: '{other}' })),
    ).rejects.toThrow(
      'A sibling ({p+}) of this resource already has a variable path part -- only one is allowed',
    );
    const unknown = apigateway.send(new GetRestApiCommand({ restApiId: 'nosuchapi1' }));
    await expect(unknown).rejects.toThrow(NotFoundException);
    await expect(unknown).rejects.toThrow('Invalid API identifier specified 000000000000:nosuchapi1');
    await expect(
      apigateway.send(
        new PutMethodCommand({ restApiId, resourceId: root, httpMethod: 'FETCH', authorizationType: 'NONE' }),
      ),
    ).rejects.toThrow(
      'Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY',
    );
    await expect(apigateway.send(new CreateDeploymentCommand({ restApiId, stageName: 'x' }))).rejects.toThrow(
      "The REST API doesn't contain any methods",
    );
    await apigateway.send(
      new PutMethodCommand({ restApiId, resourceId: root, httpMethod: 'GET', authorizationType: 'NONE' }),
    );
    await expect(apigateway.send(new CreateDeploymentCommand({ restApiId, stageName: 'x' }))).rejects.toThrow(
      'No integration defined for method',
    );
    await expect(
      apigateway.send(
        new PutIntegrationCommand({
          restApiId,
          resourceId: root,
          httpMethod: 'GET',
          type: 'AWS_PROXY',
          uri: 'x',
        }),
      ),
    ).rejects.toThrow('Enumeration value for HttpMethod must be non-empty');
    await expect(
      apigateway.send(new GetMethodCommand({ restApiId, resourceId: root, httpMethod: 'POST' })),
    ).rejects.toThrow('Invalid Method identifier specified');
    await expect(
      apigateway.send(new DeleteResourceCommand({ restApiId, resourceId: 'nope42' })),
    ).rejects.toThrow('Invalid Resource identifier specified');
  });

  it('serves a deployed API by host name and by path, with the Lambda proxy event AWS sends', async () => {
    const { restApiId, pet } = await deployedApi('served');
    const { port } = stratus;
    const byHost = await httpCall(`http://127.0.0.1:${port}/test/pets/42?tag=a&tag=b&one=1`, {
      method: 'POST',
      headers: {
        host: `${restApiId}.execute-api.localhost:${port}`,
        'content-type': 'application/json',
        'X-Trace': 'x1',
      },
      body: '{"name":"Rex"}',
    });
    expect(byHost.status).toBe(200);
    expect(byHost.headers['x-echo']).toBe('yes');
    expect(byHost.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    const event = byHost.json<{ headers: Record<string, string> }>();
    expect(event).toMatchObject({
      resource: '/pets/{id}',
      path: '/pets/42',
      httpMethod: 'POST',
      queryStringParameters: { tag: 'b', one: '1' },
      multiValueQueryStringParameters: { tag: ['a', 'b'], one: ['1'] },
      pathParameters: { id: '42' },
      stageVariables: { color: 'blue' },
      body: '{"name":"Rex"}',
      isBase64Encoded: false,
      requestContext: {
        resourceId: pet.id,
        resourcePath: '/pets/{id}',
        httpMethod: 'POST',
        path: '/test/pets/42',
        stage: 'test',
        apiId: restApiId,
        accountId: '000000000000',
        identity: { sourceIp: '127.0.0.1' },
      },
    });
    expect(event.headers['X-Trace']).toBe('x1');

    const byPath = await httpCall(`${stratus.url}/_aws/execute-api/${restApiId}/test/anything/deep/down`);
    expect(byPath.status).toBe(200);
    expect(byPath.json()).toMatchObject({
      resource: '/{proxy+}',
      path: '/anything/deep/down',
      httpMethod: 'GET',
      pathParameters: { proxy: 'anything/deep/down' },
      queryStringParameters: null,
    });

    const cookies = await httpCall(`${stratus.url}/_aws/execute-api/${restApiId}/test/pets/1?mode=cookies`);
    expect(cookies.status).toBe(201);
    expect(cookies.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(cookies.text).toBe('made');
  });

  it("answers API Gateway's own errors for unknown routes and stages and failed functions", async () => {
    const { restApiId } = await deployedApi('failing');
    const base = `${stratus.url}/_aws/execute-api/${restApiId}`;
    const missing = await httpCall(`${base}/test/`);
    expect(missing.status).toBe(403);
    expect(missing.json()).toEqual({ message: 'Missing Authentication Token' });
    expect(missing.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    const noStage = await httpCall(`${base}/prod/pets/1`);
    expect(noStage.status).toBe(403);
    expect(noStage.json()).toEqual({ message: 'Forbidden' });
    const thrown = await httpCall(`${base}/test/pets/1?mode=throw`);
    expect(thrown.status).toBe(502);
    expect(thrown.json()).toEqual({ message: 'Internal server error' });
    const malformed = await httpCall(`${base}/test/pets/1?mode=malformed`);
    expect(malformed.status).toBe(502);
    const tooLarge = await httpCall(`${base}/test/pets/1`, {
      method: 'POST',
      body: Buffer.alloc(10 * 1024 * 1024 + 1),
    });
    expect(tooLarge.status).toBe(413);
  });

  it('maps requests and responses through templates: mock, Lambda (AWS) and HTTP integrations', async () => {
    const api = await apigateway.send(new CreateRestApiCommand({ name: 'mapped' }));
    const restApiId = api.id!;
    const resource = async (pathPart: string) =>
      (
        await apigateway.send(
          new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart }),
        )
      ).id!;
    const method = async (resourceId: string, httpMethod: string) =>
      apigateway.send(new PutMethodCommand({ restApiId, resourceId, httpMethod, authorizationType: 'NONE' }));
    const response = async (
      resourceId: string,
      httpMethod: string,
      statusCode: string,
      extra: object = {},
    ) => {
      await apigateway.send(new PutMethodResponseCommand({ restApiId, resourceId, httpMethod, statusCode }));
      await apigateway.send(
        new PutIntegrationResponseCommand({ restApiId, resourceId, httpMethod, statusCode, ...extra }),
      );
    };

    // CORS as the console makes it: OPTIONS answered by a mock integration.
    const items = await resource('items');
    await method(items, 'OPTIONS');
    await apigateway.send(
      new PutIntegrationCommand({
        restApiId,
        resourceId: items,
        httpMethod: 'OPTIONS',
        type: 'MOCK',
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
        passthroughBehavior: 'WHEN_NO_MATCH',
      }),
    );
    await response(items, 'OPTIONS', '200', {
      responseParameters: {
        'method.response.header.Access-Control-Allow-Origin': "'*'",
        'method.response.header.Access-Control-Allow-Methods': "'GET,POST,OPTIONS'",
      },
      responseTemplates: { 'application/json': '' },
    });

    // A Lambda function behind templates: the event is what the request template makes.
    await method(items, 'POST');
    await apigateway.send(
      new PutIntegrationCommand({
        restApiId,
        resourceId: items,
        httpMethod: 'POST',
        type: 'AWS',
        integrationHttpMethod: 'POST',
        uri: lambdaUri(mapperArn),
        requestTemplates: {
          'application/json':
            '{"name": $input.json(\'$.name\'), "agent": "$util.escapeJavaScript($input.params(\'User-Agent\'))", "stage": "$context.stage", "color": "$stageVariables.color"}',
        },
      }),
    );
    await response(items, 'POST', '200', {
      responseTemplates: {
        'application/json':
          '#set($r = $input.path(\'$\')){"greeting": "hello $r.name", "seen": $input.json(\'$\')}',
      },
    });
    await response(items, 'POST', '400', { selectionPattern: 'Bad.*' });

    await apigateway.send(
      new CreateDeploymentCommand({ restApiId, stageName: 'v1', variables: { color: 'green' } }),
    );
    const base = `${stratus.url}/_aws/execute-api/${restApiId}/v1`;

    const preflight = await httpCall(`${base}/items`, {
      method: 'OPTIONS',
      headers: { origin: 'https://a.example' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-methods']).toBe('GET,POST,OPTIONS');
    expect(preflight.text).toBe('');

    const created = await httpCall(`${base}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'test "agent"' },
      body: JSON.stringify({ name: 'Rex' }),
    });
    expect(created.status).toBe(200);
    expect(created.json()).toEqual({
      greeting: 'hello Rex',
      seen: { name: 'Rex', agent: 'test "agent"', stage: 'v1', color: 'green' },
    });

    const refused = await httpCall(`${base}/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'fail' }),
    });
    expect(refused.status).toBe(400);
    expect(refused.json()).toMatchObject({ errorMessage: 'Bad name: fail' });

    const unsupported = await httpCall(`${base}/items`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    // WHEN_NO_MATCH passes a body no template matches through: not JSON, so Lambda cannot take it.
    expect(unsupported.status).toBe(500);
  });

  it('calls SQS, DynamoDB and SNS through AWS service integrations', async () => {
    const sqs = new SQSClient(stratus.clientConfig);
    const dynamodb = new DynamoDBClient(stratus.clientConfig);
    try {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'from-api' }));
      await dynamodb.send(
        new CreateTableCommand({
          TableName: 'FromApi',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      const api = await apigateway.send(new CreateRestApiCommand({ name: 'services' }));
      const restApiId = api.id!;
      const integrate = async (
        pathPart: string,
        integration: Omit<PutIntegrationCommandInput, 'restApiId' | 'resourceId' | 'httpMethod'>,
      ) => {
        const { id } = await apigateway.send(
          new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart }),
        );
        await apigateway.send(
          new PutMethodCommand({ restApiId, resourceId: id!, httpMethod: 'POST', authorizationType: 'NONE' }),
        );
        await apigateway.send(
          new PutIntegrationCommand({
            restApiId,
            resourceId: id!,
            httpMethod: 'POST',
            integrationHttpMethod: 'POST',
            ...integration,
          }),
        );
        await apigateway.send(
          new PutMethodResponseCommand({ restApiId, resourceId: id!, httpMethod: 'POST', statusCode: '200' }),
        );
        await apigateway.send(
          new PutIntegrationResponseCommand({
            restApiId,
            resourceId: id!,
            httpMethod: 'POST',
            statusCode: '200',
            selectionPattern: '',
          }),
        );
        await apigateway.send(
          new PutMethodResponseCommand({ restApiId, resourceId: id!, httpMethod: 'POST', statusCode: '400' }),
        );
        await apigateway.send(
          new PutIntegrationResponseCommand({
            restApiId,
            resourceId: id!,
            httpMethod: 'POST',
            statusCode: '400',
            selectionPattern: '4\\d\\d',
          }),
        );
      };
      await integrate('queue', {
        type: 'AWS',
        uri: 'arn:aws:apigateway:us-east-1:sqs:path/000000000000/from-api',
        requestParameters: {
          'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'",
        },
        requestTemplates: {
          'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)',
        },
      });
      await integrate('items', {
        type: 'AWS',
        uri: 'arn:aws:apigateway:us-east-1:dynamodb:action/PutItem',
        requestTemplates: {
          'application/json':
            '{"TableName": "FromApi", "Item": {"id": {"S": $input.json(\'$.id\')}, "stage": {"S": "$context.stage"}}}',
        },
      });
      await apigateway.send(new CreateDeploymentCommand({ restApiId, stageName: 'live' }));
      const base = `${stratus.url}/_aws/execute-api/${restApiId}/live`;
      const post = (path: string, body: unknown) =>
        httpCall(`${base}/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });

      const queued = await post('queue', { order: 7 });
      expect(queued.status).toBe(200);
      expect(queued.text).toContain('<SendMessageResponse');
      const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
      expect(received.Messages?.[0]?.Body).toBe('{"order":7}');

      const put = await post('items', { id: 'a1' });
      expect(put.status).toBe(200);
      const item = await dynamodb.send(
        new GetItemCommand({ TableName: 'FromApi', Key: { id: { S: 'a1' } } }),
      );
      expect(item.Item).toEqual({ id: { S: 'a1' }, stage: { S: 'live' } });
      // DynamoDB's own error comes back as the integration's 400, selected by its status.
      const refused = await post('items', { other: true });
      expect(refused.status).toBe(400);
      expect(refused.json()).toMatchObject({ __type: expect.stringContaining('ValidationException') });
    } finally {
      sqs.destroy();
      dynamodb.destroy();
    }
  });

  it('publishes Count, 4XXError, 5XXError and Latency in AWS/ApiGateway', async () => {
    const { restApiId } = await deployedApi('measured');
    const base = `${stratus.url}/_aws/execute-api/${restApiId}/test`;
    await httpCall(`${base}/pets/1`);
    await httpCall(`${base}/pets/2`);
    await httpCall(`${base}/pets/3?mode=throw`);
    await httpCall(`${base}/`);
    const cloudwatch = new CloudWatchClient(stratus.clientConfig);
    try {
      const sum = async (MetricName: string) => {
        const out = await cloudwatch.send(
          new GetMetricStatisticsCommand({
            Namespace: 'AWS/ApiGateway',
            MetricName,
            Dimensions: [
              { Name: 'ApiName', Value: 'measured' },
              { Name: 'Stage', Value: 'test' },
            ],
            StartTime: new Date(Date.now() - 600_000),
            EndTime: new Date(Date.now() + 600_000),
            Period: 3600,
            Statistics: ['Sum', 'SampleCount'],
          }),
        );
        return out.Datapoints?.[0]?.Sum;
      };
      const counted = await eventually(
        () => sum('Count'),
        (n) => n === 4,
      );
      expect(counted).toBe(4);
      expect(await sum('4XXError')).toBe(1);
      expect(await sum('5XXError')).toBe(1);
      expect(await sum('Latency')).toBeGreaterThan(0);
    } finally {
      cloudwatch.destroy();
    }
  });

  it('serves a new deployment once the stage points at it, and deletes what it is asked to', async () => {
    const { restApiId, proxy } = await deployedApi('redeploy');
    const base = `${stratus.url}/_aws/execute-api/${restApiId}`;
    // Removing the greedy resource changes nothing served until the API is deployed again.
    await apigateway.send(new DeleteResourceCommand({ restApiId, resourceId: proxy.id! }));
    expect((await httpCall(`${base}/test/other`)).status).toBe(200);
    const second = await apigateway.send(new CreateDeploymentCommand({ restApiId, description: 'no proxy' }));
    await apigateway.send(new CreateStageCommand({ restApiId, stageName: 'v2', deploymentId: second.id! }));
    expect((await httpCall(`${base}/v2/other`)).status).toBe(403);
    expect((await httpCall(`${base}/test/other`)).status).toBe(200);
    await apigateway.send(
      new UpdateStageCommand({
        restApiId,
        stageName: 'test',
        patchOperations: [
          { op: 'replace', path: '/deploymentId', value: second.id! },
          { op: 'replace', path: '/variables/color', value: 'red' },
        ],
      }),
    );
    expect((await httpCall(`${base}/test/other`)).status).toBe(403);
    expect((await httpCall(`${base}/test/pets/7`)).json()).toMatchObject({
      stageVariables: { color: 'red' },
    });
    await expect(
      apigateway.send(new DeleteDeploymentCommand({ restApiId, deploymentId: second.id! })),
    ).rejects.toThrow('Active stages pointing to this deployment must be moved or deleted');
    await apigateway.send(new DeleteRestApiCommand({ restApiId }));
    expect((await httpCall(`${base}/test/pets/7`)).status).toBe(403);
    await expect(apigateway.send(new GetRestApiCommand({ restApiId }))).rejects.toThrow(NotFoundException);
  });
});
