/**
 * CloudWatch Logs' schema and queries. Log groups own streams, streams own events; events are
 * ordered by (timestamp, id), which is what paging tokens point into.
 */
import type { Migration, Queryable, SqlValue } from '../../storage/store.js';

/** Every table of the service, parents before children. */
export const logsTables: readonly string[] = ['logs_groups', 'logs_streams', 'logs_events'];

export const logsMigrations: readonly Migration[] = [
  {
    id: 'logs-001-groups-streams-events',
    up: (d) => `
      CREATE TABLE logs_groups (
        id ${d.autoIncrementPrimaryKey},
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        retention_days INTEGER,
        kms_key_id TEXT,
        log_group_class TEXT NOT NULL,
        tags TEXT NOT NULL,
        UNIQUE (account_id, region, name)
      );
      CREATE TABLE logs_streams (
        id ${d.autoIncrementPrimaryKey},
        group_id BIGINT NOT NULL REFERENCES logs_groups (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        first_event_at BIGINT,
        last_event_at BIGINT,
        last_ingestion_at BIGINT,
        upload_sequence BIGINT NOT NULL,
        stored_bytes BIGINT NOT NULL,
        UNIQUE (group_id, name)
      );
      CREATE TABLE logs_events (
        id ${d.autoIncrementPrimaryKey},
        group_id BIGINT NOT NULL REFERENCES logs_groups (id) ON DELETE CASCADE,
        stream_id BIGINT NOT NULL REFERENCES logs_streams (id) ON DELETE CASCADE,
        event_time BIGINT NOT NULL,
        ingestion_time BIGINT NOT NULL,
        message TEXT NOT NULL
      );
      CREATE INDEX logs_events_by_stream ON logs_events (stream_id, event_time, id);
      CREATE INDEX logs_events_by_group ON logs_events (group_id, event_time, id);
    `,
  },
];

export interface LogGroupRow extends Record<string, unknown> {
  id: number;
  account_id: string;
  region: string;
  name: string;
  created_at: number;
  retention_days: number | null;
  kms_key_id: string | null;
  log_group_class: string;
  tags: string;
  stored_bytes?: number;
}

export interface LogStreamRow extends Record<string, unknown> {
  id: number;
  group_id: number;
  name: string;
  created_at: number;
  first_event_at: number | null;
  last_event_at: number | null;
  last_ingestion_at: number | null;
  upload_sequence: number;
  stored_bytes: number;
}

export interface LogEventRow extends Record<string, unknown> {
  id: number;
  stream_id: number;
  event_time: number;
  ingestion_time: number;
  message: string;
}

export interface Region {
  accountId: string;
  region: string;
}

/** DescribeLogGroups reports storedBytes; look-ups on the write path skip the sum. */
const groupColumns = `g.*, (SELECT COALESCE(SUM(s.stored_bytes), 0) FROM logs_streams s WHERE s.group_id = g.id) AS stored_bytes`;

