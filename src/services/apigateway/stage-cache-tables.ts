/**
 * What REST API stage caches hold, and the authorizer cache's flush counter. Both live in the
 * store because Stratus may run as several nodes on one database: a response one node cached is
 * served by the others, and a flush (FlushStageCache, FlushStageAuthorizersCache,
 * ResetAuthorizersCache) is seen by every node on its next call.
 *
 * - `apigateway_cache_entries`: one cached integration answer per stage and cache key, with its
 *   size, when it was stored (eviction drops the oldest first) and when it expires (its TTL).
 * - `apigateway_stages.authorizer_cache_generation`: bumped by an authorizer cache flush. Nodes
 *   keep Lambda authorizers' answers in memory and drop a stage's once they read a newer value
 *   in the stage row, which every call reads anyway.
 */
import type { Migration, Queryable } from '../../storage/store.js';
import type { StageRow } from './tables.js';

export const stageCacheTables: readonly string[] = ['apigateway_cache_entries'];

export const stageCacheMigrations: readonly Migration[] = [
  {
    id: 'apigateway-005-stage-cache',
    up: (dialect) => `
      CREATE TABLE apigateway_cache_entries (
        api_id TEXT NOT NULL,
        stage TEXT NOT NULL,
        cache_key TEXT NOT NULL,
        status INTEGER NOT NULL,
        headers TEXT NOT NULL,
        body ${dialect.bytes} NOT NULL,
        size BIGINT NOT NULL,
        stored_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        PRIMARY KEY (api_id, stage, cache_key),
        FOREIGN KEY (api_id, stage) REFERENCES apigateway_stages (api_id, name) ON DELETE CASCADE
      );
      CREATE INDEX apigateway_cache_entries_by_age
        ON apigateway_cache_entries (api_id, stage, stored_at, size);
      ALTER TABLE apigateway_stages ADD COLUMN authorizer_cache_generation BIGINT NOT NULL DEFAULT 0;
    `,
  },
];

export type CacheEntryRow = {
  api_id: string;
  stage: string;
  cache_key: string;
  status: number;
  /** JSON: `Record<string, string | string[]>`. */
  headers: string;
  body: Buffer;
  size: number;
  stored_at: number;
  expires_at: number;
};

/** The entries one eviction pass looks at, oldest first. */
const EVICTION_BATCH = 100;

export const cacheEntryQueries = {
  /** The entry for the key, if it has not expired at `now`. */
  find: (db: Queryable, apiId: string, stage: string, cacheKey: string, now: number) =>
    db.get<CacheEntryRow>(
      `SELECT * FROM apigateway_cache_entries
       WHERE api_id = ? AND stage = ? AND cache_key = ? AND expires_at > ?`,
      [apiId, stage, cacheKey, now],
    ),
  put: (db: Queryable, row: CacheEntryRow) =>
    db.run(
      `INSERT INTO apigateway_cache_entries
         (api_id, stage, cache_key, status, headers, body, size, stored_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (api_id, stage, cache_key) DO UPDATE SET
         status = excluded.status, headers = excluded.headers, body = excluded.body,
         size = excluded.size, stored_at = excluded.stored_at, expires_at = excluded.expires_at`,
      [
        row.api_id,
        row.stage,
        row.cache_key,
        row.status,
        row.headers,
        row.body,
        row.size,
        row.stored_at,
        row.expires_at,
      ],
    ),
  /** Drops the stage's expired entries, then its oldest ones until they fill at most `capacity` bytes. */
  async evict(db: Queryable, apiId: string, stage: string, capacity: number, now: number): Promise<void> {
    await db.run('DELETE FROM apigateway_cache_entries WHERE api_id = ? AND stage = ? AND expires_at <= ?', [
      apiId,
      stage,
      now,
    ]);
    const used = await db.get<{ total: number }>(
      'SELECT COALESCE(SUM(size), 0) AS total FROM apigateway_cache_entries WHERE api_id = ? AND stage = ?',
      [apiId, stage],
    );
    let over = Number(used?.total ?? 0) - capacity;
    while (over > 0) {
      const oldest = await db.all<{ cache_key: string; size: number }>(
        `SELECT cache_key, size FROM apigateway_cache_entries WHERE api_id = ? AND stage = ?
         ORDER BY stored_at, cache_key LIMIT ?`,
        [apiId, stage, EVICTION_BATCH],
      );
      if (oldest.length === 0) return;
      for (const { cache_key, size } of oldest) {
        if (over <= 0) return;
        await db.run(
          'DELETE FROM apigateway_cache_entries WHERE api_id = ? AND stage = ? AND cache_key = ?',
          [apiId, stage, cache_key],
        );
        over -= Number(size);
      }
    }
  },
  /** Empties a stage's cache: FlushStageCache, or a cache cluster turned off or resized. */
  flush: (db: Queryable, apiId: string, stage: string) =>
    db.run('DELETE FROM apigateway_cache_entries WHERE api_id = ? AND stage = ?', [apiId, stage]),
};

export const authorizerCacheQueries = {
  /** Makes every node drop the stage's cached authorizer answers; false when there is no such stage. */
  async flush(db: Queryable, apiId: string, stage: string): Promise<boolean> {
    const { changes } = await db.run(
      `UPDATE apigateway_stages SET authorizer_cache_generation = authorizer_cache_generation + 1
       WHERE api_id = ? AND name = ?`,
      [apiId, stage],
    );
    return changes > 0;
  },
};

/** The authorizer cache flush counter of a stage row (`SELECT *` reads it; StageRow's type predates it). */
export function authorizerCacheGeneration(row: StageRow): number {
  return Number(
    (row as StageRow & { authorizer_cache_generation?: number }).authorizer_cache_generation ?? 0,
  );
}
