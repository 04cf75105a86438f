/**
 * Which deployed API and stage a request to the edge is for. Two forms reach the same API:
 * - host-based, as on AWS: `http://{apiId}.execute-api.localhost:4566/{stage}/path` (also
 *   `{apiId}.execute-api.{region}.amazonaws.com` and any other `{apiId}.execute-api.…` host
 *   that resolves here);
 * - path-based, for clients that cannot choose the host: `/_aws/execute-api/{apiId}/{stage}/path`.
 * HTTP APIs have a `$default` stage served without a stage segment; which stage a first segment
 * is can only be told with the API's stages at hand, so the address keeps the whole path too.
 */
import type { WireRequest } from '../../../protocol/wire.js';

export interface InvokeAddress {
  apiId: string;
  /** The path after the API (the host, or `/_aws/execute-api/{apiId}`), percent-encoded, from `/`. */
  path: string;
  /**
   * Through a custom domain (domains/domain-route.ts): the stage its mapping names — `path` is
   * then the path after it — and the whole path the client sent.
   */
  stage?: string;
  requestPath?: string;
}

const HOST = /^([a-z0-9]{10})\.execute-api\./i;
const PATH_FORM = /^\/_aws\/execute-api\/([a-z0-9]{10})(\/.*)?$/i;

export function invokeAddress(request: WireRequest): InvokeAddress | undefined {
  const host = HOST.exec(request.headers['host'] ?? '');
  if (host) return { apiId: host[1]!.toLowerCase(), path: request.path || '/' };
  const form = PATH_FORM.exec(request.path);
  if (form) return { apiId: form[1]!.toLowerCase(), path: form[2] ?? '/' };
  return undefined;
}

/** The first segment of a path (a stage name, percent-decoded) and the rest from its `/`. */
export function splitStage(path: string): { stage: string; rest: string } {
  const slash = path.indexOf('/', 1);
  const first = slash === -1 ? path.slice(1) : path.slice(1, slash);
  let stage = first;
  try {
    stage = decodeURIComponent(first);
  } catch {
    // a malformed escape stays as sent, and names no stage
  }
  return { stage, rest: slash === -1 ? '/' : path.slice(slash) };
}
