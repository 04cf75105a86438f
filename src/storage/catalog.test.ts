import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  advanceIdentities,
  columnsOf,
  deleteAll,
  insertRows,
  readConsistently,
  tableNames,
  tableRows,
} from './catalog.js';
import type { Migration, Store } from './store.js';
import { testEngines, type TestStore } from './testing/engines.js';

const schema: Migration = {
  id: 'test-001-parents-children',
  up: (d) => `
    CREATE TABLE parents (id ${d.autoIncrementPrimaryKey}, name TEXT NOT NULL, data ${d.bytes});
    CREATE TABLE children (
      parent_id BIGINT NOT NULL REFERENCES parents (id) ON DELETE CASCADE,
      label TEXT NOT NULL,
      PRIMARY KEY (parent_id, label)
    );
  `,
};

describe.each(testEngines)('catalog on $name', (engine) => {
  let testStore: TestStore;
  let store: Store;

  beforeAll(async () => {
    testStore = await engine.open();
    store = testStore.store;
    await store.migrate([schema]);
  });

  afterAll(() => testStore?.destroy());

  it('lists the tables and their columns in order', async () => {
    expect(await tableNames(store, store.dialect)).toEqual(['children', 'parents', 'stratus_migrations']);
    const parents = await columnsOf(store, store.dialect, 'parents');
    expect(parents?.map((c) => c.name)).toEqual(['id', 'name', 'data']);
    expect(parents?.[0]?.identity).toBe(engine.name === 'postgres');
    expect(await columnsOf(store, store.dialect, 'no_such_table')).toBeUndefined();
  });

  it('writes rows with their ids, reads them back in pages, and generates later ids past them', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => [
      100 + i,
      `p${i}`,
      i === 0 ? Buffer.from([0, 255]) : null,
    ]);
    const columns = (await columnsOf(store, store.dialect, 'parents'))!;
    await store.transaction(async (tx) => {
      await insertRows(tx, store.dialect, 'parents', ['id', 'name', 'data'], rows);
      await insertRows(tx, store.dialect, 'children', ['parent_id', 'label'], [[100, 'a']]);
      await advanceIdentities(tx, store.dialect, 'parents', columns);
    });
    const pages = await store.transaction(async (tx) => {
      await readConsistently(tx, store.dialect);
      const read: unknown[][][] = [];
      for await (const page of tableRows(tx, store.dialect, 'parents', ['id', 'name', 'data'], 3))
        read.push(page);
      return read;
    });
    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(pages.flat().sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual(rows);
    const next = await store.get<{ id: number }>("INSERT INTO parents (name) VALUES ('next') RETURNING id");
    expect(next!.id).toBe(107);
  });

  it('deletes every row of a table, children before parents', async () => {
    const deleted = await store.transaction(async (tx) => [
      await deleteAll(tx, 'children'),
      await deleteAll(tx, 'parents'),
    ]);
    expect(deleted).toEqual([1, 8]);
    expect(await store.all('SELECT * FROM parents')).toEqual([]);
  });
});
