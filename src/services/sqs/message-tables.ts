/**
 * SQS's message queries (the schema is in tables.ts): multi-row sends, claims, deletes,
 * visibility changes, counters, and the FIFO deduplication and receive-attempt windows.
 */
import type { Queryable, SqlDialect, SqlValue } from '../../storage/store.js';
import type { MessageRow } from './tables.js';

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const messageColumns =
  'queue_id, message_id, body, attributes, system_attributes, md5_attributes, md5_system_attributes, group_id, dedup_id, sender_id, sent_at, visible_at, receive_count';

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
