/**
 * WebSocket APIs served for real: a chat whose functions keep the connection ids in DynamoDB and
 * push to every client through the `@connections` API from inside a function, route responses,
 * refused handshakes, the `@connections` API from the SDK at each URL clients use, AWS's size
 * limits, and (on a server of their own, with short timeouts) idle and maximum duration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'node:http';
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  GoneException,
  PayloadTooLargeException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateRouteResponseCommand,
  CreateStageCommand,
  DeleteRouteResponseCommand,
  GetRouteResponsesCommand,
} from '@aws-sdk/client-apigatewayv2';
import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { apigatewayService } from '../src/services/apigateway/definition.js';
import { serviceDefinitions } from '../src/services/registry.js';
import { createFunction } from './support/lambda.js';
import { resetStratus } from './support/state.js';
import { startNode } from './support/stratus-cli.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import { connectWebSocket, HandshakeRefused, localhostLookup, type TestSocket } from './support/websocket.js';

/** `$connect`: refuses `?token=bad`, records the connection and the event it got. */
const connectCode = `
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
const db = new DynamoDBClient({});
export const handler = async (event) => {
  if (event.queryStringParameters?.token === 'bad') return { statusCode: 401 };
  await db.send(new PutItemCommand({
    TableName: 'Connections',
    Item: { connectionId: { S: event.requestContext.connectionId }, event: { S: JSON.stringify(event) } },
  }));
  const offered = event.headers['Sec-WebSocket-Protocol'];
  return { statusCode: 200, headers: offered ? { 'Sec-WebSocket-Protocol': offered.split(',')[0].trim() } : {} };
};`;

/** `$disconnect`: forgets the connection, keeps the event. */
const disconnectCode = `
import { DynamoDBClient, DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
const db = new DynamoDBClient({});
export const handler = async (event) => {
  const connectionId = event.requestContext.connectionId;
  await db.send(new DeleteItemCommand({ TableName: 'Connections', Key: { connectionId: { S: connectionId } } }));
  await db.send(new PutItemCommand({
    TableName: 'Disconnects',
    Item: { connectionId: { S: connectionId }, event: { S: JSON.stringify(event) } },
  }));
  return { statusCode: 200 };
};`;

/** `sendmessage`: posts the message's data to every connection, from inside the function. */
const sendCode = `
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
const db = new DynamoDBClient({});
export const handler = async (event) => {
  const { domainName, stage } = event.requestContext;
  const connections = new ApiGatewayManagementApiClient({
    endpoint: process.env.AWS_ENDPOINT_URL ?? 'https://' + domainName + '/' + stage,
  });
  const data = JSON.parse(event.body).data;
  const { Items } = await db.send(new ScanCommand({ TableName: 'Connections' }));
  await Promise.all(Items.map((item) =>
    connections.send(new PostToConnectionCommand({ ConnectionId: item.connectionId.S, Data: data }))
      .catch((err) => { if (err.name !== 'GoneException') throw err; })));
  return { statusCode: 200 };
};`;

/** `$default`: answers with the event it got, or fails on `boom`. */
const echoCode = `
export const handler = async (event) => {
  if (event.body === 'boom') throw new Error('boom');
  return { statusCode: 200, body: JSON.stringify(event) };
};`;

