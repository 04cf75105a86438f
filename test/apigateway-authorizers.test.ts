/**
 * Authorizers in front of deployed APIs: a REST API's Lambda TOKEN authorizer (IAM policies,
 * explicit denies, `Unauthorized`, result caching by token), an HTTP API's JWT authorizer (keys
 * from the issuer's JWKS, audience, expiry, scopes) and its Lambda REQUEST authorizer with simple
 * responses — called over plain HTTP, with the authorizer's context reaching the function.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import {
  APIGatewayClient,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetAuthorizersCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateAuthorizerCommand as CreateHttpAuthorizerCommand,
  type CreateAuthorizerRequest,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { createFunction } from './support/lambda.js';
import { httpCall } from './support/http.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

/** Answers with what it was told about the caller. */
const echo = `export const handler = async (event) => ({
  statusCode: 200,
  body: JSON.stringify({ authorizer: event.requestContext.authorizer ?? null }),
});`;

/** A TOKEN authorizer; counts its own calls so a test sees the cache at work. */
const tokenAuthorizer = `
let calls = 0;
export const handler = async (event) => {
  calls++;
  const token = event.authorizationToken;
  if (token === 'bad') throw new Error('Unauthorized');
  const effect = token === 'deny' ? 'Deny' : 'Allow';
  const resource = token === 'narrow' ? event.methodArn.replace(/\\/[^/]+\\/[^/]+$/, '/GET/only') : event.methodArn.split('/').slice(0, 2).join('/') + '/*';
  return {
    principalId: 'user-' + token,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] },
    context: { calls, type: event.type },
  };
};`;

/** A REQUEST authorizer with simple responses: the x-key header decides. */
const simpleAuthorizer = `export const handler = async (event) => ({
  isAuthorized: event.headers['x-key'] === 'open',
  context: { tenant: 't1', route: event.routeKey },
});`;

