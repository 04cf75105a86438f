/**
 * Tags on API Gateway resources through both management APIs (TagResource, UntagResource,
 * GetTags by ARN), AWS's limits on them, and v2's UpdateDeployment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as V1 from '@aws-sdk/client-api-gateway';
import * as V2 from '@aws-sdk/client-apigatewayv2';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const arn = (resource: string, region = 'us-east-1') => `arn:aws:apigateway:${region}::${resource}`;

describe('API Gateway tags', () => {
  let stratus: TestStratus;
  let v1: V1.APIGatewayClient;
  let v2: V2.ApiGatewayV2Client;

  beforeAll(async () => {
    stratus = await startTestStratus();
    v1 = new V1.APIGatewayClient(stratus.clientConfig);
    v2 = new V2.ApiGatewayV2Client(stratus.clientConfig);
  });
  afterAll(async () => {
    v1?.destroy();
    v2?.destroy();
    await stratus?.close();
  });

  const v1Tags = async (resourceArn: string) => (await v1.send(new V1.GetTagsCommand({ resourceArn }))).tags;
  const v2Tags = async (ResourceArn: string) => (await v2.send(new V2.GetTagsCommand({ ResourceArn }))).Tags;

  it('tags REST APIs, their stages, API keys, usage plans and domain names through v1', async () => {
    const { id, rootResourceId } = await v1.send(
      new V1.CreateRestApiCommand({ name: 'tagged', tags: { a: '1' } }),
    );
    await v1.send(
      new V1.PutMethodCommand({
        restApiId: id,
        resourceId: rootResourceId,
        httpMethod: 'GET',
        authorizationType: 'NONE',
      }),
    );
    await v1.send(
      new V1.PutIntegrationCommand({
        restApiId: id,
        resourceId: rootResourceId,
        httpMethod: 'GET',
        type: 'MOCK',
      }),
    );
    await v1.send(new V1.CreateDeploymentCommand({ restApiId: id, stageName: 'prod' }));
    const key = await v1.send(new V1.CreateApiKeyCommand({ name: 'tagged-key' }));
    const plan = await v1.send(new V1.CreateUsagePlanCommand({ name: 'tagged-plan' }));
    await v1.send(new V1.CreateDomainNameCommand({ domainName: 'tags.example.com', tags: { a: '1' } }));

    const resources = [
      `/restapis/${id}`,
      `/restapis/${id}/stages/prod`,
      `/apikeys/${key.id}`,
      `/usageplans/${plan.id}`,
      '/domainnames/tags.example.com',
    ];
    for (const resource of resources) {
      await v1.send(
        new V1.TagResourceCommand({ resourceArn: arn(resource), tags: { team: 'web', env: 'dev' } }),
      );
      await v1.send(new V1.TagResourceCommand({ resourceArn: arn(resource), tags: { env: 'prod' } }));
      expect(await v1Tags(arn(resource))).toMatchObject({ team: 'web', env: 'prod' });
      await v1.send(new V1.UntagResourceCommand({ resourceArn: arn(resource), tagKeys: ['team', 'absent'] }));
      expect(await v1Tags(arn(resource))).not.toHaveProperty('team');
    }
    // The tags are the resource's own, as its Get shows them.
    expect((await v1.send(new V1.GetRestApiCommand({ restApiId: id }))).tags).toEqual({
      a: '1',
      env: 'prod',
    });
    expect((await v1.send(new V1.GetStageCommand({ restApiId: id, stageName: 'prod' }))).tags).toEqual({
      env: 'prod',
    });
    expect((await v1.send(new V1.GetApiKeyCommand({ apiKey: key.id }))).tags).toEqual({ env: 'prod' });
    expect((await v1.send(new V1.GetDomainNameCommand({ domainName: 'tags.example.com' }))).tags).toEqual({
      a: '1',
      env: 'prod',
    });
    await v1.send(
      new V1.UntagResourceCommand({ resourceArn: arn(`/usageplans/${plan.id}`), tagKeys: ['env'] }),
    );
    expect(await v1Tags(arn(`/usageplans/${plan.id}`))).toEqual({});
  });

  it('tags HTTP APIs, their stages and domain names through v2', async () => {
    const { ApiId } = await v2.send(
      new V2.CreateApiCommand({ Name: 'tagged-http', ProtocolType: 'HTTP', Tags: { a: '1' } }),
    );
    await v2.send(new V2.CreateStageCommand({ ApiId, StageName: 'live', Tags: { s: '1' } }));
    await v2.send(
      new V2.CreateDomainNameCommand({
        DomainName: 'tags-v2.example.com',
        DomainNameConfigurations: [{}],
        Tags: { d: '1' },
      }),
    );
    for (const [resource, own] of [
      [`/apis/${ApiId}`, { a: '1' }],
      [`/apis/${ApiId}/stages/live`, { s: '1' }],
      ['/domainnames/tags-v2.example.com', { d: '1' }],
    ] as const) {
      await v2.send(new V2.TagResourceCommand({ ResourceArn: arn(resource), Tags: { team: 'api' } }));
      expect(await v2Tags(arn(resource))).toEqual({ ...own, team: 'api' });
      await v2.send(new V2.UntagResourceCommand({ ResourceArn: arn(resource), TagKeys: ['team'] }));
      expect(await v2Tags(arn(resource))).toEqual(own);
    }
    expect((await v2.send(new V2.GetApiCommand({ ApiId }))).Tags).toEqual({ a: '1' });
    // A domain name is one resource whichever API tags it.
    await v1.send(
      new V1.TagResourceCommand({ resourceArn: arn('/domainnames/tags-v2.example.com'), tags: { by: 'v1' } }),
    );
    expect(await v2Tags(arn('/domainnames/tags-v2.example.com'))).toEqual({ d: '1', by: 'v1' });
  });

  it("holds AWS's limits: 50 tags, keys of 128 and values of 256 characters, no aws: keys", async () => {
    const { id } = await v1.send(new V1.CreateRestApiCommand({ name: 'limits' }));
    const resourceArn = arn(`/restapis/${id}`);
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    await v1.send(new V1.TagResourceCommand({ resourceArn, tags: fifty }));
    await v1.send(new V1.TagResourceCommand({ resourceArn, tags: { k0: 'replaced' } }));
    const refusals: [Record<string, string>, string][] = [
      [{ k50: 'v' }, 'A resource can have at most 50 tags'],
      [{ ['k'.repeat(129)]: 'v' }, 'Tag key must be between 1 and 128 characters long'],
      [{ k0: 'v'.repeat(257) }, 'must be at most 256 characters long'],
      [{ 'aws:owner': 'me' }, "Tag keys starting with 'aws:' are reserved for AWS use"],
    ];
    for (const [tags, message] of refusals) {
      const attempt = v1.send(new V1.TagResourceCommand({ resourceArn, tags }));
      await expect(attempt).rejects.toBeInstanceOf(V1.BadRequestException);
      await expect(attempt).rejects.toThrow(message);
    }
    const kept = await v1Tags(resourceArn);
    expect(Object.keys(kept ?? {})).toHaveLength(50);
    expect(kept?.['k0']).toBe('replaced');

    const { ApiId } = await v2.send(new V2.CreateApiCommand({ Name: 'limits-v2', ProtocolType: 'HTTP' }));
    const tooMany = v2.send(
      new V2.TagResourceCommand({ ResourceArn: arn(`/apis/${ApiId}`), Tags: { ...fifty, one: 'more' } }),
    );
    await expect(tooMany).rejects.toBeInstanceOf(V2.BadRequestException);
  });

  it('refuses ARNs that name nothing, another region, an account or what cannot be tagged', async () => {
    const { id } = await v1.send(new V1.CreateRestApiCommand({ name: 'arns' }));
    const notFound: string[] = [
      arn('/restapis/nosuchapi0'),
      arn(`/restapis/${id}`, 'eu-west-1'),
      arn(`/restapis/${id}/stages/none`),
    ];
    for (const resourceArn of notFound) {
      const attempt = v1.send(new V1.GetTagsCommand({ resourceArn }));
      await expect(attempt).rejects.toBeInstanceOf(V1.NotFoundException);
      await expect(attempt).rejects.toThrow('Invalid resource identifier specified');
    }
    const withAccount = `arn:aws:apigateway:us-east-1:000000000000:/restapis/${id}`;
    await expect(
      v1.send(new V1.TagResourceCommand({ resourceArn: withAccount, tags: { a: 'b' } })),
    ).rejects.toThrow(`Expected ARN ${arn(`/restapis/${id}`)}, not ${withAccount}`);
    for (const resourceArn of ['not-an-arn', arn(`/restapis/${id}/resources/abc`), arn(`/apis/${id}`)]) {
      await expect(v1.send(new V1.GetTagsCommand({ resourceArn }))).rejects.toBeInstanceOf(
        V1.BadRequestException,
      );
    }
    // v2 tags HTTP and WebSocket APIs, not REST APIs.
    await expect(
      v2.send(new V2.GetTagsCommand({ ResourceArn: arn(`/restapis/${id}`) })),
    ).rejects.toBeInstanceOf(V2.BadRequestException);
  });

  it("changes an HTTP API deployment's description with v2 UpdateDeployment", async () => {
    const { ApiId } = await v2.send(
      new V2.CreateApiCommand({ Name: 'deployed', ProtocolType: 'HTTP', Target: 'http://127.0.0.1:9' }),
    );
    const { DeploymentId } = await v2.send(new V2.CreateDeploymentCommand({ ApiId, Description: 'first' }));
    const updated = await v2.send(
      new V2.UpdateDeploymentCommand({ ApiId, DeploymentId, Description: 'second' }),
    );
    expect(updated).toMatchObject({ DeploymentId, Description: 'second', DeploymentStatus: 'DEPLOYED' });
    expect(await v2.send(new V2.GetDeploymentCommand({ ApiId, DeploymentId }))).toMatchObject({
      Description: 'second',
    });
    const missing = v2.send(
      new V2.UpdateDeploymentCommand({ ApiId, DeploymentId: 'nosuch', Description: 'x' }),
    );
    await expect(missing).rejects.toBeInstanceOf(V2.NotFoundException);
  });
});
