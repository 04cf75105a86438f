/**
 * Custom domain names through both management APIs — one namespace, as on AWS — with base path
 * mappings (v1) and API mappings (v2), and the deployed APIs they serve, called over plain HTTP
 * at 127.0.0.1 with the domain in the Host header (Node's resolver does not map custom names, nor
 * `*.localhost`, to loopback).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as V1 from '@aws-sdk/client-api-gateway';
import * as V2 from '@aws-sdk/client-apigatewayv2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { createFunction, eventually } from './support/lambda.js';
import { httpCall } from './support/http.js';
import { startNode } from './support/stratus-cli.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import { connectWebSocket } from './support/websocket.js';

/** Answers with the event it got; as a WebSocket route, with its `requestContext`. */
const echo = `
export const handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(event.requestContext.eventType ? event.requestContext : event),
});`;

const certificate = 'arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555';
const edgeInV2 =
  'Only REGIONAL domain names can be managed through the API Gateway V2 API. For EDGE domain names, please use the API Gateway V1 API. Also note that only REST APIs can be attached to EDGE domain names.';

type RestEvent = { path: string; resource: string; pathParameters: Record<string, string> | null } & {
  requestContext: { stage: string; path: string; domainName: string; domainPrefix: string; apiId: string };
};
type HttpEvent = {
  rawPath: string;
  routeKey: string;
  requestContext: {
    stage: string;
    domainName: string;
    domainPrefix: string;
    apiId: string;
    http: { path: string };
  };
};

