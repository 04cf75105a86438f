/**
 * The Node.js runtime's Runtime API client (runtimes/nodejs/runtime-client.mjs) against servers
 * answering the ways HTTP/1.1 allows: Content-Length, chunked, split across packets, closing the
 * connection, and a connection that dies mid-request.
 */
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';

interface Response {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}
interface Client {
  request(method: string, path: string, body?: Buffer, headers?: Record<string, string>): Promise<Response>;
}
const { RuntimeApiClient } = (await import(
  new URL('./runtimes/nodejs/runtime-client.mjs', import.meta.url).href
)) as { RuntimeApiClient: new (host: string, port: number) => Client };

/** A raw TCP server answering every request with `reply(request text, socket)`. */
async function rawServer(reply: (request: string, socket: Socket) => void) {
  const received: string[] = [];
  /** The size of each chunk the server read. */
  const writes: number[] = [];
  let connections = 0;
  const server: Server = createTcpServer((socket) => {
    connections++;
    sockets.push(socket);
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      writes.push(chunk.length);
      for (;;) {
        const end = data.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/content-length: (\d+)/i.exec(data.slice(0, end))?.[1] ?? 0);
        if (data.length < end + 4 + length) return;
        const request = data.slice(0, end + 4 + length);
        data = data.slice(end + 4 + length);
        received.push(request);
        reply(request, socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const client = new RuntimeApiClient('127.0.0.1', (server.address() as AddressInfo).port);
  return { client, received, writes, connections: () => connections };
}

const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

describe('RuntimeApiClient', () => {
  it('writes one request with its headers and body, and reads a Content-Length response on a kept-alive connection', async () => {
    const { client, received, connections } = await rawServer((_request, socket) =>
      socket.write(
        'HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nX-Dup: a\r\nX-Dup: b\r\nContent-Length: 15\r\n\r\n{"status":"OK"}',
      ),
    );
    const body = Buffer.from('{"answer":42}');
    const first = await client.request('POST', '/2018-06-01/runtime/invocation/r1/response', body, {
      'Lambda-Runtime-Function-Error-Type': 'Bad\r\nInjected: yes',
    });
    expect(first.status).toBe(202);
    expect(first.headers).toMatchObject({ 'content-type': 'application/json', 'x-dup': 'a, b' });
    expect(first.body.toString()).toBe('{"status":"OK"}');
    await client.request('GET', '/2018-06-01/runtime/invocation/next');
    expect(connections()).toBe(1);
    expect(received[0]).toMatch(/^POST \/2018-06-01\/runtime\/invocation\/r1\/response HTTP\/1\.1\r\n/);
    expect(received[0]).toContain('Content-Length: 13\r\n');
    // A header value cannot start another header.
    expect(received[0]).toContain('Lambda-Runtime-Function-Error-Type: BadInjected: yes\r\n');
    expect(received[0]!.endsWith('\r\n\r\n{"answer":42}')).toBe(true);
  });

  it('sends requests made in the same tick in one write, and matches the answers in order (pipelining)', async () => {
    const { client, received, writes } = await rawServer((request, socket) => {
      const path = request.split(' ')[1]!;
      // The answers arrive together, in one write.
      if (path === '/next')
        socket.write(
          `HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nevent`,
        );
    });
    const answered = client.request('POST', '/response', Buffer.from('{"a":1}'));
    const next = client.request('GET', '/next');
    expect((await answered).status).toBe(202);
    expect((await answered).body.toString()).toBe('ok');
    expect((await next).body.toString()).toBe('event');
    expect(received.map((r) => r.split(' ').slice(0, 2).join(' '))).toEqual(['POST /response', 'GET /next']);
    expect(writes).toHaveLength(1);
  });

  it('reads a chunked response split across writes', async () => {
    const { client } = await rawServer((_request, socket) => {
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel');
      setTimeout(() => socket.write('lo\r\n6\r\n world\r\n0\r\n\r\n'), 20);
    });
    const response = await client.request('GET', '/2018-06-01/runtime/invocation/next');
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('hello world');
  });

  it('reconnects after a server that answered with Connection: close', async () => {
    const { client, connections } = await rawServer((_request, socket) =>
      socket.end('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok'),
    );
    expect((await client.request('GET', '/a')).body.toString()).toBe('ok');
    expect((await client.request('GET', '/b')).body.toString()).toBe('ok');
    expect(connections()).toBe(2);
  });

  it('fails the request in flight when the connection dies, and when nothing listens', async () => {
    const { client } = await rawServer((_request, socket) => socket.destroy());
    await expect(client.request('GET', '/2018-06-01/runtime/invocation/next')).rejects.toThrow(
      /socket hang up|ECONNRESET/,
    );
    const nobody = new RuntimeApiClient('127.0.0.1', 1);
    await expect(nobody.request('GET', '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
