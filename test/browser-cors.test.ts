/**
 * CORS as a real browser enforces it: headless Chromium opens pages of two static sites (two
 * loopback ports, so two origins) and their scripts call deployed APIs at
 * `http://{apiId}.execute-api.localhost:{port}`, which Chromium resolves to loopback itself. The
 * page of the allowed origin reads the answers; the other origin's page gets a TypeError from
 * `fetch`, though plain Node requests show the API answered — the browser is what refuses it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { Browser, Page } from 'playwright-core';
import {
  browserSkipReason,
  fetchFromPage,
  launchChromium,
  nextCorsRefusal,
  openSitePage,
  startStaticSite,
  type StaticSite,
} from './support/browser.js';
import { httpCall } from './support/http.js';
import { createFunction } from './support/lambda.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const skipReason = browserSkipReason();
if (skipReason) console.warn(`skipping the browser CORS tests: ${skipReason}`);

/** Answers an HTTP API (payload 2.0) with what it received, leaving CORS to API Gateway. */
const receiver = `
export const handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ method: event.requestContext.http.method, received: JSON.parse(event.body) }),
});`;

/** Answers a REST API (Lambda proxy) and names the one origin that may read it, as its own header. */
const greeter = `
export const handler = async (event) => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': process.env.SITE_ORIGIN },
  body: JSON.stringify({ greeting: 'hello', method: event.httpMethod }),
});`;