describe('API Gateway custom domain names', () => {
  let stratus: TestStratus;
  let v1: V1.APIGatewayClient;
  let v2: V2.ApiGatewayV2Client;
  let lambda: LambdaClient;
  let functionArn: string;

  beforeAll(async () => {
    stratus = await startTestStratus();
    v1 = new V1.APIGatewayClient(stratus.clientConfig);
    v2 = new V2.ApiGatewayV2Client(stratus.clientConfig);
    lambda = new LambdaClient(stratus.clientConfig);
    functionArn = (await createFunction(lambda, 'domain-echo', { 'index.mjs': echo })).FunctionArn!;
  });
  afterAll(async () => {
    v1?.destroy();
    v2?.destroy();
    lambda?.destroy();
    await stratus?.close();
  });

  const call = (host: string, path: string) =>
    httpCall(`http://127.0.0.1:${stratus.port}${path}`, { headers: { host: `${host}:${stratus.port}` } });

  /** A REST API whose `/` and `/{proxy+}` answer with the event, deployed to `prod`. */
  async function restApi(name: string): Promise<string> {
    const { id, rootResourceId } = await v1.send(new V1.CreateRestApiCommand({ name }));
    const proxy = await v1.send(
      new V1.CreateResourceCommand({ restApiId: id, parentId: rootResourceId, pathPart: '{proxy+}' }),
    );
    for (const resourceId of [rootResourceId!, proxy.id!]) {
      await v1.send(
        new V1.PutMethodCommand({ restApiId: id, resourceId, httpMethod: 'ANY', authorizationType: 'NONE' }),
      );
      await v1.send(
        new V1.PutIntegrationCommand({
          restApiId: id,
          resourceId,
          httpMethod: 'ANY',
          type: 'AWS_PROXY',
          integrationHttpMethod: 'POST',
          uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn}/invocations`,
        }),
      );
    }
    await v1.send(new V1.CreateDeploymentCommand({ restApiId: id, stageName: 'prod' }));
    return id!;
  }

  const httpApi = async (name: string) =>
    (await v2.send(new V2.CreateApiCommand({ Name: name, ProtocolType: 'HTTP', Target: functionArn })))
      .ApiId!;

  const regionalDomain = (domainName: string, securityPolicy: V2.SecurityPolicy = 'TLS_1_2') =>
    v2.send(
      new V2.CreateDomainNameCommand({
        DomainName: domainName,
        DomainNameConfigurations: [
          { CertificateArn: certificate, EndpointType: 'REGIONAL', SecurityPolicy: securityPolicy },
        ],
      }),
    );

  it('keeps one namespace of domain names for both APIs; v2 sees only the REGIONAL ones', async () => {
    const regional = await v1.send(
      new V1.CreateDomainNameCommand({
        domainName: 'shop.example.com',
        regionalCertificateArn: certificate,
        endpointConfiguration: { types: ['REGIONAL'] },
        tags: { team: 'web' },
      }),
    );
    expect(regional).toMatchObject({
      domainName: 'shop.example.com',
      domainNameArn: 'arn:aws:apigateway:us-east-1::/domainnames/shop.example.com',
      regionalCertificateArn: certificate,
      endpointConfiguration: { types: ['REGIONAL'] },
      domainNameStatus: 'AVAILABLE',
      securityPolicy: 'TLS_1_2',
      tags: { team: 'web' },
    });
    expect(regional.regionalDomainName).toMatch(/^d-[a-z0-9]{10}\.execute-api\.localhost$/);
    expect(await v2.send(new V2.GetDomainNameCommand({ DomainName: 'shop.example.com' }))).toMatchObject({
      DomainName: 'shop.example.com',
      ApiMappingSelectionExpression: '$request.basepath',
      DomainNameConfigurations: [
        {
          ApiGatewayDomainName: regional.regionalDomainName,
          CertificateArn: certificate,
          EndpointType: 'REGIONAL',
          DomainNameStatus: 'AVAILABLE',
          SecurityPolicy: 'TLS_1_2',
        },
      ],
      Tags: { team: 'web' },
    });

    await regionalDomain('made-by-v2.example.com');
    expect(
      await v1.send(new V1.GetDomainNameCommand({ domainName: 'made-by-v2.example.com' })),
    ).toMatchObject({
      endpointConfiguration: { types: ['REGIONAL'] },
      regionalCertificateArn: certificate,
    });

    const edge = await v1.send(
      new V1.CreateDomainNameCommand({ domainName: 'edge.example.com', certificateArn: certificate }),
    );
    expect(edge).toMatchObject({
      endpointConfiguration: { types: ['EDGE'] },
      distributionHostedZoneId: 'Z2FDTNDATAQYW2',
    });
    expect(edge.distributionDomainName).toMatch(/^d[a-z0-9]{10}\.cloudfront\.localhost$/);
    await expect(v2.send(new V2.GetDomainNameCommand({ DomainName: 'edge.example.com' }))).rejects.toThrow(
      edgeInV2,
    );
    await expect(
      v2.send(
        new V2.CreateDomainNameCommand({
          DomainName: 'v2-edge.example.com',
          DomainNameConfigurations: [{ EndpointType: 'EDGE' }],
        }),
      ),
    ).rejects.toThrow('EDGE endpoint type is not supported for APIGatewayV2 domainName');

    const v1Names = (await v1.send(new V1.GetDomainNamesCommand({}))).items!.map((d) => d.domainName);
    expect(v1Names).toEqual(
      expect.arrayContaining(['shop.example.com', 'made-by-v2.example.com', 'edge.example.com']),
    );
    const v2Names = (await v2.send(new V2.GetDomainNamesCommand({}))).Items!.map((d) => d.DomainName);
    expect(v2Names).toEqual(expect.arrayContaining(['shop.example.com', 'made-by-v2.example.com']));
    expect(v2Names).not.toContain('edge.example.com');

    const updated = await v1.send(
      new V1.UpdateDomainNameCommand({
        domainName: 'edge.example.com',
        patchOperations: [
          { op: 'replace', path: '/endpointConfiguration/types/EDGE', value: 'REGIONAL' },
          { op: 'replace', path: '/regionalCertificateArn', value: certificate },
        ],
      }),
    );
    expect(updated).toMatchObject({
      endpointConfiguration: { types: ['REGIONAL'] },
      regionalCertificateArn: certificate,
    });
    expect(updated.distributionDomainName).toBeUndefined();
    const changed = await v2.send(
      new V2.UpdateDomainNameCommand({
        DomainName: 'edge.example.com',
        DomainNameConfigurations: [{ CertificateArn: certificate, SecurityPolicy: 'TLS_1_0' }],
      }),
    );
    expect(changed.DomainNameConfigurations).toMatchObject([
      { SecurityPolicy: 'TLS_1_0', EndpointType: 'REGIONAL' },
    ]);

    await v2.send(new V2.DeleteDomainNameCommand({ DomainName: 'edge.example.com' }));
    await v1.send(new V1.DeleteDomainNameCommand({ domainName: 'made-by-v2.example.com' }));
    for (const domainName of ['edge.example.com', 'made-by-v2.example.com', 'nowhere.example.com']) {
      const missing = v1.send(new V1.GetDomainNameCommand({ domainName }));
      await expect(missing).rejects.toBeInstanceOf(V1.NotFoundException);
      await expect(missing).rejects.toThrow('Invalid domain name identifier specified');
    }
    await expect(
      v2.send(new V2.GetDomainNameCommand({ DomainName: 'nowhere.example.com' })),
    ).rejects.toBeInstanceOf(V2.NotFoundException);
  });

  it('refuses a domain name that exists, whatever its case, and names that are not domain names', async () => {
    await regionalDomain('taken.example.com');
    const again = v1.send(new V1.CreateDomainNameCommand({ domainName: 'Taken.Example.com' }));
    await expect(again).rejects.toBeInstanceOf(V1.BadRequestException);
    await expect(again).rejects.toThrow('The domain name you provided already exists.');
    const viaV2 = regionalDomain('taken.example.com');
    await expect(viaV2).rejects.toBeInstanceOf(V2.ConflictException);
    await expect(viaV2).rejects.toThrow('The domain name you provided already exists.');
    for (const domainName of ['localhost', '127.0.0.1', 'bad_name.example.com', '-x.example.com']) {
      await expect(v1.send(new V1.CreateDomainNameCommand({ domainName }))).rejects.toBeInstanceOf(
        V1.BadRequestException,
      );
    }
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

  it('refuses conflicting, unknown and ill-formed mappings with AWS errors', async () => {
    const rest = await restApi('errors-api');
    const http = await httpApi('errors-http');
    await regionalDomain('errors.example.com');
    const domainName = 'errors.example.com';
    await v1.send(
      new V1.CreateBasePathMappingCommand({ domainName, restApiId: rest, stage: 'prod', basePath: 'v1' }),
    );

    const expectV1 = async (
      input: V1.CreateBasePathMappingCommandInput,
      type: new (...a: never[]) => Error,
      message: string,
    ) => {
      const attempt = v1.send(new V1.CreateBasePathMappingCommand(input));
      await expect(attempt).rejects.toBeInstanceOf(type);
      await expect(attempt).rejects.toThrow(message);
    };
    await expectV1(
      { domainName, restApiId: rest, stage: 'prod', basePath: 'v1' },
      V1.ConflictException,
      'Base path already exists for this domain name',
    );
    await expectV1(
      { domainName, restApiId: rest, stage: 'prod', basePath: 'a/b' },
      V1.BadRequestException,
      "API Gateway V1 doesn't support the slash character (/) in base path mappings.",
    );
    await expectV1(
      { domainName, restApiId: 'nosuchapi0', basePath: 'x' },
      V1.BadRequestException,
      'Invalid REST API identifier specified',
    );
    await expectV1(
      { domainName, restApiId: http, basePath: 'x' },
      V1.BadRequestException,
      'Invalid REST API identifier specified',
    );
    await expectV1(
      { domainName, restApiId: rest, stage: 'nope', basePath: 'x' },
      V1.BadRequestException,
      'Invalid stage identifier specified',
    );
    await expectV1(
      { domainName: 'nowhere.example.com', restApiId: rest },
      V1.NotFoundException,
      'Invalid domain name identifier specified',
    );
    await expect(v1.send(new V1.GetBasePathMappingCommand({ domainName, basePath: 'v9' }))).rejects.toThrow(
      'Invalid base path mapping identifier specified',
    );

    const expectV2 = async (
      input: V2.CreateApiMappingCommandInput,
      type: new (...a: never[]) => Error,
      message: string,
    ) => {
      const attempt = v2.send(new V2.CreateApiMappingCommand(input));
      await expect(attempt).rejects.toBeInstanceOf(type);
      await expect(attempt).rejects.toThrow(message);
    };
    const DomainName = domainName;
    await expectV2(
      { DomainName, ApiId: http, Stage: '$default', ApiMappingKey: 'v1' },
      V2.ConflictException,
      'ApiMapping key already exists for this domain name',
    );
    await expectV2(
      { DomainName, ApiId: http, Stage: '$default', ApiMappingKey: 'a//b' },
      V2.BadRequestException,
      "API mapping key should not start with a '/' or have consecutive '/'s.",
    );
    await expectV2(
      { DomainName, ApiId: http, Stage: 'nope', ApiMappingKey: 'x' },
      V2.BadRequestException,
      'Invalid stage identifier specified',
    );
    await expectV2(
      { DomainName, ApiId: 'nosuchapi0', Stage: '$default', ApiMappingKey: 'x' },
      V2.BadRequestException,
      'Invalid API identifier specified',
    );
    await expect(
      v2.send(new V2.GetApiMappingCommand({ DomainName, ApiMappingId: 'nosuchmap0' })),
    ).rejects.toBeInstanceOf(V2.NotFoundException);

    // HTTP APIs and multi-level keys want a REGIONAL domain with TLS 1.2; WebSocket APIs a domain of their own.
    await regionalDomain('old-tls.example.com', 'TLS_1_0');
    await expectV2(
      { DomainName: 'old-tls.example.com', ApiId: http, Stage: '$default' },
      V2.BadRequestException,
      'HTTP APIs can only be mapped',
    );
    await expectV2(
      { DomainName: 'old-tls.example.com', ApiId: rest, Stage: 'prod', ApiMappingKey: 'a/b' },
      V2.BadRequestException,
      'Multi-level',
    );
    await v1.send(
      new V1.CreateDomainNameCommand({ domainName: 'cdn.example.com', certificateArn: certificate }),
    );
    await expectV2(
      { DomainName: 'cdn.example.com', ApiId: rest, Stage: 'prod' },
      V2.BadRequestException,
      edgeInV2,
    );
    const { ApiId: ws } = await v2.send(
      new V2.CreateApiCommand({
        Name: 'errors-ws',
        ProtocolType: 'WEBSOCKET',
        RouteSelectionExpression: '$request.body.action',
      }),
    );
    await v2.send(new V2.CreateStageCommand({ ApiId: ws, StageName: 'live' }));
    await expectV2(
      { DomainName, ApiId: ws, Stage: 'live', ApiMappingKey: 'ws' },
      V2.BadRequestException,
      "WebSocket APIs can't be mapped",
    );
    await v2.send(
      new V2.CreateApiMappingCommand({ DomainName, ApiId: http, Stage: '$default', ApiMappingKey: 'h' }),
    );
    const toTls10 = v1.send(
      new V1.UpdateDomainNameCommand({
        domainName,
        patchOperations: [{ op: 'replace', path: '/securityPolicy', value: 'TLS_1_0' }],
      }),
    );
    await expect(toTls10).rejects.toThrow('HTTP APIs can only be mapped');
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
