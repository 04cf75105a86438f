/**
 * The one HTTP port. Turns each request's line and headers into a `WireRequest` and hands it,
 * with its body not read yet, to Stratus's own endpoints (`/_stratus/…`), an edge route, or the
 * AWS pipeline; each reads the body whole (bounded, 413 beyond) or as a stream, and may answer
 * with a stream. A client that sent `Expect: 100-continue` is told to go on only when the body is
 * first read, so a request refused before that never uploads; a response sent while the body is
 * still unread closes the connection rather than reading the rest. A WebSocket handshake goes to
 * the edge route that accepts it, if that route takes upgrades.
 */
import { createServer, ServerResponse, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { pipeline, Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { StreamingWireResponse, WireRequest, WireResponse } from '../protocol/wire.js';
import type { EdgeRoute } from '../services/service.js';

export type RequestHandler = (request: WireRequest, body: RequestBody) => Promise<StreamingWireResponse>;

/** An answer of Stratus's own endpoints: like the AWS pipeline's, or streamed (snapshots). */
export type InternalResponse = Omit<WireResponse, 'body' | 'headers'> & {
  body: Buffer | string | Readable;
  /** A header may repeat (`Set-Cookie` from a deployed API): a value may be a list. */
  headers: Record<string, string | string[]>;
};

/** The body of a request, not read until asked for. */
export interface RequestBody {
  /** The whole body, within `maxRequestBytes` (413 beyond). */
  read(): Promise<Buffer>;
  /** The body as it arrives, unbounded, for endpoints that stream it to disk. */
  readonly stream: Readable;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function parseQueryString(search: string): Record<string, string[]> {
  const query: Record<string, string[]> = {};
  if (!search) return query;
  for (const pair of search.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = safeDecode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : safeDecode(pair.slice(eq + 1));
    (query[name] ??= []).push(value);
  }
  return query;
}

function headersOf(message: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

export class BodyTooLarge extends Error {}

function readBody(message: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(message.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    message.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        message.pause();
        return;
      }
      chunks.push(chunk);
    });
    message.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    message.on('error', reject);
  });
}

function send(res: ServerResponse, response: InternalResponse): void {
  if (response.body instanceof Readable) {
    res.writeHead(response.status, response.headers);
    // A stream that fails midway cannot become an error answer any more: the client sees a cut.
    pipeline(response.body, res, (err) => {
      if (err) res.destroy();
    });
    return;
  }
  const body = typeof response.body === 'string' ? Buffer.from(response.body) : response.body;
  // A HEAD answer has no body but tells the length a GET's would have (S3's HeadObject).
  const headLength = res.req.method === 'HEAD' && response.headers['content-length'] !== undefined;
  res.writeHead(
    response.status,
    headLength ? response.headers : { ...response.headers, 'content-length': body.length },
  );
  res.end(body);
}

/** Sends `response`, closing the connection if the request's body was not read to its end. */
function sendAfter(req: IncomingMessage, res: ServerResponse, response: InternalResponse): void {
  send(res, req.complete ? response : { ...response, headers: { ...response.headers, connection: 'close' } });
}

export function tooLargeResponse(limit: number): WireResponse {
  return {
    status: 413,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': 'RequestEntityTooLargeException',
      connection: 'close',
    },
    body: JSON.stringify({
      __type: 'RequestEntityTooLargeException',
      message: `Request must be smaller than ${limit} bytes.`,
    }),
  };
}

export function createHttpServer(
  options: { maxRequestBytes: number; logger: Logger },
  handlers: {
    internal: (request: WireRequest, body: RequestBody) => Promise<InternalResponse>;
    aws: RequestHandler;
    /** The service route that serves a request which is not an AWS API call, if one does. */
    edge?: (request: WireRequest) => EdgeRoute | undefined;
  },
): Server {
  const onRequest = async (req: IncomingMessage, res: ServerResponse, expectsContinue = false) => {
    let continued = !expectsContinue;
    const goOn = () => {
      if (continued) return;
      continued = true;
      res.writeContinue();
    };
    const body: RequestBody = {
      read: () => {
        goOn();
        return readBody(req, options.maxRequestBytes);
      },
      get stream() {
        goOn();
        return req;
      },
    };
    try {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const request = wireRequestOf(req);
      if (request.path.startsWith('/_stratus/')) {
        return sendAfter(req, res, await handlers.internal(request, body));
      }
      const edge = handlers.edge?.(request);
      if (edge) {
        try {
          goOn();
          request.body = await readBody(req, edge.maxBodyBytes);
        } catch (err) {
          if (!(err instanceof BodyTooLarge)) throw err;
          const answer = edge.tooLarge();
          send(res, { ...answer, headers: { ...answer.headers, connection: 'close' } });
          req.destroy();
          return;
        }
        return send(
          res,
          await edge.handle({
            ...request,
            rawHeaders: req.rawHeaders,
            remoteAddress: req.socket.remoteAddress ?? '127.0.0.1',
            httpVersion: req.httpVersion,
            rawQueryString: q === -1 ? '' : url.slice(q + 1),
          }),
        );
      }
      sendAfter(req, res, await handlers.aws(request, body));
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        send(res, tooLargeResponse(options.maxRequestBytes));
        req.destroy();
        return;
      }
      options.logger.error({ err }, 'request failed outside the pipeline');
      if (!res.headersSent)
        send(res, {
          status: 500,
          headers: { 'content-type': 'application/json' },
          body: '{"__type":"InternalFailure"}',
        });
      else res.destroy();
    }
  };
  const server = createServer((req, res) => void onRequest(req, res));
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => void onRequest(req, res, true));
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const edge = handlers.edge?.(wireRequestOf(req));
    if (edge?.upgrade && req.headers.upgrade?.toLowerCase() === 'websocket') {
      edge.upgrade(req, socket, head);
      return;
    }
    // Any other upgrade offer (curl --http2's `Upgrade: h2c`) is declined: the request is served
    // over HTTP/1.1 like any other, its body what came with its headers.
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket);
    res.on('finish', () => {
      res.detachSocket(socket);
      socket.end();
    });
    if (head.length > 0) req.unshift(head);
    void onRequest(req, res);
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

/** The request line and headers; the body is read later, by whoever serves the request. */
function wireRequestOf(req: IncomingMessage): WireRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return {
    method: req.method ?? 'GET',
    path: q === -1 ? url : url.slice(0, q),
    query: parseQueryString(q === -1 ? '' : url.slice(q + 1)),
    headers: headersOf(req),
    body: Buffer.alloc(0),
  };
}
