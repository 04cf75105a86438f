import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { testEngines } from './testing/engines.js';
import type { TestStore } from './testing/engines.js';
import type { Migration, Store } from './store.js';

const itemsMigration: Migration = {
  id: 'test-001-items',
  up: (dialect) => `
    CREATE TABLE items (
      id ${dialect.autoIncrementPrimaryKey},
      name TEXT NOT NULL UNIQUE,
      size BIGINT,
      flag INTEGER,
      data ${dialect.bytes}
    );
    CREATE INDEX items_by_size ON items (size);
  `,
};

describe.each(testEngines)('Store on $name', (engine) => {
  let testStore: TestStore;
  let store: Store;

  beforeAll(async () => {
    testStore = await engine.open();
    store = testStore.store;
    await store.migrate([itemsMigration]);
  });

  afterAll(async () => {
    await testStore?.destroy();
  });

  it('names its engine', () => {
    expect(store.dialect.engine).toBe(engine.name);
  });

  it('inserts, reads, updates and deletes rows', async () => {
    const inserted = await store.get<{ id: number }>(
      'INSERT INTO items (name, size) VALUES (?, ?) RETURNING id',
      ['crud', 1],
    );
    expect(typeof inserted?.id).toBe('number');

    expect(await store.get('SELECT name, size FROM items WHERE id = ?', [inserted!.id])).toEqual({
      name: 'crud',
      size: 1,
    });
    expect(await store.run('UPDATE items SET size = ? WHERE name = ?', [2, 'crud'])).toEqual({ changes: 1 });
    expect(await store.all('SELECT size FROM items WHERE name = ?', ['crud'])).toEqual([{ size: 2 }]);
    expect(await store.run('DELETE FROM items WHERE name = ?', ['crud'])).toEqual({ changes: 1 });
    expect(await store.get('SELECT id FROM items WHERE name = ?', ['crud'])).toBeUndefined();
  });

  it('upserts with ON CONFLICT … DO UPDATE', async () => {
    const upsert =
      'INSERT INTO items (name, size) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET size = excluded.size';
    await store.run(upsert, ['upsert', 1]);
    await store.run(upsert, ['upsert', 5]);
    expect(await store.all('SELECT size FROM items WHERE name = ?', ['upsert'])).toEqual([{ size: 5 }]);
  });

  it('returns an empty list from all() for statements without rows', async () => {
    expect(await store.all('UPDATE items SET size = 0 WHERE name = ?', ['nobody'])).toEqual([]);
  });

  it('round-trips BIGINT values beyond 2^31 as numbers', async () => {
    const big = 2 ** 45 + 7;
    await store.run('INSERT INTO items (name, size) VALUES (?, ?)', ['big', big]);
    const row = await store.get<{ size: unknown; total: unknown; n: unknown }>(
      'SELECT size, (SELECT SUM(size) FROM items WHERE name = ?) AS total, (SELECT COUNT(*) FROM items) AS n FROM items WHERE name = ?',
      ['big', 'big'],
    );
    expect(row?.size).toBe(big);
    expect(row?.total).toBe(big);
    expect(typeof row?.n).toBe('number');
    await store.run('INSERT INTO items (name, size) VALUES (?, ?)', ['bigint', 2n ** 40n]);
    expect(await store.get('SELECT size FROM items WHERE name = ?', ['bigint'])).toEqual({ size: 2 ** 40 });
  });

  it('round-trips binary data as Buffers', async () => {
    const data = Buffer.from([0, 1, 2, 255, 0, 128]);
    await store.run('INSERT INTO items (name, data) VALUES (?, ?)', ['binary', data]);
    const row = await store.get<{ data: unknown }>('SELECT data FROM items WHERE name = ?', ['binary']);
    expect(Buffer.isBuffer(row?.data)).toBe(true);
    expect(row?.data).toEqual(data);
  });

  it('stores booleans as 0/1', async () => {
    await store.run('INSERT INTO items (name, flag) VALUES (?, ?), (?, ?)', ['yes', true, 'no', false]);
    expect(await store.all("SELECT name, flag FROM items WHERE name IN ('yes', 'no') ORDER BY name")).toEqual(
      [
        { name: 'no', flag: 0 },
        { name: 'yes', flag: 1 },
      ],
    );
  });

  it('leaves ? inside string literals alone', async () => {
    await store.run("INSERT INTO items (name, size) VALUES ('what?', ?)", [3]);
    expect(await store.get("SELECT size FROM items WHERE name = 'what?' AND size = ?", [3])).toEqual({
      size: 3,
    });
  });

  it('commits a transaction that resolves', async () => {
    const result = await store.transaction(async (tx) => {
      await tx.run('INSERT INTO items (name) VALUES (?)', ['committed']);
      return (await tx.get<{ name: string }>('SELECT name FROM items WHERE name = ?', ['committed']))?.name;
    });
    expect(result).toBe('committed');
    expect(await store.get('SELECT name FROM items WHERE name = ?', ['committed'])).toBeDefined();
  });

  it('rolls back a transaction that throws, and rethrows', async () => {
    await expect(
      store.transaction(async (tx) => {
        await tx.run('INSERT INTO items (name) VALUES (?)', ['rolled-back']);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.get('SELECT name FROM items WHERE name = ?', ['rolled-back'])).toBeUndefined();
  });

  it('rolls back when a statement fails, keeping the store usable', async () => {
    await store.run('INSERT INTO items (name) VALUES (?)', ['unique']);
    await expect(
      store.transaction(async (tx) => {
        await tx.run('INSERT INTO items (name) VALUES (?)', ['unique-2']);
        await tx.run('INSERT INTO items (name) VALUES (?)', ['unique']);
      }),
    ).rejects.toThrow();
    expect(await store.get('SELECT name FROM items WHERE name = ?', ['unique-2'])).toBeUndefined();
    expect(await store.get('SELECT name FROM items WHERE name = ?', ['unique'])).toEqual({ name: 'unique' });
  });

  it('keeps statements outside a transaction out of it', async () => {
    let release!: () => void;
    const paused = new Promise<void>((resolve) => (release = resolve));
    const failing = store.transaction(async (tx) => {
      await tx.run('INSERT INTO items (name) VALUES (?)', ['inside']);
      await paused;
      throw new Error('abort');
    });
    // Issued while the transaction is open; must neither see its write nor be rolled back with it.
    const outside = store.run('INSERT INTO items (name) VALUES (?)', ['outside']);
    setTimeout(release, 20);
    await expect(failing).rejects.toThrow('abort');
    await outside;
    expect(await store.get('SELECT name FROM items WHERE name = ?', ['outside'])).toEqual({
      name: 'outside',
    });
    expect(await store.get('SELECT name FROM items WHERE name = ?', ['inside'])).toBeUndefined();
  });

  it('rejects use of a transaction after it ended', async () => {
    let leaked!: Parameters<Parameters<Store['transaction']>[0]>[0];
    await store.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(leaked.get('SELECT 1 AS one')).rejects.toThrow(/finished/);
  });

  it('applies each migration once, in order, and is idempotent', async () => {
    const log: string[] = [];
    const migrations: Migration[] = [
      { id: 'test-002-a', up: () => (log.push('a'), 'CREATE TABLE mig_a (id INTEGER)') },
      { id: 'test-003-b', up: () => (log.push('b'), 'CREATE TABLE mig_b (id INTEGER)') },
    ];
    await store.migrate(migrations);
    await store.migrate(migrations);
    await store.migrate([itemsMigration, ...migrations]);
    expect(log).toEqual(['a', 'b']);
    const ids = await store.all<{ id: string }>('SELECT id FROM stratus_migrations ORDER BY id');
    expect(ids.map((row) => row.id)).toEqual(['test-001-items', 'test-002-a', 'test-003-b']);
  });

  it('applies a migration once even when migrated concurrently', async () => {
    const log: string[] = [];
    const migrations: Migration[] = [
      { id: 'test-004-c', up: () => (log.push('c'), 'CREATE TABLE mig_c (id INTEGER)') },
    ];
    await Promise.all([store.migrate(migrations), store.migrate(migrations), store.migrate(migrations)]);
    expect(log).toEqual(['c']);
  });

  it('does not record a migration that fails', async () => {
    const broken: Migration = { id: 'test-005-broken', up: () => 'CREATE TABLE mig_d (id INTEGER); NOT SQL' };
    await expect(store.migrate([broken])).rejects.toThrow();
    expect(await store.get('SELECT id FROM stratus_migrations WHERE id = ?', [broken.id])).toBeUndefined();
  });

  it('rejects duplicate migration ids', async () => {
    await expect(store.migrate([itemsMigration, itemsMigration])).rejects.toThrow(/Duplicate/);
  });
});
