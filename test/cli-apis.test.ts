/**
 * `stratus apis` as a user runs it: a real child process against a Stratus started here, listing
 * a REST API and an HTTP API with their stages' invoke URLs, and custom domain names with their
 * mappings — URLs which then answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateApiMappingCommand,
  CreateDomainNameCommand,
} from '@aws-sdk/client-apigatewayv2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { createFunction } from './support/lambda.js';
import { httpCall } from './support/http.js';
import { spawnStratus } from './support/stratus-cli.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const hello = `export const handler = async () => ({ statusCode: 200, body: 'hello' });`;

describe('stratus apis', () => {
  let stratus: TestStratus;
  const run = async (...args: string[]) => {
    const r = spawnStratus(args, { AWS_ENDPOINT_URL: stratus.url });
    const code = await r.exit;
    return { code, stdout: r.stdout(), stderr: r.stderr() };
  };

  beforeAll(async () => {
    stratus = await startTestStratus();
  });
  afterAll(async () => {
    await stratus?.close();
  });

  /** Calls a URL the way curl would, mapping `*.localhost` to loopback. */
  const curl = (url: string) => {
    const target = new URL(url);
    return httpCall(`http://127.0.0.1:${target.port}${target.pathname}`, { headers: { host: target.host } });
  };

  it('says so when there are none, then lists each API and stage with URLs that answer', async () => {
    const empty = await run('apis');
    expect(empty.code).toBe(0);
    expect(empty.stdout).toMatch(/^No APIs in us-east-1 at http:\/\/127\.0\.0\.1:\d+ yet\./);

    const lambda = new LambdaClient(stratus.clientConfig);
    const rest = new APIGatewayClient(stratus.clientConfig);
    const http = new ApiGatewayV2Client(stratus.clientConfig);
    try {
      const { FunctionArn } = await createFunction(lambda, 'hello', { 'index.mjs': hello });
      const api = await rest.send(new CreateRestApiCommand({ name: 'orders' }));
      await rest.send(
        new PutMethodCommand({
          restApiId: api.id,
          resourceId: api.rootResourceId,
          httpMethod: 'GET',
          authorizationType: 'NONE',
        }),
      );
      await rest.send(
        new PutIntegrationCommand({
          restApiId: api.id,
          resourceId: api.rootResourceId,
          httpMethod: 'GET',
          type: 'AWS_PROXY',
          integrationHttpMethod: 'POST',
          uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FunctionArn}/invocations`,
        }),
      );
      await rest.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
      const quick = await http.send(
        new CreateApiCommand({ Name: 'web', ProtocolType: 'HTTP', Target: FunctionArn }),
      );

      const { code, stdout, stderr } = await run('apis');
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const lines = stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^Name\s+Type\s+API id\s+Stage\s+Invoke URL\s+Path-style URL$/);
      const port = stratus.port;
      expect(lines[1]!.split(/ {2,}/)).toEqual([
        'orders',
        'REST',
        api.id,
        'prod',
        `http://${api.id}.execute-api.localhost:${port}/prod/`,
        `http://127.0.0.1:${port}/_aws/execute-api/${api.id}/prod/`,
      ]);
      expect(lines[2]!.split(/ {2,}/)).toEqual([
        'web',
        'HTTP',
        quick.ApiId,
        '$default',
        `http://${quick.ApiId}.execute-api.localhost:${port}/`,
        `http://127.0.0.1:${port}/_aws/execute-api/${quick.ApiId}/`,
      ]);
      for (const line of lines.slice(1)) {
        const [, , , , hostUrl, pathUrl] = line.split(/ {2,}/);
        expect((await curl(hostUrl!)).text).toBe('hello');
        expect((await httpCall(pathUrl!)).text).toBe('hello');
      }
    } finally {
      lambda.destroy();
      rest.destroy();
      http.destroy();
    }
  });

  it('lists custom domain names with their mappings, at URLs that answer', async () => {
    const lambda = new LambdaClient(stratus.clientConfig);
    const http = new ApiGatewayV2Client(stratus.clientConfig);
    try {
      const { FunctionArn } = await createFunction(lambda, 'hello-domain', { 'index.mjs': hello });
      const { ApiId } = await http.send(
        new CreateApiCommand({ Name: 'shop', ProtocolType: 'HTTP', Target: FunctionArn }),
      );
      await http.send(new CreateDomainNameCommand({ DomainName: 'shop.example.com' }));
      await http.send(
        new CreateApiMappingCommand({
          DomainName: 'shop.example.com',
          ApiId,
          Stage: '$default',
          ApiMappingKey: 'orders',
        }),
      );

      const { code, stdout } = await run('apis');
      expect(code).toBe(0);
      const [, domains] = stdout.trimEnd().split('\n\n');
      const lines = domains!.split('\n');
      expect(lines[0]).toMatch(/^Domain name\s+Mapping\s+API id\s+Stage\s+URL\s+Alias URL$/);
      const [name, key, apiId, stage, url, aliasUrl] = lines[1]!.split(/ {2,}/);
      expect([name, key, apiId, stage, url]).toEqual([
        'shop.example.com',
        'orders',
        ApiId,
        '$default',
        `http://shop.example.com:${stratus.port}/orders/`,
      ]);
      expect(aliasUrl).toMatch(/^http:\/\/d-[a-z0-9]{10}\.execute-api\.localhost:\d+\/orders\/$/);
      expect((await curl(url!)).text).toBe('hello');
      expect((await curl(aliasUrl!)).text).toBe('hello');
    } finally {
      lambda.destroy();
      http.destroy();
    }
  });
});
