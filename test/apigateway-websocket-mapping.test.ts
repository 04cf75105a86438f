/**
 * WebSocket APIs' non-proxy integrations, served for real: AWS (a plain Lambda function, and
 * DynamoDB's PutItem) and MOCK integrations through request templates, integration responses and
 * their templates on two-way routes; messages validated against models; the management
 * operations of integration responses, models, route settings and route request parameters, with
 * their error paths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiGatewayV2Client,
  BadRequestException,
  ConflictException,
  CreateApiCommand,
  CreateIntegrationResponseCommand,
  CreateModelCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteIntegrationResponseCommand,
  DeleteModelCommand,
  DeleteRouteRequestParameterCommand,
  DeleteRouteSettingsCommand,
  GetIntegrationResponseCommand,
  GetIntegrationResponsesCommand,
  GetModelCommand,
  GetModelsCommand,
  GetModelTemplateCommand,
  GetRouteCommand,
  GetStageCommand,
  NotFoundException,
  UpdateIntegrationResponseCommand,
  UpdateModelCommand,
  UpdateRouteCommand,
} from '@aws-sdk/client-apigatewayv2';
import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { createFunction } from './support/lambda.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import { connectWebSocket, type TestSocket } from './support/websocket.js';
import { lambdaUri, webSocketApis } from './support/websocket-apis.js';

/** A plain (non-proxy) function: what the request template made in, a greeting out. */
const greeterCode = `export const handler = async (input) => {
  if (!input.name) throw new Error('name missing');
  return { greeting: 'hello ' + input.name, input };
};`;

/** A proxy that answers with the event it got. */
const echoCode = `export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });`;

