/**
 * API Gateway's caches, called as clients call them: a REST API stage's response cache (its cache
 * cluster, method settings, cache key parameters, TTL on Stratus's clock, `Cache-Control:
 * max-age=0` by signed and unsigned callers, FlushStageCache), the Lambda authorizer cache flushes
 * (FlushStageAuthorizersCache, v2's ResetAuthorizersCache), the CacheHitCount, CacheMissCount and
 * IntegrationLatency metrics, and a second node sharing the same caches through the store.
 *
 * The server runs with `--require-auth`, so a signed invalidation is checked for real.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APIGatewayClient,
  BadRequestException,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  FlushStageAuthorizersCacheCommand,
  FlushStageCacheCommand,
  GetStageCommand,
  NotFoundException,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateStageCommand,
  type PatchOperation,
} from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateAuthorizerCommand as CreateHttpAuthorizerCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand as CreateHttpStageCommand,
  NotFoundException as V2NotFoundException,
  ResetAuthorizersCacheCommand,
} from '@aws-sdk/client-apigatewayv2';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
} from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ManualClock } from '../src/engine/clock.js';
import { sigV4Signer } from '../src/protocol/sigv4.js';
import { createFunction, eventually } from './support/lambda.js';
import { httpCall } from './support/http.js';
import { startNode } from './support/stratus-cli.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

/** Each answer unique (an environment's id and its count), so a cached answer shows. */
const counter = `
const id = Math.random().toString(36).slice(2);
let n = 0;
export const handler = async (event) => ({
  statusCode: Number(event.queryStringParameters?.status ?? 200),
  body: JSON.stringify({ answer: id + ':' + ++n, authorizer: event.requestContext.authorizer ?? null }),
});`;

/** Allows everyone; its context says which of its runs answered, so a cached answer shows. */
const authorizer = `
const id = Math.random().toString(36).slice(2);
let n = 0;
export const handler = async (event) => {
  const run = id + ':' + ++n;
  if (event.type === 'TOKEN') {
    const resource = event.methodArn.split('/').slice(0, 2).join('/') + '/*';
    return {
      principalId: 'caller',
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: resource }] },
      context: { run },
    };
  }
  return { isAuthorized: true, context: { run } };
};`;

