import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { SqliteStore } from './sqlite.js';

describe('SqliteStore', () => {
  let store: SqliteStore;

  beforeEach(async () => {
    store = new SqliteStore({ path: ':memory:' });
    await store.run('CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT)');
  });

  afterEach(async () => {
    await store.close();
  });

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('runs concurrent transactions one after the other, never interleaved', async () => {
    const write = (name: string) =>
      store.transaction(async (tx) => {
        for (let step = 0; step < 3; step++) {
          await tx.run('INSERT INTO events (label) VALUES (?)', [`${name}${step}`]);
          await sleep(2);
        }
      });
    await Promise.all([write('a'), write('b'), write('c')]);
    const labels = (await store.all<{ label: string }>('SELECT label FROM events ORDER BY id')).map(
      (r) => r.label,
    );
    expect(labels).toEqual(['a0', 'a1', 'a2', 'b0', 'b1', 'b2', 'c0', 'c1', 'c2']);
  });

  it('makes statements outside a transaction wait until it ends', async () => {
    const order: string[] = [];
    const transaction = store.transaction(async (tx) => {
      await tx.run('INSERT INTO events (label) VALUES (?)', ['tx']);
      await sleep(10);
      order.push('commit');
    });
    const outside = store.all('SELECT label FROM events').then((rows) => {
      order.push('outside');
      return rows;
    });
    await Promise.all([transaction, outside]);
    expect(order).toEqual(['commit', 'outside']);
    expect(await outside).toEqual([{ label: 'tx' }]);
  });

  it('runs statements at once when no transaction holds the connection', async () => {
    const insert = store.run('INSERT INTO events (label) VALUES (?)', ['now']);
    // Executed synchronously: the row is visible before the insert's promise is awaited.
    expect(await store.get('SELECT label FROM events')).toEqual({ label: 'now' });
    await insert;
  });

  it('rejects (not throws) on invalid SQL', async () => {
    const result = store.all('SELEKT nonsense');
    await expect(result).rejects.toThrow();
  });

  it('waits for a running transaction before closing', async () => {
    const other = new SqliteStore({ path: ':memory:' });
    await other.run('CREATE TABLE t (x INTEGER)');
    const transaction = other.transaction(async (tx) => {
      await sleep(10);
      await tx.run('INSERT INTO t VALUES (1)');
    });
    await other.close();
    await expect(transaction).resolves.toBeUndefined();
    await expect(other.get('SELECT 1')).rejects.toThrow(/not open/);
  });
});
