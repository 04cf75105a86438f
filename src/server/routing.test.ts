import { describe, expect, it } from 'vitest';
import { loadServiceModel } from '../protocol/model.js';
import type { SigV4Claim } from '../protocol/sigv4.js';
import type { WireRequest } from '../protocol/wire.js';
import type { ServiceDefinition } from '../services/service.js';
import { ServiceRouter } from './routing.js';

/** SES v1 (query) and v2 (REST) share the signing name `ses`, the host `email.…` and operation names. */
const definition = (name: string): ServiceDefinition => ({
  name,
  model: loadServiceModel(name),
  create: () => ({ provider: {} }),
});
// v2 first: the order of registration must not decide.
const router = new ServiceRouter([definition('sesv2'), definition('ses'), definition('sts')]);
const sesClaim = { service: 'ses' } as SigV4Claim;

function request(partial: Partial<WireRequest>): WireRequest {
  return { method: 'POST', path: '/', query: {}, headers: {}, body: Buffer.alloc(0), ...partial };
}

const form = (body: string) =>
  request({
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', host: '127.0.0.1:4566' },
    body: Buffer.from(body),
  });

describe('ServiceRouter with two services behind one signing name', () => {
  it.each([
    [
      'a v1 Action both models name (SendEmail)',
      form('Action=SendEmail&Version=2010-12-01'),
      sesClaim,
      'ses',
    ],
    ['a v1-only Action', form('Action=VerifyEmailIdentity&Version=2010-12-01'), sesClaim, 'ses'],
    ['an unknown Action by its Version', form('Action=Nope&Version=2010-12-01'), sesClaim, 'ses'],
    ['a v2 REST path', request({ path: '/v2/email/outbound-emails' }), sesClaim, 'sesv2'],
    [
      'a v2 GET with a label',
      request({ method: 'GET', path: '/v2/email/identities/a%40b.c' }),
      sesClaim,
      'sesv2',
    ],
    [
      'a v2 path on the shared host, unsigned',
      request({ path: '/v2/email/outbound-emails', headers: { host: 'email.us-east-1.amazonaws.com' } }),
      undefined,
      'sesv2',
    ],
    [
      'another service by its own scope',
      form('Action=GetCallerIdentity&Version=2011-06-15'),
      { service: 'sts' } as SigV4Claim,
      'sts',
    ],
  ])('routes %s', (_, wire, claim, expected) => {
    expect(router.route(wire, claim)?.name).toBe(expected);
  });

  it('routes a v1 request on the shared host by its Action, not the host', () => {
    const wire = form('Action=SendEmail&Version=2010-12-01');
    wire.headers.host = 'email.us-east-1.amazonaws.com';
    expect(router.route(wire, undefined)?.name).toBe('ses');
  });
});
