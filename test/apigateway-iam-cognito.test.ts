/**
 * API Gateway's own authorization of callers: `AWS_IAM` methods of a REST API and routes of an
 * HTTP API, called with requests signed by the AWS SDK's signer for `execute-api` (valid,
 * unsigned, wrongly signed, expired, presigned), the function seeing who signed; and a REST API's
 * Cognito user pool authorizer, its tokens checked against the pool's keys served here by a tiny
 * JWKS server that stands in for Cognito (`cognitoUrl`). Stratus runs with `--require-auth`,
 * so signatures are checked for real.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  APIGatewayClient,
  BadRequestException,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  type PutMethodCommandInput,
  TestInvokeAuthorizerCommand,
} from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { createFunction } from './support/lambda.js';
import { httpCall } from './support/http.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

/** Answers with what API Gateway told it about the caller. */
const echo = `export const handler = async (event) => ({
  statusCode: 200,
  body: JSON.stringify({
    identity: event.requestContext.identity ?? null,
    authorizer: event.requestContext.authorizer ?? null,
  }),
});`;

/** A TOKEN authorizer: `allow-…` tokens get a policy, `bad` is refused, anything else fails. */
const tokenAuthorizer = `export const handler = async (event) => {
  if (event.authorizationToken === 'bad') throw new Error('Unauthorized');
  if (!event.authorizationToken.startsWith('allow-')) throw new Error('boom');
  return {
    principalId: event.authorizationToken.slice('allow-'.length),
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] },
  };
};`;

