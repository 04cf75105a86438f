/**
 * SQS's schema and every query it runs. Messages are rows; receiving is an atomic claim that
 * moves `visible_at` into the future (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so several nodes
 * never hand out one message twice). `(queue_id, visible_at)` makes the standard receive an index
 * range scan; `(queue_id, group_id, visible_at)` answers "is this FIFO group blocked" the same way
 * (a partial index: messages without a group, most of them, cost it nothing).
 */
import type { Migration, Queryable, SqlDialect, SqlValue } from '../../storage/store.js';

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

/** A message as SendMessage writes it. */
export interface NewMessage {
  messageId: string;
  body: string;
  attributes: string | null;
  systemAttributes: string | null;
  md5Attributes: string | null;
  md5SystemAttributes: string | null;
  groupId: string | null;
  dedupId: string | null;
  senderId: string;
  sentAt: number;
  visibleAt: number;
}

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

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const messageColumns =
  'queue_id, message_id, body, attributes, system_attributes, md5_attributes, md5_system_attributes, group_id, dedup_id, sender_id, sent_at, visible_at, receive_count';

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

export interface MessageCounts extends Record<string, unknown> {
  visible: number | null;
  in_flight: number | null;
  delayed: number | null;
}

export const messageQueries = {
  /** One multi-row INSERT per batch; returns each message's sequence number. */
  insert(db: Queryable, queueId: number, messages: readonly NewMessage[]) {
    const params: SqlValue[] = [];
    for (const m of messages) {
      params.push(queueId, m.messageId, m.body, m.attributes, m.systemAttributes, m.md5Attributes);
      params.push(m.md5SystemAttributes, m.groupId, m.dedupId, m.senderId, m.sentAt, m.visibleAt, 0);
    }
    const rows = messages.map(() => `(${placeholders(13)})`).join(', ');
    return db.all<{ seq: number; message_id: string }>(
      `INSERT INTO sqs_messages (${messageColumns}) VALUES ${rows} RETURNING seq, message_id`,
      params,
    );
  },
  /** Standard queues: any visible, unexpired messages, oldest visible first. */
  standardCandidates: (
    db: Queryable,
    dialect: SqlDialect,
    queueId: number,
    now: number,
    sentAfter: number,
    limit: number,
  ) =>
    db.all<MessageRow>(
      `SELECT * FROM sqs_messages WHERE queue_id = ? AND visible_at <= ? AND sent_at > ?
       ORDER BY visible_at LIMIT ? ${dialect.forUpdateSkipLocked}`,
      [queueId, now, sentAfter, limit],
    ),
  /**
   * FIFO queues: visible messages in send order whose group has nothing in flight and no earlier
   * message that is not yet visible — which keeps each group strictly ordered.
   */
  fifoCandidates: (db: Queryable, queueId: number, now: number, sentAfter: number, limit: number) =>
    db.all<MessageRow>(
      `SELECT * FROM sqs_messages m WHERE m.queue_id = ? AND m.visible_at <= ? AND m.sent_at > ?
       AND NOT EXISTS (SELECT 1 FROM sqs_messages b WHERE b.queue_id = m.queue_id AND b.group_id = m.group_id
         AND b.visible_at > ? AND (b.receive_count > 0 OR b.seq < m.seq))
       ORDER BY m.seq LIMIT ?`,
      [queueId, now, sentAfter, now, limit],
    ),
  /** Standard queues without a redrive policy: finds and claims in one statement. */
  claimStandard: (
    db: Queryable,
    dialect: SqlDialect,
    c: { queueId: number; now: number; sentAfter: number; limit: number; visibleAt: number; receipt: string },
  ) =>
    db.all<MessageRow>(
      `UPDATE sqs_messages SET visible_at = ?, receive_count = receive_count + 1,
       first_received_at = COALESCE(first_received_at, ?), received_at = ?, receipt = ?
       WHERE seq IN (SELECT seq FROM sqs_messages WHERE queue_id = ? AND visible_at <= ? AND sent_at > ?
         ORDER BY visible_at LIMIT ? ${dialect.forUpdateSkipLocked}) RETURNING *`,
      [c.visibleAt, c.now, c.now, c.receipt, c.queueId, c.now, c.sentAfter, c.limit],
    ),
  claim: (db: Queryable, seqs: readonly number[], visibleAt: number, now: number, receipt: string) =>
    db.run(
      `UPDATE sqs_messages SET visible_at = ?, receive_count = receive_count + 1,
       first_received_at = COALESCE(first_received_at, ?), received_at = ?, receipt = ?
       WHERE seq IN (${placeholders(seqs.length)})`,
      [visibleAt, now, now, receipt, ...seqs],
    ),
  bySeqs: (db: Queryable, queueId: number, seqs: readonly number[]) =>
    db.all<MessageRow>(
      `SELECT * FROM sqs_messages WHERE queue_id = ? AND seq IN (${placeholders(seqs.length)}) ORDER BY seq`,
      [queueId, ...seqs],
    ),
  /** Copies messages to another queue (dead-letter and move-task moves) as new, visible messages. */
  async move(
    db: Queryable,
    seqs: readonly number[],
    targetQueueId: number,
    now: number,
    source: string | null,
  ) {
    const list = placeholders(seqs.length);
    await db.run(
      `INSERT INTO sqs_messages (${messageColumns}, dead_letter_source)
       SELECT ?, message_id, body, attributes, system_attributes, md5_attributes, md5_system_attributes, group_id,
         dedup_id, sender_id, sent_at, ?, 0, ? FROM sqs_messages WHERE seq IN (${list}) ORDER BY seq`,
      [targetQueueId, now, source, ...seqs],
    );
    await db.run(`DELETE FROM sqs_messages WHERE seq IN (${list})`, [...seqs]);
  },
  /** Deletes by sequence number; `receipts` (FIFO) also requires the latest receive's handle. */
  delete: (db: Queryable, queueId: number, seqs: readonly number[]) =>
    db.run(`DELETE FROM sqs_messages WHERE queue_id = ? AND seq IN (${placeholders(seqs.length)})`, [
      queueId,
      ...seqs,
    ]),
  deleteWithReceipt: (db: Queryable, queueId: number, seq: number, receipt: string) =>
    db.run('DELETE FROM sqs_messages WHERE queue_id = ? AND seq = ? AND receipt = ?', [
      queueId,
      seq,
      receipt,
    ]),
  /** Changes the visibility of a message in flight under this receipt; 0 changes when it is not. */
  changeVisibility: (
    db: Queryable,
    queueId: number,
    seq: number,
    receipt: string,
    visibleAt: number,
    now: number,
  ) =>
    db.run(
      'UPDATE sqs_messages SET visible_at = ? WHERE queue_id = ? AND seq = ? AND receipt = ? AND visible_at > ?',
      [visibleAt, queueId, seq, receipt, now],
    ),
  /** When the message in flight under this receipt was received, if it is. */
  receivedAt: (db: Queryable, queueId: number, seq: number, receipt: string, now: number) =>
    db.get<{ received_at: number }>(
      'SELECT received_at FROM sqs_messages WHERE queue_id = ? AND seq = ? AND receipt = ? AND visible_at > ?',
      [queueId, seq, receipt, now],
    ),
  purge: (db: Queryable, queueId: number, sentUpTo: number) =>
    db.run('DELETE FROM sqs_messages WHERE queue_id = ? AND sent_at <= ?', [queueId, sentUpTo]),
  counts: (db: Queryable, queueId: number, now: number, sentAfter: number) =>
    db.get<MessageCounts>(
      `SELECT SUM(CASE WHEN visible_at <= ? THEN 1 ELSE 0 END) AS visible,
        SUM(CASE WHEN visible_at > ? AND receive_count > 0 THEN 1 ELSE 0 END) AS in_flight,
        SUM(CASE WHEN visible_at > ? AND receive_count = 0 THEN 1 ELSE 0 END) AS delayed
       FROM sqs_messages WHERE queue_id = ? AND sent_at > ?`,
      [now, now, now, queueId, sentAfter],
    ),
  /** Messages whose retention has passed. */
  deleteExpired: (db: Queryable, queueId: number, sentUpTo: number) =>
    db.run('DELETE FROM sqs_messages WHERE queue_id = ? AND sent_at <= ?', [queueId, sentUpTo]),
  nextVisibleAt: (db: Queryable, queueId: number, now: number) =>
    db.get<{ at: number | null }>(
      'SELECT MIN(visible_at) AS at FROM sqs_messages WHERE queue_id = ? AND visible_at > ?',
      [queueId, now],
    ),
};

