/** The Runtime API's HTTP contract, driven with plain requests as a custom runtime would. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_RESPONSE_BYTES, RuntimeApi, type RuntimeEvent, type RuntimeMessage } from './runtime-api.js';

let api: RuntimeApi | undefined;

afterEach(() => api?.close());

async function start(authorize?: () => boolean) {
  const messages: RuntimeMessage[] = [];
  api = new RuntimeApi({ onMessage: (m) => messages.push(m), ...(authorize ? { authorize } : {}) });
  const address = await api.listen();
  const call = (method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(`http://${address}/2018-06-01/runtime/${path}`, { method, body, headers });
  return { messages, call, address };
}

const event: RuntimeEvent = {
  requestId: 'req-1',
  payload: Buffer.from('{"a":1}'),
  deadlineMs: 1_700_000_003_000,
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f:live',
  traceId: 'Root=1-65a00000-000000000000000000000000;Parent=0000000000000000;Sampled=0',
  clientContext: '{"custom":{}}',
  cognitoIdentity: '{"cognitoIdentityId":"id"}',
};

describe('Runtime API', () => {
  it('holds invocation/next until an event arrives, then answers with its headers', async () => {
    const { call, messages } = await start();
    const next = call('GET', 'invocation/next');
    await vi.waitFor(() => expect(messages).toEqual([{ type: 'next' }]));
    api!.deliver(event);
    const res = await next;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"a":1}');
    expect(
      Object.fromEntries([...res.headers].filter(([name]) => name.startsWith('lambda-runtime'))),
    ).toEqual({
      'lambda-runtime-aws-request-id': 'req-1',
      'lambda-runtime-deadline-ms': '1700000003000',
      'lambda-runtime-invoked-function-arn': event.invokedFunctionArn,
      'lambda-runtime-trace-id': event.traceId,
      'lambda-runtime-client-context': '{"custom":{}}',
      'lambda-runtime-cognito-identity': '{"cognitoIdentityId":"id"}',
    });
  });

  it('accepts the response of the event in flight with 202 and refuses any other request id', async () => {
    const { call, messages } = await start();
    api!.deliver(event);
    await call('GET', 'invocation/next');
    const wrong = await call('POST', 'invocation/other/response', '1');
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
    const right = await call('POST', 'invocation/req-1/response', '{"ok":true}');
    expect(right.status).toBe(202);
    expect(await right.json()).toEqual({ status: 'OK' });
    expect(messages.at(-1)).toEqual({
      type: 'response',
      requestId: 'req-1',
      payload: Buffer.from('{"ok":true}'),
    });
  });

  it("takes an invocation error's type from its document, else from Lambda-Runtime-Function-Error-Type", async () => {
    const { call, messages } = await start();
    api!.deliver(event);
    await call('GET', 'invocation/next');
    const doc = '{"errorType":"TypeError","errorMessage":"x is not a function"}';
    expect(
      (
        await call('POST', 'invocation/req-1/error', doc, {
          'Lambda-Runtime-Function-Error-Type': 'Unhandled',
        })
      ).status,
    ).toBe(202);
    expect(messages.at(-1)).toEqual({
      type: 'invocationError',
      requestId: 'req-1',
      errorType: 'TypeError',
      body: Buffer.from(doc),
    });
    api!.deliver({ ...event, requestId: 'req-2' });
    await call('GET', 'invocation/next');
    await call('POST', 'invocation/req-2/error', 'not json', {
      'Lambda-Runtime-Function-Error-Type': 'Custom.Failure',
    });
    expect(messages.at(-1)).toMatchObject({ type: 'invocationError', errorType: 'Custom.Failure' });
  });

  it('accepts init/error before the first invocation/next only', async () => {
    const { call, messages } = await start();
    const doc = '{"errorType":"Runtime.ImportModuleError","errorMessage":"nope"}';
    expect((await call('POST', 'init/error', doc)).status).toBe(202);
    expect(messages).toEqual([
      { type: 'initError', errorType: 'Runtime.ImportModuleError', body: Buffer.from(doc) },
    ]);
    void call('GET', 'invocation/next').catch(() => undefined);
    await vi.waitFor(() => expect(messages).toHaveLength(2));
    expect((await call('POST', 'init/error', doc)).status).toBe(403);
  });

  it('refuses a response over 6 MB with 413 and reports it', async () => {
    const { call, messages } = await start();
    api!.deliver(event);
    await call('GET', 'invocation/next');
    const res = await call('POST', 'invocation/req-1/response', Buffer.alloc(MAX_RESPONSE_BYTES + 1, 0x61));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      errorMessage: 'Exceeded maximum allowed payload size (6291556 bytes).',
      errorType: 'RequestEntityTooLarge',
    });
    expect(messages.at(-1)).toEqual({
      type: 'responseTooLarge',
      requestId: 'req-1',
      bytes: MAX_RESPONSE_BYTES + 1,
    });
  });

  it('answers 404 outside the API and drops connections it does not authorize', async () => {
    const { call, address } = await start(() => false);
    await expect(call('GET', 'invocation/next')).rejects.toThrow();
    api!.close();
    const open = await start();
    expect((await open.call('GET', 'nowhere')).status).toBe(404);
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});
