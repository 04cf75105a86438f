import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';
import type { Store } from './store.js';
import { testEngines, type TestStore } from './testing/engines.js';

describe.each(testEngines)('GroupCommit on $name', (engine) => {
  let testStore: TestStore;
  let store: Store;

  beforeAll(async () => {
    testStore = await engine.open();
    store = testStore.store;
    await store.run('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)');
  });

  afterAll(async () => {
    await testStore?.destroy();
  });

  beforeEach(async () => {
    await store.run('DELETE FROM items');
  });

  const names = async () =>
    (await store.all<{ name: string }>('SELECT name FROM items ORDER BY id')).map((r) => r.name);
  let ids = 0;
  const insertWith = (group: GroupCommit, name: string) =>
    group.run(
      async (tx) => (await tx.run('INSERT INTO items (id, name) VALUES (?, ?)', [++ids, name])).changes,
    );

  it('commits the units of one turn together and answers each with its own result', async () => {
    const group = new GroupCommit(store);
    expect(await Promise.all(['a', 'b', 'c'].map((name) => insertWith(group, name)))).toEqual([1, 1, 1]);
    expect(await names()).toEqual(['a', 'b', 'c']);
  });

  it('reports a failing unit to it alone and still commits the others of its turn', async () => {
    const group = new GroupCommit(store);
    await store.run('INSERT INTO items (id, name) VALUES (?, ?)', [++ids, 'taken']);
    const results = await Promise.allSettled(['a', 'taken', 'b'].map((name) => insertWith(group, name)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // Run alone after the shared transaction failed, the units commit in any order on PostgreSQL.
    expect((await names()).sort()).toEqual(['a', 'b', 'taken']);
  });

  it('runs the shared transaction, and each unit alone after a failure, through the given runner', async () => {
    let transactions = 0;
    const group = new GroupCommit(store, (s, work) => {
      transactions++;
      return s.transaction(work);
    });
    await Promise.all(['a', 'b'].map((name) => insertWith(group, name)));
    expect(transactions).toBe(1);
    await Promise.allSettled(['c', 'a', 'd'].map((name) => insertWith(group, name)));
    expect(transactions).toBe(1 + 1 + 3);
    expect((await names()).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('runs a unit submitted in a later turn in a transaction of its own', async () => {
    const group = new GroupCommit(store);
    await insertWith(group, 'first');
    await insertWith(group, 'second');
    expect(await names()).toEqual(['first', 'second']);
  });
});