export const groupQueries = {
  byName: (db: Queryable, at: Region, name: string) =>
    db.get<LogGroupRow>('SELECT * FROM logs_groups WHERE account_id = ? AND region = ? AND name = ?', [
      at.accountId,
      at.region,
      name,
    ]),

  insert: (
    db: Queryable,
    at: Region,
    group: Pick<
      LogGroupRow,
      'name' | 'created_at' | 'retention_days' | 'kms_key_id' | 'log_group_class' | 'tags'
    >,
  ) =>
    db.run(
      `INSERT INTO logs_groups (account_id, region, name, created_at, retention_days, kms_key_id, log_group_class, tags)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, region, name) DO NOTHING`,
      [
        at.accountId,
        at.region,
        group.name,
        group.created_at,
        group.retention_days,
        group.kms_key_id,
        group.log_group_class,
        group.tags,
      ],
    ),

  delete: (db: Queryable, id: number) => db.run('DELETE FROM logs_groups WHERE id = ?', [id]),

  /** Groups in name order after `afterName`, filtered by prefix, substring pattern and class. */
  list: (
    db: Queryable,
    at: Region,
    filter: { prefix?: string; pattern?: string; logGroupClass?: string; afterName?: string; limit: number },
  ) => {
    const where = ['account_id = ?', 'region = ?'];
    const params: SqlValue[] = [at.accountId, at.region];
    if (filter.prefix !== undefined) {
      where.push('substr(name, 1, ?) = ?');
      params.push(filter.prefix.length, filter.prefix);
    }
    if (filter.pattern !== undefined) {
      where.push("LOWER(name) LIKE ? ESCAPE '\\'");
      params.push(`%${escapeLike(filter.pattern.toLowerCase())}%`);
    }
    if (filter.logGroupClass !== undefined) {
      where.push('log_group_class = ?');
      params.push(filter.logGroupClass);
    }
    if (filter.afterName !== undefined) {
      where.push('name > ?');
      params.push(filter.afterName);
    }
    params.push(filter.limit);
    return db.all<LogGroupRow>(
      `SELECT ${groupColumns} FROM logs_groups g WHERE ${where.join(' AND ')} ORDER BY name LIMIT ?`,
      params,
    );
  },

  setRetention: (db: Queryable, id: number, days: number | null) =>
    db.run('UPDATE logs_groups SET retention_days = ? WHERE id = ?', [days, id]),

  setTags: (db: Queryable, id: number, tags: Record<string, string>) =>
    db.run('UPDATE logs_groups SET tags = ? WHERE id = ?', [JSON.stringify(tags), id]),

  withRetention: (db: Queryable) =>
    db.all<{ id: number; retention_days: number }>(
      'SELECT id, retention_days FROM logs_groups WHERE retention_days IS NOT NULL',
    ),
};

export const streamQueries = {
  byName: (db: Queryable, groupId: number, name: string) =>
    db.get<LogStreamRow>('SELECT * FROM logs_streams WHERE group_id = ? AND name = ?', [groupId, name]),

  byNames: (db: Queryable, groupId: number, names: readonly string[]) =>
    db.all<LogStreamRow>(
      `SELECT * FROM logs_streams WHERE group_id = ? AND name IN (${names.map(() => '?').join(', ')})`,
      [groupId, ...names],
    ),

  byIds: (db: Queryable, ids: readonly number[]) =>
    db.all<LogStreamRow>(`SELECT * FROM logs_streams WHERE id IN (${ids.map(() => '?').join(', ')})`, [
      ...ids,
    ]),

  insert: (db: Queryable, groupId: number, name: string, createdAt: number) =>
    db.run(
      `INSERT INTO logs_streams (group_id, name, created_at, upload_sequence, stored_bytes) VALUES (?, ?, ?, 0, 0)
       ON CONFLICT (group_id, name) DO NOTHING`,
      [groupId, name, createdAt],
    ),

  delete: (db: Queryable, id: number) => db.run('DELETE FROM logs_streams WHERE id = ?', [id]),

  list: (
    db: Queryable,
    groupId: number,
    filter: {
      prefix?: string;
      orderBy: 'LogStreamName' | 'LastEventTime';
      descending: boolean;
      offset: number;
      limit: number;
    },
  ) => {
    const where = ['group_id = ?'];
    const params: SqlValue[] = [groupId];
    if (filter.prefix !== undefined) {
      where.push('substr(name, 1, ?) = ?');
      params.push(filter.prefix.length, filter.prefix);
    }
    const direction = filter.descending ? 'DESC' : 'ASC';
    const order =
      filter.orderBy === 'LastEventTime'
        ? `COALESCE(last_event_at, 0) ${direction}, name ${direction}`
        : `name ${direction}`;
    params.push(filter.limit, filter.offset);
    return db.all<LogStreamRow>(
      `SELECT * FROM logs_streams WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ? OFFSET ?`,
      params,
    );
  },

  recordUpload: (
    db: Queryable,
    id: number,
    upload: { firstEventAt: number; lastEventAt: number; ingestedAt: number; bytes: number },
  ) =>
    db.get<{ upload_sequence: number }>(
      `UPDATE logs_streams SET
         first_event_at = CASE WHEN first_event_at IS NULL OR first_event_at > ? THEN ? ELSE first_event_at END,
         last_event_at = CASE WHEN last_event_at IS NULL OR last_event_at < ? THEN ? ELSE last_event_at END,
         last_ingestion_at = ?,
         upload_sequence = upload_sequence + 1,
         stored_bytes = stored_bytes + ?
       WHERE id = ? RETURNING upload_sequence`,
      [
        upload.firstEventAt,
        upload.firstEventAt,
        upload.lastEventAt,
        upload.lastEventAt,
        upload.ingestedAt,
        upload.bytes,
        id,
      ],
    ),
};

