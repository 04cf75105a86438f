/** The Runtime API's streamed responses, posted chunk by chunk as a custom runtime would. */
import { request as httpRequest } from 'node:http';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RuntimeApi, type RuntimeEvent, type RuntimeMessage } from './runtime-api.js';

let api: RuntimeApi | undefined;
afterEach(() => api?.close());

const event: RuntimeEvent = {
  requestId: 'req-1',
  payload: Buffer.from('{}'),
  deadlineMs: Date.now() + 60_000,
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
  traceId: 'Root=1-65a00000-000000000000000000000000;Parent=0000000000000000;Sampled=0',
};

/** A Runtime API with an event in flight; a streamed body is read as it arrives unless `read` is false. */
async function started(read = true) {
  const messages: RuntimeMessage[] = [];
  let reading: Promise<{ text: string; error?: string }> | undefined;
  api = new RuntimeApi({
    onMessage: (m) => {
      messages.push(m);
      if (m.type === 'responseStream' && read) reading = readAll(m.body);
    },
  });
  const address = await api.listen();
  api.deliver(event);
  await fetch(`http://${address}/2018-06-01/runtime/invocation/next`);
  return { messages, address, read: () => reading! };
}

/** Posts `chunks` as a streamed response (pausing between them), then `trailers`. */
function postStreamed(
  address: string,
  requestId: string,
  chunks: string[],
  trailers: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host,
        port: Number(port),
        method: 'POST',
        path: `/2018-06-01/runtime/invocation/${requestId}/response`,
        headers: { 'Lambda-Runtime-Function-Response-Mode': 'streaming', ...headers },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    void (async () => {
      for (const chunk of chunks) {
        req.write(chunk);
        await new Promise((r) => setTimeout(r, 10));
      }
      req.addTrailers(trailers);
      req.end();
    })();
  });
}

const streamOf = (messages: RuntimeMessage[]) =>
  messages.find((m): m is Extract<RuntimeMessage, { type: 'responseStream' }> => m.type === 'responseStream');

async function readAll(body: Readable): Promise<{ text: string; error?: string }> {
  let text = '';
  try {
    for await (const chunk of body) text += (chunk as Buffer).toString();
    return { text };
  } catch (error) {
    return { text, error: (error as Error).message };
  }
}

describe('Runtime API streamed responses', () => {
  it('passes the body on as it arrives and answers 202 once it has ended', async () => {
    const { messages, address, read } = await started();
    const answer = postStreamed(address, 'req-1', ['one,', 'two'], {}, { 'Content-Type': 'text/csv' });
    await vi.waitFor(() => expect(streamOf(messages)).toBeDefined());
    expect(streamOf(messages)).toMatchObject({ requestId: 'req-1', contentType: 'text/csv' });
    expect(await read()).toEqual({ text: 'one,two' });
    expect(await answer).toEqual({ status: 202, body: '{"status":"OK"}' });
    expect(messages.at(-1)).toEqual({ type: 'responseStreamEnd', requestId: 'req-1', bytes: 7 });
  });

  it('reports the error of the trailers and fails the body with it', async () => {
    const { messages, address, read } = await started();
    const document = { errorType: 'Error', errorMessage: 'midway', trace: [] };
    const answer = postStreamed(address, 'req-1', ['partial'], {
      'Lambda-Runtime-Function-Error-Type': 'Error',
      'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(document)).toString('base64'),
    });
    await vi.waitFor(() => expect(streamOf(messages)).toBeDefined());
    expect(streamOf(messages)!.contentType).toBe('application/octet-stream');
    expect(await read()).toEqual({
      text: 'partial',
      error: 'Error: the function failed while streaming its response',
    });
    expect((await answer).status).toBe(202);
    const end = messages.at(-1) as Extract<RuntimeMessage, { type: 'responseStreamEnd' }>;
    expect(end).toMatchObject({ type: 'responseStreamEnd', bytes: 7, error: { errorType: 'Error' } });
    expect(JSON.parse(end.error!.body.toString())).toEqual(document);
  });

  it('lets the runtime finish when the reader has gone away', async () => {
    const { messages, address } = await started(false);
    const answer = postStreamed(address, 'req-1', ['a'.repeat(100_000), 'b'.repeat(100_000)]);
    await vi.waitFor(() => expect(streamOf(messages)).toBeDefined());
    streamOf(messages)!.body.destroy();
    expect((await answer).status).toBe(202);
    expect(messages.at(-1)).toEqual({ type: 'responseStreamEnd', requestId: 'req-1', bytes: 200_000 });
  });

  it('refuses a streamed response for a request id not in flight', async () => {
    const { messages, address } = await started();
    const answer = await postStreamed(address, 'other', ['x']);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      errorMessage: 'Invalid request ID',
      errorType: 'InvalidRequestID',
    });
    expect(streamOf(messages)).toBeUndefined();
  });
});
