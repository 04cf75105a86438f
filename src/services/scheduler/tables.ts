/**
 * EventBridge Scheduler's schema and queries: schedule groups, and schedules with their next due
 * time (advanced, with a conditional update, in the transaction that queues the invocation).
 */
import type { Migration, Queryable } from '../../storage/store.js';
import type { Region } from '../events/arns.js';

export const schedulerTables: readonly string[] = ['scheduler_groups', 'scheduler_schedules'];

export const schedulerMigrations: readonly Migration[] = [
  {
    id: 'scheduler-001-groups-schedules',
    up: () => `
      CREATE TABLE scheduler_groups (
        arn TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        tags TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        modified_at BIGINT NOT NULL
      );
      CREATE UNIQUE INDEX scheduler_groups_by_name ON scheduler_groups (account_id, region, name);
      CREATE TABLE scheduler_schedules (
        arn TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        group_name TEXT NOT NULL,
        name TEXT NOT NULL,
        definition TEXT NOT NULL,
        state TEXT NOT NULL,
        next_due_at BIGINT,
        created_at BIGINT NOT NULL,
        modified_at BIGINT NOT NULL
      );
      CREATE UNIQUE INDEX scheduler_schedules_by_name
        ON scheduler_schedules (account_id, region, group_name, name);
      CREATE INDEX scheduler_schedules_by_due ON scheduler_schedules (next_due_at);
    `,
  },
];

export interface GroupRow extends Record<string, unknown> {
  arn: string;
  account_id: string;
  region: string;
  name: string;
  tags: string;
  created_at: number;
  modified_at: number;
}

export interface ScheduleRow extends Record<string, unknown> {
  arn: string;
  account_id: string;
  region: string;
  group_name: string;
  name: string;
  /** The schedule's settings as JSON (see schedules.ts `Definition`). */
  definition: string;
  state: string;
  next_due_at: number | null;
  created_at: number;
  modified_at: number;
}

export const groupQueries = {
  get: (db: Queryable, at: Region, name: string) =>
    db.get<GroupRow>('SELECT * FROM scheduler_groups WHERE account_id = ? AND region = ? AND name = ?', [
      at.accountId,
      at.region,
      name,
    ]),
  byArn: (db: Queryable, arn: string) =>
    db.get<GroupRow>('SELECT * FROM scheduler_groups WHERE arn = ?', [arn]),
  /** Inserts a group; false when one of that name exists. */
  insert: async (db: Queryable, row: GroupRow) =>
    (
      await db.run(
        `INSERT INTO scheduler_groups (arn, account_id, region, name, tags, created_at, modified_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (arn) DO NOTHING`,
        [row.arn, row.account_id, row.region, row.name, row.tags, row.created_at, row.modified_at],
      )
    ).changes === 1,
  list: (db: Queryable, at: Region, prefix: string, after: string, limit: number) =>
    db.all<GroupRow>(
      `SELECT * FROM scheduler_groups WHERE account_id = ? AND region = ? AND name > ?
         AND substr(name, 1, ?) = ? ORDER BY name LIMIT ?`,
      [at.accountId, at.region, after, prefix.length, prefix, limit],
    ),
  setTags: (db: Queryable, arn: string, tags: string) =>
    db.run('UPDATE scheduler_groups SET tags = ? WHERE arn = ?', [tags, arn]),
  delete: (db: Queryable, arn: string) => db.run('DELETE FROM scheduler_groups WHERE arn = ?', [arn]),
};

export const scheduleQueries = {
  get: (db: Queryable, at: Region, group: string, name: string) =>
    db.get<ScheduleRow>(
      'SELECT * FROM scheduler_schedules WHERE account_id = ? AND region = ? AND group_name = ? AND name = ?',
      [at.accountId, at.region, group, name],
    ),
  insert: async (db: Queryable, row: ScheduleRow) =>
    (
      await db.run(
        `INSERT INTO scheduler_schedules (arn, account_id, region, group_name, name, definition, state,
           next_due_at, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (arn) DO NOTHING`,
        [
          row.arn,
          row.account_id,
          row.region,
          row.group_name,
          row.name,
          row.definition,
          row.state,
          row.next_due_at,
          row.created_at,
          row.modified_at,
        ],
      )
    ).changes === 1,
  update: (db: Queryable, row: ScheduleRow) =>
    db.run(
      `UPDATE scheduler_schedules SET definition = ?, state = ?, next_due_at = ?, modified_at = ?
       WHERE arn = ?`,
      [row.definition, row.state, row.next_due_at, row.modified_at, row.arn],
    ),
  delete: (db: Queryable, arn: string) => db.run('DELETE FROM scheduler_schedules WHERE arn = ?', [arn]),
  deleteGroup: (db: Queryable, at: Region, group: string) =>
    db.run('DELETE FROM scheduler_schedules WHERE account_id = ? AND region = ? AND group_name = ?', [
      at.accountId,
      at.region,
      group,
    ]),
  /** Schedules of a region in (group, name) order after `after` (`group/name`). */
  list: (
    db: Queryable,
    at: Region,
    filter: { group?: string; prefix: string; state?: string },
    after: string,
    limit: number,
  ) => {
    // Filters that are not given are left out, not passed as NULL (PostgreSQL cannot type `? IS NULL`).
    const clauses = [
      ...(filter.group !== undefined ? ['group_name = ?'] : []),
      ...(filter.state !== undefined ? ['state = ?'] : []),
    ];
    const params = [
      ...(filter.group !== undefined ? [filter.group] : []),
      ...(filter.state !== undefined ? [filter.state] : []),
    ];
    return db.all<ScheduleRow>(
      `SELECT * FROM scheduler_schedules WHERE account_id = ? AND region = ?
         ${clauses.map((clause) => `AND ${clause}`).join(' ')}
         AND substr(name, 1, ?) = ? AND group_name || '/' || name > ?
       ORDER BY group_name || '/' || name LIMIT ?`,
      [at.accountId, at.region, ...params, filter.prefix.length, filter.prefix, after, limit],
    );
  },
  due: (db: Queryable, now: number, limit: number) =>
    db.all<ScheduleRow>(
      'SELECT * FROM scheduler_schedules WHERE next_due_at <= ? ORDER BY next_due_at, arn LIMIT ?',
      [now, limit],
    ),
  earliestDue: async (db: Queryable) =>
    (await db.get<{ due: number | null }>('SELECT MIN(next_due_at) AS due FROM scheduler_schedules'))?.due ??
    undefined,
  /** The claim on a due time (see events' `ruleQueries.advanceDue`). */
  advanceDue: async (db: Queryable, arn: string, from: number, to: number | null) =>
    (
      await db.run('UPDATE scheduler_schedules SET next_due_at = ? WHERE arn = ? AND next_due_at = ?', [
        to,
        arn,
        from,
      ])
    ).changes === 1,
};
