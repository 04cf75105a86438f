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
  ConflictException,
  CreateDocumentationPartCommand,
  CreateDocumentationVersionCommand,
  DeleteDocumentationPartCommand,
  DeleteDocumentationVersionCommand,
  GetDocumentationPartCommand,
  GetDocumentationPartsCommand,
  GetDocumentationVersionCommand,
  GetDocumentationVersionsCommand,
  GetStageCommand,
  ImportDocumentationPartsCommand,
  UpdateDocumentationPartCommand,
  UpdateDocumentationVersionCommand,
  CreateVpcLinkCommand,
  DeleteVpcLinkCommand,
  GetVpcLinkCommand,
  GetVpcLinksCommand,
  UpdateVpcLinkCommand,
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
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  CreateVpcLinkCommand as CreateV2VpcLinkCommand,
  DeleteVpcLinkCommand as DeleteV2VpcLinkCommand,
  GetVpcLinkCommand as GetV2VpcLinkCommand,
  GetVpcLinksCommand as GetV2VpcLinksCommand,
  NotFoundException as V2NotFoundException,
  UpdateVpcLinkCommand as UpdateV2VpcLinkCommand,
} from '@aws-sdk/client-apigatewayv2';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpCall } from './support/http.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

describe('API Gateway management extras', () => {
  let stratus: TestStratus;
  let apigateway: APIGatewayClient;
  let v2: ApiGatewayV2Client;
  /** The "private" service behind the VPC links: a local HTTP server answering its path. */
  let backend: Server;
  let backendUrl: string;

  beforeAll(async () => {
    stratus = await startTestStratus();
    apigateway = new APIGatewayClient(stratus.clientConfig);
    v2 = new ApiGatewayV2Client(stratus.clientConfig);
    backend = createServer((req, res) => res.end(`private ${req.method} ${req.url}`));
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    apigateway?.destroy();
    v2?.destroy();
    backend?.close();
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

  describe('VPC links', () => {
    const nlb =
      'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/private/50dc6c495c0c9188';

    it('creates, reads, lists, updates and deletes v1 VPC links, AVAILABLE at once', async () => {
      const link = await apigateway.send(
        new CreateVpcLinkCommand({
          name: 'to-nlb',
          description: 'd',
          targetArns: [nlb],
          tags: { team: 'a' },
        }),
      );
      expect(link).toMatchObject({
        name: 'to-nlb',
        description: 'd',
        targetArns: [nlb],
        status: 'AVAILABLE',
      });
      expect(await apigateway.send(new GetVpcLinkCommand({ vpcLinkId: link.id }))).toMatchObject({
        id: link.id,
        tags: { team: 'a' },
      });
      const updated = await apigateway.send(
        new UpdateVpcLinkCommand({
          vpcLinkId: link.id,
          patchOperations: [{ op: 'replace', path: '/name', value: 'renamed' }],
        }),
      );
      expect(updated.name).toBe('renamed');
      const { items } = await apigateway.send(new GetVpcLinksCommand({}));
      expect(items?.map((l) => l.id)).toContain(link.id);
      await apigateway.send(new DeleteVpcLinkCommand({ vpcLinkId: link.id }));
      await expect(apigateway.send(new GetVpcLinkCommand({ vpcLinkId: link.id }))).rejects.toThrow(
        'Invalid VPC Link identifier specified',
      );
    });

    it('refuses v1 links without a load balancer ARN, unknown links and other patches', async () => {
      await expect(apigateway.send(new CreateVpcLinkCommand({ name: 'x', targetArns: [] }))).rejects.toThrow(
        BadRequestException,
      );
      await expect(
        apigateway.send(new CreateVpcLinkCommand({ name: 'x', targetArns: ['arn:aws:s3:::bucket'] })),
      ).rejects.toThrow('Invalid network load balancer ARN: arn:aws:s3:::bucket');
      await expect(apigateway.send(new DeleteVpcLinkCommand({ vpcLinkId: 'nosuch' }))).rejects.toThrow(
        NotFoundException,
      );
      const link = await apigateway.send(new CreateVpcLinkCommand({ name: 'x', targetArns: [nlb] }));
      await expect(
        apigateway.send(
          new UpdateVpcLinkCommand({
            vpcLinkId: link.id,
            patchOperations: [{ op: 'replace', path: '/targetArns', value: nlb }],
          }),
        ),
      ).rejects.toThrow("Invalid patch path '/targetArns'");
    });

    it('serves a v1 VPC_LINK integration as plain HTTP to its URI', async () => {
      const link = await apigateway.send(new CreateVpcLinkCommand({ name: 'serve', targetArns: [nlb] }));
      const api = await apigateway.send(new CreateRestApiCommand({ name: 'private' }));
      const target = { restApiId: api.id!, resourceId: api.rootResourceId!, httpMethod: 'GET' };
      await apigateway.send(new PutMethodCommand({ ...target, authorizationType: 'NONE' }));
      await apigateway.send(
        new PutIntegrationCommand({
          ...target,
          type: 'HTTP_PROXY',
          integrationHttpMethod: 'GET',
          uri: `${backendUrl}/inside`,
          connectionType: 'VPC_LINK',
          connectionId: link.id,
        }),
      );
      await apigateway.send(new CreateDeploymentCommand({ restApiId: api.id!, stageName: 'prod' }));
      const answer = await httpCall(`${stratus.url}/_aws/execute-api/${api.id}/prod/`);
      expect(answer.status).toBe(200);
      expect(answer.body.toString()).toBe('private GET /inside');
    });

    it('creates, reads, lists, updates and deletes v2 VPC links, and serves their integrations', async () => {
      const link = await v2.send(
        new CreateV2VpcLinkCommand({
          Name: 'v2-link',
          SubnetIds: ['subnet-1', 'subnet-2'],
          Tags: { t: '1' },
        }),
      );
      expect(link).toMatchObject({
        Name: 'v2-link',
        SubnetIds: ['subnet-1', 'subnet-2'],
        SecurityGroupIds: [],
        VpcLinkStatus: 'AVAILABLE',
        VpcLinkVersion: 'V2',
        Tags: { t: '1' },
      });
      expect(link.CreatedDate).toBeInstanceOf(Date);
      expect((await v2.send(new GetV2VpcLinkCommand({ VpcLinkId: link.VpcLinkId }))).Name).toBe('v2-link');
      const renamed = await v2.send(
        new UpdateV2VpcLinkCommand({ VpcLinkId: link.VpcLinkId, Name: 'renamed' }),
      );
      expect(renamed.Name).toBe('renamed');
      const { Items } = await v2.send(new GetV2VpcLinksCommand({}));
      expect(Items?.map((l) => l.VpcLinkId)).toEqual([link.VpcLinkId]);

      const { ApiId } = await v2.send(new CreateApiCommand({ Name: 'private', ProtocolType: 'HTTP' }));
      const integration = await v2.send(
        new CreateIntegrationCommand({
          ApiId,
          IntegrationType: 'HTTP_PROXY',
          IntegrationMethod: 'GET',
          IntegrationUri: `${backendUrl}/v2-inside`,
          PayloadFormatVersion: '1.0',
          ConnectionType: 'VPC_LINK',
          ConnectionId: link.VpcLinkId,
        }),
      );
      await v2.send(
        new CreateRouteCommand({
          ApiId,
          RouteKey: 'GET /hello',
          Target: `integrations/${integration.IntegrationId}`,
        }),
      );
      await v2.send(new CreateStageCommand({ ApiId, StageName: 'prod', AutoDeploy: true }));
      const answer = await httpCall(`${stratus.url}/_aws/execute-api/${ApiId}/prod/hello`);
      expect(answer.body.toString()).toBe('private GET /v2-inside');

      await v2.send(new DeleteV2VpcLinkCommand({ VpcLinkId: link.VpcLinkId }));
      await expect(v2.send(new GetV2VpcLinkCommand({ VpcLinkId: link.VpcLinkId }))).rejects.toThrow(
        V2NotFoundException,
      );
      await expect(v2.send(new DeleteV2VpcLinkCommand({ VpcLinkId: 'nosuch' }))).rejects.toThrow(
        'Invalid VpcLink identifier specified nosuch',
      );
    });
  });

  describe('documentation parts and versions', () => {
    let restApiId: string;

    beforeAll(async () => {
      const api = await apigateway.send(new CreateRestApiCommand({ name: 'documented' }));
      restApiId = api.id!;
      const target = { restApiId, resourceId: api.rootResourceId!, httpMethod: 'GET' };
      await apigateway.send(new PutMethodCommand({ ...target, authorizationType: 'NONE' }));
      await apigateway.send(new PutIntegrationCommand({ ...target, type: 'MOCK' }));
      await apigateway.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
    });

    it('creates, reads, lists, updates and deletes parts, one per location, with AWS defaults', async () => {
      const part = await apigateway.send(
        new CreateDocumentationPartCommand({
          restApiId,
          location: { type: 'METHOD', path: '/' },
          properties: '{"description":"Lists things"}',
        }),
      );
      expect(part.location).toEqual({ type: 'METHOD', path: '/', method: '*' });
      await expect(
        apigateway.send(
          new CreateDocumentationPartCommand({
            restApiId,
            location: { type: 'METHOD', method: '*' },
            properties: '{}',
          }),
        ),
      ).rejects.toThrow(ConflictException);
      const header = await apigateway.send(
        new CreateDocumentationPartCommand({
          restApiId,
          location: { type: 'RESPONSE_HEADER', name: 'X-Rate', statusCode: '200' },
          properties: '{"description":"calls left"}',
        }),
      );
      const got = await apigateway.send(
        new GetDocumentationPartCommand({ restApiId, documentationPartId: header.id }),
      );
      expect(got.location).toEqual({
        type: 'RESPONSE_HEADER',
        path: '/',
        method: '*',
        statusCode: '200',
        name: 'X-Rate',
      });
      const byType = await apigateway.send(new GetDocumentationPartsCommand({ restApiId, type: 'METHOD' }));
      expect(byType.items?.map((p) => p.id)).toEqual([part.id]);
      const byName = await apigateway.send(new GetDocumentationPartsCommand({ restApiId, nameQuery: 'X-' }));
      expect(byName.items?.map((p) => p.id)).toEqual([header.id]);
      const updated = await apigateway.send(
        new UpdateDocumentationPartCommand({
          restApiId,
          documentationPartId: part.id,
          patchOperations: [{ op: 'replace', path: '/properties', value: '{"description":"new"}' }],
        }),
      );
      expect(updated.properties).toBe('{"description":"new"}');
      await apigateway.send(
        new DeleteDocumentationPartCommand({ restApiId, documentationPartId: header.id }),
      );
      await expect(
        apigateway.send(new GetDocumentationPartCommand({ restApiId, documentationPartId: header.id })),
      ).rejects.toThrow('Invalid Documentation part identifier specified');
    });

    it('refuses locations against AWS rules and properties that are not a JSON object', async () => {
      const create = (location: object, properties = '{}') =>
        apigateway.send(
          new CreateDocumentationPartCommand({ restApiId, location: location as never, properties }),
        );
      await expect(create({ type: 'API', path: '/' })).rejects.toThrow(
        'Invalid location: path is not a valid field for type API',
      );
      await expect(create({ type: 'MODEL' })).rejects.toThrow('name is required for type MODEL');
      await expect(create({ type: 'API' }, 'not json')).rejects.toThrow(BadRequestException);
      await expect(
        apigateway.send(
          new CreateDocumentationPartCommand({
            restApiId: 'nosuch1234',
            location: { type: 'API' },
            properties: '{}',
          }),
        ),
      ).rejects.toThrow(NotFoundException);
      await expect(
        apigateway.send(
          new UpdateDocumentationPartCommand({
            restApiId,
            documentationPartId: 'nosuch',
            patchOperations: [{ op: 'replace', path: '/properties', value: '{}' }],
          }),
        ),
      ).rejects.toThrow('Invalid Documentation part identifier specified');
    });

    it('imports parts from an OpenAPI extension, merging or overwriting, with warnings', async () => {
      const document = (parts: object[]) =>
        new TextEncoder().encode(
          JSON.stringify({
            swagger: '2.0',
            info: { title: 'documented', version: '1' },
            paths: {},
            'x-amazon-apigateway-documentation': { version: '1', documentationParts: parts },
          }),
        );
      const merged = await apigateway.send(
        new ImportDocumentationPartsCommand({
          restApiId,
          body: document([
            { location: { type: 'API' }, properties: { description: 'The API' } },
            { location: { type: 'MODEL' }, properties: {} },
          ]),
        }),
      );
      expect(merged.ids).toHaveLength(1);
      expect(merged.warnings).toEqual([
        'Documentation part 2: Invalid location: name is required for type MODEL',
      ]);
      const again = await apigateway.send(
        new ImportDocumentationPartsCommand({
          restApiId,
          body: document([{ location: { type: 'API' }, properties: { description: 'Renamed' } }]),
        }),
      );
      expect(again.ids).toEqual(merged.ids);
      const apiPart = await apigateway.send(
        new GetDocumentationPartCommand({ restApiId, documentationPartId: merged.ids![0] }),
      );
      expect(JSON.parse(apiPart.properties!)).toEqual({ description: 'Renamed' });
      await expect(
        apigateway.send(
          new ImportDocumentationPartsCommand({
            restApiId,
            failOnWarnings: true,
            body: document([{ location: { type: 'MODEL' }, properties: {} }]),
          }),
        ),
      ).rejects.toThrow(BadRequestException);
      await apigateway.send(
        new ImportDocumentationPartsCommand({
          restApiId,
          mode: 'overwrite',
          body: document([
            { location: { type: 'RESOURCE', path: '/' }, properties: { description: 'root' } },
          ]),
        }),
      );
      const { items } = await apigateway.send(new GetDocumentationPartsCommand({ restApiId }));
      expect(items?.map((p) => p.location?.type)).toEqual(['RESOURCE']);
    });

    it('creates, reads, lists, updates and deletes versions, naming one on a stage', async () => {
      const version = await apigateway.send(
        new CreateDocumentationVersionCommand({
          restApiId,
          documentationVersion: '1.0',
          stageName: 'prod',
          description: 'first',
        }),
      );
      expect(version).toMatchObject({ version: '1.0', description: 'first' });
      expect(version.createdDate).toBeInstanceOf(Date);
      expect(
        (await apigateway.send(new GetStageCommand({ restApiId, stageName: 'prod' }))).documentationVersion,
      ).toBe('1.0');
      await expect(
        apigateway.send(new CreateDocumentationVersionCommand({ restApiId, documentationVersion: '1.0' })),
      ).rejects.toThrow(ConflictException);
      await expect(
        apigateway.send(
          new CreateDocumentationVersionCommand({
            restApiId,
            documentationVersion: '2.0',
            stageName: 'nosuch',
          }),
        ),
      ).rejects.toThrow('Invalid Stage identifier specified');
      await apigateway.send(
        new CreateDocumentationVersionCommand({ restApiId, documentationVersion: '2.0' }),
      );
      const { items } = await apigateway.send(new GetDocumentationVersionsCommand({ restApiId }));
      expect(items?.map((v) => v.version)).toEqual(['1.0', '2.0']);
      const updated = await apigateway.send(
        new UpdateDocumentationVersionCommand({
          restApiId,
          documentationVersion: '2.0',
          patchOperations: [{ op: 'replace', path: '/description', value: 'second' }],
        }),
      );
      expect(updated.description).toBe('second');
      await apigateway.send(
        new DeleteDocumentationVersionCommand({ restApiId, documentationVersion: '2.0' }),
      );
      await expect(
        apigateway.send(new GetDocumentationVersionCommand({ restApiId, documentationVersion: '2.0' })),
      ).rejects.toThrow('Invalid Documentation version identifier specified');
    });
  });
});
