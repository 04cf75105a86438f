/**
 * `AWS_IAM` on `$connect`: the handshake must carry a SigV4 signature for `execute-api` — in its
 * headers, or presigned in its URL as browsers must — checked by the one check REST and HTTP
 * APIs' `AWS_IAM` and function URLs use (`Authenticator.signerOf`): a valid signature from a
 * known key is enough (IAM policies are not evaluated), and `--require-auth` decides how strictly
 * keys and signatures are checked. The signer is named as those APIs' events name it.
 */
import type { IncomingMessage } from 'node:http';
import type { WireRequest } from '../../../protocol/wire.js';
import type { Authenticator } from '../../../server/auth.js';
import { parseQueryString } from '../../../server/http-server.js';
import { signerIdentity } from '../invoke/signer.js';

/** What API Gateway tells an `AWS_IAM` integration about the signer: `requestContext.identity`. */
export type Caller = Record<string, string>;

/** The handshake as SigV4 reads it: its path as sent, decoded query, lower-case headers. */
export function handshakeRequest(request: IncomingMessage): WireRequest {
  const url = request.url ?? '/';
  const q = url.indexOf('?');
  const query = parseQueryString(q === -1 ? '' : url.slice(q + 1));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return { method: request.method ?? 'GET', path: url, query, headers, body: Buffer.alloc(0) };
}

/** Who signed the handshake for `execute-api`, or undefined when it is not validly signed. */
export async function handshakeSigner(
  authenticator: Authenticator,
  request: WireRequest,
): Promise<Caller | undefined> {
  const signer = await authenticator.signerOf(request, 'execute-api');
  return 'failure' in signer ? undefined : signerIdentity(signer);
}