const lambdaUri = (arn: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`;

const t0 = Math.floor(Date.now() / 1000) * 1000;

describe('API Gateway caches', () => {
  const clock = new ManualClock(t0);
  let stratus: TestStratus;
  let apigateway: APIGatewayClient;
  let v2: ApiGatewayV2Client;
  let lambda: LambdaClient;
  let counterArn: string;
  let authorizerArn: string;
  let restApiId: string;
  let base: string;

  const patch = (stageName: string, ...operations: [path: string, value: string][]) =>
    apigateway.send(
      new UpdateStageCommand({
        restApiId,
        stageName,
        patchOperations: operations.map(([path, value]): PatchOperation => ({ op: 'replace', path, value })),
      }),
    );

  /** The answer's id, with the answer. */
  async function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
    const answer = await httpCall(`${base}${path}`, { method, headers });
    expect(answer.status, answer.text).toBe(200);
    return { id: answer.json<{ answer: string }>().answer, answer };
  }

  beforeAll(async () => {
    stratus = await startTestStratus({ clock, requireAuth: true });
    apigateway = new APIGatewayClient(stratus.clientConfig);
    v2 = new ApiGatewayV2Client(stratus.clientConfig);
    lambda = new LambdaClient(stratus.clientConfig);
    counterArn = (await createFunction(lambda, 'cache-counter', { 'index.mjs': counter })).FunctionArn!;
    authorizerArn = (await createFunction(lambda, 'cache-authorizer', { 'index.mjs': authorizer }))
      .FunctionArn!;

    const api = await apigateway.send(new CreateRestApiCommand({ name: 'cached' }));
    restApiId = api.id!;
    const { id: resourceId } = await apigateway.send(
      new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: 'items' }),
    );
    for (const httpMethod of ['GET', 'POST']) {
      const target = { restApiId, resourceId: resourceId!, httpMethod };
      await apigateway.send(
        new PutMethodCommand({
          ...target,
          authorizationType: 'NONE',
          requestParameters: { 'method.request.querystring.type': false },
        }),
      );
      await apigateway.send(
        new PutIntegrationCommand({
          ...target,
          type: 'AWS_PROXY',
          integrationHttpMethod: 'POST',
          uri: lambdaUri(counterArn),
          cacheKeyParameters: ['method.request.querystring.type'],
        }),
      );
    }
    await apigateway.send(
      new CreateDeploymentCommand({ restApiId, stageName: 'prod', cacheClusterEnabled: true }),
    );
    await patch('prod', ['/*/*/caching/enabled', 'true'], ['/*/*/caching/ttlInSeconds', '60']);
    base = `${stratus.url}/_aws/execute-api/${restApiId}/prod`;
  });
  afterAll(async () => {
    for (const client of [apigateway, v2, lambda]) client?.destroy();
    await stratus?.close();
  });

  it('shows a stage cache cluster AVAILABLE once enabled and NOT_AVAILABLE once not, in the sizes AWS offers', async () => {
    const prod = await apigateway.send(new GetStageCommand({ restApiId, stageName: 'prod' }));
    expect(prod).toMatchObject({
      cacheClusterEnabled: true,
      cacheClusterSize: '0.5',
      cacheClusterStatus: 'AVAILABLE',
      methodSettings: { '*/*': { cachingEnabled: true, cacheTtlInSeconds: 60 } },
    });
    const plain = await apigateway.send(
      new CreateStageCommand({ restApiId, stageName: 'plain', deploymentId: prod.deploymentId }),
    );
    expect(plain).toMatchObject({ cacheClusterEnabled: false, cacheClusterStatus: 'NOT_AVAILABLE' });
    expect(await patch('plain', ['/cacheClusterEnabled', 'true'])).toMatchObject({
      cacheClusterEnabled: true,
      cacheClusterSize: '0.5',
      cacheClusterStatus: 'AVAILABLE',
    });
    expect(await patch('plain', ['/cacheClusterSize', '6.1'])).toMatchObject({ cacheClusterSize: '6.1' });
    for (const [path, value] of [
      ['/cacheClusterSize', '7'],
      ['/*/*/caching/ttlInSeconds', '3601'],
      ['/*/*/caching/unauthorizedCacheControlHeaderStrategy', 'IGNORE'],
      ['/*/*/caching/enabled', 'yes'],
    ] as const) {
      await expect(patch('plain', [path, value])).rejects.toBeInstanceOf(BadRequestException);
    }
    expect(await patch('plain', ['/cacheClusterEnabled', 'false'])).toMatchObject({
      cacheClusterEnabled: false,
      cacheClusterStatus: 'NOT_AVAILABLE',
    });
    await apigateway.send(
      new CreateDeploymentCommand({
        restApiId,
        stageName: 'plain',
        cacheClusterEnabled: true,
        cacheClusterSize: '1.6',
      }),
    );
    expect(await apigateway.send(new GetStageCommand({ restApiId, stageName: 'plain' }))).toMatchObject({
      cacheClusterEnabled: true,
      cacheClusterSize: '1.6',
      cacheClusterStatus: 'AVAILABLE',
    });
  });

  it('answers from the cache within the TTL, and from the integration once it has passed', async () => {
    const first = await get('/items?type=ttl');
    expect((await get('/items?type=ttl')).id).toBe(first.id);
    clock.advance(59_000);
    expect((await get('/items?type=ttl')).id).toBe(first.id);
    clock.advance(2_000);
    const after = await get('/items?type=ttl');
    expect(after.id).not.toBe(first.id);
    expect((await get('/items?type=ttl')).id).toBe(after.id);
  });

  it('tells calls apart by the cache key parameters, and only by them', async () => {
    const b = await get('/items?type=b');
    const c = await get('/items?type=c');
    expect(c.id).not.toBe(b.id);
    expect((await get('/items?type=b&other=1')).id).toBe(b.id);
    expect((await get('/items?type=c', { 'x-anything': 'else' })).id).toBe(c.id);
  });

  it('caches GET methods only, unless a method of its own turns caching on', async () => {
    const post = (await get('/items?type=p', {}, 'POST')).id;
    expect((await get('/items?type=p', {}, 'POST')).id).not.toBe(post);
    await patch('prod', ['/~1items/POST/caching/enabled', 'true']);
    try {
      const cached = (await get('/items?type=p', {}, 'POST')).id;
      expect((await get('/items?type=p', {}, 'POST')).id).toBe(cached);
    } finally {
      await patch('prod', ['/~1items/POST/caching/enabled', 'false']);
    }
  });

  it('does not cache error answers', async () => {
    const first = await httpCall(`${base}/items?type=failing&status=503`);
    expect(first.status).toBe(503);
    const second = await httpCall(`${base}/items?type=failing&status=503`);
    expect(second.json<{ answer: string }>().answer).not.toBe(first.json<{ answer: string }>().answer);
  });

  it('FlushStageCache empties the stage cache', async () => {
    const first = await get('/items?type=flushed');
    expect((await get('/items?type=flushed')).id).toBe(first.id);
    await apigateway.send(new FlushStageCacheCommand({ restApiId, stageName: 'prod' }));
    expect((await get('/items?type=flushed')).id).not.toBe(first.id);
  });

  it('Cache-Control: max-age=0 refreshes the entry for callers that may invalidate, as the method settings say', async () => {
    const refresh = { 'cache-control': 'max-age=0' };
    const cached = await get('/items?type=cc');
    const ignored = await get('/items?type=cc', refresh);
    expect(ignored.id).toBe(cached.id);
    expect(ignored.answer.headers['warning']).toMatch(/^199 /);

    // A caller Stratus authenticates (SigV4 for execute-api, a configured key, this account) may.
    const signed = await get('/items?type=cc', await signedHeaders(`${base}/items?type=cc`, 'test'));
    expect(signed.id).not.toBe(cached.id);
    expect(signed.answer.headers['warning']).toBeUndefined();
    expect((await get('/items?type=cc')).id).toBe(signed.id);
    const forged = await get('/items?type=cc', await signedHeaders(`${base}/items?type=cc`, 'wrong'));
    expect(forged.id).toBe(signed.id);

    await patch('prod', ['/*/*/caching/unauthorizedCacheControlHeaderStrategy', 'FAIL_WITH_403']);
    const refused = await httpCall(`${base}/items?type=cc`, { headers: refresh });
    expect(refused.status).toBe(403);
    await patch('prod', [
      '/*/*/caching/unauthorizedCacheControlHeaderStrategy',
      'SUCCEED_WITHOUT_RESPONSE_HEADER',
    ]);
    const quiet = await get('/items?type=cc', refresh);
    expect(quiet.id).toBe(signed.id);
    expect(quiet.answer.headers['warning']).toBeUndefined();

    await patch('prod', ['/*/*/caching/requireAuthorizationForCacheControl', 'false']);
    try {
      expect((await get('/items?type=cc', refresh)).id).not.toBe(signed.id);
    } finally {
      await patch(
        'prod',
        ['/*/*/caching/requireAuthorizationForCacheControl', 'true'],
        ['/*/*/caching/unauthorizedCacheControlHeaderStrategy', 'SUCCEED_WITH_RESPONSE_HEADER'],
      );
    }
  });

  it('publishes CacheHitCount, CacheMissCount and IntegrationLatency for REST APIs, IntegrationLatency and Latency for HTTP APIs', async () => {
    const first = await get('/items?type=measured');
    expect((await get('/items?type=measured')).id).toBe(first.id);
    const { ApiId } = await v2.send(
      new CreateApiCommand({ Name: 'measured-http', ProtocolType: 'HTTP', Target: counterArn }),
    );
    expect((await httpCall(`${stratus.url}/_aws/execute-api/${ApiId}/`)).status).toBe(200);

    const cloudwatch = new CloudWatchClient(stratus.clientConfig);
    try {
      const window = {
        StartTime: new Date(clock.now() - 3_600_000),
        EndTime: new Date(clock.now() + 3_600_000),
      };
      const rest = [
        { Name: 'ApiName', Value: 'cached' },
        { Name: 'Stage', Value: 'prod' },
      ];
      const statistics = (MetricName: string) =>
        cloudwatch
          .send(
            new GetMetricStatisticsCommand({
              Namespace: 'AWS/ApiGateway',
              MetricName,
              Dimensions: rest,
              ...window,
              Period: 7200,
              Statistics: ['Sum', 'SampleCount'],
            }),
          )
          .then((out) => out.Datapoints?.[0]);
      const hits = await eventually(
        () => statistics('CacheHitCount'),
        (point) => (point?.Sum ?? 0) >= 1,
      );
      expect(hits?.Sum).toBeGreaterThanOrEqual(1);
      expect((await statistics('CacheMissCount'))?.Sum).toBeGreaterThanOrEqual(1);
      expect((await statistics('IntegrationLatency'))?.SampleCount).toBeGreaterThanOrEqual(1);

      const http = [
        { Name: 'ApiId', Value: ApiId! },
        { Name: 'Stage', Value: '$default' },
      ];
      const series = await eventually(
        () =>
          cloudwatch.send(
            new GetMetricDataCommand({
              ...window,
              MetricDataQueries: ['IntegrationLatency', 'Latency'].map((MetricName, i) => ({
                Id: `m${i}`,
                MetricStat: {
                  Metric: { Namespace: 'AWS/ApiGateway', MetricName, Dimensions: http },
                  Period: 7200,
                  Stat: 'SampleCount',
                },
              })),
            }),
          ),
        (out) => (out.MetricDataResults ?? []).every((result) => (result.Values?.[0] ?? 0) >= 1),
      );
      const [integration, latency] = series.MetricDataResults!;
      expect(integration?.Values?.[0]).toBe(1);
      expect(latency?.Values?.[0]).toBe(1);
    } finally {
      cloudwatch.destroy();
    }
  });

  describe('authorizer caches', () => {
    let guardedId: string;
    let httpApiId: string;

    beforeAll(async () => {
      const api = await apigateway.send(new CreateRestApiCommand({ name: 'guarded-cache' }));
      guardedId = api.id!;
      const { id: authorizerId } = await apigateway.send(
        new CreateAuthorizerCommand({
          restApiId: guardedId,
          name: 'tokens',
          type: 'TOKEN',
          authorizerUri: lambdaUri(authorizerArn),
          identitySource: 'method.request.header.Authorization',
        }),
      );
      const target = { restApiId: guardedId, resourceId: api.rootResourceId!, httpMethod: 'GET' };
      await apigateway.send(new PutMethodCommand({ ...target, authorizationType: 'CUSTOM', authorizerId }));
      await apigateway.send(
        new PutIntegrationCommand({
          ...target,
          type: 'AWS_PROXY',
          integrationHttpMethod: 'POST',
          uri: lambdaUri(counterArn),
        }),
      );
      await apigateway.send(new CreateDeploymentCommand({ restApiId: guardedId, stageName: 'live' }));

      const http = await v2.send(new CreateApiCommand({ Name: 'guarded-http', ProtocolType: 'HTTP' }));
      httpApiId = http.ApiId!;
      const { AuthorizerId } = await v2.send(
        new CreateHttpAuthorizerCommand({
          ApiId: httpApiId,
          Name: 'simple',
          AuthorizerType: 'REQUEST',
          AuthorizerUri: lambdaUri(authorizerArn),
          AuthorizerPayloadFormatVersion: '2.0',
          EnableSimpleResponses: true,
          IdentitySource: ['$request.header.x-key'],
          AuthorizerResultTtlInSeconds: 300,
        }),
      );
      const { IntegrationId } = await v2.send(
        new CreateIntegrationCommand({
          ApiId: httpApiId,
          IntegrationType: 'AWS_PROXY',
          IntegrationUri: counterArn,
          PayloadFormatVersion: '2.0',
        }),
      );
      await v2.send(
        new CreateRouteCommand({
          ApiId: httpApiId,
          RouteKey: 'GET /who',
          AuthorizationType: 'CUSTOM',
          AuthorizerId,
          Target: `integrations/${IntegrationId}`,
        }),
      );
      await v2.send(new CreateHttpStageCommand({ ApiId: httpApiId, StageName: 'live', AutoDeploy: true }));
    });

    /** Which run of the authorizer let the call in. */
    async function authorizedBy(url: string, headers: Record<string, string>): Promise<string> {
      const answer = await httpCall(url, { headers });
      expect(answer.status, answer.text).toBe(200);
      const { authorizer: context } = answer.json<{
        authorizer: { run?: string; lambda?: { run: string } };
      }>();
      return context.run ?? context.lambda!.run;
    }

    it('FlushStageAuthorizersCache makes a REST API stage call its authorizer again', async () => {
      const url = `${stratus.url}/_aws/execute-api/${guardedId}/live/`;
      const first = await authorizedBy(url, { authorization: 'ann' });
      expect(await authorizedBy(url, { authorization: 'ann' })).toBe(first);
      await apigateway.send(
        new FlushStageAuthorizersCacheCommand({ restApiId: guardedId, stageName: 'live' }),
      );
      const again = await authorizedBy(url, { authorization: 'ann' });
      expect(again).not.toBe(first);
      expect(await authorizedBy(url, { authorization: 'ann' })).toBe(again);
    });

    it('ResetAuthorizersCache makes an HTTP API stage call its authorizer again', async () => {
      const url = `${stratus.url}/_aws/execute-api/${httpApiId}/live/who`;
      const first = await authorizedBy(url, { 'x-key': 'k1' });
      expect(await authorizedBy(url, { 'x-key': 'k1' })).toBe(first);
      await v2.send(new ResetAuthorizersCacheCommand({ ApiId: httpApiId, StageName: 'live' }));
      expect(await authorizedBy(url, { 'x-key': 'k1' })).not.toBe(first);
    });

    it('a second node serves the same response cache and follows both flushes', async () => {
      const second = await startNode(stratus);
      try {
        const there = `${second.url}/_aws/execute-api/${restApiId}/prod/items?type=shared`;
        const cached = await get('/items?type=shared');
        const seen = await httpCall(there);
        expect(seen.json<{ answer: string }>().answer).toBe(cached.id);
        await apigateway.send(new FlushStageCacheCommand({ restApiId, stageName: 'prod' }));
        expect((await httpCall(there)).json<{ answer: string }>().answer).not.toBe(cached.id);

        const guarded = `${second.url}/_aws/execute-api/${guardedId}/live/`;
        const first = await authorizedBy(guarded, { authorization: 'bob' });
        expect(await authorizedBy(guarded, { authorization: 'bob' })).toBe(first);
        await apigateway.send(
          new FlushStageAuthorizersCacheCommand({ restApiId: guardedId, stageName: 'live' }),
        );
        expect(await authorizedBy(guarded, { authorization: 'bob' })).not.toBe(first);
      } catch (err) {
        throw new Error(`${String(err)}\nthe other node logged:\n${second.output()}`, { cause: err });
      } finally {
        await second.stop();
      }
    }, 90_000);
  });

  it('refuses flushes of stages and APIs that do not exist', async () => {
    const unknownStage = apigateway.send(new FlushStageCacheCommand({ restApiId, stageName: 'nope' }));
    await expect(unknownStage).rejects.toBeInstanceOf(NotFoundException);
    await expect(unknownStage).rejects.toThrow('Invalid Stage identifier specified');
    await expect(
      apigateway.send(new FlushStageCacheCommand({ restApiId: 'abcdefghij', stageName: 'prod' })),
    ).rejects.toThrow('Invalid API identifier specified 000000000000:abcdefghij');
    await expect(
      apigateway.send(new FlushStageAuthorizersCacheCommand({ restApiId, stageName: 'nope' })),
    ).rejects.toBeInstanceOf(NotFoundException);
    await expect(
      apigateway.send(new FlushStageAuthorizersCacheCommand({ restApiId: 'abcdefghij', stageName: 'prod' })),
    ).rejects.toBeInstanceOf(NotFoundException);
    const { ApiId } = await v2.send(new CreateApiCommand({ Name: 'no-stages', ProtocolType: 'HTTP' }));
    await expect(
      v2.send(new ResetAuthorizersCacheCommand({ ApiId, StageName: 'nope' })),
    ).rejects.toBeInstanceOf(V2NotFoundException);
    await expect(
      v2.send(new ResetAuthorizersCacheCommand({ ApiId: 'abcdefghij', StageName: 'live' })),
    ).rejects.toBeInstanceOf(V2NotFoundException);
  });
});

/** Headers of a GET signed for `execute-api` with the key `test` and `secret`, asking for a fresh answer. */
async function signedHeaders(url: string, secret: string): Promise<Record<string, string>> {
  const target = new URL(url);
  const signer = sigV4Signer({
    credentials: { accessKeyId: 'test', secretAccessKey: secret },
    region: 'us-east-1',
    service: 'execute-api',
  });
  const signed = await signer.sign({
    method: 'GET',
    protocol: 'http:',
    hostname: target.host,
    path: target.pathname,
    query: Object.fromEntries(target.searchParams),
    headers: { host: target.host, 'cache-control': 'max-age=0' },
  });
  return signed.headers;
}
