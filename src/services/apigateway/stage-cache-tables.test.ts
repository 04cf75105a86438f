import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../storage/sqlite.js';
import {
  authorizerCacheGeneration,
  authorizerCacheQueries,
  cacheEntryQueries,
  stageCacheMigrations,
  type CacheEntryRow,
} from './stage-cache-tables.js';
import { apigatewayMigrations, apiQueries, stageQueries } from './tables.js';

describe('stage cache rows', () => {
  let store: SqliteStore;

  beforeEach(async () => {
    store = new SqliteStore({ path: ':memory:' });
    await store.migrate([...apigatewayMigrations, ...stageCacheMigrations]);
    await apiQueries.insert(store, {
      id: 'a1b2c3d4e5',
      account_id: '000000000000',
      region: 'us-east-1',
      kind: 'REST',
      created_at: 0,
      document: '{}',
    });
    for (const name of ['prod', 'test']) {
      await stageQueries.insert(store, {
        api_id: 'a1b2c3d4e5',
        name,
        deployment_id: 'd1',
        created_at: 0,
        document: '{}',
      });
    }
  });
  afterEach(() => store.close());

  const entry = (key: string, size: number, storedAt: number, stage = 'prod'): CacheEntryRow => ({
    api_id: 'a1b2c3d4e5',
    stage,
    cache_key: key,
    status: 200,
    headers: '{}',
    body: Buffer.from(key),
    size,
    stored_at: storedAt,
    expires_at: storedAt + 1000,
  });
  const keys = async (stage = 'prod') =>
    (
      await store.all<{ cache_key: string }>(
        'SELECT cache_key FROM apigateway_cache_entries WHERE stage = ? ORDER BY cache_key',
        [stage],
      )
    ).map((row) => row.cache_key);

  it('finds an entry until it expires, and replaces it under the same key', async () => {
    await cacheEntryQueries.put(store, entry('k', 10, 100));
    expect((await cacheEntryQueries.find(store, 'a1b2c3d4e5', 'prod', 'k', 1099))?.body).toEqual(
      Buffer.from('k'),
    );
    expect(await cacheEntryQueries.find(store, 'a1b2c3d4e5', 'prod', 'k', 1100)).toBeUndefined();
    await cacheEntryQueries.put(store, { ...entry('k', 10, 2000), status: 201 });
    expect((await cacheEntryQueries.find(store, 'a1b2c3d4e5', 'prod', 'k', 2500))?.status).toBe(201);
  });

  it('evicts expired entries, then the oldest, until the stage fits its capacity', async () => {
    await cacheEntryQueries.put(store, entry('expired', 10, 0));
    await cacheEntryQueries.put(store, entry('old', 40, 500));
    await cacheEntryQueries.put(store, entry('middle', 40, 600));
    await cacheEntryQueries.put(store, entry('new', 40, 700));
    await cacheEntryQueries.put(store, entry('elsewhere', 500, 100, 'test'));
    await cacheEntryQueries.evict(store, 'a1b2c3d4e5', 'prod', 100, 1000);
    expect(await keys()).toEqual(['middle', 'new']);
    expect(await keys('test')).toEqual(['elsewhere']);
    await cacheEntryQueries.evict(store, 'a1b2c3d4e5', 'prod', 0, 1000);
    expect(await keys()).toEqual([]);
  });

  it('flushes one stage, and goes with its stage', async () => {
    await cacheEntryQueries.put(store, entry('a', 1, 0));
    await cacheEntryQueries.put(store, entry('b', 1, 0, 'test'));
    await cacheEntryQueries.flush(store, 'a1b2c3d4e5', 'prod');
    expect(await keys()).toEqual([]);
    expect(await keys('test')).toEqual(['b']);
    await stageQueries.delete(store, 'a1b2c3d4e5', 'test');
    expect(await keys('test')).toEqual([]);
  });

  it("counts a stage's authorizer cache flushes in its row", async () => {
    const generation = async () =>
      authorizerCacheGeneration((await stageQueries.find(store, 'a1b2c3d4e5', 'prod'))!);
    expect(await generation()).toBe(0);
    expect(await authorizerCacheQueries.flush(store, 'a1b2c3d4e5', 'prod')).toBe(true);
    expect(await authorizerCacheQueries.flush(store, 'a1b2c3d4e5', 'prod')).toBe(true);
    expect(await generation()).toBe(2);
    expect(await authorizerCacheQueries.flush(store, 'a1b2c3d4e5', 'none')).toBe(false);
  });
});
