/**
 * Which function URL a request to the edge is for. Two forms reach the same URL:
 * - host-based, as on AWS: `http://{urlId}.lambda-url.{region}.localhost:4566/path` (and
 *   `{urlId}.lambda-url.{region}.on.aws`, for clients that resolve AWS's own name here);
 * - path-based, for clients that cannot choose the host: `/_aws/lambda-url/{urlId}/path`.
 */
import type { WireRequest } from '../../protocol/wire.js';

export interface FunctionUrlAddress {
  urlId: string;
  /** The region the host names; the path form names none. */
  region?: string;
  /** The path after the URL (the host, or `/_aws/lambda-url/{urlId}`), percent-encoded, from `/`. */
  path: string;
}

const HOST = /^([a-z0-9]{32})\.lambda-url\.([a-z0-9-]+)\.(?:localhost|on\.aws)(?::\d+)?$/i;
const PATH_FORM = /^\/_aws\/lambda-url\/([a-z0-9]{32})(\/.*)?$/i;

export function functionUrlAddress(
  request: Pick<WireRequest, 'headers' | 'path'>,
): FunctionUrlAddress | undefined {
  const host = HOST.exec(request.headers['host'] ?? '');
  if (host)
    return { urlId: host[1]!.toLowerCase(), region: host[2]!.toLowerCase(), path: request.path || '/' };
  const form = PATH_FORM.exec(request.path);
  if (form) return { urlId: form[1]!.toLowerCase(), path: form[2] ?? '/' };
  return undefined;
}
