import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PendingWrites } from '../../engine/pending-writes.js';
import type { InvocationResult } from '../../functions/types.js';
import type { ServiceCaller } from '../service.js';
import { FunctionLogs } from './function-logs.js';

const at = { accountId: '000000000000', region: 'us-east-1' };

/**
 * Records the CloudWatch Logs calls made, answering each after a macrotask, as a real store would
 * (setImmediate: the tests hold setTimeout, which the gathering uses).
 */
function recordingCaller() {
  const calls: { operation: string; input: Record<string, unknown> }[] = [];
  const caller: ServiceCaller = {
    async call<T>(_service: string, operation: string, input: object): Promise<T> {
      await new Promise((resolve) => setImmediate(resolve));
      calls.push({ operation, input: input as Record<string, unknown> });
      return {} as T;
    },
    callWire: () => Promise.resolve(undefined),
  };
  return { calls, caller };
}

const result = (stream: string, messages: string[], startMs = 1_700_000_000_000) =>
  ({
    logStreamName: stream,
    logEvents: messages.map((message, i) => ({ timestamp: startMs + i, message })),
  }) as unknown as InvocationResult;

describe('FunctionLogs', () => {
  afterEach(() => void vi.useRealTimers());

  it('writes after the invocation returns, one PutLogEvents per stream, and a read waiting on PendingWrites sees it', async () => {
    // The gathering timer never fires here: the read has to start the flush itself.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { calls, caller } = recordingCaller();
    const pending = new PendingWrites();
    const logs = new FunctionLogs(caller, pending, pino({ level: 'silent' }));
    logs.deliver(at, '/aws/lambda/f', result('s1', ['a', 'b']));
    logs.deliver(at, '/aws/lambda/f', result('s1', ['c'], 1_700_000_000_010));
    logs.deliver(at, '/aws/lambda/f', result('s2', ['x']));
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toHaveLength(0);
    await pending.settled('logs');
    const puts = calls.filter((c) => c.operation === 'PutLogEvents');
    expect(
      puts.map((p) => [
        p.input.logStreamName,
        (p.input.logEvents as { message: string }[]).map((e) => e.message),
      ]),
    ).toEqual([
      ['s1', ['a', 'b', 'c']],
      ['s2', ['x']],
    ]);
    expect(calls.filter((c) => c.operation === 'CreateLogStream')).toHaveLength(2);
  });

  it('splits a stream over PutLogEvents limits (10 000 events) and keeps its order across flushes', async () => {
    const { calls, caller } = recordingCaller();
    const pending = new PendingWrites();
    const logs = new FunctionLogs(caller, pending, pino({ level: 'silent' }));
    logs.deliver(
      at,
      'g',
      result(
        's',
        Array.from({ length: 10_001 }, (_, i) => `m${i}`),
      ),
    );
    // Past the first flush, so the last event goes in a write of its own after the others.
    await pending.settled('logs');
    logs.deliver(at, 'g', result('s', ['last']));
    await logs.settled();
    const sizes = calls
      .filter((c) => c.operation === 'PutLogEvents')
      .map((p) => (p.input.logEvents as unknown[]).length);
    expect(sizes).toEqual([10_000, 1, 1]);
    const lastPut = calls.filter((c) => c.operation === 'PutLogEvents').at(-1)!;
    expect((lastPut.input.logEvents as { message: string }[])[0]!.message).toBe('last');
  });

  it('writes at once, and resolves once written, a log its caller must see durable before acknowledging an event', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { calls, caller } = recordingCaller();
    const logs = new FunctionLogs(caller, new PendingWrites(), pino({ level: 'silent' }));
    void logs.deliver(at, 'g', result('s', ['queued earlier']));
    await logs.deliver(at, 'g', result('s', ['acknowledged']), true);
    const puts = calls.filter((c) => c.operation === 'PutLogEvents');
    expect(puts.map((p) => (p.input.logEvents as { message: string }[]).map((e) => e.message))).toEqual([
      ['queued earlier', 'acknowledged'],
    ]);
  });

  it("puts a stream's events in time order even when Stratus's clock moved back between invocations", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { calls, caller } = recordingCaller();
    const logs = new FunctionLogs(caller, new PendingWrites(), pino({ level: 'silent' }));
    void logs.deliver(at, 'g', result('s', ['later'], 1_700_000_060_000));
    await logs.deliver(at, 'g', result('s', ['earlier', 'then'], 1_700_000_000_000), true);
    const puts = calls.filter((c) => c.operation === 'PutLogEvents');
    expect(puts.map((p) => (p.input.logEvents as { message: string }[]).map((e) => e.message))).toEqual([
      ['earlier', 'then', 'later'],
    ]);
  });
});
