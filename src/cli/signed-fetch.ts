/**
 * `fetch` for Stratus's own `/_stratus/` endpoints, signed with SigV4 like any AWS request (the
 * command's credentials, see `connectionOf`), so the commands work against a server started
 * with `--require-auth`. A streamed body (a snapshot upload) is signed `UNSIGNED-PAYLOAD`.
 */
import { sigV4Signer } from '../protocol/sigv4.js';
import type { Readable } from 'node:stream';
import type { Connection } from './functions.js';

export interface SignedRequest {
  method?: string;
  /** A small body, hashed into the signature; or a stream, sent as it is read. */
  body?: string | Readable;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** The service name in the signature's scope: Stratus's endpoints are no AWS service. */
const signingService = 'stratus';

export async function signedFetch(
  connection: Connection,
  url: URL,
  request: SignedRequest = {},
): Promise<Response> {
  const { method = 'GET', body, signal } = request;
  const streamed = body !== undefined && typeof body !== 'string';
  const signer = sigV4Signer({
    credentials: connection.clientConfig.credentials,
    region: connection.region,
    service: signingService,
  });
  const signed = await signer.sign({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: {
      host: url.host,
      ...request.headers,
      ...(streamed ? { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } : {}),
    },
    body: streamed ? undefined : body,
  });
  // fetch sets Host itself, from the URL: the same value that was signed.
  const { host: _host, ...headers } = signed.headers;
  return fetch(url, {
    method,
    headers,
    signal,
    // Node's fetch sends an async iterable (a Readable) as a streamed body; `duplex` says so.
    ...(streamed ? { body, duplex: 'half' } : body !== undefined ? { body } : {}),
  } as RequestInit);
}

/** Why an endpoint said no, in words: its error (`Type: message`), or its HTTP status. */
export function controlFailure(connection: Connection, response: Response, body: unknown): string {
  const error = body as { __type?: unknown; message?: unknown } | undefined;
  if (typeof error?.message === 'string') {
    return typeof error.__type === 'string' ? `${error.__type}: ${error.message}` : error.message;
  }
  return `${connection.endpoint.origin} answered HTTP ${response.status}`;
}