const lambdaUri = (arn: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`;

const poolId = 'us-east-1_TestPool';
const poolArn = `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${poolId}`;
const poolIssuer = `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`;

interface Echoed {
  identity: Record<string, unknown> | null;
  authorizer: Record<string, unknown> | null;
}

describe('API Gateway IAM and Cognito authorization', () => {
  let jwksServer: Server;
  let poolKey: CryptoKey;
  let stratus: TestStratus;
  let lambda: LambdaClient;
  let rest: APIGatewayClient;
  let http: ApiGatewayV2Client;
  let echoArn: string;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    poolKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'pool-1', alg: 'RS256', use: 'sig' };
    jwksServer = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === `/${poolId}/.well-known/jwks.json`) res.end(JSON.stringify({ keys: [jwk] }));
      else res.writeHead(404).end('{}');
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    stratus = await startTestStratus({
      requireAuth: true,
      cognitoUrl: `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`,
    });
    lambda = new LambdaClient(stratus.clientConfig);
    rest = new APIGatewayClient(stratus.clientConfig);
    http = new ApiGatewayV2Client(stratus.clientConfig);
    echoArn = (await createFunction(lambda, 'who-called', { 'index.mjs': echo })).FunctionArn!;
  });
  afterAll(async () => {
    for (const client of [lambda, rest, http]) client?.destroy();
    await stratus?.close();
    await new Promise<void>((resolve) => (jwksServer ? jwksServer.close(() => resolve()) : resolve()));
  });

  /** A GET of `url`, signed for execute-api as a client signs it. */
  async function signedCall(
    url: string,
    options: { secret?: string; signedAt?: Date; presign?: boolean; host?: string } = {},
  ) {
    const target = new URL(url);
    const host = options.host ?? target.host;
    const signer = new SignatureV4({
      credentials: { accessKeyId: 'test', secretAccessKey: options.secret ?? 'test' },
      region: 'us-east-1',
      service: 'execute-api',
      sha256: Hash.bind(null, 'sha256'),
    });
    const request = {
      method: 'GET',
      protocol: 'http:',
      hostname: host.split(':')[0]!,
      path: target.pathname,
      query: Object.fromEntries(target.searchParams),
      headers: { host },
    };
    const signingDate = options.signedAt ?? new Date();
    if (options.presign) {
      const presigned = await signer.presign(request, { signingDate, expiresIn: 300 });
      const query = new URLSearchParams(presigned.query as Record<string, string>);
      return httpCall(`${target.origin}${target.pathname}?${query}`, { headers: { host } });
    }
    const signed = await signer.sign(request, { signingDate });
    return httpCall(url, { headers: signed.headers as Record<string, string> });
  }

  /** A REST API resource with a GET method of this authorization, proxied to the echo function. */
  async function restMethod(
    restApiId: string,
    parentId: string,
    pathPart: string,
    auth: Partial<PutMethodCommandInput>,
  ) {
    const { id } = await rest.send(new CreateResourceCommand({ restApiId, parentId, pathPart }));
    await rest.send(
      new PutMethodCommand({
        restApiId,
        resourceId: id!,
        httpMethod: 'GET',
        authorizationType: 'NONE',
        ...auth,
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

  describe('AWS_IAM', () => {
    let restUrl: string;
    let restHost: string;
    let httpUrl: string;

    beforeAll(async () => {
      const api = await rest.send(new CreateRestApiCommand({ name: 'iam-rest' }));
      await restMethod(api.id!, api.rootResourceId!, 'private', { authorizationType: 'AWS_IAM' });
      await rest.send(new CreateDeploymentCommand({ restApiId: api.id!, stageName: 'prod' }));
      restUrl = `${stratus.url}/_aws/execute-api/${api.id}/prod/private`;
      restHost = `${api.id}.execute-api.localhost:${stratus.port}`;

      const { ApiId } = await http.send(new CreateApiCommand({ Name: 'iam-http', ProtocolType: 'HTTP' }));
      for (const [routeKey, version] of [
        ['GET /private', '2.0'],
        ['GET /v1', '1.0'],
      ] as const) {
        const { IntegrationId } = await http.send(
          new CreateIntegrationCommand({
            ApiId,
            IntegrationType: 'AWS_PROXY',
            IntegrationUri: echoArn,
            PayloadFormatVersion: version,
          }),
        );
        await http.send(
          new CreateRouteCommand({
            ApiId,
            RouteKey: routeKey,
            Target: `integrations/${IntegrationId}`,
            AuthorizationType: 'AWS_IAM',
          }),
        );
      }
      await http.send(new CreateStageCommand({ ApiId, StageName: '$default', AutoDeploy: true }));
      httpUrl = `${stratus.url}/_aws/execute-api/${ApiId}`;
    });

    it('REST: a signed call reaches the function with the signer in requestContext.identity', async () => {
      const answer = await signedCall(restUrl);
      expect(answer.status, answer.text).toBe(200);
      expect(answer.json<Echoed>().identity).toMatchObject({
        accessKey: 'test',
        accountId: '000000000000',
        caller: '000000000000',
        user: '000000000000',
        userArn: 'arn:aws:iam::000000000000:root',
        cognitoIdentityId: null,
        cognitoAuthenticationType: null,
        principalOrgId: null,
      });
      // The host-based URL, signed for that host, and a presigned URL work the same.
      const byHost = await signedCall(`http://127.0.0.1:${stratus.port}/prod/private`, { host: restHost });
      expect(byHost.status, byHost.text).toBe(200);
      expect((await signedCall(restUrl, { presign: true })).status).toBe(200);
    });

    it('REST: refuses an unsigned, a wrongly signed and an expired call with 403', async () => {
      const unsigned = await httpCall(restUrl);
      expect(unsigned.status).toBe(403);
      expect(unsigned.json()).toEqual({ message: 'Missing Authentication Token' });
      expect(unsigned.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');

      const wrong = await signedCall(restUrl, { secret: 'not-the-secret' });
      expect(wrong.status).toBe(403);
      expect(wrong.json<{ message: string }>().message).toMatch(
        /^The request signature we calculated does not match the signature you provided\./,
      );
      expect(wrong.headers['x-amzn-errortype']).toBe('InvalidSignatureException');

      const expired = await signedCall(restUrl, { signedAt: new Date(Date.now() - 10 * 60_000) });
      expect(expired.status).toBe(403);
      expect(expired.json<{ message: string }>().message).toMatch(
        /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
      );

      const bearer = await httpCall(restUrl, { headers: { authorization: 'Bearer abc' } });
      expect(bearer.status).toBe(403);
      expect(bearer.headers['x-amzn-errortype']).toBe('IncompleteSignatureException');
    });

    it('HTTP: a signed call carries requestContext.authorizer.iam (2.0) or identity (1.0)', async () => {
      const v2 = await signedCall(`${httpUrl}/private`);
      expect(v2.status, v2.text).toBe(200);
      expect(v2.json<Echoed>().authorizer).toEqual({
        iam: {
          accessKey: 'test',
          accountId: '000000000000',
          callerId: '000000000000',
          cognitoIdentity: null,
          principalOrgId: null,
          userArn: 'arn:aws:iam::000000000000:root',
          userId: '000000000000',
        },
      });
      const v1 = await signedCall(`${httpUrl}/v1?x=1`);
      expect(v1.status, v1.text).toBe(200);
      expect(v1.json<Echoed>().identity).toMatchObject({ accessKey: 'test', accountId: '000000000000' });
    });

    it('HTTP: refuses an unsigned, a wrongly signed and an expired call with 403', async () => {
      const unsigned = await httpCall(`${httpUrl}/private`);
      expect(unsigned.status).toBe(403);
      expect(unsigned.json()).toEqual({ message: 'Forbidden' });
      expect((await signedCall(`${httpUrl}/private`, { secret: 'nope' })).status).toBe(403);
      const expired = await signedCall(`${httpUrl}/private`, { signedAt: new Date(Date.now() - 3_600_000) });
      expect(expired.status).toBe(403);
      expect(expired.json<{ message: string }>().message).toMatch(/^Signature expired: /);
    });
  });

  describe('Cognito user pool authorizers', () => {
    let call: (path: string, token?: string) => ReturnType<typeof httpCall>;

    const token = (claims: JWTPayload, expiresIn = '1h') =>
      new SignJWT({ iss: poolIssuer, sub: 'user-1', ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'pool-1' })
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(poolKey);
    const idToken = (claims: JWTPayload = {}) =>
      token({
        aud: 'app-client',
        token_use: 'id',
        email: 'ann@example.com',
        'cognito:username': 'ann',
        ...claims,
      });
    const accessToken = (scope: string) => token({ client_id: 'app-client', token_use: 'access', scope });

    beforeAll(async () => {
      const api = await rest.send(new CreateRestApiCommand({ name: 'cognito-rest' }));
      const restApiId = api.id!;
      const authorizer = await rest.send(
        new CreateAuthorizerCommand({
          restApiId,
          name: 'pool',
          type: 'COGNITO_USER_POOLS',
          providerARNs: [poolArn],
          identitySource: 'method.request.header.Authorization',
        }),
      );
      expect(authorizer).toMatchObject({ type: 'COGNITO_USER_POOLS', authType: 'cognito_user_pools' });
      const cognito = { authorizationType: 'COGNITO_USER_POOLS', authorizerId: authorizer.id };
      await restMethod(restApiId, api.rootResourceId!, 'profile', cognito);
      await restMethod(restApiId, api.rootResourceId!, 'pets', {
        ...cognito,
        authorizationScopes: ['pets/read'],
      });
      await rest.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }));
      call = (path, value) =>
        httpCall(`${stratus.url}/_aws/execute-api/${restApiId}/prod/${path}`, {
          headers: value === undefined ? {} : { authorization: value },
        });
    });

    it('an authorizer needs the user pools it trusts', async () => {
      const { id } = await rest.send(new CreateRestApiCommand({ name: 'no-pool' }));
      await expect(
        rest.send(new CreateAuthorizerCommand({ restApiId: id!, name: 'p', type: 'COGNITO_USER_POOLS' })),
      ).rejects.toBeInstanceOf(BadRequestException);
    });

    it('an ID token of the pool gets in; its claims reach the function as strings', async () => {
      const answer = await call('profile', await idToken({ email_verified: true }));
      expect(answer.status, answer.text).toBe(200);
      const claims = answer.json<Echoed>().authorizer?.['claims'] as Record<string, string>;
      expect(claims).toMatchObject({
        sub: 'user-1',
        aud: 'app-client',
        token_use: 'id',
        email: 'ann@example.com',
        email_verified: 'true',
        'cognito:username': 'ann',
        iss: poolIssuer,
      });
      expect(claims['exp']).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
    });

    it('a method with scopes takes an access token that carries one', async () => {
      const answer = await call('pets', `Bearer ${await accessToken('openid pets/read')}`);
      expect(answer.status, answer.text).toBe(200);
      expect(answer.json<Echoed>().authorizer).toMatchObject({ claims: { scope: 'openid pets/read' } });
    });

    const refused: [string, string, () => Promise<string | undefined>][] = [
      ['no token', 'profile', async () => undefined],
      ['an access token where an ID token is wanted', 'profile', () => accessToken('pets/read')],
      ['an access token without the scope', 'pets', () => accessToken('openid pets/write')],
      ['an ID token where scopes are wanted', 'pets', () => idToken()],
      [
        'a token of another issuer',
        'profile',
        () => idToken({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/x' }),
      ],
      ['a token that is no JWT', 'profile', async () => 'garbage'],
    ];
    it.each(refused)('refuses %s with 401 Unauthorized', async (_, path, make) => {
      const answer = await call(path, await make());
      expect(answer.status).toBe(401);
      expect(answer.json()).toEqual({ message: 'Unauthorized' });
    });

    it('refuses an expired token with 401, saying so', async () => {
      const answer = await call('profile', await token({ aud: 'app-client', token_use: 'id' }, '-1m'));
      expect(answer.status).toBe(401);
      expect(answer.json()).toEqual({ message: 'The incoming token has expired' });
    });
  });
  describe('TestInvokeAuthorizer', () => {
    it('runs a TOKEN authorizer on a made-up request and returns its answer as it came', async () => {
      const authorizerArn = (await createFunction(lambda, 'test-token', { 'index.mjs': tokenAuthorizer }))
        .FunctionArn!;
      const { id: restApiId } = await rest.send(new CreateRestApiCommand({ name: 'test-invoke' }));
      const { id: authorizerId } = await rest.send(
        new CreateAuthorizerCommand({
          restApiId,
          name: 'tokens',
          type: 'TOKEN',
          authorizerUri: lambdaUri(authorizerArn),
          identitySource: 'method.request.header.Authorization',
        }),
      );
      const test = (headers: Record<string, string>) =>
        rest.send(
          new TestInvokeAuthorizerCommand({
            restApiId,
            authorizerId,
            headers,
            pathWithQueryString: '/pets?x=1',
          }),
        );
      const allowed = await test({ Authorization: 'allow-ann' });
      expect(allowed).toMatchObject({ clientStatus: 200, principalId: 'ann' });
      expect(JSON.parse(allowed.policy!)).toMatchObject({
        Statement: [
          {
            Effect: 'Allow',
            Resource: `arn:aws:execute-api:us-east-1:000000000000:${restApiId}/test-invoke-stage/GET/pets`,
          },
        ],
      });
      expect(allowed.log).toContain(`Starting authorizer: ${authorizerId}`);
      expect((await test({ Authorization: 'bad' })).clientStatus).toBe(401);
      expect((await test({})).clientStatus).toBe(401);
      expect((await test({ Authorization: 'crash' })).clientStatus).toBe(500);
    });

    it('checks an ID token with a Cognito authorizer and returns its claims', async () => {
      const { id: restApiId } = await rest.send(new CreateRestApiCommand({ name: 'test-invoke-pool' }));
      const { id: authorizerId } = await rest.send(
        new CreateAuthorizerCommand({
          restApiId,
          name: 'pool',
          type: 'COGNITO_USER_POOLS',
          providerARNs: [poolArn],
        }),
      );
      const idToken = await new SignJWT({ iss: poolIssuer, sub: 'user-9', aud: 'app', token_use: 'id' })
        .setProtectedHeader({ alg: 'RS256', kid: 'pool-1' })
        .setExpirationTime('1h')
        .sign(poolKey);
      const allowed = await rest.send(
        new TestInvokeAuthorizerCommand({ restApiId, authorizerId, headers: { Authorization: idToken } }),
      );
      expect(allowed).toMatchObject({ clientStatus: 200, claims: { sub: 'user-9', token_use: 'id' } });
      const refused = await rest.send(
        new TestInvokeAuthorizerCommand({ restApiId, authorizerId, headers: { Authorization: 'nope' } }),
      );
      expect(refused.clientStatus).toBe(401);
    });
  });
});
