/**
 * A WebSocket client for tests (the `ws` library), with what it received kept in order: connect,
 * wait for the next message or for the close, or see the handshake refused with its HTTP status.
 */
import { lookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { WebSocket, type ClientOptions } from 'ws';

export interface TestSocket {
  ws: WebSocket;
  /** The next message not yet taken, as text (binary ones as `binary:<base64>`). */
  next(timeoutMs?: number): Promise<string>;
  /** Messages received and not taken yet. */
  pending(): string[];
  closed: Promise<{ code: number; reason: string }>;
  send(data: string | Buffer): void;
  close(): Promise<{ code: number; reason: string }>;
}

/** Node's resolver does not map `*.localhost` to loopback (browsers and curl do): this does. */
export const localhostLookup: LookupFunction = (hostname, options, callback) => {
  if (hostname.endsWith('.localhost')) {
    if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else (callback as (err: null, address: string, family: number) => void)(null, '127.0.0.1', 4);
    return;
  }
  lookup(hostname, options, callback);
};

export function connectWebSocket(url: string, options: ClientOptions & { protocols?: string[] } = {}) {
  return new Promise<TestSocket>((resolve, reject) => {
    const { protocols, ...rest } = options;
    const ws = new WebSocket(url, protocols ?? [], { lookup: localhostLookup, ...rest });
    const received: string[] = [];
    const waiting: ((message: string) => void)[] = [];
    ws.on('message', (data, binary) => {
      const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      const message = binary ? `binary:${buffer.toString('base64')}` : buffer.toString('utf8');
      const taker = waiting.shift();
      if (taker) taker(message);
      else received.push(message);
    });
    const closed = new Promise<{ code: number; reason: string }>((done) =>
      ws.on('close', (code, reason) => done({ code, reason: reason.toString('utf8') })),
    );
    ws.on('unexpected-response', (_request, response) => {
      reject(new HandshakeRefused(response.statusCode ?? 0));
      ws.terminate();
    });
    ws.on('error', reject);
    ws.on('open', () =>
      resolve({
        ws,
        closed,
        pending: () => [...received],
        next: (timeoutMs = 15_000) => {
          const ready = received.shift();
          if (ready !== undefined) return Promise.resolve(ready);
          return new Promise((done, fail) => {
            const timer = setTimeout(() => fail(new Error('no message came')), timeoutMs);
            waiting.push((message) => {
              clearTimeout(timer);
              done(message);
            });
          });
        },
        send: (data) => ws.send(data),
        close: () => {
          ws.close(1000);
          return closed;
        },
      }),
    );
  });
}

export class HandshakeRefused extends Error {
  constructor(readonly status: number) {
    super(`the handshake was refused with HTTP ${status}`);
  }
}
