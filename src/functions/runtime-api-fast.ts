/**
 * The Runtime API's fast path: a warm invoke is `invocation/{id}/response` (or `/error`) and
 * `invocation/next`, usually pipelined in one write by the runtime. node:http spent about 170 µs
 * of Stratus's CPU on those two exchanges (a parser, an IncomingMessage and a ServerResponse
 * each, and a socket write for each answer); here they cost one parse of the bytes and, when
 * the runtime pipelined them, one write: the 202 for the answer leaves with the next event.
 *
 * Only plain HTTP/1.1 requests with a Content-Length (or no body) on those three routes are
 * served here. Anything else (init/error, unknown paths, chunked bodies, `Expect`, HTTP/1.0,
 * `Connection: close`, bodies over the limit) hands the connection, from that request on, to the
 * node:http server, which keeps every other behaviour of the API as it was.
 */
import type { Socket } from 'node:net';
import { MAX_RESPONSE_BYTES, type RuntimeReply } from './runtime-api.js';

const HEAD_END = Buffer.from('\r\n\r\n');
const PREFIX = '/2018-06-01/runtime/invocation/';
/** A head this long without its end is left to node:http to refuse. */
const MAX_HEAD_BYTES = 16 * 1024;

export interface FastRoutes {
  /** `invocation/next`: `reply` answers when an event comes. */
  next(reply: RuntimeReply): void;
  /** `invocation/{id}/response|error` with its whole body. */
  answer(
    requestId: string,
    action: 'response' | 'error',
    errorTypeHeader: string | undefined,
    body: Buffer,
    reply: RuntimeReply,
  ): void;
  /** Whether this response may wait to leave with the next event (a plain 202). */
  canWait(status: number): boolean;
}

interface Queued {
  bytes: Buffer | undefined;
  status: number;
  /** An `invocation/next` still waiting for its event. */
  holding: boolean;
  onClose?: () => void;
}

let dateText = '';
let dateSecond = 0;
/** The Date header, formatted once a second as node:http does. */
function httpDate(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  202: 'Accepted',
  400: 'Bad Request',
  413: 'Payload Too Large',
};

export class FastConnection {
  private received: Buffer = Buffer.alloc(0);
  /** Chunks of a request still arriving, joined once `needed` bytes are there (not once per chunk). */
  private arriving: Buffer[] = [];
  private arrivingBytes = 0;
  private needed = 0;
  /** Replies owed, in the order of their requests. */
  private readonly queue: Queued[] = [];
  private parsing = false;
  private handingOff = false;
  private handedOff = false;
  private closed = false;
  private readonly onData = (chunk: Buffer) => this.receive(chunk);

  constructor(
    private readonly socket: Socket,
    private readonly routes: FastRoutes,
    private readonly handOff: (socket: Socket, rest: Buffer) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', this.onData);
    socket.on('close', () => {
      this.closed = true;
      for (const queued of this.queue) queued.onClose?.();
    });
    socket.on('error', () => socket.destroy());
  }

  private receive(chunk: Buffer): void {
    this.arriving.push(chunk);
    this.arrivingBytes += chunk.length;
    if (this.arrivingBytes < this.needed) return;
    this.received =
      this.received.length === 0 && this.arriving.length === 1
        ? chunk
        : Buffer.concat([this.received, ...this.arriving]);
    this.arriving = [];
    this.arrivingBytes = 0;
    this.needed = 0;
    if (this.handingOff) return;
    this.parsing = true;
    try {
      while (!this.handingOff && this.parseOne());
    } finally {
      this.parsing = false;
    }
    this.write();
  }

  /** Serves one complete request from `received`; false when more bytes are needed or it is not ours. */
  private parseOne(): boolean {
    const end = this.received.indexOf(HEAD_END);
    if (end < 0) {
      if (this.received.length > MAX_HEAD_BYTES) this.startHandOff();
      return false;
    }
    const head = this.received.toString('latin1', 0, end);
    const request = parseHead(head);
    if (!request) {
      this.startHandOff();
      return false;
    }
    const total = end + HEAD_END.length + request.contentLength;
    if (this.received.length < total) {
      this.needed = total - this.received.length;
      return false;
    }
    const body = this.received.subarray(end + HEAD_END.length, total);
    this.received = this.received.subarray(total);
    const queued: Queued = { bytes: undefined, status: 0, holding: request.next };
    this.queue.push(queued);
    const reply = this.replyFor(queued);
    if (request.next) this.routes.next(reply);
    else this.routes.answer(request.requestId, request.action, request.errorType, Buffer.from(body), reply);
    return true;
  }

