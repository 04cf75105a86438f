/** The Runtime API's fast path, driven over a raw socket the way a pipelining runtime talks to it. */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RuntimeApi, type RuntimeEvent, type RuntimeMessage } from './runtime-api.js';

let api: RuntimeApi | undefined;
let socket: Socket | undefined;

afterEach(() => {
  socket?.destroy();
  api?.close();
});

const event = (requestId: string): RuntimeEvent => ({
  requestId,
  payload: Buffer.from(`{"id":"${requestId}"}`),
  deadlineMs: 1_700_000_003_000,
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
  traceId: 'Root=1-65a00000-000000000000000000000000;Parent=0000000000000000;Sampled=0',
});

const NEXT = 'GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n';
const post = (id: string, action: string, body: string, extra = '') =>
  `POST /2018-06-01/runtime/invocation/${id}/${action} HTTP/1.1\r\nHost: x\r\n${extra}Content-Length: ${body.length}\r\n\r\n${body}`;

/** A raw connection recording each chunk it receives; `again` opens another to the same API. */
async function open() {
  const messages: RuntimeMessage[] = [];
  api = new RuntimeApi({ onMessage: (m) => messages.push(m) });
  const [host, port] = (await api.listen()).split(':');
  const again = async () => {
    const chunks: string[] = [];
    socket = connect(Number(port), host);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk.toString('latin1')));
    await new Promise((resolve) => socket!.once('connect', resolve));
    const statuses = () => [...chunks.join('').matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
    return { messages, chunks, statuses, send: (text: string) => socket!.write(text) };
  };
  return { ...(await again()), again };
}

describe('Runtime API fast path', () => {
  it('sends the 202 of a pipelined answer together with the next event, in one write', async () => {
    const { messages, chunks, statuses, send } = await open();
    send(NEXT);
    api!.deliver(event('a'));
    await vi.waitFor(() => expect(statuses()).toEqual([200]));
    expect(chunks.join('')).toContain('Lambda-Runtime-Aws-Request-Id: a\r\n');
    expect(chunks.join('')).toMatch(/\r\n\r\n\{"id":"a"\}$/);
    chunks.length = 0;
    send(post('a', 'response', '{"ok":1}') + NEXT);
    await vi.waitFor(() =>
      expect(messages).toEqual([
        { type: 'next' },
        { type: 'response', requestId: 'a', payload: Buffer.from('{"ok":1}') },
        { type: 'next' },
      ]),
    );
    // The 202 waits for the event the runtime is waiting for anyway.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(chunks).toEqual([]);
    api!.deliver(event('b'));
    await vi.waitFor(() => expect(statuses()).toEqual([202, 200]));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toContain('{"status":"OK"}HTTP/1.1 200 OK\r\n');
  });

  it('answers at once when no next is waiting behind, and refuses a wrong request id at once', async () => {
    const { messages, statuses, send } = await open();
    send(NEXT);
    api!.deliver(event('a'));
    await vi.waitFor(() => expect(statuses()).toEqual([200]));
    send(post('other', 'response', '1') + NEXT);
    await vi.waitFor(() => expect(statuses()).toEqual([200, 400]));
    send(
      post('a', 'error', '{"errorMessage":"x"}', 'Lambda-Runtime-Function-Error-Type: Custom.Failure\r\n'),
    );
    await vi.waitFor(() => expect(statuses()).toEqual([200, 400]));
    expect(messages.at(-1)).toMatchObject({ type: 'next' });
  });

  it('hands the connection to node:http for requests it does not serve (chunked, init/error), in order', async () => {
    const { messages, chunks, statuses, send } = await open();
    send(NEXT);
    api!.deliver(event('a'));
    await vi.waitFor(() => expect(statuses()).toEqual([200]));
    send(
      'POST /2018-06-01/runtime/invocation/a/error HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n' +
        'Lambda-Runtime-Function-Error-Type: Chunked.Failure\r\n\r\n3\r\n{ }\r\n0\r\n\r\n' +
        NEXT,
    );
    await vi.waitFor(() => expect(statuses()).toEqual([200, 202]));
    // node:http reads the body after it has parsed the next request: both come, in either order.
    expect(messages.slice(1)).toContainEqual({
      type: 'invocationError',
      requestId: 'a',
      errorType: 'Chunked.Failure',
      body: Buffer.from('{ }'),
    });
    expect(messages.filter((m) => m.type === 'next')).toHaveLength(2);
    api!.deliver(event('b'));
    await vi.waitFor(() => expect(statuses()).toEqual([200, 202, 200]));
    expect(chunks.join('')).toMatch(/\{"id":"b"\}$/);
  });

  it('gives the event to the next poller when a waiting connection closes, and joins a body sent in pieces', async () => {
    const { send, again } = await open();
    send(NEXT);
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket!.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { messages, chunks, statuses, send: sendAgain } = await again();
    sendAgain(NEXT);
    api!.deliver(event('a'));
    await vi.waitFor(() => expect(statuses()).toEqual([200]));
    expect(chunks.join('')).toMatch(/\{"id":"a"\}$/);
    const body = 'x'.repeat(300_000);
    const request = post('a', 'response', body);
    for (let i = 0; i < request.length; i += 65_536) sendAgain(request.slice(i, i + 65_536));
    await vi.waitFor(() => expect(statuses()).toEqual([200, 202]));
    expect(messages.at(-1)).toEqual({ type: 'response', requestId: 'a', payload: Buffer.from(body) });
  });
});
