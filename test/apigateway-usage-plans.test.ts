/**
 * API keys, usage plans, quotas and throttling through the AWS SDK, and their enforcement on
 * deployed REST and HTTP APIs called over plain HTTP, with Stratus's clock advanced by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APIGatewayClient,
  BadRequestException,
  ConflictException,
  CreateApiKeyCommand,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanCommand,
  DeleteUsagePlanKeyCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetUsageCommand,
  GetUsagePlanCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  NotFoundException,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateApiKeyCommand,
  UpdateStageCommand,
  UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand as CreateHttpStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ManualClock } from '../src/engine/clock.js';
import { createFunction } from './support/lambda.js';
import { httpCall } from './support/http.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const day = 86_400_000;
const t0 = Date.UTC(2026, 10, 4, 12, 0, 0);

describe('API Gateway API keys, usage plans and throttling', () => {
  const clock = new ManualClock(t0);
  let stratus: TestStratus;
  let apigateway: APIGatewayClient;
  let restApiId: string;
  let base: string;

  /** A GET method answered by a mock integration, on a new resource of the API. */
  async function mockGet(rootId: string, part: string, apiKeyRequired: boolean): Promise<void> {
    const { id: resourceId } = await apigateway.send(
      new CreateResourceCommand({ restApiId, parentId: rootId, pathPart: part }),
    );
    const target = { restApiId, resourceId: resourceId!, httpMethod: 'GET' };
    await apigateway.send(new PutMethodCommand({ ...target, authorizationType: 'NONE', apiKeyRequired }));
    await apigateway.send(
      new PutIntegrationCommand({
        ...target,
        type: 'MOCK',
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
      }),
    );
    await apigateway.send(new PutMethodResponseCommand({ ...target, statusCode: '200' }));
    await apigateway.send(
      new PutIntegrationResponseCommand({
        ...target,
        statusCode: '200',
        responseTemplates: { 'application/json': '{"ok": true}' },
      }),
    );
  }

  const get = (path: string, key?: string) =>
    httpCall(`${base}${path}`, key ? { headers: { 'x-api-key': key } } : {});

  async function statuses(path: string, times: number, key?: string): Promise<number[]> {
    const seen: number[] = [];
    for (let i = 0; i < times; i++) seen.push((await get(path, key)).status);
    return seen;
  }

  async function keyInPlan(plan: { throttle?: object; quota?: object; apiStages?: object[] }) {
    const key = await apigateway.send(new CreateApiKeyCommand({ name: 'k', enabled: true }));
    const created = await apigateway.send(
      new CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId: restApiId, stage: 'prod' }], ...plan }),
    );
    await apigateway.send(
      new CreateUsagePlanKeyCommand({ usagePlanId: created.id, keyId: key.id, keyType: 'API_KEY' }),
    );
    return { key, plan: created };
  }

  beforeAll(async () => {
    stratus = await startTestStratus({ clock });
    apigateway = new APIGatewayClient(stratus.clientConfig);
    const api = await apigateway.send(new CreateRestApiCommand({ name: 'metered' }));
    restApiId = api.id!;
    await mockGet(api.rootResourceId!, 'paid', true);
    await mockGet(api.rootResourceId!, 'open', false);
    await mockGet(api.rootResourceId!, 'limited', false);
    await apigateway.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
    base = `${stratus.url}/_aws/execute-api/${restApiId}/prod`;
  });
  afterAll(async () => {
    apigateway?.destroy();
    await stratus?.close();
  });

  it('creates, reads, lists, updates and deletes API keys, their value shown only when asked for', async () => {
    const generated = await apigateway.send(
      new CreateApiKeyCommand({ name: 'alpha-1', tags: { team: 'a' } }),
    );
    expect(generated.value).toHaveLength(40);
    expect(generated).toMatchObject({ name: 'alpha-1', enabled: false, tags: { team: 'a' }, stageKeys: [] });
    const given = await apigateway.send(
      new CreateApiKeyCommand({ name: 'beta', value: 'b'.repeat(24), enabled: true }),
    );
    expect(given.value).toBe('b'.repeat(24));
    await expect(
      apigateway.send(new CreateApiKeyCommand({ name: 'dup', value: 'b'.repeat(24) })),
    ).rejects.toBeInstanceOf(ConflictException);
    await expect(apigateway.send(new CreateApiKeyCommand({ value: 'short' }))).rejects.toBeInstanceOf(
      BadRequestException,
    );

    expect((await apigateway.send(new GetApiKeyCommand({ apiKey: generated.id }))).value).toBeUndefined();
    expect(
      (await apigateway.send(new GetApiKeyCommand({ apiKey: generated.id, includeValue: true }))).value,
    ).toBe(generated.value);
    const listed = await apigateway.send(new GetApiKeysCommand({ nameQuery: 'alpha', includeValues: true }));
    expect(listed.items?.map((k) => [k.id, k.value])).toEqual([[generated.id, generated.value]]);

    const updated = await apigateway.send(
      new UpdateApiKeyCommand({
        apiKey: generated.id,
        patchOperations: [
          { op: 'replace', path: '/name', value: 'alpha-2' },
          { op: 'replace', path: '/enabled', value: 'true' },
          { op: 'replace', path: '/description', value: 'renamed' },
        ],
      }),
    );
    expect(updated).toMatchObject({ name: 'alpha-2', enabled: true, description: 'renamed' });

    await apigateway.send(new DeleteApiKeyCommand({ apiKey: generated.id }));
    const missing = apigateway.send(new GetApiKeyCommand({ apiKey: generated.id }));
    await expect(missing).rejects.toBeInstanceOf(NotFoundException);
    await expect(missing).rejects.toThrow('Invalid API Key identifier specified');
  });

  it('manages usage plans, their API stages and keys', async () => {
    await expect(
      apigateway.send(
        new CreateUsagePlanCommand({ name: 'bad', apiStages: [{ apiId: restApiId, stage: 'nope' }] }),
      ),
    ).rejects.toBeInstanceOf(BadRequestException);
    const plan = await apigateway.send(
      new CreateUsagePlanCommand({
        name: 'gold',
        throttle: { rateLimit: 10, burstLimit: 20 },
        quota: { limit: 1000, period: 'MONTH' },
      }),
    );
    expect(plan).toMatchObject({
      name: 'gold',
      apiStages: [],
      quota: { limit: 1000, offset: 0, period: 'MONTH' },
    });
    const updated = await apigateway.send(
      new UpdateUsagePlanCommand({
        usagePlanId: plan.id,
        patchOperations: [
          { op: 'replace', path: '/throttle/rateLimit', value: '5' },
          { op: 'replace', path: '/quota/limit', value: '500' },
          { op: 'replace', path: '/quota/period', value: 'WEEK' },
          { op: 'add', path: '/apiStages', value: `${restApiId}:prod` },
        ],
      }),
    );
    expect(updated).toMatchObject({
      throttle: { rateLimit: 5, burstLimit: 20 },
      quota: { limit: 500, period: 'WEEK' },
      apiStages: [{ apiId: restApiId, stage: 'prod' }],
    });

    const key = await apigateway.send(new CreateApiKeyCommand({ name: 'member', enabled: true }));
    await apigateway.send(
      new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }),
    );
    await expect(
      apigateway.send(
        new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }),
      ),
    ).rejects.toBeInstanceOf(ConflictException);
    const keys = await apigateway.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id }));
    expect(keys.items).toEqual([{ id: key.id, type: 'API_KEY', value: key.value, name: 'member' }]);
    const byKey = await apigateway.send(new GetUsagePlansCommand({ keyId: key.id }));
    expect(byKey.items?.map((p) => p.id)).toEqual([plan.id]);

    await apigateway.send(new DeleteUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id }));
    expect((await apigateway.send(new GetUsagePlansCommand({ keyId: key.id }))).items).toEqual([]);
    await apigateway.send(new DeleteUsagePlanCommand({ usagePlanId: plan.id }));
    await expect(apigateway.send(new GetUsagePlanCommand({ usagePlanId: plan.id }))).rejects.toThrow(
      'Invalid Usage Plan ID specified',
    );
  });

  it('a method that requires an API key refuses a missing, unknown, disabled or unplanned key with 403', async () => {
    const { key } = await keyInPlan({});
    const outside = await apigateway.send(new CreateApiKeyCommand({ name: 'outside', enabled: true }));
    const disabled = await keyInPlan({});
    await apigateway.send(
      new UpdateApiKeyCommand({
        apiKey: disabled.key.id,
        patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }],
      }),
    );
    for (const sent of [undefined, 'x'.repeat(30), outside.value, disabled.key.value]) {
      const refused = await get('/paid', sent);
      expect(refused.status).toBe(403);
      expect(refused.json()).toEqual({ message: 'Forbidden' });
    }
    const served = await get('/paid', key.value);
    expect(served.status).toBe(200);
    expect(served.json()).toEqual({ ok: true });
    expect((await get('/open')).status).toBe(200);
  });

  it("throttles a key to its plan's burst, and lets it through again once the bucket refills", async () => {
    const { key } = await keyInPlan({ throttle: { rateLimit: 1, burstLimit: 2 } });
    expect(await statuses('/paid', 3, key.value)).toEqual([200, 200, 429]);
    expect((await get('/paid', key.value)).json()).toEqual({ message: 'Too Many Requests' });
    clock.advance(1000);
    expect(await statuses('/paid', 2, key.value)).toEqual([200, 429]);
  });

  it("a method's own throttle in the plan's API stage overrides the plan's", async () => {
    const { key } = await keyInPlan({
      throttle: { rateLimit: 100, burstLimit: 100 },
      apiStages: [
        { apiId: restApiId, stage: 'prod', throttle: { '/paid/GET': { rateLimit: 1, burstLimit: 1 } } },
      ],
    });
    expect(await statuses('/paid', 2, key.value)).toEqual([200, 429]);
  });

  it('counts a daily quota, refuses past it with "Limit Exceeded", starts again the next day, and reports usage', async () => {
    const { key, plan } = await keyInPlan({ quota: { limit: 3, period: 'DAY' } });
    expect(await statuses('/paid', 4, key.value)).toEqual([200, 200, 200, 429]);
    expect((await get('/paid', key.value)).json()).toEqual({ message: 'Limit Exceeded' });
    const today = new Date(clock.now()).toISOString().slice(0, 10);
    clock.advance(day);
    const tomorrow = new Date(clock.now()).toISOString().slice(0, 10);
    expect(await statuses('/paid', 1, key.value)).toEqual([200]);

    const usage = await apigateway.send(
      new GetUsageCommand({ usagePlanId: plan.id, startDate: today, endDate: tomorrow }),
    );
    expect(usage).toMatchObject({ usagePlanId: plan.id, startDate: today, endDate: tomorrow });
    expect(usage.items).toEqual({
      [key.id!]: [
        [3, 0],
        [1, 2],
      ],
    });
  });

  it('stage throttling applies to every caller, per method', async () => {
    await apigateway
      .send(
        new UpdateStageCommand({
          restApiId,
          stageName: 'prod',
          patchOperations: [
            { op: 'replace', path: '/*/*/throttling/rateLimit', value: '1' },
            { op: 'replace', path: '/*/*/throttling/burstLimit', value: '2' },
            { op: 'replace', path: '/~1limited/GET/throttling/burstLimit', value: '1' },
            { op: 'replace', path: '/~1limited/GET/throttling/rateLimit', value: '1' },
          ],
        }),
      )
      .then((stage) =>
        expect(stage.methodSettings).toMatchObject({
          '*/*': { throttlingRateLimit: 1, throttlingBurstLimit: 2 },
          '~1limited/GET': { throttlingRateLimit: 1, throttlingBurstLimit: 1 },
        }),
      );
    expect(await statuses('/open', 3)).toEqual([200, 200, 429]);
    expect(await statuses('/limited', 2)).toEqual([200, 429]);
    clock.advance(10_000);
    expect(await statuses('/open', 1)).toEqual([200]);
    await apigateway.send(
      new UpdateStageCommand({
        restApiId,
        stageName: 'prod',
        patchOperations: [
          { op: 'remove', path: '/*/*/throttling/rateLimit' },
          { op: 'remove', path: '/*/*/throttling/burstLimit' },
        ],
      }),
    );
  });

  it("throttles an HTTP API route by its stage's route settings", async () => {
    const v2 = new ApiGatewayV2Client(stratus.clientConfig);
    try {
      const { ApiId } = await v2.send(new CreateApiCommand({ Name: 'throttled', ProtocolType: 'HTTP' }));
      const { IntegrationId } = await v2.send(
        new CreateIntegrationCommand({
          ApiId,
          IntegrationType: 'HTTP_PROXY',
          IntegrationMethod: 'GET',
          IntegrationUri: `${base}/open`,
          PayloadFormatVersion: '1.0',
        }),
      );
      for (const RouteKey of ['GET /slow', 'GET /fast']) {
        await v2.send(new CreateRouteCommand({ ApiId, RouteKey, Target: `integrations/${IntegrationId}` }));
      }
      await v2.send(
        new CreateHttpStageCommand({
          ApiId,
          StageName: '$default',
          AutoDeploy: true,
          DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 100 },
          RouteSettings: { 'GET /slow': { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 1 } },
        }),
      );
      const call = (path: string) => httpCall(`${stratus.url}/_aws/execute-api/${ApiId}${path}`);
      expect((await call('/slow')).status).toBe(200);
      const throttled = await call('/slow');
      expect(throttled.status).toBe(429);
      expect(throttled.json()).toEqual({ message: 'Too Many Requests' });
      expect((await call('/fast')).status).toBe(200);
      clock.advance(1000);
      expect((await call('/slow')).status).toBe(200);
    } finally {
      v2.destroy();
    }
  });
});