describe('API Gateway WebSocket APIs: mapped integrations, integration responses, models', () => {
  let stratus: TestStratus;
  let apigateway: ApiGatewayV2Client;
  let lambda: LambdaClient;
  let dynamodb: DynamoDBClient;
  let apis: ReturnType<typeof webSocketApis>;
  const arns: Record<string, string> = {};
  const sockets: TestSocket[] = [];

  const open = async (url: string) => {
    const socket = await connectWebSocket(url);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    stratus = await startTestStratus();
    apigateway = new ApiGatewayV2Client(stratus.clientConfig);
    lambda = new LambdaClient(stratus.clientConfig);
    dynamodb = new DynamoDBClient(stratus.clientConfig);
    apis = webSocketApis(apigateway, stratus.port);
    for (const [name, code] of [
      ['ws-greeter', greeterCode],
      ['ws-echo', echoCode],
    ] as const) {
      arns[name] = (await createFunction(lambda, name, { 'index.mjs': code })).FunctionArn!;
    }
  }, 90_000);
  afterAll(async () => {
    for (const socket of sockets) socket.ws.terminate();
    for (const client of [apigateway, lambda, dynamodb]) client?.destroy();
    await stratus?.close();
  });

  describe('AWS and MOCK integrations with request templates and integration responses', () => {
    let apiId: string;
    let url: string;
    let greeter: string;
    let greeted: string;
    beforeAll(async () => {
      await dynamodb.send(
        new CreateTableCommand({
          TableName: 'Messages',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      apiId = await apis.create('mapped');
      greeter = await apis.integration(apiId, {
        IntegrationType: 'AWS',
        IntegrationUri: lambdaUri(arns['ws-greeter']!),
        TemplateSelectionExpression: '\\$default',
        RequestTemplates: {
          $default:
            '{"name": "$input.path(\'$.name\')", "connection": "$context.connectionId", "stage": "$stageVariables.v"}',
        },
      });
      greeted = (
        await apigateway.send(
          new CreateIntegrationResponseCommand({
            ApiId: apiId,
            IntegrationId: greeter,
            IntegrationResponseKey: '$default',
            TemplateSelectionExpression: '\\$default',
            ResponseTemplates: {
              $default: '{"reply": "$input.path(\'$.greeting\')", "route": "$context.routeKey"}',
            },
          }),
        )
      ).IntegrationResponseId!;
      await apigateway.send(
        new CreateIntegrationResponseCommand({
          ApiId: apiId,
          IntegrationId: greeter,
          IntegrationResponseKey: '/.*missing.*/',
          ResponseTemplates: { $default: '{"error": "$input.path(\'$.errorMessage\')"}' },
        }),
      );
      await apis.twoWayRoute(apiId, 'greet', greeter);

      const ping = await apis.integration(apiId, {
        IntegrationType: 'MOCK',
        TemplateSelectionExpression: '${request.body.kind}',
        RequestTemplates: { $default: '{"statusCode": 200}', missing: '{"statusCode": 404}' },
      });
      for (const [IntegrationResponseKey, template] of [
        ['/2\\d\\d/', 'pong from $context.routeKey'],
        ['/4\\d\\d/', '{"status": "not here"}'],
      ] as const) {
        await apigateway.send(
          new CreateIntegrationResponseCommand({
            ApiId: apiId,
            IntegrationId: ping,
            IntegrationResponseKey,
            TemplateSelectionExpression: '\\$default',
            ResponseTemplates: { $default: template },
          }),
        );
      }
      await apis.twoWayRoute(apiId, 'ping', ping);

      const store = await apis.integration(apiId, {
        IntegrationType: 'AWS',
        IntegrationUri: 'arn:aws:apigateway:us-east-1:dynamodb:action/PutItem',
        TemplateSelectionExpression: '\\$default',
        RequestTemplates: {
          $default:
            '{"TableName": "Messages", "Item": {"id": {"S": "$context.requestId"}, "text": {"S": "$input.path(\'$.text\')"}}}',
        },
      });
      await apigateway.send(
        new CreateIntegrationResponseCommand({
          ApiId: apiId,
          IntegrationId: store,
          IntegrationResponseKey: '/2\\d\\d/',
          ResponseTemplates: { $default: 'stored' },
        }),
      );
      await apis.twoWayRoute(apiId, 'store', store);

      await apigateway.send(
        new CreateStageCommand({
          ApiId: apiId,
          StageName: 'prod',
          AutoDeploy: true,
          StageVariables: { v: 'blue' },
        }),
      );
      url = apis.stageUrl(apiId);
    });

    it('an AWS integration: the request template makes the event, the integration response template the reply', async () => {
      const client = await open(url);
      client.send(JSON.stringify({ action: 'greet', name: 'ann' }));
      expect(JSON.parse(await client.next())).toEqual({ reply: 'hello ann', route: 'greet' });
      client.send(JSON.stringify({ action: 'greet' }));
      expect(JSON.parse(await client.next())).toEqual({ error: 'name missing' });
      await client.close();
    });

    it('the event the function got came from the template: message, $context and stage variables', async () => {
      await apigateway.send(
        new UpdateIntegrationResponseCommand({
          ApiId: apiId,
          IntegrationId: greeter,
          IntegrationResponseId: greeted,
          ResponseTemplates: { $default: "$input.json('$.input')" },
        }),
      );
      try {
        const client = await open(url);
        client.send(JSON.stringify({ action: 'greet', name: 'bo' }));
        expect(JSON.parse(await client.next())).toEqual({
          name: 'bo',
          connection: expect.stringMatching(/=$/),
          stage: 'blue',
        });
        await client.close();
      } finally {
        await apigateway.send(
          new UpdateIntegrationResponseCommand({
            ApiId: apiId,
            IntegrationId: greeter,
            IntegrationResponseId: greeted,
            ResponseTemplates: {
              $default: '{"reply": "$input.path(\'$.greeting\')", "route": "$context.routeKey"}',
            },
          }),
        );
      }
    });

    it('a MOCK integration: its status comes from the template the message selects, and picks the integration response', async () => {
      const client = await open(url);
      client.send(JSON.stringify({ action: 'ping' }));
      expect(await client.next()).toBe('pong from ping');
      client.send(JSON.stringify({ action: 'ping', kind: 'missing' }));
      expect(JSON.parse(await client.next())).toEqual({ status: 'not here' });
      await client.close();
    });

    it('an AWS integration with DynamoDB: PutItem from the template', async () => {
      const client = await open(url);
      client.send(JSON.stringify({ action: 'store', text: 'kept' }));
      expect(await client.next()).toBe('stored');
      const { Items } = await dynamodb.send(new ScanCommand({ TableName: 'Messages' }));
      expect(Items).toEqual([{ id: { S: expect.stringMatching(/=$/) }, text: { S: 'kept' } }]);
      await client.close();
    });

    it('serves the integration response operations, with their errors', async () => {
      const { Items } = await apigateway.send(
        new GetIntegrationResponsesCommand({ ApiId: apiId, IntegrationId: greeter }),
      );
      expect(Items!.map((item) => item.IntegrationResponseKey).sort()).toEqual(['$default', '/.*missing.*/']);
      expect(
        await apigateway.send(
          new GetIntegrationResponseCommand({
            ApiId: apiId,
            IntegrationId: greeter,
            IntegrationResponseId: greeted,
          }),
        ),
      ).toMatchObject({ IntegrationResponseKey: '$default', TemplateSelectionExpression: '\\$default' });
      await expect(
        apigateway.send(
          new CreateIntegrationResponseCommand({
            ApiId: apiId,
            IntegrationId: greeter,
            IntegrationResponseKey: '$default',
          }),
        ),
      ).rejects.toBeInstanceOf(ConflictException);
      await expect(
        apigateway.send(
          new CreateIntegrationResponseCommand({
            ApiId: apiId,
            IntegrationId: greeter,
            IntegrationResponseKey: '/[/',
          }),
        ),
      ).rejects.toBeInstanceOf(BadRequestException);
      await expect(
        apigateway.send(
          new CreateIntegrationResponseCommand({
            ApiId: apiId,
            IntegrationId: 'nope00',
            IntegrationResponseKey: '$default',
          }),
        ),
      ).rejects.toBeInstanceOf(NotFoundException);
      const { IntegrationResponseId } = await apigateway.send(
        new CreateIntegrationResponseCommand({
          ApiId: apiId,
          IntegrationId: greeter,
          IntegrationResponseKey: '/5\\d\\d/',
        }),
      );
      await apigateway.send(
        new DeleteIntegrationResponseCommand({ ApiId: apiId, IntegrationId: greeter, IntegrationResponseId }),
      );
      await expect(
        apigateway.send(
          new GetIntegrationResponseCommand({ ApiId: apiId, IntegrationId: greeter, IntegrationResponseId }),
        ),
      ).rejects.toBeInstanceOf(NotFoundException);

      const { ApiId: httpApiId } = await apigateway.send(
        new CreateApiCommand({ Name: 'plain', ProtocolType: 'HTTP' }),
      );
      const httpIntegration = await apis.integration(httpApiId!, {
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: lambdaUri(arns['ws-echo']!),
        PayloadFormatVersion: '2.0',
      });
      await expect(
        apigateway.send(
          new CreateIntegrationResponseCommand({
            ApiId: httpApiId,
            IntegrationId: httpIntegration,
            IntegrationResponseKey: '$default',
          }),
        ),
      ).rejects.toThrow('Integration responses are only supported for WebSocket APIs');
    });
  });

  describe('models', () => {
    let apiId: string;
    let modelId: string;
    const userSchema = JSON.stringify({
      $schema: 'http://json-schema.org/draft-04/schema#',
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, age: { type: 'integer' } },
    });
    beforeAll(async () => {
      apiId = await apis.create('validated');
      ({ ModelId: modelId } = (await apigateway.send(
        new CreateModelCommand({
          ApiId: apiId,
          Name: 'User',
          Schema: userSchema,
          ContentType: 'application/json',
        }),
      )) as { ModelId: string });
      const accepted = await apis.integration(apiId, {
        IntegrationType: 'MOCK',
        RequestTemplates: { $default: '{"statusCode": 200}' },
      });
      await apigateway.send(
        new CreateIntegrationResponseCommand({
          ApiId: apiId,
          IntegrationId: accepted,
          IntegrationResponseKey: '$default',
          ResponseTemplates: { $default: 'registered' },
        }),
      );
      await apis.twoWayRoute(apiId, 'register', accepted, {
        ModelSelectionExpression: '${request.body.kind}',
        RequestModels: { user: 'User' },
      });
      await apigateway.send(new CreateStageCommand({ ApiId: apiId, StageName: 'prod', AutoDeploy: true }));
    });

    it('validates a message against the model the route selects: Bad request body when it does not fit or none is selected', async () => {
      const client = await open(apis.stageUrl(apiId));
      client.send(JSON.stringify({ action: 'register', kind: 'user', name: 'ann', age: 3 }));
      expect(await client.next()).toBe('registered');
      for (const message of [
        { action: 'register', kind: 'user', age: 3 },
        { action: 'register', kind: 'user', name: 'ann', age: 'three' },
        { action: 'register', kind: 'robot', name: 'r2' },
      ]) {
        client.send(JSON.stringify(message));
        expect(JSON.parse(await client.next())).toEqual({
          message: 'Bad request body',
          connectionId: expect.stringMatching(/=$/),
          requestId: expect.stringMatching(/=$/),
        });
      }
      await client.close();
    });

    it('serves the model operations and the template a schema suggests', async () => {
      expect(await apigateway.send(new GetModelCommand({ ApiId: apiId, ModelId: modelId }))).toMatchObject({
        ModelId: modelId,
        Name: 'User',
        Schema: userSchema,
        ContentType: 'application/json',
      });
      const { Value } = await apigateway.send(
        new GetModelTemplateCommand({ ApiId: apiId, ModelId: modelId }),
      );
      expect(Value).toBe(
        [
          "#set($inputRoot = $input.path('$'))",
          '{',
          '  "name" : "$inputRoot.name",',
          '  "age" : $inputRoot.age',
          '}',
        ].join('\n'),
      );
      const renamed = await apigateway.send(
        new UpdateModelCommand({ ApiId: apiId, ModelId: modelId, Description: 'a user' }),
      );
      expect(renamed).toMatchObject({ Name: 'User', Description: 'a user' });
      const { ModelId: spare } = await apigateway.send(
        new CreateModelCommand({ ApiId: apiId, Name: 'Spare', Schema: '{"type": "string"}' }),
      );
      expect(
        (await apigateway.send(new GetModelsCommand({ ApiId: apiId }))).Items!.map((m) => m.Name),
      ).toEqual(['Spare', 'User']);
      await apigateway.send(new DeleteModelCommand({ ApiId: apiId, ModelId: spare }));
      await expect(
        apigateway.send(new GetModelCommand({ ApiId: apiId, ModelId: spare })),
      ).rejects.toBeInstanceOf(NotFoundException);
      await expect(
        apigateway.send(new DeleteModelCommand({ ApiId: apiId, ModelId: spare })),
      ).rejects.toBeInstanceOf(NotFoundException);
    });

    it('refuses a duplicate name, a name that is not alphanumeric, a schema that is not one, and HTTP APIs', async () => {
      await expect(
        apigateway.send(new CreateModelCommand({ ApiId: apiId, Name: 'User', Schema: '{}' })),
      ).rejects.toBeInstanceOf(ConflictException);
      await expect(
        apigateway.send(new CreateModelCommand({ ApiId: apiId, Name: 'not-ok', Schema: '{}' })),
      ).rejects.toBeInstanceOf(BadRequestException);
      await expect(
        apigateway.send(new CreateModelCommand({ ApiId: apiId, Name: 'Broken', Schema: '{"type": 5}' })),
      ).rejects.toThrow(/^Invalid model specified/);
      await expect(
        apigateway.send(new UpdateModelCommand({ ApiId: apiId, ModelId: modelId, Schema: 'not json' })),
      ).rejects.toBeInstanceOf(BadRequestException);
      const { ApiId: httpApiId } = await apigateway.send(
        new CreateApiCommand({ Name: 'plain', ProtocolType: 'HTTP' }),
      );
      await expect(
        apigateway.send(new CreateModelCommand({ ApiId: httpApiId, Name: 'User', Schema: '{}' })),
      ).rejects.toThrow('Models are only supported for WebSocket APIs');
    });
  });

  it('DeleteRouteSettings and DeleteRouteRequestParameter remove one piece, and answer NotFoundException when it is not there', async () => {
    const ApiId = await apis.create('pieces');
    const { RouteId } = await apigateway.send(
      new CreateRouteCommand({
        ApiId,
        RouteKey: '$connect',
        RequestParameters: {
          'route.request.header.X-Tenant': { Required: true },
          'route.request.querystring.v': { Required: false },
        },
      }),
    );
    await apigateway.send(
      new CreateStageCommand({
        ApiId,
        StageName: 'prod',
        RouteSettings: { $connect: { ThrottlingRateLimit: 5 }, $default: { ThrottlingBurstLimit: 2 } },
      }),
    );
    await apigateway.send(new DeleteRouteSettingsCommand({ ApiId, StageName: 'prod', RouteKey: '$connect' }));
    expect((await apigateway.send(new GetStageCommand({ ApiId, StageName: 'prod' }))).RouteSettings).toEqual({
      $default: { ThrottlingBurstLimit: 2 },
    });
    await expect(
      apigateway.send(new DeleteRouteSettingsCommand({ ApiId, StageName: 'prod', RouteKey: '$connect' })),
    ).rejects.toBeInstanceOf(NotFoundException);
    await expect(
      apigateway.send(new DeleteRouteSettingsCommand({ ApiId, StageName: 'nostage', RouteKey: '$default' })),
    ).rejects.toBeInstanceOf(NotFoundException);

    await apigateway.send(
      new DeleteRouteRequestParameterCommand({
        ApiId,
        RouteId,
        RequestParameterKey: 'route.request.header.X-Tenant',
      }),
    );
    expect((await apigateway.send(new GetRouteCommand({ ApiId, RouteId }))).RequestParameters).toEqual({
      'route.request.querystring.v': { Required: false },
    });
    await expect(
      apigateway.send(
        new DeleteRouteRequestParameterCommand({
          ApiId,
          RouteId,
          RequestParameterKey: 'route.request.header.X-Tenant',
        }),
      ),
    ).rejects.toBeInstanceOf(NotFoundException);
    await expect(
      apigateway.send(new UpdateRouteCommand({ ApiId, RouteId, AuthorizationType: 'CUSTOM' })),
    ).rejects.toThrow('AuthorizerId is required for CUSTOM authorization');
  });
});