const lambdaUri = (functionArn: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn}/invocations`;

const form = { email: 'visitor@example.com', message: 'Hello from the browser' };
const postJson = {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(form),
};

describe.skipIf(skipReason !== undefined)('CORS in a real browser (headless Chromium)', () => {
  let stratus: TestStratus;
  let httpApis: ApiGatewayV2Client;
  let restApis: APIGatewayClient;
  let lambda: LambdaClient;
  let browser: Browser;
  let site: StaticSite;
  let otherSite: StaticSite;
  /** One page of each site for the whole file: opening a page costs more than the calls made from it. */
  let sitePage: Page;
  let otherSitePage: Page;

  beforeAll(async () => {
    // Each is kept as soon as it is up, so that afterAll stops it even if another failed to start.
    await Promise.all([
      startTestStratus().then((started) => (stratus = started)),
      launchChromium().then((launched) => (browser = launched)),
      startStaticSite().then((started) => (site = started)),
      startStaticSite().then((started) => (otherSite = started)),
    ]);
    httpApis = new ApiGatewayV2Client(stratus.clientConfig);
    restApis = new APIGatewayClient(stratus.clientConfig);
    lambda = new LambdaClient(stratus.clientConfig);
    [sitePage, otherSitePage] = await Promise.all([
      openSitePage(browser, site),
      openSitePage(browser, otherSite),
    ]);
  });
  afterAll(async () => {
    for (const client of [httpApis, restApis, lambda]) client?.destroy();
    await Promise.all([browser?.close(), site?.close(), otherSite?.close(), stratus?.close()]);
  });

  /** Where a browser calls a deployed API; Node's own requests go to 127.0.0.1 with this Host. */
  const apiHost = (apiId: string) => `${apiId}.execute-api.localhost:${stratus.port}`;

  describe('an HTTP API with a CorsConfiguration', () => {
    let url: string;

    beforeAll(async () => {
      const { FunctionArn } = await createFunction(lambda, 'browser-receiver', { 'index.mjs': receiver });
      const { ApiId } = await httpApis.send(
        new CreateApiCommand({
          Name: 'browser-form',
          ProtocolType: 'HTTP',
          CorsConfiguration: {
            AllowOrigins: [site.origin],
            AllowMethods: ['POST'],
            AllowHeaders: ['content-type'],
          },
        }),
      );
      const { IntegrationId } = await httpApis.send(
        new CreateIntegrationCommand({
          ApiId,
          IntegrationType: 'AWS_PROXY',
          IntegrationUri: FunctionArn,
          PayloadFormatVersion: '2.0',
        }),
      );
      await httpApis.send(
        new CreateRouteCommand({ ApiId, RouteKey: 'POST /submit', Target: `integrations/${IntegrationId}` }),
      );
      await httpApis.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true }));
      url = `http://${apiHost(ApiId!)}/submit`;
    });

    it('lets a page of the allowed origin POST JSON past the preflight and read the answer', async () => {
      const outcome = await fetchFromPage(sitePage, url, postJson);
      // The script sees only CORS-safelisted headers, so reading the body is the proof.
      expect(outcome).toMatchObject({ answered: true, status: 200 });
      expect(outcome.answered && JSON.parse(outcome.text)).toEqual({ method: 'POST', received: form });
    });

    it('blocks the answer from a page of another origin, though the API answered it', async () => {
      const refusal = nextCorsRefusal(otherSitePage);
      const outcome = await fetchFromPage(otherSitePage, url, postJson);
      expect(outcome).toMatchObject({ answered: false, errorName: 'TypeError' });
      expect(await refusal).toContain(
        `from origin '${otherSite.origin}' has been blocked by CORS policy: Response to preflight request ` +
          "doesn't pass access control check: No 'Access-Control-Allow-Origin' header",
      );

      // Without a browser in the way, the same requests are answered, only without CORS headers.
      const direct = { host: new URL(url).host, origin: otherSite.origin };
      const nodeUrl = `http://127.0.0.1:${stratus.port}/submit`;
      const preflight = await httpCall(nodeUrl, {
        method: 'OPTIONS',
        headers: {
          ...direct,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      const answer = await httpCall(nodeUrl, {
        ...postJson,
        headers: { ...direct, ...postJson.headers },
      });
      expect(answer.status).toBe(200);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      expect(answer.json()).toEqual({ method: 'POST', received: form });
    });
  });

  describe('a REST API whose Lambda proxy function sets Access-Control-Allow-Origin itself', () => {
    let url: string;

    beforeAll(async () => {
      const { FunctionArn } = await createFunction(
        lambda,
        'browser-greeter',
        { 'index.mjs': greeter },
        { Environment: { SITE_ORIGIN: site.origin } },
      );
      const api = await restApis.send(new CreateRestApiCommand({ name: 'browser-greeting' }));
      const restApiId = api.id!;
      const { id: resourceId } = await restApis.send(
        new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: 'greeting' }),
      );
      await restApis.send(
        new PutMethodCommand({ restApiId, resourceId, httpMethod: 'GET', authorizationType: 'NONE' }),
      );
      await restApis.send(
        new PutIntegrationCommand({
          restApiId,
          resourceId,
          httpMethod: 'GET',
          type: 'AWS_PROXY',
          integrationHttpMethod: 'POST',
          uri: lambdaUri(FunctionArn!),
        }),
      );
      await restApis.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
      url = `http://${apiHost(restApiId)}/prod/greeting`;
    });

    it('lets a page of the origin the function names read a simple GET', async () => {
      const outcome = await fetchFromPage(sitePage, url);
      expect(outcome).toMatchObject({ answered: true, status: 200 });
      expect(outcome.answered && JSON.parse(outcome.text)).toEqual({ greeting: 'hello', method: 'GET' });
    });

    it('blocks the simple GET from a page of another origin, though the function answered it', async () => {
      const refusal = nextCorsRefusal(otherSitePage);
      const outcome = await fetchFromPage(otherSitePage, url);
      expect(outcome).toMatchObject({ answered: false, errorName: 'TypeError' });
      expect(await refusal).toContain(
        `The 'Access-Control-Allow-Origin' header has a value '${site.origin}' ` +
          `that is not equal to the supplied origin`,
      );

      const direct = await httpCall(`http://127.0.0.1:${stratus.port}/prod/greeting`, {
        headers: { host: new URL(url).host, origin: otherSite.origin },
      });
      expect(direct.status).toBe(200);
      expect(direct.headers['access-control-allow-origin']).toBe(site.origin);
      expect(direct.json()).toEqual({ greeting: 'hello', method: 'GET' });
    });
  });

  describe('a REST API with CORS as the console enables it (an OPTIONS method on a MOCK integration)', () => {
    let url: string;

    beforeAll(async () => {
      const { FunctionArn } = await createFunction(
        lambda,
        'browser-console-cors',
        { 'index.mjs': greeter },
        { Environment: { SITE_ORIGIN: site.origin } },
      );
      const api = await restApis.send(new CreateRestApiCommand({ name: 'browser-console-cors' }));
      const restApiId = api.id!;
      const { id: resourceId } = await restApis.send(
        new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: 'greeting' }),
      );
      // The preflight's answer, as the console's "Enable CORS" sets it up.
      await restApis.send(
        new PutMethodCommand({ restApiId, resourceId, httpMethod: 'OPTIONS', authorizationType: 'NONE' }),
      );
      await restApis.send(
        new PutMethodResponseCommand({
          restApiId,
          resourceId,
          httpMethod: 'OPTIONS',
          statusCode: '200',
          responseModels: { 'application/json': 'Empty' },
          responseParameters: {
            'method.response.header.Access-Control-Allow-Headers': false,
            'method.response.header.Access-Control-Allow-Methods': false,
            'method.response.header.Access-Control-Allow-Origin': false,
          },
        }),
      );
      await restApis.send(
        new PutIntegrationCommand({
          restApiId,
          resourceId,
          httpMethod: 'OPTIONS',
          type: 'MOCK',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          passthroughBehavior: 'NEVER',
        }),
      );
      await restApis.send(
        new PutIntegrationResponseCommand({
          restApiId,
          resourceId,
          httpMethod: 'OPTIONS',
          statusCode: '200',
          responseTemplates: { 'application/json': '' },
          responseParameters: {
            'method.response.header.Access-Control-Allow-Headers':
              "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'",
            'method.response.header.Access-Control-Allow-Methods': "'OPTIONS,POST'",
            'method.response.header.Access-Control-Allow-Origin': `'${site.origin}'`,
          },
        }),
      );
      // The method itself: a Lambda proxy function, which names the allowed origin itself.
      await restApis.send(
        new PutMethodCommand({ restApiId, resourceId, httpMethod: 'POST', authorizationType: 'NONE' }),
      );
      await restApis.send(
        new PutIntegrationCommand({
          restApiId,
          resourceId,
          httpMethod: 'POST',
          type: 'AWS_PROXY',
          integrationHttpMethod: 'POST',
          uri: lambdaUri(FunctionArn!),
        }),
      );
      await restApis.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
      url = `http://${apiHost(restApiId)}/prod/greeting`;
    });

    it('lets a page of the allowed origin POST JSON past the MOCK preflight and read the answer', async () => {
      const outcome = await fetchFromPage(sitePage, url, postJson);
      expect(outcome).toMatchObject({ answered: true, status: 200 });
      expect(outcome.answered && JSON.parse(outcome.text)).toEqual({ greeting: 'hello', method: 'POST' });
    });

    it('blocks the POST from a page of another origin at the preflight', async () => {
      const refusal = nextCorsRefusal(otherSitePage);
      const outcome = await fetchFromPage(otherSitePage, url, postJson);
      expect(outcome).toMatchObject({ answered: false, errorName: 'TypeError' });
      expect(await refusal).toContain(
        "Response to preflight request doesn't pass access control check: " +
          `The 'Access-Control-Allow-Origin' header has a value '${site.origin}'`,
      );
    });
  });
});