/** Names the API key to count the call against: the token itself. */
const keyAuthorizer = `export const handler = async (event) => ({
  principalId: 'caller',
  usageIdentifierKey: event.authorizationToken,
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] },
});`;

describe('API Gateway API keys from a Lambda authorizer (apiKeySource AUTHORIZER)', () => {
  let stratus: TestStratus;
  let apigateway: APIGatewayClient;
  let lambda: LambdaClient;

  beforeAll(async () => {
    stratus = await startTestStratus();
    apigateway = new APIGatewayClient(stratus.clientConfig);
    lambda = new LambdaClient(stratus.clientConfig);
  });
  afterAll(async () => {
    apigateway?.destroy();
    lambda?.destroy();
    await stratus?.close();
  });

  it("counts the call against the authorizer's usageIdentifierKey, not x-api-key", async () => {
    const authorizerArn = (await createFunction(lambda, 'key-authorizer', { 'index.mjs': keyAuthorizer }))
      .FunctionArn!;
    const api = await apigateway.send(
      new CreateRestApiCommand({ name: 'by-authorizer', apiKeySource: 'AUTHORIZER' }),
    );
    const restApiId = api.id!;
    const authorizer = await apigateway.send(
      new CreateAuthorizerCommand({
        restApiId,
        name: 'keys',
        type: 'TOKEN',
        authorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${authorizerArn}/invocations`,
        identitySource: 'method.request.header.Authorization',
        authorizerResultTtlInSeconds: 0,
      }),
    );
    const target = { restApiId, resourceId: api.rootResourceId!, httpMethod: 'GET' };
    await apigateway.send(
      new PutMethodCommand({
        ...target,
        authorizationType: 'CUSTOM',
        authorizerId: authorizer.id,
        apiKeyRequired: true,
      }),
    );
    await apigateway.send(
      new PutIntegrationCommand({
        ...target,
        type: 'MOCK',
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
      }),
    );
    await apigateway.send(new PutMethodResponseCommand({ ...target, statusCode: '200' }));
    await apigateway.send(new PutIntegrationResponseCommand({ ...target, statusCode: '200' }));
    await apigateway.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
    const key = await apigateway.send(new CreateApiKeyCommand({ name: 'tenant', enabled: true }));
    const plan = await apigateway.send(
      new CreateUsagePlanCommand({ name: 'tenants', apiStages: [{ apiId: restApiId, stage: 'prod' }] }),
    );
    await apigateway.send(
      new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }),
    );

    const call = (authorization: string) =>
      httpCall(`${stratus.url}/_aws/execute-api/${restApiId}/prod/`, {
        headers: { authorization, 'x-api-key': key.value! },
      });
    expect((await call(key.value!)).status).toBe(200);
    expect((await call('notakeyofanyplan')).status).toBe(403);
  });
});
