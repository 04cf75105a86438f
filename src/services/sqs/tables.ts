/**
 * SQS's schema, and its queue and move-task queries (message queries: message-tables.ts).
 * Messages are rows; receiving is an atomic claim that moves `visible_at` into the future
 * (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so several nodes never hand out one message twice).
 * `(queue_id, visible_at)` makes the standard receive an index range scan;
 * `(queue_id, group_id, visible_at)` answers "is this FIFO group blocked" the same way (a partial
 * index: messages without a group, most of them, cost it nothing).
 */
import type { Migration, Queryable, SqlDialect } from '../../storage/store.js';

/** Every table of the service, parents before children. */
export const sqsTables: readonly string[] = [
  'sqs_queues',
  'sqs_deleted_queues',
  'sqs_messages',
  'sqs_dedup',
  'sqs_receive_attempts',
  'sqs_move_tasks',
];

export const sqsMigrations: readonly Migration[] = [
  {
    id: 'sqs-001-queues-messages',
    up: (d) => `
      CREATE TABLE sqs_queues (
        id ${d.autoIncrementPrimaryKey},
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        fifo INTEGER NOT NULL,
        attributes TEXT NOT NULL,
        tags TEXT NOT NULL,
        dead_letter_target_arn TEXT,
        created_at BIGINT NOT NULL,
        modified_at BIGINT NOT NULL,
        purged_at BIGINT,
        UNIQUE (account_id, region, name)
      );
      CREATE INDEX sqs_queues_by_dead_letter_target ON sqs_queues (dead_letter_target_arn);
      CREATE TABLE sqs_deleted_queues (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        deleted_at BIGINT NOT NULL,
        PRIMARY KEY (account_id, region, name)
      );
      CREATE TABLE sqs_messages (
        seq ${d.autoIncrementPrimaryKey},
        queue_id BIGINT NOT NULL,
        message_id TEXT NOT NULL,
        body TEXT NOT NULL,
        attributes TEXT,
        system_attributes TEXT,
        md5_attributes TEXT,
        md5_system_attributes TEXT,
        group_id TEXT,
        dedup_id TEXT,
        sender_id TEXT NOT NULL,
        sent_at BIGINT NOT NULL,
        visible_at BIGINT NOT NULL,
        receive_count INTEGER NOT NULL,
        first_received_at BIGINT,
        received_at BIGINT,
        receipt TEXT,
        dead_letter_source TEXT
      );
      CREATE INDEX sqs_messages_visible ON sqs_messages (queue_id, visible_at);
      CREATE INDEX sqs_messages_group ON sqs_messages (queue_id, group_id, visible_at) WHERE group_id IS NOT NULL;
      CREATE TABLE sqs_dedup (
        queue_id BIGINT NOT NULL,
        dedup_key TEXT NOT NULL,
        message_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        PRIMARY KEY (queue_id, dedup_key)
      );
      CREATE TABLE sqs_receive_attempts (
        queue_id BIGINT NOT NULL,
        attempt_id TEXT NOT NULL,
        receipt TEXT NOT NULL,
        seqs TEXT NOT NULL,
        expires_at BIGINT NOT NULL,
        PRIMARY KEY (queue_id, attempt_id)
      );
      CREATE TABLE sqs_move_tasks (
        task_id TEXT PRIMARY KEY,
        source_arn TEXT NOT NULL,
        destination_arn TEXT,
        rate INTEGER,
        status TEXT NOT NULL,
        moved BIGINT NOT NULL,
        to_move BIGINT NOT NULL,
        failure_reason TEXT,
        started_at BIGINT NOT NULL
      );
      CREATE INDEX sqs_move_tasks_by_source ON sqs_move_tasks (source_arn, started_at);
    `,
  },
];

export interface QueueRow extends Record<string, unknown> {
  id: number;
  account_id: string;
  region: string;
  name: string;
  fifo: number;
  attributes: string;
  tags: string;
  dead_letter_target_arn: string | null;
  created_at: number;
  modified_at: number;
  purged_at: number | null;
}

export interface MessageRow extends Record<string, unknown> {
  seq: number;
  queue_id: number;
  message_id: string;
  body: string;
  attributes: string | null;
  system_attributes: string | null;
  md5_attributes: string | null;
  md5_system_attributes: string | null;
  group_id: string | null;
  dedup_id: string | null;
  sender_id: string;
  sent_at: number;
  visible_at: number;
  receive_count: number;
  first_received_at: number | null;
  received_at: number | null;
  receipt: string | null;
  dead_letter_source: string | null;
}

export type NewQueue = Pick<
  QueueRow,
  | 'account_id'
  | 'region'
  | 'name'
  | 'fifo'
  | 'attributes'
  | 'tags'
  | 'dead_letter_target_arn'
  | 'created_at'
  | 'modified_at'
>;

export interface MoveTaskRow extends Record<string, unknown> {
  task_id: string;
  source_arn: string;
  destination_arn: string | null;
  rate: number | null;
  status: string;
  moved: number;
  to_move: number;
  failure_reason: string | null;
  started_at: number;
}

