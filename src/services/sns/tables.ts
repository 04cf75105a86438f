/**
 * SNS's schema and every query it runs. Topics own subscriptions; attributes a caller sets are kept
 * as JSON (the computed ones — counts, effective policies — are derived when read). Deliveries
 * themselves are work items (see delivery.ts); these tables hold only what outlives a delivery:
 * FIFO deduplication ids, the signing key, and the SMS outbox.
 */
import type { Migration, Queryable } from '../../storage/store.js';

/** Every table of the service, parents before children. */
export const snsTables: readonly string[] = [
  'sns_topics',
  'sns_subscriptions',
  'sns_fifo_dedup',
  'sns_signing_keys',
  'sns_sms_messages',
  'sns_sms_attributes',
];

export const snsMigrations: readonly Migration[] = [
  {
    id: 'sns-001-topics-subscriptions',
    up: (d) => `
      CREATE TABLE sns_topics (
        arn TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        fifo INTEGER NOT NULL,
        attributes TEXT NOT NULL,
        tags TEXT NOT NULL,
        sequence BIGINT NOT NULL,
        subscriptions_deleted BIGINT NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX sns_topics_by_region ON sns_topics (account_id, region, arn);
      CREATE TABLE sns_subscriptions (
        id ${d.autoIncrementPrimaryKey},
        arn TEXT NOT NULL UNIQUE,
        topic_arn TEXT NOT NULL REFERENCES sns_topics (arn) ON DELETE CASCADE,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        protocol TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        attributes TEXT NOT NULL,
        pending INTEGER NOT NULL,
        authenticated INTEGER NOT NULL,
        token TEXT,
        token_expires_at BIGINT,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX sns_subscriptions_by_topic ON sns_subscriptions (topic_arn, id);
      CREATE INDEX sns_subscriptions_by_region ON sns_subscriptions (account_id, region, id);
      CREATE TABLE sns_fifo_dedup (
        topic_arn TEXT NOT NULL,
        dedup_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        sequence_number TEXT NOT NULL,
        expires_at BIGINT NOT NULL,
        PRIMARY KEY (topic_arn, dedup_id)
      );
      CREATE TABLE sns_signing_keys (
        id TEXT PRIMARY KEY,
        private_key TEXT NOT NULL,
        certificate TEXT NOT NULL
      );
      CREATE TABLE sns_sms_messages (
        id ${d.autoIncrementPrimaryKey},
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        message_id TEXT NOT NULL,
        phone_number TEXT NOT NULL,
        message TEXT NOT NULL,
        topic_arn TEXT,
        subscription_arn TEXT,
        attributes TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
    `,
  },
  {
    id: 'sns-002-sms-attributes',
    up: () => `
      CREATE TABLE sns_sms_attributes (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        attributes TEXT NOT NULL,
        PRIMARY KEY (account_id, region)
      );
    `,
  },
];

export interface Region {
  accountId: string;
  region: string;
}

export interface TopicFields {
  arn: string;
  account_id: string;
  region: string;
  name: string;
  fifo: number;
  attributes: string;
  tags: string;
  sequence: number;
  subscriptions_deleted: number;
  created_at: number;
}
export type TopicRow = TopicFields & Record<string, unknown>;

export interface SubscriptionFields {
  id: number;
  arn: string;
  topic_arn: string;
  account_id: string;
  region: string;
  protocol: string;
  endpoint: string;
  attributes: string;
  pending: number;
  authenticated: number;
  token: string | null;
  token_expires_at: number | null;
  created_at: number;
}
export type SubscriptionRow = SubscriptionFields & Record<string, unknown>;

export interface SmsFields {
  id: number;
  message_id: string;
  phone_number: string;
  message: string;
  topic_arn: string | null;
  subscription_arn: string | null;
  attributes: string;
  created_at: number;
}
export type SmsRow = SmsFields & Record<string, unknown>;

