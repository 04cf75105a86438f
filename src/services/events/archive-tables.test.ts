/** Archive retention and replay windows, on both store engines. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines, type TestStore } from '../../storage/testing/engines.js';
import type { Store } from '../../storage/store.js';
import { archivedEventQueries, archiveQueries } from './archive-tables.js';
import { busQueries, eventsMigrations } from './tables.js';

const day = 86_400_000;
const now = Date.UTC(2026, 10, 1);
const at = { accountId: '000000000000', region: 'us-east-1' };
const bus = 'arn:aws:events:us-east-1:000000000000:event-bus/default';

describe.each(testEngines)('archived events on $name', (engine) => {
  let testStore: TestStore;
  let store: Store;

  beforeAll(async () => {
    testStore = await engine.open();
    store = testStore.store;
    await store.migrate(eventsMigrations);
    await busQueries.ensure(store, {
      arn: bus,
      account_id: at.accountId,
      region: at.region,
      name: 'default',
      description: null,
      kms_key_identifier: null,
      dead_letter_config: null,
      log_config: null,
      policy: null,
      tags: '{}',
      created_at: now,
      modified_at: now,
    });
    for (const [name, retention_days] of [
      ['week', 7],
      ['forever', 0],
    ] as const) {
      await archiveQueries.insert(store, {
        arn: `arn:aws:events:us-east-1:000000000000:archive/${name}`,
        account_id: at.accountId,
        region: at.region,
        name,
        bus_arn: bus,
        description: null,
        event_pattern: null,
        retention_days,
        state: 'ENABLED',
        created_at: now,
      });
      for (const age of [60, 8, 6, 0]) {
        await archivedEventQueries.insert(
          store,
          `arn:aws:events:us-east-1:000000000000:archive/${name}`,
          now - age * day,
          `{"age":${age}}`,
        );
      }
    }
  });
  afterAll(() => testStore?.destroy());

  it('drops what an archive keeps beyond its retention, and keeps everything with retention 0', async () => {
    await archivedEventQueries.expire(store, now);
    const ages = async (name: string) =>
      (
        await archivedEventQueries.window(
          store,
          `arn:aws:events:us-east-1:000000000000:archive/${name}`,
          0,
          now,
          0,
          100,
        )
      ).map((row) => (JSON.parse(row.event) as { age: number }).age);
    expect(await ages('week')).toEqual([6, 0]);
    expect(await ages('forever')).toEqual([60, 8, 6, 0]);
    expect(await archiveQueries.usage(store, `arn:aws:events:us-east-1:000000000000:archive/week`)).toEqual({
      EventCount: 2,
      SizeBytes: 18,
    });
  });

  it('reads a replay window by arrival time, in arrival order, after a given row', async () => {
    const arn = 'arn:aws:events:us-east-1:000000000000:archive/forever';
    const window = await archivedEventQueries.window(store, arn, now - 10 * day, now - day, 0, 100);
    expect(window.map((row) => row.event)).toEqual(['{"age":8}', '{"age":6}']);
    const rest = await archivedEventQueries.window(store, arn, now - 10 * day, now - day, window[0]!.id, 100);
    expect(rest.map((row) => row.event)).toEqual(['{"age":6}']);
  });
});
