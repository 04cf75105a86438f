/**
 * Deployed APIs served through custom domain names: base path mappings (v1) and API mappings (v2)
 * of REST, HTTP and WebSocket APIs, called over plain HTTP at 127.0.0.1 with the domain in the
 * Host header (Node's resolver does not map custom names, nor `*.localhost`, to loopback), on
 * this node and on another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as V1 from '@aws-sdk/client-api-gateway';
import * as V2 from '@aws-sdk/client-apigatewayv2';
import {
  domainFixtures,
  type DomainFixtures,
  type HttpEvent,
  type RestEvent,
} from './support/apigateway-domains.js';
import { eventually } from './support/lambda.js';
import { httpCall } from './support/http.js';
import { startNode } from './support/stratus-cli.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import { connectWebSocket } from './support/websocket.js';

describe('API Gateway custom domain names: serving', () => {
  let stratus: TestStratus;
  let v1: DomainFixtures['v1'];
  let v2: DomainFixtures['v2'];
  let fixtures: DomainFixtures;
  let restApi: DomainFixtures['restApi'];
  let httpApi: DomainFixtures['httpApi'];
  let regionalDomain: DomainFixtures['regionalDomain'];
  let call: DomainFixtures['call'];
  let functionArn: string;

  beforeAll(async () => {
    stratus = await startTestStratus();
    fixtures = await domainFixtures(stratus);
    ({ v1, v2, restApi, httpApi, regionalDomain, call, functionArn } = fixtures);
  });
  afterAll(async () => {
    fixtures?.destroy();
    await stratus?.close();
  });

  it('serves a REST API at (none) and v1 and an HTTP API at api/v2, by the longest matching mapping', async () => {
    const root = await restApi('root-api');
    const versioned = await restApi('v1-api');
    const http = await httpApi('v2-api');
    const domain = await regionalDomain('api.example.com');
    await v1.send(
      new V1.CreateBasePathMappingCommand({ domainName: 'api.example.com', restApiId: root, stage: 'prod' }),
    );
    expect(
      await v1.send(
        new V1.CreateBasePathMappingCommand({
          domainName: 'api.example.com',
          restApiId: versioned,
          stage: 'prod',
          basePath: 'v1',
        }),
      ),
    ).toEqual(expect.objectContaining({ basePath: 'v1', restApiId: versioned, stage: 'prod' }));
    const mapping = await v2.send(
      new V2.CreateApiMappingCommand({
        DomainName: 'api.example.com',
        ApiId: http,
        Stage: '$default',
        ApiMappingKey: 'api/v2',
      }),
    );
    expect(mapping).toMatchObject({ ApiId: http, ApiMappingKey: 'api/v2', Stage: '$default' });
    expect(mapping.ApiMappingId).toMatch(/^[a-z0-9]{10}$/);

    const atRoot = await call('api.example.com', '/pets/7');
    expect(atRoot.status).toBe(200);
    expect(atRoot.json<RestEvent>()).toMatchObject({
      path: '/pets/7',
      resource: '/{proxy+}',
      pathParameters: { proxy: 'pets/7' },
      requestContext: {
        apiId: root,
        stage: 'prod',
        path: '/pets/7',
        domainName: `api.example.com:${stratus.port}`,
        domainPrefix: 'api',
      },
    });
    // The base path stays in `path`, as on AWS; the resource matched is what follows it.
    expect((await call('api.example.com', '/v1/pets/7')).json<RestEvent>()).toMatchObject({
      path: '/v1/pets/7',
      resource: '/{proxy+}',
      pathParameters: { proxy: 'pets/7' },
      requestContext: { apiId: versioned, stage: 'prod', path: '/v1/pets/7' },
    });
    expect((await call('api.example.com', '/v1')).json<RestEvent>()).toMatchObject({
      resource: '/',
      requestContext: { apiId: versioned },
    });
    expect((await call('api.example.com', '/api/v2/orders/9?x=1')).json<HttpEvent>()).toMatchObject({
      rawPath: '/api/v2/orders/9',
      routeKey: '$default',
      requestContext: {
        apiId: http,
        stage: '$default',
        http: { path: '/api/v2/orders/9' },
        domainName: `api.example.com:${stratus.port}`,
        domainPrefix: 'api',
      },
    });
    // One level of a two-level key is no match: the root mapping takes it.
    expect((await call('API.Example.COM', '/api/other')).json<RestEvent>()).toMatchObject({
      path: '/api/other',
      requestContext: { apiId: root },
    });
    const alias = domain.DomainNameConfigurations![0]!.ApiGatewayDomainName!;
    expect((await call(alias, '/v1/x')).json<RestEvent>().requestContext.apiId).toBe(versioned);
  });

  it('answers 403 Forbidden where no mapping matches, and leaves signed AWS calls to that host alone', async () => {
    const api = await restApi('bare-api');
    await regionalDomain('bare.example.com');
    await v1.send(
      new V1.CreateBasePathMappingCommand({
        domainName: 'bare.example.com',
        restApiId: api,
        stage: 'prod',
        basePath: 'only',
      }),
    );
    const missing = await call('bare.example.com', '/other');
    expect(missing.status).toBe(403);
    expect(missing.json()).toEqual({ message: 'Forbidden' });
    expect((await call('bare.example.com', '/only/x')).status).toBe(200);

    // An SDK call signed for `apigateway` whose Host is the custom domain is still an AWS API call.
    const sameHost = new V1.APIGatewayClient(stratus.clientConfig);
    sameHost.middlewareStack.add(
      (next) => (args) => {
        (args.request as { headers: Record<string, string> }).headers['host'] = 'bare.example.com';
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'high' },
    );
    try {
      const listed = await sameHost.send(
        new V1.GetBasePathMappingsCommand({ domainName: 'bare.example.com' }),
      );
      expect(listed.items).toEqual([{ basePath: 'only', restApiId: api, stage: 'prod' }]);
    } finally {
      sameHost.destroy();
    }
  });

  it('serves the subdomains of a wildcard domain name, an exact name first', async () => {
    const wild = await restApi('wild-api');
    const exact = await restApi('exact-api');
    await regionalDomain('*.wild.example.com');
    await regionalDomain('one.wild.example.com');
    await v1.send(
      new V1.CreateBasePathMappingCommand({
        domainName: '*.wild.example.com',
        restApiId: wild,
        stage: 'prod',
      }),
    );
    await v1.send(
      new V1.CreateBasePathMappingCommand({
        domainName: 'one.wild.example.com',
        restApiId: exact,
        stage: 'prod',
      }),
    );
    expect((await call('two.wild.example.com', '/x')).json<RestEvent>().requestContext).toMatchObject({
      apiId: wild,
      domainPrefix: 'two',
    });
    expect((await call('one.wild.example.com', '/x')).json<RestEvent>().requestContext.apiId).toBe(exact);
  });

  it('shows REST API mappings through both APIs, and follows updates and deletions at once', async () => {
    const rest = await restApi('shared-api');
    const http = await httpApi('shared-http');
    await regionalDomain('shared.example.com');
    const DomainName = 'shared.example.com';
    await v1.send(
      new V1.CreateBasePathMappingCommand({
        domainName: DomainName,
        restApiId: rest,
        basePath: '(none)',
        stage: 'prod',
      }),
    );
    const deep = await v2.send(
      new V2.CreateApiMappingCommand({
        DomainName,
        ApiId: rest,
        Stage: 'prod',
        ApiMappingKey: 'orders/v1/items',
      }),
    );
    await v2.send(
      new V2.CreateApiMappingCommand({ DomainName, ApiId: http, Stage: '$default', ApiMappingKey: 'h' }),
    );

    const seenByV2 = (await v2.send(new V2.GetApiMappingsCommand({ DomainName }))).Items!;
    expect(seenByV2).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ApiId: rest, ApiMappingKey: '', Stage: 'prod' }),
        expect.objectContaining({ ApiId: rest, ApiMappingKey: 'orders/v1/items', Stage: 'prod' }),
        expect.objectContaining({ ApiId: http, ApiMappingKey: 'h', Stage: '$default' }),
      ]),
    );
    const seenByV1 = (await v1.send(new V1.GetBasePathMappingsCommand({ domainName: DomainName }))).items!;
    expect(seenByV1.map((m) => m.basePath).sort()).toEqual(['(none)', 'orders/v1/items']);
    expect(
      await v1.send(new V1.GetBasePathMappingCommand({ domainName: DomainName, basePath: '(none)' })),
    ).toMatchObject({
      basePath: '(none)',
      restApiId: rest,
      stage: 'prod',
    });
    expect(
      await v1.send(
        new V1.GetBasePathMappingCommand({ domainName: DomainName, basePath: 'orders/v1/items' }),
      ),
    ).toMatchObject({
      restApiId: rest,
    });
    expect((await call(DomainName, '/orders/v1/items/5')).json<RestEvent>()).toMatchObject({
      path: '/orders/v1/items/5',
      pathParameters: { proxy: '5' },
    });

    await v2.send(
      new V2.UpdateApiMappingCommand({
        DomainName,
        ApiMappingId: deep.ApiMappingId,
        ApiId: http,
        Stage: '$default',
        ApiMappingKey: 'orders',
      }),
    );
    expect((await call(DomainName, '/orders/v1/items/5')).json<HttpEvent>()).toMatchObject({
      rawPath: '/orders/v1/items/5',
      requestContext: { apiId: http },
    });
    await v1.send(
      new V1.UpdateBasePathMappingCommand({
        domainName: DomainName,
        basePath: '(none)',
        patchOperations: [{ op: 'replace', path: '/basePath', value: 'r' }],
      }),
    );
    expect((await call(DomainName, '/r/a')).json<RestEvent>()).toMatchObject({
      path: '/r/a',
      requestContext: { apiId: rest },
    });
    expect((await call(DomainName, '/a')).status).toBe(403);
    await v1.send(new V1.DeleteBasePathMappingCommand({ domainName: DomainName, basePath: 'r' }));
    expect((await call(DomainName, '/r/a')).status).toBe(403);
    await v2.send(new V2.DeleteApiMappingCommand({ DomainName, ApiMappingId: deep.ApiMappingId }));
    expect((await call(DomainName, '/orders/x')).status).toBe(403);

    // Deleting an API deletes its mappings; deleting the domain stops serving it at once.
    await v2.send(new V2.DeleteApiCommand({ ApiId: http }));
    expect((await v2.send(new V2.GetApiMappingsCommand({ DomainName }))).Items).toEqual([]);
    await v2.send(new V2.DeleteDomainNameCommand({ DomainName }));
    expect((await call(DomainName, '/orders/x')).status).not.toBe(200);
  });

  it('lets a v1 mapping without a stage take the stage from the path', async () => {
    const api = await restApi('staged-api');
    await regionalDomain('staged.example.com');
    const created = await v1.send(
      new V1.CreateBasePathMappingCommand({
        domainName: 'staged.example.com',
        restApiId: api,
        basePath: 'any',
      }),
    );
    expect(created).toEqual(expect.objectContaining({ basePath: 'any', restApiId: api }));
    expect(created.stage).toBeUndefined();
    expect((await call('staged.example.com', '/any/prod/pets/1')).json<RestEvent>()).toMatchObject({
      path: '/any/prod/pets/1',
      pathParameters: { proxy: 'pets/1' },
      requestContext: { stage: 'prod' },
    });
    expect((await call('staged.example.com', '/any/nostage/x')).status).toBe(403);
  });

  it('connects WebSocket clients through a custom domain mapping', async () => {
    const { ApiId } = await v2.send(
      new V2.CreateApiCommand({
        Name: 'domain-ws',
        ProtocolType: 'WEBSOCKET',
        RouteSelectionExpression: '$request.body.action',
      }),
    );
    const { IntegrationId } = await v2.send(
      new V2.CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: functionArn }),
    );
    const route = await v2.send(
      new V2.CreateRouteCommand({
        ApiId,
        RouteKey: '$default',
        Target: `integrations/${IntegrationId}`,
        RouteResponseSelectionExpression: '$default',
      }),
    );
    await v2.send(
      new V2.CreateRouteResponseCommand({ ApiId, RouteId: route.RouteId, RouteResponseKey: '$default' }),
    );
    await v2.send(new V2.CreateStageCommand({ ApiId, StageName: 'live', AutoDeploy: true }));
    const domain = await regionalDomain('chat.example.com');
    await v2.send(
      new V2.CreateApiMappingCommand({
        DomainName: 'chat.example.com',
        ApiId,
        Stage: 'live',
        ApiMappingKey: 'chat',
      }),
    );

    // The domain's alias is a `*.localhost` name: the test's resolver maps it to loopback, as browsers do.
    const alias = domain.DomainNameConfigurations![0]!.ApiGatewayDomainName!;
    const socket = await connectWebSocket(`ws://${alias}:${stratus.port}/chat`);
    try {
      socket.send(JSON.stringify({ action: 'hello' }));
      expect(JSON.parse(await socket.next())).toMatchObject({
        apiId: ApiId,
        stage: 'live',
        domainName: `${alias}:${stratus.port}`,
      });
    } finally {
      await socket.close();
    }
  });

  it(
    'serves on another node a domain this node made, within about a second',
    { timeout: 60_000 },
    async () => {
      const second = await startNode(stratus);
      try {
        const api = await restApi('cluster-api');
        await regionalDomain('cluster.example.com');
        await v1.send(
          new V1.CreateBasePathMappingCommand({
            domainName: 'cluster.example.com',
            restApiId: api,
            stage: 'prod',
          }),
        );
        const port = new URL(second.url).port;
        const viaSecond = () =>
          httpCall(`http://127.0.0.1:${port}/x`, { headers: { host: `cluster.example.com:${port}` } });
        const served = await eventually(viaSecond, (answer) => answer.status === 200, { timeoutMs: 5_000 });
        expect(served.json<RestEvent>().requestContext.apiId).toBe(api);
        await v1.send(new V1.DeleteDomainNameCommand({ domainName: 'cluster.example.com' }));
        await eventually(viaSecond, (answer) => answer.status !== 200, { timeoutMs: 5_000 });
      } finally {
        await second.stop();
      }
    },
  );
});