export const topicQueries = {
  get: (db: Queryable, arn: string) => db.get<TopicRow>('SELECT * FROM sns_topics WHERE arn = ?', [arn]),

  insert: (db: Queryable, t: Omit<TopicFields, 'sequence' | 'subscriptions_deleted'>) =>
    db.run(
      `INSERT INTO sns_topics (arn, account_id, region, name, fifo, attributes, tags, sequence,
         subscriptions_deleted, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?)`,
      [t.arn, t.account_id, t.region, t.name, t.fifo, t.attributes, t.tags, t.created_at],
    ),

  delete: (db: Queryable, arn: string) => db.run('DELETE FROM sns_topics WHERE arn = ?', [arn]),

  /** A page of a region's topics in ARN order, after `afterArn`. */
  list: (db: Queryable, at: Region, afterArn: string, limit: number) =>
    db.all<TopicRow>(
      `SELECT * FROM sns_topics WHERE account_id = ? AND region = ? AND arn > ? ORDER BY arn LIMIT ?`,
      [at.accountId, at.region, afterArn, limit],
    ),

  setAttributes: (db: Queryable, arn: string, attributes: string) =>
    db.run('UPDATE sns_topics SET attributes = ? WHERE arn = ?', [attributes, arn]),

  setTags: (db: Queryable, arn: string, tags: string) =>
    db.run('UPDATE sns_topics SET tags = ? WHERE arn = ?', [tags, arn]),

  /** The next FIFO sequence number of a topic, taken inside the publishing transaction. */
  nextSequence: async (db: Queryable, arn: string) =>
    (await db.get<{ sequence: number }>(
      'UPDATE sns_topics SET sequence = sequence + 1 WHERE arn = ? RETURNING sequence',
      [arn],
    ))!.sequence,

  countDeleted: (db: Queryable, arn: string) =>
    db.run('UPDATE sns_topics SET subscriptions_deleted = subscriptions_deleted + 1 WHERE arn = ?', [arn]),

  subscriptionCounts: async (db: Queryable, arn: string) => {
    const row = await db.get<{ confirmed: number | null; pending: number | null }>(
      `SELECT SUM(CASE WHEN pending = 0 THEN 1 ELSE 0 END) AS confirmed,
              SUM(CASE WHEN pending = 1 THEN 1 ELSE 0 END) AS pending
       FROM sns_subscriptions WHERE topic_arn = ?`,
      [arn],
    );
    return { confirmed: row?.confirmed ?? 0, pending: row?.pending ?? 0 };
  },
};

