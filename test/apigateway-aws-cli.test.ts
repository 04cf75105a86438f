/**
 * API Gateway through the `aws` command line, as a user would drive it — a REST API built step by
 * step and an HTTP API quick-created, then called over plain HTTP. Every binary available is
 * tried, as in test/aws-cli.test.ts: Debian's awscli v2 at /usr/bin/aws and the `aws` first on PATH.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { awsCliVariants, awsOk, cliTimeoutMs } from './support/aws-cli.js';
import { httpCall } from './support/http.js';
import { createFunction } from './support/lambda.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const stepTimeoutMs = 8 * cliTimeoutMs;

const greet = `export const handler = async (event) => ({
  statusCode: 200,
  body: 'hello ' + (event.queryStringParameters?.name ?? 'world') + ' via ' + (event.version ?? 'rest'),
});`;

let stratus: TestStratus;
let functionArn: string;
beforeAll(async () => {
  stratus = await startTestStratus();
  const lambda = new LambdaClient(stratus.clientConfig);
  functionArn = (await createFunction(lambda, 'greet', { 'index.mjs': greet })).FunctionArn!;
  lambda.destroy();
});
afterAll(async () => {
  await stratus?.close();
});

for (const variant of awsCliVariants) {
  describe.concurrent(`aws apigateway CLI: ${variant.name}`, () => {
    const skip = variant.binary === undefined;
    const ok = <T = Record<string, unknown>>(args: string[]) => awsOk<T>(variant.binary!, stratus.url, args);

    it('builds, deploys and updates a REST API', { skip, timeout: stepTimeoutMs }, async () => {
      const api = await ok<{ id: string }>(['apigateway', 'create-rest-api', '--name', `cli-${variant.tag}`]);
      // An older CLI's model may not know `rootResourceId`: find the root as its docs say.
      const root = await ok<{ items: { id: string; path: string }[] }>([
        'apigateway',
        'get-resources',
        '--rest-api-id',
        api.id,
      ]);
      const rootId = root.items.find((r) => r.path === '/')!.id;
      const resource = await ok<{ id: string; path: string }>([
        'apigateway',
        'create-resource',
        '--rest-api-id',
        api.id,
        '--parent-id',
        rootId,
        '--path-part',
        'greet',
      ]);
      expect(resource.path).toBe('/greet');
      await ok([
        'apigateway',
        'put-method',
        '--rest-api-id',
        api.id,
        '--resource-id',
        resource.id,
        '--http-method',
        'GET',
        '--authorization-type',
        'NONE',
      ]);
      await ok([
        'apigateway',
        'put-integration',
        '--rest-api-id',
        api.id,
        '--resource-id',
        resource.id,
        '--http-method',
        'GET',
        '--type',
        'AWS_PROXY',
        '--integration-http-method',
        'POST',
        '--uri',
        `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn}/invocations`,
      ]);
      await ok([
        'apigateway',
        'create-deployment',
        '--rest-api-id',
        api.id,
        '--stage-name',
        'dev',
        '--variables',
        'color=blue',
      ]);
      const answer = await httpCall(`${stratus.url}/_aws/execute-api/${api.id}/dev/greet?name=cli`);
      expect(answer.text).toBe('hello cli via rest');
      const stage = await ok<{ variables: Record<string, string> }>([
        'apigateway',
        'update-stage',
        '--rest-api-id',
        api.id,
        '--stage-name',
        'dev',
        '--patch-operations',
        'op=replace,path=/variables/color,value=red',
      ]);
      expect(stage.variables).toEqual({ color: 'red' });
      const resources = await ok<{ items: { path: string }[] }>([
        'apigateway',
        'get-resources',
        '--rest-api-id',
        api.id,
      ]);
      expect(resources.items.map((r) => r.path).sort()).toEqual(['/', '/greet']);
    });

    it('quick-creates an HTTP API', { skip, timeout: stepTimeoutMs }, async () => {
      const api = await ok<{ ApiId: string; ApiEndpoint: string }>([
        'apigatewayv2',
        'create-api',
        '--name',
        `cli-http-${variant.tag}`,
        '--protocol-type',
        'HTTP',
        '--target',
        functionArn,
      ]);
      expect(api.ApiEndpoint).toBe(`http://${api.ApiId}.execute-api.localhost:${stratus.port}`);
      const answer = await httpCall(`http://127.0.0.1:${stratus.port}/?name=v2`, {
        headers: { host: `${api.ApiId}.execute-api.localhost:${stratus.port}` },
      });
      expect(answer.text).toBe('hello v2 via 2.0');
      const listed = await ok<{ Items: { ApiId: string }[] }>(['apigatewayv2', 'get-apis']);
      expect(listed.Items.map((a) => a.ApiId)).toContain(api.ApiId);
    });
  });
}
