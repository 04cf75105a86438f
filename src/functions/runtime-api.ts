/**
 * The Lambda Runtime API (version 2018-06-01) for one execution environment, on an ephemeral
 * loopback port: the runtime inside the sandbox long-polls `invocation/next` for an event and
 * answers with `invocation/{id}/response` or `invocation/{id}/error`; `init/error` reports a
 * runtime that could not start; a response may also be streamed (runtime-api-stream.ts). Every
 * call the runtime makes is turned into one typed `RuntimeMessage` for the environment's state
 * machine; this module holds no state beyond the one event in flight.
 *
 * Differences from Lambda: the runtime API is reachable from the host's loopback (functions share
 * the network namespace so they can reach Stratus's endpoint), so each new connection is checked
 * to come from a process of this environment (`authorize`) before it is served. Stratus's own
 * runtimes also get a connection of their own, a socket pair inherited at spawn (`serve`), which
 * they use instead: nothing else can reach it, and it is cheaper than loopback TCP.
 *
 * A warm invoke's two calls take the fast path (runtime-api-fast.ts); node:http serves the rest.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { PassThrough, type Readable } from 'node:stream';
import { FastConnection } from './runtime-api-fast.js';
import { isStreamedResponse, relayStreamedResponse, type StreamEnd } from './runtime-api-stream.js';

/** Lambda's limit for a synchronous response: 6 MB, plus the 100 bytes it tolerates. */
export const MAX_RESPONSE_BYTES = 6_291_556;

const PREFIX = '/2018-06-01/runtime/';

/** One event handed to the runtime through `invocation/next`. */
export interface RuntimeEvent {
  requestId: string;
  payload: Buffer;
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId: string;
  clientContext?: string;
  cognitoIdentity?: string;
}

/** What the runtime told us, one message per Runtime API call that matters. */
export type RuntimeMessage =
  /** The runtime asks for work; the first one means initialization is done. */
  | { type: 'next' }
  | { type: 'response'; requestId: string; payload: Buffer }
  | { type: 'responseTooLarge'; requestId: string; bytes: number }
  /** A streamed response begins (runtime-api-stream.ts); `body` carries it as it arrives. */
  | { type: 'responseStream'; requestId: string; contentType: string; body: Readable }
  /** The streamed response's request ended, whole or with an error from its trailers. */
  | ({ type: 'responseStreamEnd'; requestId: string } & StreamEnd)
  | { type: 'invocationError'; requestId: string; errorType: string; body: Buffer }
  | { type: 'initError'; errorType: string; body: Buffer };

export interface RuntimeApiOptions {
  onMessage: (message: RuntimeMessage) => void;
  /** Whether a new connection from this remote port may use the API. */
  authorize?: (remotePort: number, localPort: number) => boolean;
}

/** Where an answer goes: a node:http response or one of the fast path's. */
export interface RuntimeReply {
  send(status: number, headers: Record<string, string | number>, body: string | Buffer): void;
  destroy(): void;
  readonly destroyed: boolean;
  /** Called if the connection closes before the answer was sent. */
  onClose(listener: () => void): void;
}

function httpReply(res: ServerResponse): RuntimeReply {
  return {
    send: (status, headers, body) => void res.writeHead(status, headers).end(body),
    destroy: () => res.destroy(),
    onClose: (listener) => void res.on('close', listener),
    get destroyed() {
      return res.destroyed;
    },
  };
}

const json = (status: number, body: unknown) => ({ status, body: JSON.stringify(body) });
const ACCEPTED = json(202, { status: 'OK' });
const INVALID_REQUEST_ID = json(400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });

export class RuntimeApi {
  private readonly server: NetServer;
  private readonly http: Server;
  private readonly sockets = new Set<Socket>();
  private readonly connect: (socket: Socket) => void;
  private waiting: RuntimeReply | undefined;
  private queued: RuntimeEvent | undefined;
  /** The event delivered and not answered yet. */
  private inFlight: string | undefined;
  private initialized = false;
  private port = 0;

