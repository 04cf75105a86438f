/**
 * The queries of API keys, usage plans and quota counters (their schema is migration
 * `apigateway-002-usage-plans` in tables.ts; the queries live apart to keep that file readable).
 * Keys and plans keep their AWS shape as JSON, like the rest of API Gateway's rows.
 */
import type { Queryable } from '../../storage/store.js';
import type { ApiPlace } from './tables.js';

export type ApiKeyRow = { id: string; account_id: string; region: string; value: string; document: string };
export type UsagePlanRow = { id: string; account_id: string; region: string; document: string };

export const apiKeyQueries = {
  insert: (db: Queryable, row: ApiKeyRow) =>
    db.run(
      'INSERT INTO apigateway_api_keys (id, account_id, region, value, document) VALUES (?, ?, ?, ?, ?)',
      [row.id, row.account_id, row.region, row.value, row.document],
    ),
  find: (db: Queryable, at: ApiPlace, id: string) =>
    db.get<ApiKeyRow>('SELECT * FROM apigateway_api_keys WHERE id = ? AND account_id = ? AND region = ?', [
      id,
      at.accountId,
      at.region,
    ]),
  findByValue: (db: Queryable, at: ApiPlace, value: string) =>
    db.get<ApiKeyRow>('SELECT * FROM apigateway_api_keys WHERE value = ? AND account_id = ? AND region = ?', [
      value,
      at.accountId,
      at.region,
    ]),
  list: (db: Queryable, at: ApiPlace, after: string, limit: number) =>
    db.all<ApiKeyRow>(
      `SELECT * FROM apigateway_api_keys WHERE account_id = ? AND region = ? AND id > ?
       ORDER BY id LIMIT ?`,
      [at.accountId, at.region, after, limit],
    ),
  update: (db: Queryable, id: string, document: string) =>
    db.run('UPDATE apigateway_api_keys SET document = ? WHERE id = ?', [document, id]),
  delete: (db: Queryable, id: string) => db.run('DELETE FROM apigateway_api_keys WHERE id = ?', [id]),
};

export const usagePlanQueries = {
  insert: (db: Queryable, row: UsagePlanRow) =>
    db.run('INSERT INTO apigateway_usage_plans (id, account_id, region, document) VALUES (?, ?, ?, ?)', [
      row.id,
      row.account_id,
      row.region,
      row.document,
    ]),
  find: (db: Queryable, at: ApiPlace, id: string) =>
    db.get<UsagePlanRow>(
      'SELECT * FROM apigateway_usage_plans WHERE id = ? AND account_id = ? AND region = ?',
      [id, at.accountId, at.region],
    ),
  list: (db: Queryable, at: ApiPlace, after: string, limit: number) =>
    db.all<UsagePlanRow>(
      `SELECT * FROM apigateway_usage_plans WHERE account_id = ? AND region = ? AND id > ?
       ORDER BY id LIMIT ?`,
      [at.accountId, at.region, after, limit],
    ),
  /** The plans a key belongs to. */
  ofKey: (db: Queryable, keyId: string) =>
    db.all<UsagePlanRow>(
      `SELECT p.* FROM apigateway_usage_plans p
       JOIN apigateway_usage_plan_keys k ON k.plan_id = p.id WHERE k.key_id = ? ORDER BY p.id`,
      [keyId],
    ),
  update: (db: Queryable, id: string, document: string) =>
    db.run('UPDATE apigateway_usage_plans SET document = ? WHERE id = ?', [document, id]),
  delete: (db: Queryable, id: string) => db.run('DELETE FROM apigateway_usage_plans WHERE id = ?', [id]),
};