export const queueQueries = {
  insert: (db: Queryable, q: NewQueue) =>
    db.get<{ id: number }>(
      `INSERT INTO sqs_queues (account_id, region, name, fifo, attributes, tags, dead_letter_target_arn, created_at, modified_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [
        q.account_id,
        q.region,
        q.name,
        q.fifo,
        q.attributes,
        q.tags,
        q.dead_letter_target_arn,
        q.created_at,
        q.modified_at,
      ],
    ),
  byName: (db: Queryable, accountId: string, region: string, name: string) =>
    db.get<QueueRow>('SELECT * FROM sqs_queues WHERE account_id = ? AND region = ? AND name = ?', [
      accountId,
      region,
      name,
    ]),
  /** Locks the queue row (PostgreSQL) so FIFO receives of one queue take turns across nodes. */
  lock: (db: Queryable, dialect: SqlDialect, id: number) =>
    db.get(`SELECT id FROM sqs_queues WHERE id = ?${dialect.engine === 'postgres' ? ' FOR UPDATE' : ''}`, [
      id,
    ]),
  list: (db: Queryable, accountId: string, region: string, prefix: string, after: string, limit: number) =>
    db.all<QueueRow>(
      `SELECT * FROM sqs_queues WHERE account_id = ? AND region = ? AND substr(name, 1, ?) = ? AND name > ?
       ORDER BY name LIMIT ?`,
      [accountId, region, prefix.length, prefix, after, limit],
    ),
  all: (db: Queryable) => db.all<QueueRow>('SELECT * FROM sqs_queues'),
  deadLetterSources: (db: Queryable, targetArn: string) =>
    db.all<QueueRow>('SELECT * FROM sqs_queues WHERE dead_letter_target_arn = ? ORDER BY name', [targetArn]),
  updateAttributes: (db: Queryable, id: number, attributes: string, targetArn: string | null, now: number) =>
    db.run('UPDATE sqs_queues SET attributes = ?, dead_letter_target_arn = ?, modified_at = ? WHERE id = ?', [
      attributes,
      targetArn,
      now,
      id,
    ]),
  updateTags: (db: Queryable, id: number, tags: string) =>
    db.run('UPDATE sqs_queues SET tags = ? WHERE id = ?', [tags, id]),
  /** Marks a purge unless one happened within the cooldown; `changes` is 0 when refused. */
  markPurged: (db: Queryable, id: number, now: number, cooldownMs: number) =>
    db.run('UPDATE sqs_queues SET purged_at = ? WHERE id = ? AND (purged_at IS NULL OR purged_at <= ?)', [
      now,
      id,
      now - cooldownMs,
    ]),
  async delete(db: Queryable, q: QueueRow, now: number) {
    await db.run('DELETE FROM sqs_messages WHERE queue_id = ?', [q.id]);
    await db.run('DELETE FROM sqs_dedup WHERE queue_id = ?', [q.id]);
    await db.run('DELETE FROM sqs_receive_attempts WHERE queue_id = ?', [q.id]);
    await db.run('DELETE FROM sqs_queues WHERE id = ?', [q.id]);
    await db.run(
      `INSERT INTO sqs_deleted_queues (account_id, region, name, deleted_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (account_id, region, name) DO UPDATE SET deleted_at = excluded.deleted_at`,
      [q.account_id, q.region, q.name, now],
    );
  },
  deletedSince: (db: Queryable, accountId: string, region: string, name: string, since: number) =>
    db.get(
      'SELECT deleted_at FROM sqs_deleted_queues WHERE account_id = ? AND region = ? AND name = ? AND deleted_at > ?',
      [accountId, region, name, since],
    ),
};

export const moveTaskQueries = {
  insert: (db: Queryable, t: MoveTaskRow) =>
    db.run(
      `INSERT INTO sqs_move_tasks (task_id, source_arn, destination_arn, rate, status, moved, to_move, failure_reason, started_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        t.task_id,
        t.source_arn,
        t.destination_arn,
        t.rate,
        t.status,
        t.moved,
        t.to_move,
        t.failure_reason,
        t.started_at,
      ],
    ),
  running: (db: Queryable, dialect: SqlDialect) =>
    db.all<MoveTaskRow>(
      `SELECT * FROM sqs_move_tasks WHERE status = 'RUNNING' ${dialect.forUpdateSkipLocked}`,
    ),
  anyRunning: async (db: Queryable) =>
    (await db.get("SELECT task_id FROM sqs_move_tasks WHERE status = 'RUNNING' LIMIT 1")) !== undefined,
  runningFor: (db: Queryable, sourceArn: string) =>
    db.get<MoveTaskRow>("SELECT * FROM sqs_move_tasks WHERE source_arn = ? AND status = 'RUNNING'", [
      sourceArn,
    ]),
  byId: (db: Queryable, taskId: string) =>
    db.get<MoveTaskRow>('SELECT * FROM sqs_move_tasks WHERE task_id = ?', [taskId]),
  list: (db: Queryable, sourceArn: string, limit: number) =>
    db.all<MoveTaskRow>(
      'SELECT * FROM sqs_move_tasks WHERE source_arn = ? ORDER BY started_at DESC, task_id LIMIT ?',
      [sourceArn, limit],
    ),
  progress: (db: Queryable, taskId: string, moved: number, status: string, failure: string | null) =>
    db.run('UPDATE sqs_move_tasks SET moved = ?, status = ?, failure_reason = ? WHERE task_id = ?', [
      moved,
      status,
      failure,
      taskId,
    ]),
};