/** Events are inserted in chunks: SQLite and PostgreSQL both cap the parameters of one statement. */
const insertChunk = 500;

export const eventQueries = {
  insertMany: async (
    db: Queryable,
    groupId: number,
    streamId: number,
    events: readonly { timestamp: number; message: string }[],
    ingestionTime: number,
  ) => {
    for (let start = 0; start < events.length; start += insertChunk) {
      const chunk = events.slice(start, start + insertChunk);
      const params: SqlValue[] = [];
      for (const e of chunk) params.push(groupId, streamId, e.timestamp, ingestionTime, e.message);
      await db.run(
        `INSERT INTO logs_events (group_id, stream_id, event_time, ingestion_time, message) VALUES ${chunk
          .map(() => '(?, ?, ?, ?, ?)')
          .join(', ')}`,
        params,
      );
    }
  },

  /**
   * One page of a stream's events strictly after (forward) or before (backward) a cursor, within
   * [startTime, endTime). Backward pages come newest first; callers reverse them.
   */
  page: (
    db: Queryable,
    streamId: number,
    query: {
      direction: 'forward' | 'backward';
      cursor: EventCursor;
      startTime: number;
      endTime: number;
      limit: number;
    },
  ) => {
    const forward = query.direction === 'forward';
    const cmp = forward ? '>' : '<';
    return db.all<LogEventRow>(
      `SELECT id, stream_id, event_time, ingestion_time, message FROM logs_events
       WHERE stream_id = ? AND event_time >= ? AND event_time < ?
         AND (event_time ${cmp} ? OR (event_time = ? AND id ${cmp} ?))
       ORDER BY event_time ${forward ? 'ASC' : 'DESC'}, id ${forward ? 'ASC' : 'DESC'} LIMIT ?`,
      [
        streamId,
        query.startTime,
        query.endTime,
        query.cursor.time,
        query.cursor.time,
        query.cursor.id,
        query.limit,
      ],
    );
  },

  /** Events of a group across streams, in (timestamp, id) order after a cursor. */
  scanGroup: (
    db: Queryable,
    groupId: number,
    query: {
      streamIds?: readonly number[];
      cursor: EventCursor;
      startTime: number;
      endTime: number;
      limit: number;
    },
  ) => {
    const params: SqlValue[] = [
      groupId,
      query.startTime,
      query.endTime,
      query.cursor.time,
      query.cursor.time,
      query.cursor.id,
    ];
    let streams = '';
    if (query.streamIds) {
      streams = `AND stream_id IN (${query.streamIds.map(() => '?').join(', ')})`;
      params.push(...query.streamIds);
    }
    params.push(query.limit);
    return db.all<LogEventRow>(
      `SELECT id, stream_id, event_time, ingestion_time, message FROM logs_events
       WHERE group_id = ? AND event_time >= ? AND event_time < ?
         AND (event_time > ? OR (event_time = ? AND id > ?)) ${streams}
       ORDER BY event_time, id LIMIT ?`,
      params,
    );
  },

  deleteOlderThan: (db: Queryable, groupId: number, cutoff: number) =>
    db.run('DELETE FROM logs_events WHERE group_id = ? AND event_time < ?', [groupId, cutoff]),
};

/** A position between events, in (timestamp, id) order. */
export interface EventCursor {
  time: number;
  id: number;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