  constructor(private readonly options: RuntimeApiOptions) {
    this.http = createServer({ keepAliveTimeout: 0, requestTimeout: 0, headersTimeout: 0 }, (req, res) =>
      this.route(req, res),
    );
    // A long-poll may wait for minutes; the runtime, not a timer, decides when a connection ends.
    this.http.timeout = 0;
    const routes = {
      next: (reply: RuntimeReply) => this.next(reply),
      answer: (
        requestId: string,
        action: 'response' | 'error',
        errorType: string | undefined,
        body: Buffer,
        reply: RuntimeReply,
      ) => this.reply(reply, this.answer(requestId, action, errorType, body, body.length)),
      canWait: (status: number) => status === 202,
    };
    const handOff = (socket: Socket, rest: Buffer) => {
      this.http.emit('connection', socket);
      if (rest.length > 0) socket.unshift(rest);
      socket.resume();
    };
    this.connect = (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      new FastConnection(socket, routes, handOff);
    };
    this.server = createNetServer((socket: Socket) => {
      const { authorize } = this.options;
      if (authorize && !authorize(socket.remotePort ?? 0, this.port)) {
        socket.destroy();
        return;
      }
      this.connect(socket);
    });
  }

  /**
   * Serves a connection only the runtime has (its end of a socket pair, given at spawn): no
   * loopback port to check the owner of, and a Unix socket costs each exchange less than TCP.
   */
  serve(channel: Socket): void {
    this.connect(channel);
  }

  /** Starts listening; resolves to the value of `AWS_LAMBDA_RUNTIME_API`. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return `127.0.0.1:${this.port}`;
  }

  /** Hands an event to the runtime now if it is polling, or when it next polls. */
  deliver(event: RuntimeEvent): void {
    this.queued = event;
    this.flush();
  }

  close(): void {
    this.waiting?.destroy();
    this.waiting = undefined;
    this.server.close();
    this.http.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
  }

