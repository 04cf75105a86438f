/**
 * API Gateway management operations beyond the API's own parts, through the AWS SDK against a
 * started Stratus: TestInvokeMethod on an undeployed API, API key import and usage updates, VPC
 * links (v1 and v2), documentation parts and versions — with their error paths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APIGatewayClient,
  BadRequestException,
  CreateDeploymentCommand,
  CreateRequestValidatorCommand,
  CreateUsagePlanCommand,
  GetApiKeyCommand,
  GetUsagePlanKeysCommand,
  ImportApiKeysCommand,
  UpdateUsageCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetDeploymentsCommand,
  NotFoundException,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  TestInvokeMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { httpCall } from './support/http.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

describe('API Gateway management extras', () => {
  let stratus: TestStratus;
  let apigateway: APIGatewayClient;

  beforeAll(async () => {
    stratus = await startTestStratus();
    apigateway = new APIGatewayClient(stratus.clientConfig);
  });
  afterAll(async () => {
    apigateway?.destroy();
    await stratus?.close();
  });

  describe('TestInvokeMethod', () => {
    let restApiId: string;
    let petId: string;

    beforeAll(async () => {
      const api = await apigateway.send(new CreateRestApiCommand({ name: 'test-invoke' }));
      restApiId = api.id!;
      const pets = await apigateway.send(
        new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: 'pets' }),
      );
      const pet = await apigateway.send(
        new CreateResourceCommand({ restApiId, parentId: pets.id!, pathPart: '{id}' }),
      );
      petId = pet.id!;
      const validator = await apigateway.send(
        new CreateRequestValidatorCommand({ restApiId, name: 'params', validateRequestParameters: true }),
      );
      const target = { restApiId, resourceId: petId, httpMethod: 'GET' };
      await apigateway.send(
        new PutMethodCommand({
          ...target,
          authorizationType: 'NONE',
          apiKeyRequired: true,
          requestValidatorId: validator.id,
          requestParameters: { 'method.request.querystring.q': true },
        }),
      );
      await apigateway.send(
        new PutIntegrationCommand({
          ...target,
          type: 'MOCK',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
        }),
      );
      await apigateway.send(
        new PutMethodResponseCommand({
          ...target,
          statusCode: '200',
          responseParameters: { 'method.response.header.X-Kind': true },
        }),
      );
      await apigateway.send(
        new PutIntegrationResponseCommand({
          ...target,
          statusCode: '200',
          responseParameters: { 'method.response.header.X-Kind': "'mock'" },
          responseTemplates: {
            'application/json':
              '{"id": "$input.params(\'id\')", "q": "$input.params(\'q\')", "env": "$stageVariables.env"}',
          },
        }),
      );
    });

    it('runs the undeployed method with path, query and stage variables, past its API key', async () => {
      const answer = await apigateway.send(
        new TestInvokeMethodCommand({
          restApiId,
          resourceId: petId,
          httpMethod: 'GET',
          pathWithQueryString: '/pets/7?q=dogs',
          stageVariables: { env: 'test' },
        }),
      );
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body!)).toEqual({ id: '7', q: 'dogs', env: 'test' });
      expect(answer.headers).toMatchObject({ 'x-kind': 'mock' });
      expect(answer.multiValueHeaders).toMatchObject({ 'x-kind': ['mock'] });
      expect(answer.log).toContain('Method completed with status: 200');
      expect(answer.latency).toBeGreaterThanOrEqual(0);
      const { items } = await apigateway.send(new GetDeploymentsCommand({ restApiId }));
      expect(items ?? []).toEqual([]);
    });

    it('checks the request as the method request validator does', async () => {
      const answer = await apigateway.send(
        new TestInvokeMethodCommand({
          restApiId,
          resourceId: petId,
          httpMethod: 'GET',
          pathWithQueryString: '/pets/7',
        }),
      );
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body!)).toEqual({
        message: 'Missing required request parameters: [q]',
      });
    });

    it('refuses an unknown API, resource or method with NotFoundException', async () => {
      const call = { restApiId, resourceId: petId, httpMethod: 'GET' };
      await expect(
        apigateway.send(new TestInvokeMethodCommand({ ...call, restApiId: 'nope123456' })),
      ).rejects.toThrow(NotFoundException);
      await expect(
        apigateway.send(new TestInvokeMethodCommand({ ...call, resourceId: 'nope12' })),
      ).rejects.toThrow('Invalid Resource identifier specified');
      await expect(
        apigateway.send(new TestInvokeMethodCommand({ ...call, httpMethod: 'POST' })),
      ).rejects.toThrow('Invalid Method identifier specified');
    });
  });

  describe('API key import and usage', () => {
    let restApiId: string;
    let planId: string;
    const csv = (text: string) => new TextEncoder().encode(text);
    const keyValue = 'apikey1234abcdefghij0123456789';

    beforeAll(async () => {
      const api = await apigateway.send(new CreateRestApiCommand({ name: 'metered' }));
      restApiId = api.id!;
      const target = { restApiId, resourceId: api.rootResourceId!, httpMethod: 'GET' };
      await apigateway.send(
        new PutMethodCommand({ ...target, authorizationType: 'NONE', apiKeyRequired: true }),
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
      const plan = await apigateway.send(
        new CreateUsagePlanCommand({
          name: 'gold',
          apiStages: [{ apiId: restApiId, stage: 'prod' }],
          quota: { limit: 100, period: 'DAY' },
        }),
      );
      planId = plan.id!;
    });

    it('imports keys from AWS CSV, putting them in the usage plans named', async () => {
      const imported = await apigateway.send(
        new ImportApiKeysCommand({
          format: 'csv',
          body: csv(
            `Name,key,description,Enabled,usageplanIds\nFirst,${keyValue},An imported key,TRUE,${planId}\n`,
          ),
        }),
      );
      expect(imported.ids).toHaveLength(1);
      expect(imported.warnings ?? []).toEqual([]);
      const key = await apigateway.send(
        new GetApiKeyCommand({ apiKey: imported.ids![0], includeValue: true }),
      );
      expect(key).toMatchObject({
        name: 'First',
        value: keyValue,
        description: 'An imported key',
        enabled: true,
      });
      const inPlan = await apigateway.send(new GetUsagePlanKeysCommand({ usagePlanId: planId }));
      expect(inPlan.items?.map((k) => k.id)).toEqual(imported.ids);

      // The same value again overwrites the key; an invalid row is a warning and is skipped.
      const again = await apigateway.send(
        new ImportApiKeysCommand({
          format: 'csv',
          body: csv(`key,name,enabled\n${keyValue},Renamed,false\nshort,Bad,true\n`),
        }),
      );
      expect(again.ids).toEqual(imported.ids);
      expect(again.warnings).toEqual(['Line 3: API Key value should be between 20 and 128 characters']);
      const renamed = await apigateway.send(new GetApiKeyCommand({ apiKey: imported.ids![0] }));
      expect(renamed).toMatchObject({ name: 'Renamed', enabled: false });
      expect(renamed.description).toBeUndefined();
    });

    it('refuses a file with warnings under failOnWarnings, and one without Name and Key', async () => {
      await expect(
        apigateway.send(
          new ImportApiKeysCommand({
            format: 'csv',
            failOnWarnings: true,
            body: csv(`name,key,usageplanids\nX,${'x'.repeat(25)},nosuch\n`),
          }),
        ),
      ).rejects.toThrow('Line 2: Invalid Usage Plan ID specified: nosuch');
      await expect(
        apigateway.send(new ImportApiKeysCommand({ format: 'csv', body: csv('key\nabc\n') })),
      ).rejects.toThrow(BadRequestException);
    });

    it('sets a key’s remaining quota with UpdateUsage, which the invoke path then counts down', async () => {
      const [keyId] = (
        await apigateway.send(
          new ImportApiKeysCommand({
            format: 'csv',
            body: csv(`name,key,usageplanids\nGranted,${'g'.repeat(30)},${planId}\n`),
          }),
        )
      ).ids!;
      const usage = await apigateway.send(
        new UpdateUsageCommand({
          usagePlanId: planId,
          keyId: keyId!,
          patchOperations: [{ op: 'replace', path: '/remaining', value: '1' }],
        }),
      );
      expect(usage.usagePlanId).toBe(planId);
      expect(usage.items?.[keyId!]).toEqual([[0, 1]]);
      const url = `${stratus.url}/_aws/execute-api/${restApiId}/prod/`;
      const call = () => httpCall(url, { headers: { 'x-api-key': 'g'.repeat(30) } });
      expect((await call()).status).toBe(200);
      expect((await call()).status).toBe(429);
    });

    it('refuses UpdateUsage on an unknown plan or key, or with another patch', async () => {
      const replace = [{ op: 'replace' as const, path: '/remaining', value: '5' }];
      await expect(
        apigateway.send(
          new UpdateUsageCommand({ usagePlanId: 'nosuch', keyId: 'k', patchOperations: replace }),
        ),
      ).rejects.toThrow('Invalid Usage Plan ID specified');
      await expect(
        apigateway.send(
          new UpdateUsageCommand({ usagePlanId: planId, keyId: 'nosuch', patchOperations: replace }),
        ),
      ).rejects.toThrow('Invalid API Key identifier specified');
      await expect(
        apigateway.send(
          new UpdateUsageCommand({
            usagePlanId: planId,
            keyId: 'nosuch',
            patchOperations: [{ op: 'replace', path: '/used', value: '1' }],
          }),
        ),
      ).rejects.toThrow("Invalid patch path '/used' specified for op 'replace'");
    });
  });
});