export const dedupQueries = {
  find: (db: Queryable, queueId: number, key: string, now: number) =>
    db.get<{ message_id: string; seq: number }>(
      'SELECT message_id, seq FROM sqs_dedup WHERE queue_id = ? AND dedup_key = ? AND expires_at > ?',
      [queueId, key, now],
    ),
  put: (db: Queryable, queueId: number, key: string, messageId: string, seq: number, expiresAt: number) =>
    db.run(
      `INSERT INTO sqs_dedup (queue_id, dedup_key, message_id, seq, expires_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (queue_id, dedup_key) DO UPDATE SET message_id = excluded.message_id, seq = excluded.seq,
       expires_at = excluded.expires_at`,
      [queueId, key, messageId, seq, expiresAt],
    ),
  deleteExpired: (db: Queryable, now: number) => db.run('DELETE FROM sqs_dedup WHERE expires_at <= ?', [now]),
};

export const attemptQueries = {
  find: (db: Queryable, queueId: number, attemptId: string, now: number) =>
    db.get<{ receipt: string; seqs: string }>(
      'SELECT receipt, seqs FROM sqs_receive_attempts WHERE queue_id = ? AND attempt_id = ? AND expires_at > ?',
      [queueId, attemptId, now],
    ),
  put: (
    db: Queryable,
    queueId: number,
    attemptId: string,
    receipt: string,
    seqs: readonly number[],
    expiresAt: number,
  ) =>
    db.run(
      `INSERT INTO sqs_receive_attempts (queue_id, attempt_id, receipt, seqs, expires_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (queue_id, attempt_id) DO UPDATE SET receipt = excluded.receipt, seqs = excluded.seqs,
       expires_at = excluded.expires_at`,
      [queueId, attemptId, receipt, JSON.stringify(seqs), expiresAt],
    ),
  deleteExpired: (db: Queryable, now: number) =>
    db.run('DELETE FROM sqs_receive_attempts WHERE expires_at <= ?', [now]),
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
