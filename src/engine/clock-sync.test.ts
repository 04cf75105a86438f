import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { testEngines, type TestStore } from '../storage/testing/engines.js';
import { StratusClock } from './clock.js';
import { ClockSync, clockMigrations } from './clock-sync.js';

const logger = pino({ level: 'silent' });

describe.each(testEngines)('ClockSync on $name', (engine) => {
  let testStore: TestStore;
  beforeAll(async () => {
    testStore = await engine.open();
    await testStore.store.migrate(clockMigrations);
  });
  afterAll(() => testStore?.destroy());

  it("a change on one node is every node's time, and a node started later starts from it", async () => {
    const host = () => 1_000_000;
    const a = new ClockSync(testStore.store, new StratusClock({ offsetMs: 0 }, host), logger, 60_000);
    const b = new ClockSync(testStore.store, new StratusClock({ offsetMs: 0 }, host), logger, 60_000);
    await a.start();
    await b.start();
    expect(b.clock.now()).toBe(1_000_000);

    await a.change({ offsetMs: 5_000, frozenAt: 9_000_000 });
    expect(a.clock.now()).toBe(9_000_000);
    await b.refresh();
    expect(b.clock.current()).toEqual({ offsetMs: 5_000, frozenAt: 9_000_000 });

    await b.change({ offsetMs: 7_000 });
    await a.refresh();
    expect(a.clock.now()).toBe(1_007_000);

    const late = new ClockSync(testStore.store, new StratusClock({ offsetMs: 0 }, host), logger, 60_000);
    await late.start();
    expect(late.clock.now()).toBe(1_007_000);
    await Promise.all([a, b, late].map((sync) => sync.stop()));
  });

  it('a refresh that read the row before a local change does not undo it', async () => {
    const sync = new ClockSync(testStore.store, new StratusClock(), logger, 60_000);
    await sync.start();
    const before = await testStore.store.get<{ version: number }>('SELECT version FROM stratus_clock');
    await sync.change({ offsetMs: 123_000 });
    // What a poll that read the previous version would find: it must be ignored.
    await testStore.store.run('UPDATE stratus_clock SET offset_ms = 0, version = ?', [before!.version]);
    await sync.refresh();
    expect(sync.clock.current().offsetMs).toBe(123_000);
    await sync.stop();
  });
});