export const planKeyQueries = {
  insert: (db: Queryable, planId: string, keyId: string) =>
    db.run('INSERT INTO apigateway_usage_plan_keys (plan_id, key_id) VALUES (?, ?)', [planId, keyId]),
  exists: (db: Queryable, planId: string, keyId: string) =>
    db.get<{ key_id: string }>(
      'SELECT key_id FROM apigateway_usage_plan_keys WHERE plan_id = ? AND key_id = ?',
      [planId, keyId],
    ),
  /** The plan's keys (their rows), ordered by key id for paging. */
  keys: (db: Queryable, planId: string, after: string, limit: number) =>
    db.all<ApiKeyRow>(
      `SELECT a.* FROM apigateway_api_keys a JOIN apigateway_usage_plan_keys k ON k.key_id = a.id
       WHERE k.plan_id = ? AND a.id > ? ORDER BY a.id LIMIT ?`,
      [planId, after, limit],
    ),
  delete: (db: Queryable, planId: string, keyId: string) =>
    db.run('DELETE FROM apigateway_usage_plan_keys WHERE plan_id = ? AND key_id = ?', [planId, keyId]),
};

export const quotaQueries = {
  /**
   * Counts one request against the key's quota for the period, unless it is used up: one
   * conditional UPDATE, so concurrent requests on any node never count past the limit.
   * Answers the count after this request, or undefined when the quota was already used up.
   */
  async take(
    db: Queryable,
    planId: string,
    keyId: string,
    periodStart: number,
    limit: number,
  ): Promise<number | undefined> {
    await db.run(
      `INSERT INTO apigateway_quota_counters (plan_id, key_id, period_start, used) VALUES (?, ?, ?, 0)
       ON CONFLICT (plan_id, key_id, period_start) DO NOTHING`,
      [planId, keyId, periodStart],
    );
    const row = await db.get<{ used: number }>(
      `UPDATE apigateway_quota_counters SET used = used + 1
       WHERE plan_id = ? AND key_id = ? AND period_start = ? AND used < ? RETURNING used`,
      [planId, keyId, periodStart, limit],
    );
    return row?.used;
  },
  used: async (db: Queryable, planId: string, keyId: string, periodStart: number) =>
    (
      await db.get<{ used: number }>(
        'SELECT used FROM apigateway_quota_counters WHERE plan_id = ? AND key_id = ? AND period_start = ?',
        [planId, keyId, periodStart],
      )
    )?.used ?? 0,
  /** Adds one request to the day's usage, with the quota's remaining as it now stands. */
  recordDay: (db: Queryable, planId: string, keyId: string, day: string, remaining: number) =>
    db.run(
      `INSERT INTO apigateway_daily_usage (plan_id, key_id, day, used, remaining) VALUES (?, ?, ?, 1, ?)
       ON CONFLICT (plan_id, key_id, day) DO UPDATE
       SET used = apigateway_daily_usage.used + 1, remaining = excluded.remaining`,
      [planId, keyId, day, remaining],
    ),
  days: (db: Queryable, planId: string, from: string, to: string) =>
    db.all<{ key_id: string; day: string; used: number; remaining: number }>(
      `SELECT key_id, day, used, remaining FROM apigateway_daily_usage
       WHERE plan_id = ? AND day >= ? AND day <= ? ORDER BY key_id, day`,
      [planId, from, to],
    ),
};

/** UpdateUsage (usage-grants.ts): a key's remaining quota set by hand. */
export const quotaGrantQueries = {
  /** The period's count set so that `limit - used` is what remains. */
  setUsed: (db: Queryable, planId: string, keyId: string, periodStart: number, used: number) =>
    db.run(
      `INSERT INTO apigateway_quota_counters (plan_id, key_id, period_start, used) VALUES (?, ?, ?, ?)
       ON CONFLICT (plan_id, key_id, period_start) DO UPDATE SET used = excluded.used`,
      [planId, keyId, periodStart, used],
    ),
  /** The day's remaining as GetUsage shows it, its count of calls kept. */
  setRemaining: (db: Queryable, planId: string, keyId: string, day: string, remaining: number) =>
    db.run(
      `INSERT INTO apigateway_daily_usage (plan_id, key_id, day, used, remaining) VALUES (?, ?, ?, 0, ?)
       ON CONFLICT (plan_id, key_id, day) DO UPDATE SET remaining = excluded.remaining`,
      [planId, keyId, day, remaining],
    ),
};
