/**
 * `$connect` authorization on WebSocket APIs, served for real on a server with `--require-auth`:
 * a Lambda REQUEST authorizer (allow, with a context `$connect` and every later event sees; deny;
 * `Unauthorized`; a missing identity source; a broken authorizer; answers cached by identity
 * source) and AWS_IAM (a presigned handshake, with a MOCK `$connect` integration).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiGatewayV2Client,
  BadRequestException,
  CreateAuthorizerCommand,
  CreateRouteCommand,
  CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { sigV4Signer } from '../src/protocol/sigv4.js';
import { createFunction } from './support/lambda.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import { connectWebSocket, HandshakeRefused, type TestSocket } from './support/websocket.js';
import { lambdaUri, webSocketApis } from './support/websocket-apis.js';

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

describe('API Gateway WebSocket APIs: authorizing $connect', () => {
  let stratus: TestStratus;
  let apigateway: ApiGatewayV2Client;
  let lambda: LambdaClient;
  let apis: ReturnType<typeof webSocketApis>;
  const arns: Record<string, string> = {};
  const sockets: TestSocket[] = [];

  const open = async (url: string, headers: Record<string, string> = {}) => {
    const socket = await connectWebSocket(url, { headers });
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    stratus = await startTestStratus({ requireAuth: true });
    apigateway = new ApiGatewayV2Client(stratus.clientConfig);
    lambda = new LambdaClient(stratus.clientConfig);
    apis = webSocketApis(apigateway, stratus.port);
    for (const [name, code] of [
      ['ws-authorizer', authorizerCode],
      ['ws-connect', connectCode],
      ['ws-echo', echoCode],
    ] as const) {
      arns[name] = (await createFunction(lambda, name, { 'index.mjs': code })).FunctionArn!;
    }
  }, 90_000);
  afterAll(async () => {
    for (const socket of sockets) socket.ws.terminate();
    for (const client of [apigateway, lambda]) client?.destroy();
    await stratus?.close();
  });

  describe('a Lambda REQUEST authorizer on $connect', () => {
    let apiId: string;
    let url: string;
    beforeAll(async () => {
      apiId = await apis.create('guarded');
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
          Target: `integrations/${await apis.integration(apiId, { IntegrationType: 'AWS_PROXY', IntegrationUri: lambdaUri(arns['ws-connect']!) })}`,
        }),
      );
      expect(RouteId).toBeDefined();
      await apis.twoWayRoute(
        apiId,
        '$default',
        await apis.integration(apiId, {
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
      url = apis.stageUrl(apiId);
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
      apiId = await apis.create('signed');
      const connect = await apis.integration(apiId, {
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
      await apis.twoWayRoute(
        apiId,
        '$default',
        await apis.integration(apiId, {
          IntegrationType: 'AWS_PROXY',
          IntegrationUri: lambdaUri(arns['ws-echo']!),
        }),
      );
      await apigateway.send(new CreateStageCommand({ ApiId: apiId, StageName: 'prod', AutoDeploy: true }));
      url = apis.stageUrl(apiId);
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
});