  private flush(): void {
    const event = this.queued;
    const res = this.waiting;
    if (!event || !res) return;
    this.queued = undefined;
    this.waiting = undefined;
    this.inFlight = event.requestId;
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json',
      'Content-Length': event.payload.length,
      'Lambda-Runtime-Aws-Request-Id': event.requestId,
      'Lambda-Runtime-Deadline-Ms': String(event.deadlineMs),
      'Lambda-Runtime-Invoked-Function-Arn': event.invokedFunctionArn,
      'Lambda-Runtime-Trace-Id': event.traceId,
    };
    if (event.clientContext !== undefined) headers['Lambda-Runtime-Client-Context'] = event.clientContext;
    if (event.cognitoIdentity !== undefined)
      headers['Lambda-Runtime-Cognito-Identity'] = event.cognitoIdentity;
    res.send(200, headers, event.payload);
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const parts = path.startsWith(PREFIX) ? path.slice(PREFIX.length).split('/') : [];
    if (req.method === 'GET' && parts.length === 2 && parts[0] === 'invocation' && parts[1] === 'next') {
      req.resume();
      this.next(httpReply(res));
      return;
    }
    if (req.method === 'POST' && parts.length === 2 && parts[0] === 'init' && parts[1] === 'error') {
      void this.readBody(req).then(({ body }) =>
        this.reply(httpReply(res), this.initError(req, body ?? Buffer.alloc(0))),
      );
      return;
    }
    if (req.method === 'POST' && parts.length === 3 && parts[0] === 'invocation') {
      const requestId = decodeURIComponent(parts[1] ?? '');
      const action = parts[2];
      if (action === 'response' && isStreamedResponse(req)) return this.streamed(req, res, requestId);
      if (action === 'response' || action === 'error') {
        void this.readBody(req).then(({ body, bytes }) =>
          this.reply(httpReply(res), this.answer(requestId, action, errorTypeHeader(req), body, bytes)),
        );
        return;
      }
    }
    req.resume();
    this.reply(
      httpReply(res),
      json(404, { errorMessage: `Unknown runtime API path ${path}`, errorType: 'NotFound' }),
    );
  }

  /** A streamed response: its body goes on as it arrives; the runtime's answer waits for its end. */
  private streamed(req: IncomingMessage, res: ServerResponse, requestId: string): void {
    if (requestId !== this.inFlight) {
      req.resume();
      return this.reply(httpReply(res), INVALID_REQUEST_ID);
    }
    const body = new PassThrough();
    const contentType = req.headers['content-type'] || 'application/octet-stream';
    this.options.onMessage({ type: 'responseStream', requestId, contentType, body });
    void relayStreamedResponse(req, body).then((end) => {
      if (!end) return;
      this.inFlight = undefined;
      this.options.onMessage({ type: 'responseStreamEnd', requestId, ...end });
      this.reply(httpReply(res), ACCEPTED);
    });
  }

  private next(reply: RuntimeReply): void {
    this.waiting?.destroy();
    this.waiting = reply;
    reply.onClose(() => {
      if (this.waiting === reply) this.waiting = undefined;
    });
    if (!this.initialized) this.initialized = true;
    this.options.onMessage({ type: 'next' });
    this.flush();
  }

  private initError(req: IncomingMessage, body: Buffer) {
    if (this.initialized) {
      return json(403, {
        errorMessage: 'Init error after initialization',
        errorType: 'InvalidStateTransition',
      });
    }
    this.options.onMessage({ type: 'initError', errorType: errorTypeOf(errorTypeHeader(req), body), body });
    return ACCEPTED;
  }

  private answer(
    requestId: string,
    action: 'response' | 'error',
    errorTypeHeader: string | undefined,
    body: Buffer | undefined,
    bytes: number,
  ) {
    if (requestId !== this.inFlight) return INVALID_REQUEST_ID;
    this.inFlight = undefined;
    if (body === undefined) {
      this.options.onMessage({ type: 'responseTooLarge', requestId, bytes });
      return json(413, {
        errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
        errorType: 'RequestEntityTooLarge',
      });
    }
    if (action === 'response') this.options.onMessage({ type: 'response', requestId, payload: body });
    else
      this.options.onMessage({
        type: 'invocationError',
        requestId,
        errorType: errorTypeOf(errorTypeHeader, body),
        body,
      });
    return ACCEPTED;
  }

  /** Reads a body up to the response limit; `body` is undefined when it was larger. */
  private readBody(req: IncomingMessage): Promise<{ body: Buffer | undefined; bytes: number }> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes <= MAX_RESPONSE_BYTES) chunks.push(chunk);
      });
      req.on('end', () =>
        resolve({ body: bytes <= MAX_RESPONSE_BYTES ? Buffer.concat(chunks) : undefined, bytes }),
      );
      req.on('error', () => resolve({ body: Buffer.alloc(0), bytes: 0 }));
    });
  }

  private reply(res: RuntimeReply, { status, body }: { status: number; body: string }): void {
    if (res.destroyed) return;
    res.send(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }, body);
  }
}

/** The error type the runtime reported: the document's `errorType`, else its header. */
function errorTypeOf(header: string | undefined, body: Buffer): string {
  try {
    const doc = JSON.parse(body.toString('utf8')) as { errorType?: unknown };
    if (typeof doc.errorType === 'string' && doc.errorType) return doc.errorType;
  } catch {
    // Not JSON (a custom runtime may post anything): fall back to the header.
  }
  return header || 'Unhandled';
}

function errorTypeHeader(req: IncomingMessage): string | undefined {
  const header = req.headers['lambda-runtime-function-error-type'];
  return typeof header === 'string' ? header : undefined;
}