export const subscriptionQueries = {
  get: (db: Queryable, arn: string) =>
    db.get<SubscriptionRow>('SELECT * FROM sns_subscriptions WHERE arn = ?', [arn]),

  find: (db: Queryable, topicArn: string, protocol: string, endpoint: string) =>
    db.get<SubscriptionRow>(
      'SELECT * FROM sns_subscriptions WHERE topic_arn = ? AND protocol = ? AND endpoint = ?',
      [topicArn, protocol, endpoint],
    ),

  byToken: (db: Queryable, topicArn: string, token: string) =>
    db.get<SubscriptionRow>('SELECT * FROM sns_subscriptions WHERE topic_arn = ? AND token = ?', [
      topicArn,
      token,
    ]),

  insert: (db: Queryable, s: Omit<SubscriptionFields, 'id'>) =>
    db.run(
      `INSERT INTO sns_subscriptions (arn, topic_arn, account_id, region, protocol, endpoint, attributes,
         pending, authenticated, token, token_expires_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        s.arn,
        s.topic_arn,
        s.account_id,
        s.region,
        s.protocol,
        s.endpoint,
        s.attributes,
        s.pending,
        s.authenticated,
        s.token,
        s.token_expires_at,
        s.created_at,
      ],
    ),

  setToken: (db: Queryable, arn: string, token: string, expiresAt: number) =>
    db.run('UPDATE sns_subscriptions SET token = ?, token_expires_at = ? WHERE arn = ?', [
      token,
      expiresAt,
      arn,
    ]),

  confirm: (db: Queryable, arn: string, authenticated: boolean) =>
    db.run('UPDATE sns_subscriptions SET pending = 0, authenticated = ? WHERE arn = ?', [authenticated, arn]),

  setAttributes: (db: Queryable, arn: string, attributes: string) =>
    db.run('UPDATE sns_subscriptions SET attributes = ? WHERE arn = ?', [attributes, arn]),

  delete: (db: Queryable, arn: string) => db.run('DELETE FROM sns_subscriptions WHERE arn = ?', [arn]),

  /** The confirmed subscriptions a publish fans out to. */
  confirmedOf: (db: Queryable, topicArn: string) =>
    db.all<SubscriptionRow>(
      'SELECT * FROM sns_subscriptions WHERE topic_arn = ? AND pending = 0 ORDER BY id',
      [topicArn],
    ),

  pageOfTopic: (db: Queryable, topicArn: string, afterId: number, limit: number) =>
    db.all<SubscriptionRow>(
      'SELECT * FROM sns_subscriptions WHERE topic_arn = ? AND id > ? ORDER BY id LIMIT ?',
      [topicArn, afterId, limit],
    ),

  pageOfRegion: (db: Queryable, at: Region, afterId: number, limit: number) =>
    db.all<SubscriptionRow>(
      'SELECT * FROM sns_subscriptions WHERE account_id = ? AND region = ? AND id > ? ORDER BY id LIMIT ?',
      [at.accountId, at.region, afterId, limit],
    ),
};

export const dedupQueries = {
  /** An unexpired earlier publish with this deduplication id, if any. */
  find: (db: Queryable, topicArn: string, dedupId: string, now: number) =>
    db.get<{ message_id: string; sequence_number: string }>(
      'SELECT message_id, sequence_number FROM sns_fifo_dedup WHERE topic_arn = ? AND dedup_id = ? AND expires_at > ?',
      [topicArn, dedupId, now],
    ),

  remember: (
    db: Queryable,
    topicArn: string,
    dedupId: string,
    messageId: string,
    sequence: string,
    expiresAt: number,
  ) =>
    db.run(
      `INSERT INTO sns_fifo_dedup (topic_arn, dedup_id, message_id, sequence_number, expires_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (topic_arn, dedup_id) DO UPDATE SET message_id = excluded.message_id,
         sequence_number = excluded.sequence_number, expires_at = excluded.expires_at`,
      [topicArn, dedupId, messageId, sequence, expiresAt],
    ),

  sweep: (db: Queryable, now: number) => db.run('DELETE FROM sns_fifo_dedup WHERE expires_at <= ?', [now]),
};

export const signingQueries = {
  get: (db: Queryable, id: string) =>
    db.get<{ private_key: string; certificate: string }>(
      'SELECT private_key, certificate FROM sns_signing_keys WHERE id = ?',
      [id],
    ),

  /** First writer wins, so every node signs with the same key. */
  insertIfAbsent: (db: Queryable, id: string, privateKey: string, certificate: string) =>
    db.run(
      'INSERT INTO sns_signing_keys (id, private_key, certificate) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING',
      [id, privateKey, certificate],
    ),
};

export const smsQueries = {
  insert: (db: Queryable, at: Region, s: Omit<SmsFields, 'id'>) =>
    db.run(
      `INSERT INTO sns_sms_messages (account_id, region, message_id, phone_number, message, topic_arn,
         subscription_arn, attributes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        at.accountId,
        at.region,
        s.message_id,
        s.phone_number,
        s.message,
        s.topic_arn,
        s.subscription_arn,
        s.attributes,
        s.created_at,
      ],
    ),

  list: (db: Queryable, at: Region, phoneNumber: string | undefined) =>
    db.all<SmsRow>(
      `SELECT * FROM sns_sms_messages WHERE account_id = ? AND region = ?
       ${phoneNumber ? 'AND phone_number = ?' : ''} ORDER BY id`,
      phoneNumber ? [at.accountId, at.region, phoneNumber] : [at.accountId, at.region],
    ),
};

export const smsAttributeQueries = {
  get: async (db: Queryable, at: Region): Promise<Record<string, string>> => {
    const row = await db.get<{ attributes: string }>(
      'SELECT attributes FROM sns_sms_attributes WHERE account_id = ? AND region = ?',
      [at.accountId, at.region],
    );
    return row ? (JSON.parse(row.attributes) as Record<string, string>) : {};
  },

  put: (db: Queryable, at: Region, attributes: Record<string, string>) =>
    db.run(
      `INSERT INTO sns_sms_attributes (account_id, region, attributes) VALUES (?, ?, ?)
       ON CONFLICT (account_id, region) DO UPDATE SET attributes = excluded.attributes`,
      [at.accountId, at.region, JSON.stringify(attributes)],
    ),
};
