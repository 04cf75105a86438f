import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../protocol/errors.js';
import type { ServiceCaller } from '../services/service.js';
import { LogDelivery } from './log-delivery.js';
import { PendingWrites } from './pending-writes.js';

const at = { accountId: '000000000000', region: 'us-east-1' };

/** A CloudWatch Logs that knows the groups in `groups`, recording the calls made to it. */
function logsWith(groups: Set<string>) {
  const calls: { operation: string; input: Record<string, unknown> }[] = [];
  const streams = new Set<string>();
  const caller: ServiceCaller = {
    async call<T>(_service: string, operation: string, input: object): Promise<T> {
      await new Promise((resolve) => setImmediate(resolve));
      const i = input as Record<string, string>;
      calls.push({ operation, input: input as Record<string, unknown> });
      const notFound = () =>
        new ServiceError('ResourceNotFoundException', 'The specified log group does not exist.', {
          status: 400,
        });
      if (operation === 'CreateLogGroup') groups.add(i['logGroupName']!);
      if (operation === 'CreateLogStream') {
        if (!groups.has(i['logGroupName']!)) throw notFound();
        streams.add(`${i['logGroupName']}/${i['logStreamName']}`);
      }
      if (operation === 'PutLogEvents' && !streams.has(`${i['logGroupName']}/${i['logStreamName']}`))
        throw notFound();
      return {} as T;
    },
    callWire: () => Promise.resolve(undefined),
  };
  return { calls, caller };
}

const line = (message: string) => [{ timestamp: 1_700_000_000_000, message }];
const to = (logGroupName: string) => ({ at, logGroupName, logStreamName: 's' });

describe('LogDelivery', () => {
  it('creates a missing log group when told to', async () => {
    const { calls, caller } = logsWith(new Set());
    const delivery = new LogDelivery(caller, new PendingWrites(), pino({ level: 'silent' }), {
      createMissingGroups: true,
      describes: 'function logs',
    });
    await delivery.deliver(to('g'), line('a'), true);
    expect(calls.map((c) => c.operation)).toEqual(['CreateLogGroup', 'CreateLogStream', 'PutLogEvents']);
  });

  it('drops lines for a log group that does not exist, and writes once it is created', async () => {
    const groups = new Set<string>();
    const { calls, caller } = logsWith(groups);
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (s: string) => void warnings.push(s) });
    const delivery = new LogDelivery(caller, new PendingWrites(), logger, {
      createMissingGroups: false,
      describes: 'access logs',
    });
    await delivery.deliver(to('g'), line('lost'), true);
    await delivery.deliver(to('g'), line('lost too'), true);
    expect(calls.map((c) => c.operation)).not.toContain('CreateLogGroup');
    expect(calls.filter((c) => c.operation === 'PutLogEvents')).toHaveLength(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('access logs dropped: their log group does not exist');

    groups.add('g');
    await delivery.deliver(to('g'), line('kept'), true);
    const puts = calls.filter((c) => c.operation === 'PutLogEvents');
    expect(puts.map((p) => (p.input.logEvents as { message: string }[])[0]!.message)).toEqual(['kept']);
  });
});
