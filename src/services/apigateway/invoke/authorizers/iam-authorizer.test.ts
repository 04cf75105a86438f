import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../../config.js';
import { ManualClock } from '../../../../engine/clock.js';
import { sigV4Signer } from '../../../../protocol/sigv4.js';
import type { WireRequest } from '../../../../protocol/wire.js';
import { Authenticator } from '../../../../server/auth.js';
import { IamAuthorizer, type IamOutcome } from './iam-authorizer.js';

const now = Date.UTC(2026, 0, 15, 12, 0, 0);
const key = { accessKeyId: 'AKIDAPI', secretAccessKey: 'api-secret' };
const host = 'abcdef1234.execute-api.localhost:4566';

function authorizer(requireAuth: boolean): IamAuthorizer {
  const config = resolveConfig({
    requireAuth,
    credentials: [{ ...key, accountId: '111122223333' }],
  });
  return new IamAuthorizer(new Authenticator(config, new ManualClock(now)));
}

/** The request as the edge reads it, signed as a client signs it. */
async function signed(
  options: { secret?: string; service?: string; at?: number; presign?: boolean } = {},
): Promise<WireRequest> {
  const signer = sigV4Signer({
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: options.secret ?? key.secretAccessKey },
    region: 'us-east-1',
    service: options.service ?? 'execute-api',
  });
  const request = {
    method: 'GET',
    protocol: 'http:',
    hostname: host,
    path: '/prod/pets',
    query: { kind: 'cat' },
    headers: { host },
  };
  const signingDate = new Date(options.at ?? now);
  const done = options.presign
    ? await signer.presign(request, { signingDate, expiresIn: 60 })
    : await signer.sign(request, { signingDate });
  const query: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(done.query ?? {})) query[name] = [String(value)];
  return {
    method: 'GET',
    path: '/prod/pets',
    query,
    headers: Object.fromEntries(Object.entries(done.headers).map(([n, v]) => [n.toLowerCase(), v])),
    body: Buffer.alloc(0),
  };
}

function refusal(outcome: IamOutcome): { status: number; type: unknown; message: unknown } {
  if (outcome.kind !== 'refused') throw new Error('expected a refusal');
  const { response } = outcome;
  return {
    status: response.status,
    type: response.headers['x-amzn-errortype'],
    message: (JSON.parse(String(response.body)) as { message: unknown }).message,
  };
}

describe('IamAuthorizer', () => {
  it('names the signer of a request signed for execute-api, by header or presigned query', async () => {
    for (const presign of [false, true]) {
      expect(await authorizer(true).authorize(await signed({ presign }), 'REST', 'r')).toEqual({
        kind: 'signed',
        signer: { accessKeyId: 'AKIDAPI', accountId: '111122223333' },
      });
    }
  });

  it('refuses an unsigned call as API Gateway does: REST and HTTP APIs in their own words', async () => {
    const unsigned: WireRequest = { method: 'GET', path: '/', query: {}, headers: {}, body: Buffer.alloc(0) };
    expect(refusal(await authorizer(true).authorize(unsigned, 'REST', 'r'))).toEqual({
      status: 403,
      type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
    expect(refusal(await authorizer(false).authorize(undefined, 'HTTP', 'r'))).toEqual({
      status: 403,
      type: 'ForbiddenException',
      message: 'Forbidden',
    });
  });

  it('lists what an Authorization header that is not SigV4 lacks', async () => {
    const bearer: WireRequest = {
      method: 'GET',
      path: '/',
      query: {},
      headers: { authorization: 'Bearer abc' },
      body: Buffer.alloc(0),
    };
    expect(refusal(await authorizer(false).authorize(bearer, 'REST', 'r'))).toEqual({
      status: 403,
      type: 'IncompleteSignatureException',
      message:
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either " +
        "a 'X-Amz-Date' or a 'Date' header. Authorization=Bearer abc",
    });
  });

  it('refuses a signature for another service, an unknown key and a wrong secret', async () => {
    const iam = authorizer(true);
    expect(refusal(await iam.authorize(await signed({ service: 'lambda' }), 'REST', 'r'))).toEqual({
      status: 403,
      type: 'InvalidSignatureException',
      message: "Credential should be scoped to correct service: 'execute-api'. ",
    });
    const unknown = await signed();
    unknown.headers['authorization'] = unknown.headers['authorization']!.replace('AKIDAPI', 'AKIDNOBODY');
    expect(refusal(await iam.authorize(unknown, 'HTTP', 'r'))).toMatchObject({
      status: 403,
      message: 'The security token included in the request is invalid.',
    });
    expect(refusal(await iam.authorize(await signed({ secret: 'wrong' }), 'REST', 'r'))).toMatchObject({
      status: 403,
      type: 'InvalidSignatureException',
      message: expect.stringMatching(/^The request signature we calculated does not match/),
    });
  });

  it('refuses a signature older than five minutes, saying when it expired', async () => {
    const outcome = await authorizer(true).authorize(await signed({ at: now - 6 * 60_000 }), 'REST', 'r');
    expect(refusal(outcome)).toEqual({
      status: 403,
      type: 'InvalidSignatureException',
      message:
        'Signature expired: 20260115T115400Z is now earlier than 20260115T115500Z (20260115T120000Z - 5 min.)',
    });
    expect((await authorizer(true).authorize(await signed({ at: now - 4 * 60_000 }), 'REST', 'r')).kind).toBe(
      'signed',
    );
  });

  it('without --require-auth, takes any signature for execute-api: the key picks the account', async () => {
    const outcome = await authorizer(false).authorize(await signed({ secret: 'wrong' }), 'REST', 'r');
    expect(outcome).toEqual({
      kind: 'signed',
      signer: { accessKeyId: 'AKIDAPI', accountId: '111122223333' },
    });
    expect((await authorizer(false).authorize(await signed({ service: 's3' }), 'REST', 'r')).kind).toBe(
      'refused',
    );
  });
});
