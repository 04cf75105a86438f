/** Queries of archives, the events they keep, and replays (schema: tables.ts). */
import type { Queryable } from '../../storage/store.js';
import type { Region } from './arns.js';

export interface ArchiveRow extends Record<string, unknown> {
  arn: string;
  account_id: string;
  region: string;
  name: string;
  bus_arn: string;
  description: string | null;
  event_pattern: string | null;
  retention_days: number;
  state: string;
  created_at: number;
}

export interface ArchivedEventRow extends Record<string, unknown> {
  id: number;
  ingested_at: number;
  event: string;
}

export interface ReplayRow extends Record<string, unknown> {
  arn: string;
  account_id: string;
  region: string;
  name: string;
  description: string | null;
  archive_arn: string;
  destination: string;
  event_start: number;
  event_end: number;
  state: string;
  state_reason: string | null;
  replay_start: number;
  replay_end: number | null;
  last_replayed: number | null;
  replayed_through_id: number;
}

export interface ListFilter {
  prefix: string;
  /** The bus (archives) or archive (replays) it belongs to. */
  source: string | undefined;
  state: string | undefined;
}

export const archiveQueries = {
  get: (db: Queryable, at: Region, name: string) =>
    db.get<ArchiveRow>('SELECT * FROM events_archives WHERE account_id = ? AND region = ? AND name = ?', [
      at.accountId,
      at.region,
      name,
    ]),

  byArn: (db: Queryable, arn: string) =>
    db.get<ArchiveRow>('SELECT * FROM events_archives WHERE arn = ?', [arn]),

  ofBus: (db: Queryable, busArn: string) =>
    db.all<ArchiveRow>("SELECT * FROM events_archives WHERE bus_arn = ? AND state = 'ENABLED'", [busArn]),

  insert: (db: Queryable, a: ArchiveRow) =>
    db.run(
      `INSERT INTO events_archives (arn, account_id, region, name, bus_arn, description, event_pattern,
         retention_days, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        a.arn,
        a.account_id,
        a.region,
        a.name,
        a.bus_arn,
        a.description,
        a.event_pattern,
        a.retention_days,
        a.state,
        a.created_at,
      ],
    ),

  update: (db: Queryable, a: ArchiveRow) =>
    db.run(
      'UPDATE events_archives SET description = ?, event_pattern = ?, retention_days = ? WHERE arn = ?',
      [a.description, a.event_pattern, a.retention_days, a.arn],
    ),

  delete: (db: Queryable, arn: string) => db.run('DELETE FROM events_archives WHERE arn = ?', [arn]),

  list: (db: Queryable, at: Region, filter: ListFilter, after: string, limit: number) =>
    listed<ArchiveRow>(db, 'events_archives', 'bus_arn', at, filter, after, limit),

  /** EventCount and SizeBytes of an archive. */
  usage: async (db: Queryable, arn: string) => {
    const row = await db.get<{ n: number; bytes: number | null }>(
      'SELECT COUNT(*) AS n, SUM(size) AS bytes FROM events_archived_events WHERE archive_arn = ?',
      [arn],
    );
    return { EventCount: row?.n ?? 0, SizeBytes: row?.bytes ?? 0 };
  },
};

export const archivedEventQueries = {
  insert: (db: Queryable, archiveArn: string, ingestedAt: number, event: string) =>
    db.run('INSERT INTO events_archived_events (archive_arn, ingested_at, event, size) VALUES (?, ?, ?, ?)', [
      archiveArn,
      ingestedAt,
      event,
      Buffer.byteLength(event),
    ]),

  /** The next events of a replay's window, in the order they arrived. */
  window: (db: Queryable, archiveArn: string, from: number, to: number, afterId: number, limit: number) =>
    db.all<ArchivedEventRow>(
      `SELECT id, ingested_at, event FROM events_archived_events
       WHERE archive_arn = ? AND ingested_at >= ? AND ingested_at <= ? AND id > ?
       ORDER BY id LIMIT ?`,
      [archiveArn, from, to, afterId, limit],
    ),

  /** Deletes what archives with a retention period keep beyond it. */
  expire: (db: Queryable, now: number) =>
    db.run(
      `DELETE FROM events_archived_events WHERE id IN (
         SELECT e.id FROM events_archived_events e JOIN events_archives a ON a.arn = e.archive_arn
         WHERE a.retention_days > 0
           AND e.ingested_at < ? - a.retention_days * CAST(86400000 AS BIGINT))`,
      [now],
    ),
};

export const replayQueries = {
  get: (db: Queryable, at: Region, name: string) =>
    db.get<ReplayRow>('SELECT * FROM events_replays WHERE account_id = ? AND region = ? AND name = ?', [
      at.accountId,
      at.region,
      name,
    ]),

  /** A replay's row, locked until the transaction ends (`forUpdate`: the dialect's clause). */
  lock: (db: Queryable, arn: string, forUpdate: string) =>
    db.get<ReplayRow>(`SELECT * FROM events_replays WHERE arn = ? ${forUpdate}`, [arn]),

  insert: (db: Queryable, r: ReplayRow) =>
    db.run(
      `INSERT INTO events_replays (arn, account_id, region, name, description, archive_arn, destination,
         event_start, event_end, state, state_reason, replay_start, replay_end, last_replayed,
         replayed_through_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        r.arn,
        r.account_id,
        r.region,
        r.name,
        r.description,
        r.archive_arn,
        r.destination,
        r.event_start,
        r.event_end,
        r.state,
        r.state_reason,
        r.replay_start,
        r.replay_end,
        r.last_replayed,
        r.replayed_through_id,
      ],
    ),

  /** A replay's progress after a batch: state, how far it got, when it ended. */
  progress: (
    db: Queryable,
    arn: string,
    p: { state: string; throughId: number; lastReplayed: number | null; end: number | null },
  ) =>
    db.run(
      `UPDATE events_replays SET state = ?, replayed_through_id = ?, last_replayed = ?, replay_end = ?
       WHERE arn = ?`,
      [p.state, p.throughId, p.lastReplayed, p.end, arn],
    ),

  /** Moves a replay from one state to another; false when it was no longer in `from`. */
  transition: async (db: Queryable, arn: string, from: readonly string[], to: string) =>
    (
      await db.run(
        `UPDATE events_replays SET state = ? WHERE arn = ? AND state IN (${from.map(() => '?').join(', ')})`,
        [to, arn, ...from],
      )
    ).changes > 0,

  list: (db: Queryable, at: Region, filter: ListFilter, after: string, limit: number) =>
    listed<ReplayRow>(db, 'events_replays', 'archive_arn', at, filter, after, limit),
};

/** A page of archives or replays in name order, with only the filters given in the SQL. */
function listed<T extends Record<string, unknown>>(
  db: Queryable,
  table: string,
  sourceColumn: string,
  at: Region,
  filter: ListFilter,
  after: string,
  limit: number,
): Promise<T[]> {
  const conditions = ['account_id = ?', 'region = ?', 'name > ?', 'substr(name, 1, ?) = ?'];
  const params: (string | number)[] = [at.accountId, at.region, after, filter.prefix.length, filter.prefix];
  if (filter.source !== undefined) {
    conditions.push(`${sourceColumn} = ?`);
    params.push(filter.source);
  }
  if (filter.state !== undefined) {
    conditions.push('state = ?');
    params.push(filter.state);
  }
  return db.all<T>(`SELECT * FROM ${table} WHERE ${conditions.join(' AND ')} ORDER BY name LIMIT ?`, [
    ...params,
    limit,
  ]);
}
