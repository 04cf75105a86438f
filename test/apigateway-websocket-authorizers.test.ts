/**
 * WebSocket APIs beyond Lambda proxies, served for real on a server with `--require-auth`:
 * `$connect` guarded by a Lambda REQUEST authorizer (allow with a context every event sees, deny,
 * `Unauthorized`, missing identity, a broken authorizer, answers cached by identity source) and
 * by AWS_IAM (a presigned handshake); AWS (non-proxy Lambda and DynamoDB) and MOCK integrations
 * through request templates, integration responses and their templates on two-way routes;
 * messages validated against models; and the management operations with their error paths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiGatewayV2Client,
  BadRequestException,
  ConflictException,
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateIntegrationCommand,
  CreateIntegrationResponseCommand,
  CreateModelCommand,
  CreateRouteCommand,
  CreateRouteResponseCommand,
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
  type CreateIntegrationCommandInput,
} from '@aws-sdk/client-apigatewayv2';
import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { sigV4Signer } from '../src/protocol/sigv4.js';
import { createFunction } from './support/lambda.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import { connectWebSocket, HandshakeRefused, type TestSocket } from './support/websocket.js';

/** A REQUEST authorizer: the `Auth` header decides; its context says what it was given. */
const authorizerCode = `
export const handler = async (event) => {
  const auth = event.headers.Auth;
  if (auth === 'fail') throw new Error('Unauthorized');
  if (auth === 'boom') throw new Error('boom');
  return {
    principalId: auth.replace(/^allow-/, ''),
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: auth === 'deny' ? 'Deny' : 'Allow', Resource: event.methodArn }],
    },
    context: {
      tenant: 'acme',
      type: event.type,
      methodArn: event.methodArn,
      room: event.queryStringParameters.room,
      stageVariable: event.stageVariables.v,
      routeKey: event.requestContext.routeKey,
      authorizedRequest: event.requestContext.requestId,
    },
  };
};`;

/** `$connect`: lets in only a client its authorizer named. */
const connectCode = `export const handler = async (event) =>
  ({ statusCode: event.requestContext.authorizer?.principalId ? 200 : 403 });`;

/** A proxy that answers with the event it got. */
const echoCode = `export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });`;

/** A plain (non-proxy) function: what the request template made in, a greeting out. */
const greeterCode = `export const handler = async (input) => {
  if (!input.name) throw new Error('name missing');
  return { greeting: 'hello ' + input.name, input };
};`;