describe('API Gateway WebSocket APIs', () => {
  let stratus: TestStratus;
  let apigateway: ApiGatewayV2Client;
  let lambda: LambdaClient;
  let dynamodb: DynamoDBClient;
  let chat: { apiId: string; url: string; defaultRouteId: string };
  const sockets: TestSocket[] = [];

  const open = async (url: string, options?: Parameters<typeof connectWebSocket>[1]) => {
    const socket = await connectWebSocket(url, options);
    sockets.push(socket);
    return socket;
  };
  const management = (endpoint = stratus.url) =>
    new ApiGatewayManagementApiClient({
      ...stratus.clientConfig,
      endpoint,
      requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ lookup: localhostLookup }) }),
    });
  const scan = async (table: string) =>
    ((await dynamodb.send(new ScanCommand({ TableName: table }))).Items ?? []).map((item) => ({
      connectionId: item.connectionId!.S!,
      event: JSON.parse(item.event!.S!) as Record<string, unknown>,
    }));

  beforeAll(async () => {
    stratus = await startTestStratus();
    apigateway = new ApiGatewayV2Client(stratus.clientConfig);
    lambda = new LambdaClient(stratus.clientConfig);
    dynamodb = new DynamoDBClient(stratus.clientConfig);
    for (const TableName of ['Connections', 'Disconnects']) {
      await dynamodb.send(
        new CreateTableCommand({
          TableName,
          AttributeDefinitions: [{ AttributeName: 'connectionId', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'connectionId', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    }
    const { ApiId, ApiEndpoint } = await apigateway.send(
      new CreateApiCommand({
        Name: 'chat',
        ProtocolType: 'WEBSOCKET',
        RouteSelectionExpression: '$request.body.action',
      }),
    );
    expect(ApiEndpoint).toBe(`ws://${ApiId}.execute-api.localhost:${stratus.port}`);
    const routes: Record<string, string> = {};
    for (const [routeKey, name, code] of [
      ['$connect', 'ws-connect', connectCode],
      ['$disconnect', 'ws-disconnect', disconnectCode],
      ['sendmessage', 'ws-send', sendCode],
      ['$default', 'ws-echo', echoCode],
    ] as const) {
      const { FunctionArn } = await createFunction(lambda, name, { 'index.mjs': code });
      const { IntegrationId } = await apigateway.send(
        new CreateIntegrationCommand({
          ApiId,
          IntegrationType: 'AWS_PROXY',
          IntegrationUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FunctionArn}/invocations`,
        }),
      );
      const route = await apigateway.send(
        new CreateRouteCommand({
          ApiId,
          RouteKey: routeKey,
          Target: `integrations/${IntegrationId}`,
          ...(routeKey === '$default' ? { RouteResponseSelectionExpression: '$default' } : {}),
        }),
      );
      routes[routeKey] = route.RouteId!;
    }
    await apigateway.send(
      new CreateRouteResponseCommand({ ApiId, RouteId: routes.$default, RouteResponseKey: '$default' }),
    );
    await apigateway.send(new CreateStageCommand({ ApiId, StageName: 'prod', AutoDeploy: true }));
    chat = {
      apiId: ApiId!,
      url: `ws://127.0.0.1:${stratus.port}/_aws/execute-api/${ApiId}/prod`,
      defaultRouteId: routes.$default!,
    };
  }, 60_000);
  afterAll(async () => {
    for (const socket of sockets) socket.ws.terminate();
    apigateway?.destroy();
    lambda?.destroy();
    dynamodb?.destroy();
    await stratus?.close();
  });

  it('a chat: $connect records each client, sendmessage reaches all of them through @connections from inside a function, $disconnect forgets one', async () => {
    const alice = await open(`${chat.url}?name=alice`, { headers: { 'User-Agent': 'alice-agent' } });
    const bob = await open(`ws://${chat.apiId}.execute-api.localhost:${stratus.port}/prod`);
    const connected = await scan('Connections');
    expect(connected).toHaveLength(2);
    const aliceConnect = connected.find((c) => c.event.queryStringParameters !== undefined)!;
    expect(aliceConnect.event).toMatchObject({
      headers: { 'User-Agent': 'alice-agent', 'Sec-WebSocket-Version': '13' },
      multiValueHeaders: { 'User-Agent': ['alice-agent'] },
      queryStringParameters: { name: 'alice' },
      multiValueQueryStringParameters: { name: ['alice'] },
      isBase64Encoded: false,
      requestContext: {
        routeKey: '$connect',
        eventType: 'CONNECT',
        messageDirection: 'IN',
        stage: 'prod',
        apiId: chat.apiId,
        domainName: `127.0.0.1:${stratus.port}`,
        identity: { sourceIp: '127.0.0.1', userAgent: 'alice-agent' },
        connectionId: expect.stringMatching(/^[A-Za-z0-9_-]{15}=$/),
      },
    });
    const context = aliceConnect.event.requestContext as Record<string, unknown>;
    expect(context.requestId).toBe(context.extendedRequestId);
    const bobConnect = connected.find((c) => c !== aliceConnect)!;
    expect(bobConnect.event).not.toHaveProperty('queryStringParameters');
    expect(bobConnect.event.requestContext).toMatchObject({
      domainName: `${chat.apiId}.execute-api.localhost:${stratus.port}`,
    });

    alice.send(JSON.stringify({ action: 'sendmessage', data: 'hello everyone' }));
    expect(await alice.next()).toBe('hello everyone');
    expect(await bob.next()).toBe('hello everyone');

    expect(await bob.close()).toEqual({ code: 1000, reason: '' });
    await expect.poll(async () => (await scan('Disconnects')).length, { timeout: 15_000 }).toBe(1);
    const [gone] = await scan('Disconnects');
    expect(gone!.connectionId).toBe(bobConnect.connectionId);
    expect(gone!.event.requestContext).toMatchObject({
      routeKey: '$disconnect',
      eventType: 'DISCONNECT',
      disconnectStatusCode: 1000,
      connectionId: bobConnect.connectionId,
    });
    expect(await scan('Connections')).toHaveLength(1);
    alice.send(JSON.stringify({ action: 'sendmessage', data: 'anyone?' }));
    expect(await alice.next()).toBe('anyone?');
    await alice.close();
  });

  it('$default answers with its function result through its route response; without one it is one-way', async () => {
    const client = await open(chat.url);
    client.send('not json at all');
    const event = JSON.parse(await client.next()) as Record<string, Record<string, unknown>>;
    expect(event).toMatchObject({
      body: 'not json at all',
      isBase64Encoded: false,
      requestContext: {
        routeKey: '$default',
        eventType: 'MESSAGE',
        messageDirection: 'IN',
        stage: 'prod',
        apiId: chat.apiId,
        messageId: expect.stringMatching(/^[A-Za-z0-9_-]{15}=$/),
      },
    });
    expect(event).not.toHaveProperty('headers');
    client.send(JSON.stringify({ action: 'unknown-action' }));
    expect(JSON.parse(await client.next())).toMatchObject({ requestContext: { routeKey: '$default' } });
    client.send(Buffer.from([0xff, 0x00, 0x01]));
    expect(JSON.parse(await client.next())).toMatchObject({ body: '/wAB', isBase64Encoded: true });

    client.send('boom');
    expect(JSON.parse(await client.next())).toEqual({
      message: 'Internal server error',
      connectionId: event.requestContext!.connectionId,
      requestId: expect.stringMatching(/=$/),
    });

    const { Items } = await apigateway.send(
      new GetRouteResponsesCommand({ ApiId: chat.apiId, RouteId: chat.defaultRouteId }),
    );
    expect(Items).toEqual([{ RouteResponseId: expect.any(String), RouteResponseKey: '$default' }]);
    await apigateway.send(
      new DeleteRouteResponseCommand({
        ApiId: chat.apiId,
        RouteId: chat.defaultRouteId,
        RouteResponseId: Items![0]!.RouteResponseId,
      }),
    );
    client.send('one way');
    // A function error is still reported; what the function answered is not.
    client.send('boom');
    expect(JSON.parse(await client.next())).toMatchObject({ message: 'Internal server error' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(client.pending()).toEqual([]);
    await apigateway.send(
      new CreateRouteResponseCommand({
        ApiId: chat.apiId,
        RouteId: chat.defaultRouteId,
        RouteResponseKey: '$default',
      }),
    );
    await client.close();
  });

  it('refuses a handshake $connect answers with a non-2xx status, for an unknown stage or API, and lets $connect choose the subprotocol', async () => {
    await expect(open(`${chat.url}?token=bad`)).rejects.toEqual(new HandshakeRefused(401));
    await expect(
      open(`ws://127.0.0.1:${stratus.port}/_aws/execute-api/${chat.apiId}/nostage`),
    ).rejects.toEqual(new HandshakeRefused(403));
    await expect(open(`ws://127.0.0.1:${stratus.port}/_aws/execute-api/abcdef1234/prod`)).rejects.toEqual(
      new HandshakeRefused(403),
    );
    const client = await open(chat.url, { protocols: ['chat.v2', 'chat.v1'] });
    expect(client.ws.protocol).toBe('chat.v2');
    await client.close();
  });

  it('serves GetConnection, PostToConnection and DeleteConnection at every URL a client uses, then answers GoneException', async () => {
    const client = await open(chat.url, { headers: { 'User-Agent': 'probe/1.0' } });
    client.send('who am i');
    const { requestContext } = JSON.parse(await client.next()) as { requestContext: Record<string, string> };
    const ConnectionId = requestContext.connectionId!;
    const endpoints = [
      stratus.url,
      `${stratus.url}/prod`,
      `${stratus.url}/_aws/execute-api/${chat.apiId}/prod`,
      `http://${chat.apiId}.execute-api.localhost:${stratus.port}/prod`,
    ];
    for (const endpoint of endpoints) {
      const connections = management(endpoint);
      const connection = await connections.send(new GetConnectionCommand({ ConnectionId }));
      expect(connection).toMatchObject({
        ConnectedAt: expect.any(Date),
        LastActiveAt: expect.any(Date),
        Identity: { SourceIp: '127.0.0.1', UserAgent: 'probe/1.0' },
      });
      expect(connection.LastActiveAt!.getTime()).toBeGreaterThanOrEqual(connection.ConnectedAt!.getTime());
      await connections.send(new PostToConnectionCommand({ ConnectionId, Data: `via ${endpoint}` }));
      expect(await client.next()).toBe(`via ${endpoint}`);
      connections.destroy();
    }
    const connections = management();
    await connections.send(
      new PostToConnectionCommand({ ConnectionId, Data: new Uint8Array([0xff, 0xfe, 0x00]) }),
    );
    expect(await client.next()).toBe('binary://4A');
    // Longer than a frame: it goes out in 32 KB frames, and arrives whole.
    const long = 'x'.repeat(100 * 1024);
    await connections.send(new PostToConnectionCommand({ ConnectionId, Data: long }));
    expect(await client.next()).toBe(long);
    await expect(
      connections.send(new PostToConnectionCommand({ ConnectionId, Data: 'y'.repeat(128 * 1024 + 1) })),
    ).rejects.toBeInstanceOf(PayloadTooLargeException);

    await connections.send(new DeleteConnectionCommand({ ConnectionId }));
    expect(await client.closed).toMatchObject({ code: 1000 });
    for (const command of [
      new GetConnectionCommand({ ConnectionId }),
      new PostToConnectionCommand({ ConnectionId, Data: 'late' }),
      new DeleteConnectionCommand({ ConnectionId }),
      new GetConnectionCommand({ ConnectionId: 'AAAAAAAAAAAAAAA=' }),
    ]) {
      await expect(connections.send(command as GetConnectionCommand)).rejects.toBeInstanceOf(GoneException);
    }
    connections.destroy();
  });

  it('closes with 1009 on a frame over 32 KB or a message over 128 KB; a long message in small frames gets through', async () => {
    const bigFrame = await open(chat.url);
    bigFrame.send('z'.repeat(33 * 1024));
    expect(await bigFrame.closed).toMatchObject({ code: 1009 });

    const fragmented = await open(chat.url);
    const chunk = 'f'.repeat(25 * 1024);
    for (let i = 0; i < 4; i++) fragmented.ws.send(chunk, { fin: i === 3 });
    const echoed = JSON.parse(await fragmented.next()) as { body: string };
    expect(echoed.body).toBe(chunk.repeat(4));

    for (let i = 0; i < 6; i++) fragmented.ws.send(chunk, { fin: i === 5 });
    expect(await fragmented.closed).toMatchObject({ code: 1009 });
  });
});

describe('WebSocket APIs without functions, on a server with short timeouts', () => {
  let stratus: TestStratus;
  let apigateway: ApiGatewayV2Client;
  let url: string;
  let apiId: string;
  const sockets: TestSocket[] = [];
  const open = async (address = url) => {
    const socket = await connectWebSocket(address);
    sockets.push(socket);
    return socket;
  };
  const connectionIdOf = async (socket: TestSocket) => {
    socket.send(JSON.stringify({ action: 'nothing-serves-this' }));
    return (JSON.parse(await socket.next()) as { connectionId: string }).connectionId;
  };

  beforeAll(async () => {
    stratus = await startTestStratus({
      services: serviceDefinitions.map((definition) =>
        definition.name === 'apigateway'
          ? apigatewayService({ webSocket: { idleTimeoutMs: 1000, maxConnectionMs: 3000 } })
          : definition,
      ),
    });
    apigateway = new ApiGatewayV2Client(stratus.clientConfig);
    ({ ApiId: apiId } = (await apigateway.send(
      new CreateApiCommand({
        Name: 'strict',
        ProtocolType: 'WEBSOCKET',
        RouteSelectionExpression: '${request.body.action}',
      }),
    )) as { ApiId: string });
    const { IntegrationId } = await apigateway.send(
      new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'MOCK' }),
    );
    await apigateway.send(
      new CreateRouteCommand({ ApiId: apiId, RouteKey: 'ping', Target: `integrations/${IntegrationId}` }),
    );
    await apigateway.send(new CreateStageCommand({ ApiId: apiId, StageName: 'dev', AutoDeploy: true }));
    url = `ws://127.0.0.1:${stratus.port}/_aws/execute-api/${apiId}/dev`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.ws.terminate();
    apigateway?.destroy();
    await stratus?.close();
  });

  it('lets everyone in without $connect, and answers Forbidden to a message no route serves', async () => {
    const client = await open();
    client.send(JSON.stringify({ action: 'ping' }));
    client.send(JSON.stringify({ action: 'pong' }));
    expect(JSON.parse(await client.next())).toEqual({
      message: 'Forbidden',
      connectionId: expect.stringMatching(/=$/),
      requestId: expect.stringMatching(/=$/),
    });
    expect(client.pending()).toEqual([]);
    await client.close();
  });

  it('closes a connection idle for the idle timeout, and any connection at the maximum duration', async () => {
    const idle = await open();
    const busy = await open();
    const openedAt = Date.now();
    const keepBusy = setInterval(() => busy.send(JSON.stringify({ action: 'ping' })), 200);
    try {
      expect(await idle.closed).toEqual({ code: 1001, reason: 'Going away' });
      expect(Date.now() - openedAt).toBeLessThan(2500);
      expect(busy.ws.readyState).toBe(busy.ws.OPEN);
      expect(await busy.closed).toEqual({ code: 1001, reason: 'Going away' });
      expect(Date.now() - openedAt).toBeGreaterThanOrEqual(2500);
    } finally {
      clearInterval(keepBusy);
    }
  });

  it('delivers to a connection another node holds, through the store', async () => {
    const second = await startNode(stratus);
    const connections = new ApiGatewayManagementApiClient({ ...stratus.clientConfig });
    try {
      const client = await open(`ws://${new URL(second.url).host}/_aws/execute-api/${apiId}/dev`);
      const ConnectionId = await connectionIdOf(client);
      expect(await connections.send(new GetConnectionCommand({ ConnectionId }))).toMatchObject({
        Identity: { SourceIp: '127.0.0.1' },
      });
      await connections.send(new PostToConnectionCommand({ ConnectionId, Data: 'across nodes' }));
      expect(await client.next()).toBe('across nodes');
      await connections.send(new DeleteConnectionCommand({ ConnectionId }));
      expect(await client.closed).toMatchObject({ code: 1000 });
      await expect(connections.send(new GetConnectionCommand({ ConnectionId }))).rejects.toBeInstanceOf(
        GoneException,
      );
    } catch (err) {
      throw new Error(`${String(err)}\nthe other node logged:\n${second.output()}`, { cause: err });
    } finally {
      connections.destroy();
      await second.stop();
    }
  }, 60_000);

  it('closes the connections of a reset API Gateway', async () => {
    const client = await open();
    expect((await resetStratus(stratus.url, ['apigateway'])).status).toBe(200);
    expect(await client.closed).toEqual({ code: 1001, reason: 'Going away' });
  });

  it('closes open connections with 1001 when the server stops, without waiting for them', async () => {
    const { ApiId } = await apigateway.send(
      new CreateApiCommand({
        Name: 'last',
        ProtocolType: 'WEBSOCKET',
        RouteSelectionExpression: '$request.body.a',
      }),
    );
    await apigateway.send(new CreateStageCommand({ ApiId, StageName: 'dev', AutoDeploy: true }));
    const client = await open(`ws://127.0.0.1:${stratus.port}/_aws/execute-api/${ApiId}/dev`);
    const stoppedAt = Date.now();
    await stratus.stop();
    expect(Date.now() - stoppedAt).toBeLessThan(1500);
    expect(await client.closed).toEqual({ code: 1001, reason: 'Going away' });
  });
});
