/**
 * Connections and API destinations through the SDK, and events delivered over HTTP with each
 * kind of authorization: an API key header, basic credentials, and an OAuth token EventBridge
 * fetches from the connection's authorization endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  DeauthorizeConnectionCommand,
  DeleteApiDestinationCommand,
  DeleteConnectionCommand,
  DescribeApiDestinationCommand,
  DescribeConnectionCommand,
  EventBridgeClient,
  ListApiDestinationsCommand,
  ListConnectionsCommand,
  PutEventsCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  UpdateApiDestinationCommand,
  UpdateConnectionCommand,
} from '@aws-sdk/client-eventbridge';
import { rejection } from './support/rejection.js';
import { ruleWithTargets, startApiEndpoint, type ApiEndpoint } from './support/events.js';
import { eventually } from './support/sns-endpoint.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

describe('EventBridge connections and API destinations', () => {
  let stratus: TestStratus;
  let eb: EventBridgeClient;
  let endpoint: ApiEndpoint;

  beforeAll(async () => {
    stratus = await startTestStratus();
    eb = new EventBridgeClient(stratus.clientConfig);
    endpoint = await startApiEndpoint();
    endpoint.answer((request) => {
      if (request.url.startsWith('/token')) {
        return { status: 200, body: JSON.stringify({ access_token: 'token-1', expires_in: 3600 }) };
      }
      return { status: request.url.startsWith('/refusing-token') ? 401 : 200 };
    });
  });
  afterAll(async () => {
    eb?.destroy();
    await endpoint?.close();
    await stratus?.close();
  });

  const requestsTo = (path: string) => endpoint.received.filter((r) => r.url.startsWith(path));

  it('creates API key and basic connections authorized at once, and never shows their secrets', async () => {
    const created = await eb.send(
      new CreateConnectionCommand({
        Name: 'with-key',
        AuthorizationType: 'API_KEY',
        AuthParameters: {
          ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'sesame' },
          InvocationHttpParameters: {
            HeaderParameters: [
              { Key: 'x-tenant', Value: 'acme', IsValueSecret: false },
              { Key: 'x-secret', Value: 'hidden', IsValueSecret: true },
            ],
          },
        },
      }),
    );
    expect(created.ConnectionArn).toMatch(
      /^arn:aws:events:us-east-1:000000000000:connection\/with-key\/[0-9a-f-]{36}$/,
    );
    expect(created.ConnectionState).toBe('AUTHORIZED');
    const described = await eb.send(new DescribeConnectionCommand({ Name: 'with-key' }));
    expect(described).toMatchObject({
      Name: 'with-key',
      ConnectionState: 'AUTHORIZED',
      AuthorizationType: 'API_KEY',
      AuthParameters: {
        ApiKeyAuthParameters: { ApiKeyName: 'x-api-key' },
        InvocationHttpParameters: {
          HeaderParameters: [
            { Key: 'x-tenant', Value: 'acme', IsValueSecret: false },
            { Key: 'x-secret', IsValueSecret: true },
          ],
        },
      },
    });
    expect(described.SecretArn).toMatch(
      /^arn:aws:secretsmanager:us-east-1:000000000000:secret:events!connection\/with-key\//,
    );
    expect(JSON.stringify(described)).not.toContain('sesame');
    expect(JSON.stringify(described)).not.toContain('hidden');

    await eb.send(
      new CreateConnectionCommand({
        Name: 'with-basic',
        AuthorizationType: 'BASIC',
        AuthParameters: { BasicAuthParameters: { Username: 'ada', Password: 'pw' } },
      }),
    );
    const dup = await rejection(
      eb.send(
        new CreateConnectionCommand({
          Name: 'with-basic',
          AuthorizationType: 'BASIC',
          AuthParameters: { BasicAuthParameters: { Username: 'ada', Password: 'pw' } },
        }),
      ),
    );
    expect(dup).toBeInstanceOf(ResourceAlreadyExistsException);
    expect(dup.message).toBe('Connection with-basic already exists.');
    const mismatched = await rejection(
      eb.send(
        new CreateConnectionCommand({
          Name: 'mismatched',
          AuthorizationType: 'BASIC',
          AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } },
        }),
      ),
    );
    expect(mismatched.name).toBe('ValidationException');
    const missing = await rejection(eb.send(new DescribeConnectionCommand({ Name: 'nope' })));
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing.message).toBe("Failed to describe the connection(s). Connection 'nope' does not exist.");
  });

  it('authorizes an OAuth connection by fetching a token from its endpoint, or says why it could not', async () => {
    const created = await eb.send(
      new CreateConnectionCommand({
        Name: 'with-oauth',
        AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
        AuthParameters: {
          OAuthParameters: {
            AuthorizationEndpoint: `${endpoint.url}/token`,
            HttpMethod: 'POST',
            ClientParameters: { ClientID: 'client', ClientSecret: 'shh' },
            OAuthHttpParameters: {
              BodyParameters: [{ Key: 'scope', Value: 'events', IsValueSecret: false }],
            },
          },
        },
      }),
    );
    expect(created.ConnectionState).toBe('AUTHORIZING');
    await eventually(
      async () =>
        (await eb.send(new DescribeConnectionCommand({ Name: 'with-oauth' }))).ConnectionState ===
        'AUTHORIZED',
      'the OAuth connection to be authorized',
    );
    const [tokenRequest] = requestsTo('/token');
    expect(tokenRequest!.method).toBe('POST');
    expect(tokenRequest!.headers['authorization']).toBe(
      `Basic ${Buffer.from('client:shh').toString('base64')}`,
    );
    expect(new URLSearchParams(tokenRequest!.body).get('grant_type')).toBe('client_credentials');
    expect(new URLSearchParams(tokenRequest!.body).get('scope')).toBe('events');

    await eb.send(
      new CreateConnectionCommand({
        Name: 'refused-oauth',
        AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
        AuthParameters: {
          OAuthParameters: {
            AuthorizationEndpoint: `${endpoint.url}/refusing-token`,
            HttpMethod: 'POST',
            ClientParameters: { ClientID: 'client', ClientSecret: 'shh' },
          },
        },
      }),
    );
    const refused = await eventually(async () => {
      const c = await eb.send(new DescribeConnectionCommand({ Name: 'refused-oauth' }));
      return c.ConnectionState === 'DEAUTHORIZED' && c;
    }, 'the refused OAuth connection to be deauthorized');
    expect(refused.StateReason).toBe('The authorization endpoint answered 401.');
  });

  it('creates, lists, updates and deletes API destinations', async () => {
    const { ConnectionArn } = await eb.send(new DescribeConnectionCommand({ Name: 'with-key' }));
    const created = await eb.send(
      new CreateApiDestinationCommand({
        Name: 'orders-api',
        ConnectionArn,
        InvocationEndpoint: `${endpoint.url}/orders/*/items`,
        HttpMethod: 'POST',
        InvocationRateLimitPerSecond: 10,
      }),
    );
    expect(created).toMatchObject({ ApiDestinationState: 'ACTIVE' });
    expect(created.ApiDestinationArn).toMatch(/:api-destination\/orders-api\/[0-9a-f-]{36}$/);
    const dup = await rejection(
      eb.send(
        new CreateApiDestinationCommand({
          Name: 'orders-api',
          ConnectionArn,
          InvocationEndpoint: `${endpoint.url}/x`,
          HttpMethod: 'GET',
        }),
      ),
    );
    expect(dup).toBeInstanceOf(ResourceAlreadyExistsException);
    expect(dup.message).toBe("An api-destination 'orders-api' already exists.");
    await eb.send(
      new UpdateApiDestinationCommand({
        Name: 'orders-api',
        Description: 'orders',
        InvocationRateLimitPerSecond: 20,
      }),
    );
    expect(await eb.send(new DescribeApiDestinationCommand({ Name: 'orders-api' }))).toMatchObject({
      Name: 'orders-api',
      Description: 'orders',
      ConnectionArn,
      HttpMethod: 'POST',
      InvocationRateLimitPerSecond: 20,
    });
    const listed = await eb.send(new ListApiDestinationsCommand({ ConnectionArn }));
    expect(listed.ApiDestinations!.map((d) => d.Name)).toEqual(['orders-api']);
    const connections = await eb.send(new ListConnectionsCommand({ NamePrefix: 'with-' }));
    expect(connections.Connections!.map((c) => c.Name)).toEqual(['with-basic', 'with-key', 'with-oauth']);
    const badConnection = await rejection(
      eb.send(
        new CreateApiDestinationCommand({
          Name: 'orphan',
          ConnectionArn: ConnectionArn!.replace('with-key', 'missing'),
          InvocationEndpoint: `${endpoint.url}/x`,
          HttpMethod: 'GET',
        }),
      ),
    );
    expect(badConnection).toBeInstanceOf(ResourceNotFoundException);
    await eb.send(
      new CreateApiDestinationCommand({
        Name: 'temporary',
        ConnectionArn,
        InvocationEndpoint: `${endpoint.url}/x`,
        HttpMethod: 'GET',
      }),
    );
    await eb.send(new DeleteApiDestinationCommand({ Name: 'temporary' }));
    const gone = await rejection(eb.send(new DescribeApiDestinationCommand({ Name: 'temporary' })));
    expect(gone.message).toBe(
      "Failed to describe the api-destination(s). An api-destination 'temporary' does not exist.",
    );
  });

  it("calls an API destination with the target's path, headers and query and the connection's API key", async () => {
    const { ApiDestinationArn } = await eb.send(new DescribeApiDestinationCommand({ Name: 'orders-api' }));
    await ruleWithTargets(eb, 'to-api', { source: ['api-shop'] }, [
      {
        Id: 'api',
        Arn: ApiDestinationArn,
        HttpParameters: {
          PathParameterValues: ['o-42'],
          HeaderParameters: { 'X-Team': 'checkout' },
          QueryStringParameters: { q: 'new' },
        },
      },
    ]);
    const { Entries } = await eb.send(
      new PutEventsCommand({
        Entries: [{ Source: 'api-shop', DetailType: 'Order Placed', Detail: '{"id": 42}' }],
      }),
    );
    const request = await eventually(() => requestsTo('/orders/')[0], 'the API destination to be called');
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/orders/o-42/items?q=new');
    expect(request.headers).toMatchObject({
      'x-api-key': 'sesame',
      'x-tenant': 'acme',
      'x-secret': 'hidden',
      'x-team': 'checkout',
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Amazon/EventBridge/ApiDestinations',
    });
    expect(JSON.parse(request.body)).toMatchObject({ id: Entries![0]!.EventId, detail: { id: 42 } });
  });

  it('calls with basic credentials, and with the OAuth token', async () => {
    for (const [connection, path] of [
      ['with-basic', '/basic'],
      ['with-oauth', '/oauth'],
    ] as const) {
      const { ConnectionArn } = await eb.send(new DescribeConnectionCommand({ Name: connection }));
      const { ApiDestinationArn } = await eb.send(
        new CreateApiDestinationCommand({
          Name: `${connection}-api`,
          ConnectionArn,
          InvocationEndpoint: `${endpoint.url}${path}`,
          HttpMethod: 'PUT',
        }),
      );
      await ruleWithTargets(eb, `to-${connection}`, { source: [`${connection}-shop`] }, [
        { Id: 'api', Arn: ApiDestinationArn },
      ]);
      await eb.send(
        new PutEventsCommand({ Entries: [{ Source: `${connection}-shop`, DetailType: 'x', Detail: '{}' }] }),
      );
    }
    const basic = await eventually(() => requestsTo('/basic')[0], 'the basic API destination to be called');
    expect(basic.method).toBe('PUT');
    expect(basic.headers['authorization']).toBe(`Basic ${Buffer.from('ada:pw').toString('base64')}`);
    const oauth = await eventually(() => requestsTo('/oauth')[0], 'the OAuth API destination to be called');
    expect(oauth.headers['authorization']).toBe('Bearer token-1');
  });

  it('updates and deauthorizes connections, and deletes them', async () => {
    const updated = await eb.send(
      new UpdateConnectionCommand({
        Name: 'with-basic',
        Description: 'rotated',
        AuthParameters: { BasicAuthParameters: { Password: 'new-pw' } },
      }),
    );
    expect(updated.ConnectionState).toBe('AUTHORIZED');
    expect(await eb.send(new DescribeConnectionCommand({ Name: 'with-basic' }))).toMatchObject({
      Description: 'rotated',
      AuthParameters: { BasicAuthParameters: { Username: 'ada' } },
    });
    const deauthorized = await eb.send(new DeauthorizeConnectionCommand({ Name: 'with-oauth' }));
    expect(deauthorized.ConnectionState).toBe('DEAUTHORIZING');
    expect((await eb.send(new DescribeConnectionCommand({ Name: 'with-oauth' }))).ConnectionState).toBe(
      'DEAUTHORIZED',
    );
    const deleted = await eb.send(new DeleteConnectionCommand({ Name: 'refused-oauth' }));
    expect(deleted.ConnectionState).toBe('DELETING');
    expect(await rejection(eb.send(new DescribeConnectionCommand({ Name: 'refused-oauth' })))).toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});