const lambdaUri = (arn: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`;

describe('API Gateway WebSocket APIs: authorizers, mapped integrations, models', () => {
  let stratus: TestStratus;
  let apigateway: ApiGatewayV2Client;
  let lambda: LambdaClient;
  let dynamodb: DynamoDBClient;
  const arns: Record<string, string> = {};
  const sockets: TestSocket[] = [];

  const open = async (url: string, headers: Record<string, string> = {}) => {
    const socket = await connectWebSocket(url, { headers });
    sockets.push(socket);
    return socket;
  };
  const stageUrl = (apiId: string, stage = 'prod') =>
    `ws://127.0.0.1:${stratus.port}/_aws/execute-api/${apiId}/${stage}`;
  const webSocketApi = async (Name: string) =>
    (await apigateway.send(
      new CreateApiCommand({
        Name,
        ProtocolType: 'WEBSOCKET',
        RouteSelectionExpression: '$request.body.action',
      }),
    )) as { ApiId: string };
  const integration = async (ApiId: string, settings: Omit<CreateIntegrationCommandInput, 'ApiId'>) =>
    (await apigateway.send(new CreateIntegrationCommand({ ApiId, ...settings }))).IntegrationId!;
  /** A route to an integration; two-way (with a `$default` route response) unless told. */
  const route = async (
    ApiId: string,
    RouteKey: string,
    IntegrationId: string,
    settings: {
      twoWay?: boolean;
      ModelSelectionExpression?: string;
      RequestModels?: Record<string, string>;
    } = {},
  ) => {
    const { twoWay = true, ...rest } = settings;
    const { RouteId } = await apigateway.send(
      new CreateRouteCommand({ ApiId, RouteKey, Target: `integrations/${IntegrationId}`, ...rest }),
    );
    if (twoWay) {
      await apigateway.send(new CreateRouteResponseCommand({ ApiId, RouteId, RouteResponseKey: '$default' }));
    }
    return RouteId!;
  };

  beforeAll(async () => {
    stratus = await startTestStratus({ requireAuth: true });
    apigateway = new ApiGatewayV2Client(stratus.clientConfig);
    lambda = new LambdaClient(stratus.clientConfig);
    dynamodb = new DynamoDBClient(stratus.clientConfig);
    for (const [name, code] of [
      ['ws-authorizer', authorizerCode],
      ['ws-connect', connectCode],
      ['ws-echo', echoCode],
      ['ws-greeter', greeterCode],
    ] as const) {
      arns[name] = (await createFunction(lambda, name, { 'index.mjs': code })).FunctionArn!;
    }
  }, 90_000);
  afterAll(async () => {
    for (const socket of sockets) socket.ws.terminate();
    for (const client of [apigateway, lambda, dynamodb]) client?.destroy();
    await stratus?.close();
  });

  describe('a Lambda REQUEST authorizer on $connect', () => {
    let apiId: string;
    let url: string;
    beforeAll(async () => {
      ({ ApiId: apiId } = await webSocketApi('guarded'));
      const { AuthorizerId } = await apigateway.send(
        new CreateAuthorizerCommand({
          ApiId: apiId,
          Name: 'by-header',
          AuthorizerType: 'REQUEST',
          AuthorizerUri: lambdaUri(arns['ws-authorizer']!),
          IdentitySource: ['route.request.header.Auth', 'route.request.querystring.room'],
          AuthorizerResultTtlInSeconds: 300,
        }),
      );
      const { RouteId } = await apigateway.send(
        new CreateRouteCommand({
          ApiId: apiId,
          RouteKey: '$connect',
          AuthorizationType: 'CUSTOM',
          AuthorizerId,
          Target: `integrations/${await integration(apiId, { IntegrationType: 'AWS_PROXY', IntegrationUri: lambdaUri(arns['ws-connect']!) })}`,
        }),
      );
      expect(RouteId).toBeDefined();
      await route(
        apiId,
        '$default',
        await integration(apiId, {
          IntegrationType: 'AWS_PROXY',
          IntegrationUri: lambdaUri(arns['ws-echo']!),
        }),
      );
      await apigateway.send(
        new CreateStageCommand({
          ApiId: apiId,
          StageName: 'prod',
          AutoDeploy: true,
          StageVariables: { v: 'stage-value' },
        }),
      );
      url = stageUrl(apiId);
    });

    const contextOf = async (socket: TestSocket) => {
      socket.send('who am i');
      return (JSON.parse(await socket.next()) as { requestContext: { authorizer: Record<string, unknown> } })
        .requestContext.authorizer;
    };

    it("lets an allowed client in: $connect and every later route see the authorizer's principal and context", async () => {
      const client = await open(`${url}?room=r1`, { Auth: 'allow-ann' });
      const authorizer = await contextOf(client);
      expect(authorizer).toEqual({
        principalId: 'ann',
        tenant: 'acme',
        type: 'REQUEST',
        methodArn: `arn:aws:execute-api:us-east-1:000000000000:${apiId}/prod/$connect`,
        room: 'r1',
        stageVariable: 'stage-value',
        routeKey: '$connect',
        authorizedRequest: expect.stringMatching(/=$/),
      });
      await client.close();
    });

    it('refuses the handshake: 403 for a deny, 401 for Unauthorized or a missing identity source, 500 for a broken authorizer', async () => {
      await expect(open(`${url}?room=r1`, { Auth: 'deny' })).rejects.toEqual(new HandshakeRefused(403));
      await expect(open(`${url}?room=r1`, { Auth: 'fail' })).rejects.toEqual(new HandshakeRefused(401));
      await expect(open(url, { Auth: 'allow-ann' })).rejects.toEqual(new HandshakeRefused(401));
      await expect(open(`${url}?room=`, { Auth: 'allow-ann' })).rejects.toEqual(new HandshakeRefused(401));
      await expect(open(`${url}?room=r1`, { Auth: 'boom' })).rejects.toEqual(new HandshakeRefused(500));
    });

    it('caches an answer by the identity sources for AuthorizerResultTtlInSeconds', async () => {
      const first = await contextOf(await open(`${url}?room=cached`, { Auth: 'allow-bob' }));
      const again = await contextOf(await open(`${url}?room=cached`, { Auth: 'allow-bob' }));
      expect(again.authorizedRequest).toBe(first.authorizedRequest);
      const otherRoom = await contextOf(await open(`${url}?room=elsewhere`, { Auth: 'allow-bob' }));
      expect(otherRoom.authorizedRequest).not.toBe(first.authorizedRequest);
      expect(otherRoom.room).toBe('elsewhere');
    });

    it('refuses JWT authorizers and authorization on routes other than $connect', async () => {
      await expect(
        apigateway.send(
          new CreateAuthorizerCommand({
            ApiId: apiId,
            Name: 'jwt',
            AuthorizerType: 'JWT',
            IdentitySource: ['route.request.header.Authorization'],
            JwtConfiguration: { Issuer: 'https://issuer.example', Audience: ['a'] },
          }),
        ),
      ).rejects.toBeInstanceOf(BadRequestException);
      await expect(
        apigateway.send(
          new CreateRouteCommand({ ApiId: apiId, RouteKey: 'send', AuthorizationType: 'AWS_IAM' }),
        ),
      ).rejects.toThrow('Currently, authorization is restricted to the $connect route only');
    });
  });

  describe('AWS_IAM on $connect, with a MOCK $connect integration', () => {
    let apiId: string;
    let url: string;
    beforeAll(async () => {
      ({ ApiId: apiId } = await webSocketApi('signed'));
      const connect = await integration(apiId, {
        IntegrationType: 'MOCK',
        TemplateSelectionExpression: '\\$default',
        RequestTemplates: { $default: '{"statusCode": 200}' },
      });
      await apigateway.send(
        new CreateRouteCommand({
          ApiId: apiId,
          RouteKey: '$connect',
          AuthorizationType: 'AWS_IAM',
          Target: `integrations/${connect}`,
        }),
      );
      await route(
        apiId,
        '$default',
        await integration(apiId, {
          IntegrationType: 'AWS_PROXY',
          IntegrationUri: lambdaUri(arns['ws-echo']!),
        }),
      );
      await apigateway.send(new CreateStageCommand({ ApiId: apiId, StageName: 'prod', AutoDeploy: true }));
      url = stageUrl(apiId);
    });

    const presigned = async (secretAccessKey: string) => {
      const host = `127.0.0.1:${stratus.port}`;
      const { query } = await sigV4Signer({
        credentials: { accessKeyId: 'test', secretAccessKey },
        region: 'us-east-1',
        service: 'execute-api',
      }).presign(
        {
          method: 'GET',
          protocol: 'http:',
          hostname: '127.0.0.1',
          port: stratus.port,
          path: `/_aws/execute-api/${apiId}/prod`,
          query: {},
          headers: { host },
        },
        { expiresIn: 300 },
      );
      return `${url}?${new URLSearchParams(query as Record<string, string>).toString()}`;
    };

    it('refuses an unsigned or badly signed handshake with 403', async () => {
      await expect(open(url)).rejects.toEqual(new HandshakeRefused(403));
      await expect(open(await presigned('not-the-secret'))).rejects.toEqual(new HandshakeRefused(403));
    });

    it('lets in a handshake presigned for execute-api and names the signer in the events', async () => {
      const client = await open(await presigned('test'));
      client.send('hi');
      const event = JSON.parse(await client.next()) as {
        requestContext: { identity: Record<string, string> };
      };
      expect(event.requestContext.identity).toMatchObject({
        accessKey: 'test',
        accountId: '000000000000',
        userArn: 'arn:aws:iam::000000000000:root',
        sourceIp: '127.0.0.1',
      });
      await client.close();
    });
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
      ({ ApiId: apiId } = await webSocketApi('mapped'));
      greeter = await integration(apiId, {
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
      await route(apiId, 'greet', greeter);

      const ping = await integration(apiId, {
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
      await route(apiId, 'ping', ping);

      const store = await integration(apiId, {
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
      await route(apiId, 'store', store);

      await apigateway.send(
        new CreateStageCommand({
          ApiId: apiId,
          StageName: 'prod',
          AutoDeploy: true,
          StageVariables: { v: 'blue' },
        }),
      );
      url = stageUrl(apiId);
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
      const httpIntegration = await integration(httpApiId!, {
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
      ({ ApiId: apiId } = await webSocketApi('validated'));
      ({ ModelId: modelId } = (await apigateway.send(
        new CreateModelCommand({
          ApiId: apiId,
          Name: 'User',
          Schema: userSchema,
          ContentType: 'application/json',
        }),
      )) as { ModelId: string });
      const accepted = await integration(apiId, {
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
      await route(apiId, 'register', accepted, {
        ModelSelectionExpression: '${request.body.kind}',
        RequestModels: { user: 'User' },
      });
      await apigateway.send(new CreateStageCommand({ ApiId: apiId, StageName: 'prod', AutoDeploy: true }));
    });

    it('validates a message against the model the route selects: Bad request body when it does not fit or none is selected', async () => {
      const client = await open(stageUrl(apiId));
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
    const { ApiId } = await webSocketApi('pieces');
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
