/**
 * Response streaming end to end through the execution engine with real Node.js runtimes: handlers
 * wrapped in `awslambda.streamifyResponse`, their output gathered for a buffered caller or handed
 * to a reader as it is written, and the ways a streamed response fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pino } from 'pino';
import { ExecutionEngine } from './engine.js';
import { FunctionFiles, request, testSpec } from './testing/functions.js';
import type { FunctionSpec, StreamedResponse } from './types.js';

const files = new FunctionFiles();
const workDir = mkdtempSync(join(tmpdir(), 'stratus-streaming-'));
let engine: ExecutionEngine;

beforeAll(() => {
  engine = new ExecutionEngine({ logger: pino({ level: 'silent' }), workDir });
});

afterAll(async () => {
  await engine.close();
  files.remove();
  rmSync(workDir, { recursive: true, force: true });
});

const streamingSpec = (handler: string, fields: Partial<FunctionSpec> = {}) =>
  testSpec({ codeDir: files.write({ 'index.mjs': handler }), ...fields });

/** Invokes with a reader; resolves with what it was handed and the result. */
function invokeStreaming(spec: FunctionSpec, payload: unknown = {}) {
  let handed: StreamedResponse | undefined;
  let hand!: (response: StreamedResponse) => void;
  const started = new Promise<StreamedResponse>((resolve) => (hand = resolve));
  const result = engine.invoke(spec, {
    ...request(spec, payload),
    onResponseStream: (response) => {
      handed = response;
      hand(response);
    },
  });
  return { started, result, handed: () => handed };
}

/** Everything a body carries, and how it ended. */
async function readAll(body: Readable): Promise<{ text: string; failed: boolean }> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of body) chunks.push(chunk as Buffer);
    return { text: Buffer.concat(chunks).toString('utf8'), failed: false };
  } catch {
    return { text: Buffer.concat(chunks).toString('utf8'), failed: true };
  }
}

describe('response streaming', () => {
  it('gathers a streamed response into the payload when the caller reads no stream', async () => {
    const spec = streamingSpec(`
      export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
        responseStream.write('hello ');
        responseStream.write(event.name);
        responseStream.end();
      });`);
    const result = await engine.invoke(spec, request(spec, { name: 'stream' }));
    expect(result.outcome).toMatchObject({ kind: 'success', contentType: 'application/octet-stream' });
    expect(result.outcome.payload.toString()).toBe('hello stream');
  });

  it('writes the HTTP prelude and 8 NUL bytes of HttpResponseStream.from before the body', async () => {
    const spec = streamingSpec(`
      export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
        const http = awslambda.HttpResponseStream.from(responseStream, { statusCode: 201, headers: { 'x-a': 'b' } });
        http.end('body');
      });`);
    const result = await engine.invoke(spec, request(spec));
    expect(result.outcome.kind === 'success' && result.outcome.contentType).toBe(
      'application/vnd.awslambda.http-integration-response',
    );
    const prelude = '{"statusCode":201,"headers":{"x-a":"b"}}';
    expect(result.outcome.payload).toEqual(
      Buffer.concat([Buffer.from(prelude), Buffer.alloc(8), Buffer.from('body')]),
    );
  });

  it('hands the response to a reader as it is written, before the invocation ends', async () => {
    const spec = streamingSpec(`
      import { setTimeout as sleep } from 'node:timers/promises';
      export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
        responseStream.setContentType('text/plain');
        responseStream.write('first,');
        await sleep(400);
        responseStream.end('second');
      });`);
    const { started, result } = invokeStreaming(spec);
    const response = await started;
    expect(response.contentType).toBe('text/plain');
    const first = await new Promise<string>((resolve) =>
      response.body.once('data', (chunk: Buffer) => resolve(chunk.toString())),
    );
    expect(first).toBe('first,');
    let ended = false;
    void result.then(() => (ended = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ended).toBe(false);
    expect(await readAll(response.body)).toEqual({ text: 'second', failed: false });
    const outcome = (await result).outcome;
    expect(outcome).toMatchObject({ kind: 'success', contentType: 'text/plain' });
    expect(outcome.payload.length).toBe(0);
  });

  it('ends a stream the handler left open once nothing else is left to run', async () => {
    const spec = streamingSpec(`
      export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
        setTimeout(() => responseStream.write('later'), 50);
      });`);
    const result = await engine.invoke(spec, request(spec));
    expect(result.outcome.payload.toString()).toBe('later');
  });

  it('fails the ordinary way when the handler throws before writing', async () => {
    const spec = streamingSpec(`
      export const handler = awslambda.streamifyResponse(async () => { throw new TypeError('early'); });`);
    const { result, handed } = invokeStreaming(spec);
    expect((await result).outcome).toMatchObject({
      kind: 'error',
      errorType: 'TypeError',
      errorMessage: 'early',
    });
    expect(handed()).toBeUndefined();
  });

  it('reports an error after the first bytes through the trailers, and cuts the reader off', async () => {
    const spec = streamingSpec(`
      export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
        responseStream.write('partial');
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new RangeError('midway');
      });`);
    const { started, result } = invokeStreaming(spec);
    const body = await readAll((await started).body);
    expect(body).toEqual({ text: 'partial', failed: true });
    expect((await result).outcome).toMatchObject({
      kind: 'error',
      errorType: 'RangeError',
      errorMessage: 'midway',
      cause: 'handler',
    });
  });

  it('times out mid-stream with Sandbox.Timedout and cuts the reader off', async () => {
    const spec = streamingSpec(
      `export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
        responseStream.write('tick');
        await new Promise(() => setInterval(() => {}, 1000));
      });`,
      { timeoutSeconds: 1 },
    );
    const { started, result } = invokeStreaming(spec);
    expect(await readAll((await started).body)).toEqual({ text: 'tick', failed: true });
    expect((await result).outcome).toMatchObject({ kind: 'error', errorType: 'Sandbox.Timedout' });
  });

  it('serves the next invocation in the same environment after a streamed one', async () => {
    const spec = streamingSpec(`
      let n = 0;
      export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
        responseStream.end(String(++n));
      });`);
    const first = await engine.invoke(spec, request(spec));
    const second = await engine.invoke(spec, request(spec));
    expect([first.outcome.payload.toString(), second.outcome.payload.toString()]).toEqual(['1', '2']);
    expect(second.initDurationMs).toBeUndefined();
  });
});
