/**
 * A client's `Cache-Control: max-age=0`: a request to skip a REST API stage's cache and refresh
 * the entry. AWS honours it from callers allowed `execute-api:InvalidateCache` when the method's
 * `requireAuthorizationForCacheControl` is on (its default), from anyone otherwise.
 *
 * Stratus evaluates no IAM policies (docs/differences.md): every authenticated caller may do
 * everything in its account. So a caller may invalidate when the request carries a SigV4
 * signature for `execute-api` that Stratus accepts — any well-formed one on a loopback bind
 * without `--require-auth`, else a valid one by a configured key — in the API's account.
 */
import type { Authenticator } from '../../../server/auth.js';
import type { ApiCall } from './api-call.js';

/** Whether a request's `Cache-Control` headers ask for a fresh answer (`max-age=0`). */
export function asksForFreshAnswer(headers: ApiCall['headers']): boolean {
  return headers.some(
    ([name, value]) =>
      name.toLowerCase() === 'cache-control' &&
      value.split(',').some((directive) => /^\s*max-age\s*=\s*"?0+"?\s*$/i.test(directive)),
  );
}

export class CacheInvalidators {
  constructor(private readonly authenticator: Authenticator) {}

  /** Whether the caller may invalidate cache entries of the call's API. */
  async mayInvalidate(call: ApiCall): Promise<boolean> {
    if (!call.wire) return false;
    const signer = await this.authenticator.signerOf(call.wire, 'execute-api');
    return !('failure' in signer) && signer.accountId === call.accountId;
  }
}
