import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { claimDate, claimStrings, CognitoAuthorizers, type CognitoCheck } from './cognito-authorizer.js';
import { KeySets } from './key-sets.js';

const poolId = 'us-east-1_Pool1';
const providerArns = [`arn:aws:cognito-idp:us-east-1:111122223333:userpool/${poolId}`];
const cognitoIssuer = `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`;

describe('CognitoAuthorizers', () => {
  let server: Server;
  let cognitoUrl: string;
  let poolKey: CryptoKey;
  let strangerKey: CryptoKey;
  let cognito: CognitoAuthorizers;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    poolKey = pair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'pool-key', alg: 'RS256', use: 'sig' };
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === `/${poolId}/.well-known/jwks.json`) res.end(JSON.stringify({ keys: [jwk] }));
      else res.writeHead(404).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cognitoUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    cognito = new CognitoAuthorizers(new KeySets(), cognitoUrl);
  });
  afterAll(() => new Promise<void>((resolve) => server?.close(() => resolve())));

  const token = (claims: JWTPayload, options: { key?: CryptoKey; expiresIn?: string } = {}) =>
    new SignJWT({ iss: cognitoIssuer, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'pool-key' })
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '1h')
      .sign(options.key ?? poolKey);
  const idToken = (claims: JWTPayload = {}) =>
    token({ sub: 'u-1', aud: 'client-1', token_use: 'id', 'cognito:username': 'ann', ...claims });
  const accessToken = (scope: string) =>
    token({ sub: 'u-1', client_id: 'client-1', token_use: 'access', scope });
  const check = (value: string | undefined, extra: Partial<CognitoCheck> = {}): CognitoCheck => ({
    token: value,
    providerArns,
    scopes: [],
    audiencePattern: undefined,
    ...extra,
  });

  it('takes an ID token of the pool on a method without scopes, with or without Bearer', async () => {
    const id = await idToken({ email_verified: true, 'cognito:groups': ['admin', 'staff'] });
    for (const value of [id, `Bearer ${id}`]) {
      const outcome = await cognito.authorize(check(value));
      expect(outcome).toMatchObject({
        kind: 'allow',
        context: {
          claims: {
            sub: 'u-1',
            'cognito:username': 'ann',
            email_verified: 'true',
            'cognito:groups': 'admin,staff',
            token_use: 'id',
          },
        },
      });
    }
  });

  const refused: [string, () => Promise<string | undefined>, Partial<CognitoCheck>][] = [
    ['no token', async () => undefined, {}],
    ['an access token where an ID token is wanted', () => accessToken('pets/read'), {}],
    ['an ID token where scopes are wanted', () => idToken(), { scopes: ['pets/read'] }],
    ['an access token without the scope', () => accessToken('openid pets/write'), { scopes: ['pets/read'] }],
    ['another issuer', () => idToken({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/other' }), {}],
    ['a key the pool does not publish', () => token({ token_use: 'id' }, { key: strangerKey }), {}],
    [
      'a pool the authorizer does not name',
      () => idToken(),
      { providerArns: ['arn:aws:cognito-idp:us-east-1:1:userpool/x'] },
    ],
    ['an audience the validation expression refuses', () => idToken(), { audiencePattern: 'web-.*' }],
    ['something that is no JWT', async () => 'not-a-token', {}],
  ];
  it.each(refused)('refuses %s with 401 Unauthorized', async (_, make, extra) => {
    expect(await cognito.authorize(check(await make(), extra))).toEqual({ kind: 'unauthorized' });
  });

  it('takes an access token carrying one of the method’s scopes', async () => {
    const outcome = await cognito.authorize(
      check(await accessToken('openid pets/read'), { scopes: ['pets/write', 'pets/read'] }),
    );
    expect(outcome).toMatchObject({ kind: 'allow', context: { claims: { scope: 'openid pets/read' } } });
  });

  it('matches the validation expression against the whole audience', async () => {
    expect((await cognito.authorize(check(await idToken(), { audiencePattern: 'client-\\d' }))).kind).toBe(
      'allow',
    );
    expect((await cognito.authorize(check(await idToken(), { audiencePattern: 'client' }))).kind).toBe(
      'unauthorized',
    );
  });

  it('says an expired token has expired', async () => {
    const expired = await token({ token_use: 'id' }, { expiresIn: '-1m' });
    expect(await cognito.authorize(check(expired))).toEqual({
      kind: 'unauthorized',
      message: 'The incoming token has expired',
    });
  });

  it('fails as a broken authorizer when the pool’s keys cannot be fetched', async () => {
    const elsewhere = new CognitoAuthorizers(new KeySets(), `${cognitoUrl}/nothing-here`);
    const outcome = await elsewhere.authorize(check(await idToken({ iss: cognitoIssuer })));
    expect(outcome).toEqual({
      kind: 'error',
      reason: expect.stringContaining(
        `could not be fetched from ${cognitoUrl}/nothing-here/${poolId}/.well-known/jwks.json`,
      ),
    });
  });

  it('accepts tokens issued under the configured Cognito URL (a local Cognito emulator)', async () => {
    expect((await cognito.authorize(check(await idToken({ iss: `${cognitoUrl}/${poolId}` })))).kind).toBe(
      'allow',
    );
  });
});

describe('claimStrings', () => {
  it('writes every claim as API Gateway hands it to the integration', () => {
    expect(
      claimStrings({
        exp: 1544116103,
        iat: 1544112503,
        auth_time: 1544112503,
        email_verified: false,
        'cognito:groups': ['a', 'b'],
        address: { formatted: 'x' },
      }),
    ).toEqual({
      exp: 'Thu Dec 06 17:08:23 UTC 2018',
      iat: 'Thu Dec 06 16:08:23 UTC 2018',
      auth_time: '1544112503',
      email_verified: 'false',
      'cognito:groups': 'a,b',
      address: '{"formatted":"x"}',
    });
    expect(claimDate(0)).toBe('Thu Jan 01 00:00:00 UTC 1970');
  });
});