const lambdaUri = (arn: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`;

describe('API Gateway authorizers', () => {
  let stratus: TestStratus;
  let lambda: LambdaClient;
  let rest: APIGatewayClient;
  let http: ApiGatewayV2Client;
  let echoArn: string;

  beforeAll(async () => {
    stratus = await startTestStratus();
    lambda = new LambdaClient(stratus.clientConfig);
    rest = new APIGatewayClient(stratus.clientConfig);
    http = new ApiGatewayV2Client(stratus.clientConfig);
    echoArn = (await createFunction(lambda, 'auth-echo', { 'index.mjs': echo })).FunctionArn!;
  });
  afterAll(async () => {
    for (const client of [lambda, rest, http]) client?.destroy();
    await stratus?.close();
  });

  it('REST: a TOKEN authorizer allows, denies, refuses and caches by token', async () => {
    const authorizerArn = (await createFunction(lambda, 'token-authorizer', { 'index.mjs': tokenAuthorizer }))
      .FunctionArn!;
    const api = await rest.send(new CreateRestApiCommand({ name: 'guarded' }));
    const restApiId = api.id!;
    const authorizer = await rest.send(
      new CreateAuthorizerCommand({
        restApiId,
        name: 'tokens',
        type: 'TOKEN',
        authorizerUri: lambdaUri(authorizerArn),
        identitySource: 'method.request.header.Authorization',
        identityValidationExpression: '[a-z]+',
      }),
    );
    expect(authorizer).toMatchObject({ authType: 'custom', authorizerResultTtlInSeconds: 300 });
    expect((await rest.send(new GetAuthorizersCommand({ restApiId }))).items).toHaveLength(1);
    for (const pathPart of ['orders', 'only']) {
      const { id } = await rest.send(
        new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart }),
      );
      await rest.send(
        new PutMethodCommand({
          restApiId,
          resourceId: id!,
          httpMethod: 'GET',
          authorizationType: 'CUSTOM',
          authorizerId: authorizer.id,
        }),
      );
      await rest.send(
        new PutIntegrationCommand({
          restApiId,
          resourceId: id!,
          httpMethod: 'GET',
          type: 'AWS_PROXY',
          integrationHttpMethod: 'POST',
          uri: lambdaUri(echoArn),
        }),
      );
    }
    await rest.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
    const call = (path: string, token?: string) =>
      httpCall(`${stratus.url}/_aws/execute-api/${restApiId}/prod/${path}`, {
        headers: token === undefined ? {} : { authorization: token },
      });

    const missing = await call('orders');
    expect(missing.status).toBe(401);
    expect(missing.json()).toEqual({ message: 'Unauthorized' });
    expect((await call('orders', 'NOT-VALID')).status).toBe(401);
    expect((await call('orders', 'bad')).status).toBe(401);
    const denied = await call('orders', 'deny');
    expect(denied.status).toBe(403);
    expect(denied.json()).toEqual({
      Message: 'User is not authorized to access this resource with an explicit deny',
    });

    const allowed = await call('orders', 'ann');
    expect(allowed.status).toBe(200);
    const first = allowed.json<{ authorizer: Record<string, unknown> }>().authorizer;
    expect(first).toMatchObject({ principalId: 'user-ann', type: 'TOKEN' });
    // The answer is cached for the token: the authorizer is not called again.
    const again = (await call('orders', 'ann')).json<{ authorizer: Record<string, unknown> }>().authorizer;
    expect(again['calls']).toBe(first['calls']);

    // A cached policy that allows only /only denies /orders for the same token.
    expect((await call('only', 'narrow')).status).toBe(200);
    const narrow = await call('orders', 'narrow');
    expect(narrow.status).toBe(403);
    expect(narrow.json()).toEqual({ Message: 'User is not authorized to access this resource' });
  });

  describe('HTTP APIs', () => {
    let issuerServer: Server;
    let issuer: string;
    let privateKey: CryptoKey;

    beforeAll(async () => {
      const keys = await generateKeyPair('RS256');
      privateKey = keys.privateKey;
      const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
      issuerServer = createServer((req, res) => {
        res.setHeader('content-type', 'application/json');
        if (req.url === '/.well-known/openid-configuration')
          res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
        else if (req.url === '/jwks') res.end(JSON.stringify({ keys: [jwk] }));
        else res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => issuerServer.listen(0, '127.0.0.1', resolve));
      issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => issuerServer?.close(() => resolve())));

    const token = (claims: Record<string, unknown>, expiresIn = '5m') =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(issuer)
        .setSubject('user-1')
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(privateKey);

    async function httpApiWith(authorizer: Omit<CreateAuthorizerRequest, 'ApiId'>, scopes?: string[]) {
      const { ApiId } = await http.send(
        new CreateApiCommand({ Name: `auth-${authorizer.Name}`, ProtocolType: 'HTTP' }),
      );
      const { AuthorizerId } = await http.send(new CreateHttpAuthorizerCommand({ ApiId, ...authorizer }));
      const { IntegrationId } = await http.send(
        new CreateIntegrationCommand({
          ApiId,
          IntegrationType: 'AWS_PROXY',
          IntegrationUri: echoArn,
          PayloadFormatVersion: '2.0',
        }),
      );
      await http.send(
        new CreateRouteCommand({
          ApiId,
          RouteKey: 'GET /orders',
          Target: `integrations/${IntegrationId}`,
          AuthorizationType: authorizer.AuthorizerType === 'JWT' ? 'JWT' : 'CUSTOM',
          AuthorizerId,
          ...(scopes ? { AuthorizationScopes: scopes } : {}),
        }),
      );
      await http.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true }));
      return (headers: Record<string, string> = {}) =>
        httpCall(`${stratus.url}/_aws/execute-api/${ApiId}/orders`, { headers });
    }

    it('a JWT authorizer checks signature, audience, expiry and scopes', async () => {
      const call = await httpApiWith(
        {
          Name: 'jwt',
          AuthorizerType: 'JWT',
          IdentitySource: ['$request.header.Authorization'],
          JwtConfiguration: { Issuer: issuer, Audience: ['my-app'] },
        },
        ['orders:read'],
      );
      expect((await call()).status).toBe(401);
      const good = await call({
        authorization: `Bearer ${await token({ aud: 'my-app', scope: 'orders:read profile' })}`,
      });
      expect(good.status).toBe(200);
      expect(good.json()).toMatchObject({
        authorizer: { jwt: { claims: { sub: 'user-1', aud: 'my-app' }, scopes: ['orders:read', 'profile'] } },
      });
      // Cognito access tokens name their audience as client_id.
      expect(
        (await call({ authorization: await token({ client_id: 'my-app', scope: 'orders:read' }) })).status,
      ).toBe(200);
      expect(
        (await call({ authorization: await token({ aud: 'other', scope: 'orders:read' }) })).status,
      ).toBe(401);
      expect(
        (await call({ authorization: await token({ aud: 'my-app', scope: 'orders:read' }, '-1m') })).status,
      ).toBe(401);
      const noScope = await call({ authorization: await token({ aud: 'my-app', scope: 'profile' }) });
      expect(noScope.status).toBe(403);
      expect(noScope.json()).toEqual({ message: 'Forbidden' });
    });

    it('a Lambda REQUEST authorizer with simple responses passes its context on', async () => {
      const authorizerArn = (
        await createFunction(lambda, 'simple-authorizer', { 'index.mjs': simpleAuthorizer })
      ).FunctionArn!;
      const call = await httpApiWith({
        Name: 'simple',
        AuthorizerType: 'REQUEST',
        AuthorizerUri: lambdaUri(authorizerArn),
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: true,
        IdentitySource: ['$request.header.x-key'],
      });
      expect((await call()).status).toBe(401);
      expect((await call({ 'x-key': 'closed' })).status).toBe(403);
      const open = await call({ 'x-key': 'open' });
      expect(open.status).toBe(200);
      expect(open.json()).toMatchObject({ authorizer: { lambda: { tenant: 't1', route: 'GET /orders' } } });
    });
  });
});
