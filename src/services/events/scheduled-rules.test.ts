/** Scheduled rules fire each due time once, however many nodes try at once, on both store engines. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../engine/clock.js';
import { testEngines, type TestStore } from '../../storage/testing/engines.js';
import { WorkQueue, workQueueMigrations } from '../../storage/work-queue.js';
import { Outbox, workQueueName, type TargetDelivery } from './outbox.js';
import { firstDue, ScheduledRules } from './scheduled-rules.js';
import { busQueries, eventsMigrations, ruleQueries, targetQueries } from './tables.js';

const minute = 60_000;
const t0 = Date.UTC(2026, 10, 1, 12);
const bus = 'arn:aws:events:us-east-1:000000000000:event-bus/default';
const rule = 'arn:aws:events:us-east-1:000000000000:rule/every-minute';

describe.each(testEngines)('scheduled rules on $name', (engine) => {
  let testStore: TestStore;
  let queue: WorkQueue;

  beforeAll(async () => {
    testStore = await engine.open();
    const { store } = testStore;
    await store.migrate([...workQueueMigrations, ...eventsMigrations]);
    queue = new WorkQueue(store, new ManualClock(t0 + 60 * minute));
    await busQueries.ensure(store, {
      arn: bus,
      account_id: '000000000000',
      region: 'us-east-1',
      name: 'default',
      description: null,
      kms_key_identifier: null,
      dead_letter_config: null,
      log_config: null,
      policy: null,
      tags: '{}',
      created_at: t0,
      modified_at: t0,
    });
    await ruleQueries.upsert(store, {
      arn: rule,
      bus_arn: bus,
      name: 'every-minute',
      event_pattern: null,
      schedule_expression: 'rate(1 minute)',
      state: 'ENABLED',
      description: null,
      role_arn: null,
      tags: '{}',
      created_at: t0,
      next_due_at: firstDue('rate(1 minute)', 'ENABLED', t0),
    });
    await targetQueries.put(store, {
      rule_arn: rule,
      target_id: 'a',
      arn: 'arn:aws:sqs:us-east-1:000000000000:a',
      definition: '{"Id":"a","Arn":"arn:aws:sqs:us-east-1:000000000000:a"}',
    });
    await targetQueries.put(store, {
      rule_arn: rule,
      target_id: 'b',
      arn: 'arn:aws:sqs:us-east-1:000000000000:b',
      definition: '{"Id":"b","Arn":"arn:aws:sqs:us-east-1:000000000000:b"}',
    });
  });
  afterAll(async () => {
    await testStore?.destroy();
  });

  it('of three nodes firing the same due times together, one fires each time, once per target', async () => {
    const nodes = [0, 1, 2].map(() => new ScheduledRules(testStore.store, new Outbox(queue)));
    for (let m = 1; m <= 5; m++) {
      await Promise.all(nodes.map((node) => node.fireDue(t0 + m * minute)));
    }
    const items = await queue.claim<TargetDelivery>(workQueueName, 'test', { leaseMs: minute, limit: 100 });
    const times = items.map(
      (item) => `${(JSON.parse(item.payload.event) as { time: string }).time} ${item.payload.target.Id}`,
    );
    expect(times.sort()).toEqual(
      [1, 2, 3, 4, 5].flatMap((m) => {
        const time = new Date(t0 + m * minute).toISOString().replace('.000Z', 'Z');
        return [`${time} a`, `${time} b`];
      }),
    );
    expect(await nodes[0]!.earliestDue()).toBe(t0 + 6 * minute);
  });
});
