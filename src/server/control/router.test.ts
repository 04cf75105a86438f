import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../config.js';
import { hostClock } from '../../engine/clock.js';
import { jsonResponse, type WireRequest } from '../../protocol/wire.js';
import { Authenticator } from '../auth.js';
import { BodyTooLarge, type InternalResponse, type RequestBody } from '../http-server.js';
import { ControlRouter, type ControlRoute } from './router.js';

const key = { accessKeyId: 'AKIAROUTER', secretAccessKey: 'router-secret', accountId: '000000000000' };

function routerWith(requireAuth: boolean, ...routes: ControlRoute[]): ControlRouter {
  const config = resolveConfig({ requireAuth, credentials: [key] });
  const router = new ControlRouter(new Authenticator(config, hostClock), 1000);
  router.add(...routes);
  return router;
}

const echo = (access: ControlRoute['access'], body?: ControlRoute['body']): ControlRoute => ({
  method: 'POST',
  path: /^\/_stratus\/echo$/,
  access,
  ...(body ? { body } : {}),
  handle: async (_match, request, stream) =>
    jsonResponse(200, {
      body: body === 'stream' ? Buffer.concat(await stream.toArray()).toString() : request.body.toString(),
    }),
});

function request(headers: Record<string, string> = {}, path = '/_stratus/echo'): WireRequest {
  return {
    method: 'POST',
    path,
    query: {},
    headers: { host: 'localhost:4566', ...headers },
    body: Buffer.alloc(0),
  };
}

function bodyOf(text: string, limit = 1000): RequestBody {
  return {
    read: async () => {
      if (text.length > limit) throw new BodyTooLarge();
      return Buffer.from(text);
    },
    stream: Readable.from([Buffer.from(text)]),
  };
}

/** Signs like the CLI does: a small body hashed in, or `UNSIGNED-PAYLOAD` for a streamed one. */
async function signed(
  text: string,
  options: { secret?: string; streamed?: boolean } = {},
): Promise<WireRequest> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: key.accessKeyId, secretAccessKey: options.secret ?? key.secretAccessKey },
    region: 'us-east-1',
    service: 'stratus',
    sha256: Hash.bind(null, 'sha256'),
  });
  const out = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: 'localhost',
    path: '/_stratus/echo',
    query: {},
    headers: {
      host: 'localhost:4566',
      ...(options.streamed ? { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } : {}),
    },
    body: options.streamed ? undefined : text,
  });
  return request(out.headers);
}

const parsed = (response: InternalResponse) => ({
  status: response.status,
  body: JSON.parse(String(response.body)) as Record<string, unknown>,
});

describe('ControlRouter', () => {
  it('serves open routes to anyone, and signed ones to anyone while auth is open', async () => {
    expect(parsed(await routerWith(true, echo('open')).handle(request(), bodyOf('hi')))).toEqual({
      status: 200,
      body: { body: 'hi' },
    });
    expect(parsed(await routerWith(false, echo('signed')).handle(request(), bodyOf('hi'))).status).toBe(200);
  });

  it('with --require-auth, serves signed routes only to requests signed with a configured key', async () => {
    const router = routerWith(true, echo('signed'));
    expect(parsed(await router.handle(request(), bodyOf('hi')))).toEqual({
      status: 403,
      body: {
        __type: 'MissingAuthenticationTokenException',
        message: 'Request is missing Authentication Token',
      },
    });
    expect(parsed(await router.handle(await signed('hi'), bodyOf('hi')))).toEqual({
      status: 200,
      body: { body: 'hi' },
    });
    expect(parsed(await router.handle(await signed('hi'), bodyOf('tampered'))).body.__type).toBe(
      'InvalidSignatureException',
    );
    expect(parsed(await router.handle(await signed('hi', { secret: 'wrong' }), bodyOf('hi'))).status).toBe(
      403,
    );
  });

  it('takes a streamed body only when its signature says UNSIGNED-PAYLOAD', async () => {
    const router = routerWith(true, echo('signed', 'stream'));
    expect(parsed(await router.handle(await signed('', { streamed: true }), bodyOf('a big file')))).toEqual({
      status: 200,
      body: { body: 'a big file' },
    });
    expect(parsed(await router.handle(await signed(''), bodyOf('a big file'))).status).toBe(403);
  });

  it('answers 404 for no such endpoint, 405 for another method, 413 for a body past the limit', async () => {
    const router = routerWith(false, echo('open'));
    expect(parsed(await router.handle(request({}, '/_stratus/nope'), bodyOf(''))).status).toBe(404);
    expect(parsed(await router.handle({ ...request(), method: 'GET' }, bodyOf(''))).status).toBe(405);
    expect((await router.handle(request(), bodyOf('x'.repeat(1001)))).status).toBe(413);
  });
});