  private replyFor(queued: Queued): RuntimeReply {
    const isClosed = () => this.closed;
    return {
      send: (status, headers, body) => {
        if (queued.bytes || this.closed) return;
        let head = `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? ''}\r\n`;
        for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
        head += `Date: ${httpDate()}\r\nConnection: keep-alive\r\n\r\n`;
        const headBytes = Buffer.from(head, 'latin1');
        queued.bytes = Buffer.concat([headBytes, typeof body === 'string' ? Buffer.from(body) : body]);
        queued.status = status;
        queued.holding = false;
        if (!this.parsing) this.write();
      },
      destroy: () => this.socket.destroy(),
      onClose: (listener) => {
        queued.onClose = listener;
      },
      get destroyed() {
        return isClosed();
      },
    };
  }

  /** Writes the replies ready at the head of the queue, in one write. */
  private write(): void {
    let ready = 0;
    while (ready < this.queue.length && this.queue[ready]!.bytes) ready++;
    if (ready === 0) return this.finishHandOff();
    // An accepted answer followed by a waiting `next` leaves with that next event: the runtime
    // waits for the event anyway, and the two answers cost one write and one wake-up.
    const following = this.queue[ready];
    if (following?.holding && this.queue.slice(0, ready).every((q) => this.routes.canWait(q.status))) return;
    const out = this.queue.splice(0, ready).map((q) => q.bytes!);
    if (!this.closed) this.socket.write(out.length === 1 ? out[0]! : Buffer.concat(out));
    this.finishHandOff();
  }

  private startHandOff(): void {
    this.handingOff = true;
    this.finishHandOff();
  }

  /** Once nothing is owed here any more, node:http takes the connection from the unserved request on. */
  private finishHandOff(): void {
    if (!this.handingOff || this.handedOff || this.queue.length > 0 || this.closed) return;
    this.handedOff = true;
    this.socket.removeListener('data', this.onData);
    this.socket.pause();
    this.handOff(this.socket, Buffer.concat([this.received, ...this.arriving]));
    this.received = Buffer.alloc(0);
    this.arriving = [];
  }
}

type FastRequest =
  | { next: true; contentLength: number; requestId: ''; action: 'response'; errorType: undefined }
  | {
      next: false;
      contentLength: number;
      requestId: string;
      action: 'response' | 'error';
      errorType: string | undefined;
    };

/** The request, when it is one the fast path serves. */
function parseHead(head: string): FastRequest | undefined {
  const lines = head.split('\r\n');
  const [method, target, version] = (lines[0] ?? '').split(' ');
  if (version !== 'HTTP/1.1' || !target?.startsWith(PREFIX)) return undefined;
  let contentLength = 0;
  let errorType: string | undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') {
      if (!/^\d{1,7}$/.test(value)) return undefined;
      contentLength = Number(value);
    } else if (name === 'transfer-encoding' || name === 'expect' || name === 'upgrade') return undefined;
    else if (name === 'connection' && value.toLowerCase() !== 'keep-alive') return undefined;
    else if (name === 'lambda-runtime-function-error-type') errorType = value;
  }
  // Larger bodies take node:http's path, which refuses them with 413 without holding them.
  if (contentLength > MAX_RESPONSE_BYTES) return undefined;
  const path = target.slice(PREFIX.length).split('?')[0]!;
  if (method === 'GET' && path === 'next' && contentLength === 0) {
    return { next: true, contentLength, requestId: '', action: 'response', errorType: undefined };
  }
  const parts = path.split('/');
  if (method !== 'POST' || parts.length !== 2 || !parts[0]) return undefined;
  const action = parts[1];
  if (action !== 'response' && action !== 'error') return undefined;
  let requestId: string;
  try {
    requestId = decodeURIComponent(parts[0]);
  } catch {
    return undefined;
  }
  return { next: false, contentLength, requestId, action, errorType };
}
