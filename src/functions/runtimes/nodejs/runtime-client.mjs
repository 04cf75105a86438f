/**
 * A minimal HTTP/1.1 client for the Lambda Runtime API: one kept-alive socket; requests are
 * answered in order (HTTP/1.1 pipelining), and requests made in the same tick leave in one
 * write, so the runtime can post an answer and ask for the next event at once.
 *
 * Why not node:http: its client costs a warm invocation more CPU than the handler and the rest of
 * the runtime together (agent bookkeeping, a socket write for the head and another for the body,
 * a parser per request), and a warm invoke is two Runtime API round trips. Lambda's own Node.js
 * runtime uses a native client for the same reason.
 *
 * Given a descriptor (Stratus's private Runtime API connection, a Unix socket pair), the first
 * connection is that one; any later one (after the server closed it) is made over TCP.
 */
import { connect, Socket } from 'node:net';

const HEAD_END = Buffer.from('\r\n\r\n');

/** Header values the runtime sends may come from user code (an error's name): keep them one line. */
const headerValue = (value) => String(value).replace(/[^\t\x20-\x7e\x80-\xff]/g, '');

export class RuntimeApiClient {
  constructor(host, port, fd) {
    this.host = host;
    this.port = port;
    this.fd = fd;
    this.socket = undefined;
    this.received = Buffer.alloc(0);
    /** `{ done, fail }` of each request waiting for its response, in the order sent. */
    this.pending = [];
  }

  /** Sends one request; resolves to `{ status, headers, body }` (header names lower-case). */
  request(method, path, body, headers = {}) {
    return new Promise((done, fail) => {
      let head = `${method} ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\n`;
      for (const [name, value] of Object.entries(headers)) head += `${name}: ${headerValue(value)}\r\n`;
      if (body !== undefined) head += `Content-Length: ${body.length}\r\n`;
      head += '\r\n';
      const socket = this.connection();
      this.pending.push({ done, fail });
      // Like node:http's agent, an idle connection must not keep the process alive: the
      // runtime waits for an empty event loop after callback handlers.
      socket.ref();
      if (socket.writableCorked === 0) {
        socket.cork();
        process.nextTick(() => socket.uncork());
      }
      socket.write(head, 'latin1');
      if (body !== undefined) socket.write(body);
    });
  }

  /**
   * Starts a request whose body is written in chunks as it comes (`Transfer-Encoding: chunked`):
   * `write(chunk, callback)` sends one, `end(trailers, callback)` the last with trailers after it;
   * `response` settles with the answer. Until it ends, the request does not keep the process
   * alive by itself (the handler's own work does), so a runtime can notice an idle event loop.
   */
  stream(method, path, headers = {}) {
    let head = `${method} ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\n`;
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${headerValue(value)}\r\n`;
    head += 'Transfer-Encoding: chunked\r\n\r\n';
    const socket = this.connection();
    const response = new Promise((done, fail) => this.pending.push({ done, fail }));
    socket.write(head, 'latin1');
    return {
      response,
      write(chunk, callback) {
        if (chunk.length === 0) return callback();
        socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
        socket.write(chunk);
        socket.write('\r\n', 'latin1', callback);
      },
      end(trailers, callback) {
        let tail = '0\r\n';
        for (const [name, value] of Object.entries(trailers)) tail += `${name}: ${headerValue(value)}\r\n`;
        // Waiting for the answer must keep the process alive, as any request does.
        socket.ref();
        socket.write(`${tail}\r\n`, 'latin1', callback);
      },
    };
  }

  connection() {
    if (this.socket && !this.socket.destroyed) return this.socket;
    const socket =
      this.fd === undefined
        ? connect({ host: this.host, port: this.port, noDelay: true })
        : new Socket({ fd: this.fd, readable: true, writable: true });
    this.fd = undefined;
    this.socket = socket;
    this.received = Buffer.alloc(0);
    socket.on('data', (chunk) => this.onData(chunk));
    // Only the current connection's end fails the request in flight: an old one (closed after
    // `Connection: close`) may report its end while a new connection serves the next request.
    socket.on('error', (error) => {
      if (this.socket === socket) this.failPending(error);
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.failPending(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    });
    return socket;
  }

  failPending(error) {
    for (const pending of this.pending.splice(0)) pending.fail(error);
  }

  onData(chunk) {
    this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
    for (;;) {
      const response = parseResponse(this.received);
      if (!response) return;
      this.received = this.received.subarray(response.consumed);
      const pending = this.pending.shift();
      if (this.pending.length === 0) this.socket?.unref();
      if (response.headers.connection === 'close') {
        // The server answers nothing more on this connection.
        this.socket?.destroy();
        this.socket = undefined;
        this.failPending(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      }
      pending?.done({ status: response.status, headers: response.headers, body: response.body });
      if (!this.socket) return;
    }
  }
}

/** One complete response at the start of `data`, or undefined while it is still arriving. */
function parseResponse(data) {
  const headEnd = data.indexOf(HEAD_END);
  if (headEnd < 0) return undefined;
  const lines = data.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(lines[0].split(' ')[1]);
  const headers = {};
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(':');
    if (colon <= 0) continue;
    const name = lines[i].slice(0, colon).trim().toLowerCase();
    const value = lines[i].slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const bodyStart = headEnd + HEAD_END.length;
  if (/\bchunked\b/i.test(headers['transfer-encoding'] ?? ''))
    return parseChunked(data, bodyStart, status, headers);
  const length = Number(headers['content-length'] ?? 0);
  if (data.length < bodyStart + length) return undefined;
  return {
    status,
    headers,
    body: data.subarray(bodyStart, bodyStart + length),
    consumed: bodyStart + length,
  };
}

function parseChunked(data, start, status, headers) {
  const chunks = [];
  let at = start;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at, 'latin1');
    if (lineEnd < 0) return undefined;
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (size === 0) {
      // The last chunk, then (no trailers from the Runtime API) the blank line.
      const end = data.indexOf('\r\n', lineEnd + 2, 'latin1');
      if (end < 0) return undefined;
      return { status, headers, body: Buffer.concat(chunks), consumed: end + 2 };
    }
    if (data.length < lineEnd + 2 + size + 2) return undefined;
    chunks.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
