/**
 * API Gateway management operations beyond the API's own parts, through the AWS SDK against a
 * started Stratus: TestInvokeMethod on an undeployed API, API key import and usage updates, VPC
 * links (v1 and v2), documentation parts and versions — with their error paths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APIGatewayClient,
  CreateRequestValidatorCommand,
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
});
