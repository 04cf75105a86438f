/**
 * SES's schema and queries, shared by the v1 and v2 APIs (on AWS both see the same identities,
 * templates and sending account). The outbox keeps every accepted message; its delivery columns
 * record what the SMTP relay did with it.
 */
import type { Migration, Queryable, SqlValue } from '../../storage/store.js';

/** Every table of the service, parents before children. */
export const sesTables: readonly string[] = ['ses_identities', 'ses_outbox', 'ses_templates'];

export const sesMigrations: readonly Migration[] = [
  {
    id: 'ses-001-identities-outbox-templates',
    up: (d) => `
      CREATE TABLE ses_identities (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        identity_key TEXT NOT NULL,
        identity TEXT NOT NULL,
        identity_type TEXT NOT NULL,
        verification_token TEXT,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (account_id, region, identity_key)
      );
      CREATE TABLE ses_outbox (
        seq ${d.autoIncrementPrimaryKey},
        id TEXT NOT NULL UNIQUE,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        api TEXT NOT NULL,
        operation TEXT NOT NULL,
        source TEXT NOT NULL,
        source_address TEXT NOT NULL,
        to_addresses TEXT NOT NULL,
        cc_addresses TEXT NOT NULL,
        bcc_addresses TEXT NOT NULL,
        reply_to TEXT NOT NULL,
        recipients TEXT NOT NULL,
        recipient_count INTEGER NOT NULL,
        subject TEXT,
        text_body TEXT,
        html_body TEXT,
        raw ${d.bytes} NOT NULL,
        sent_at BIGINT NOT NULL,
        delivery_status TEXT NOT NULL,
        delivery_attempts INTEGER NOT NULL,
        delivery_error TEXT,
        delivered_at BIGINT
      );
            CREATE INDEX ses_outbox_by_account ON ses_outbox (account_id, region, sent_at);
      CREATE TABLE ses_templates (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        subject TEXT,
        text_part TEXT,
        html_part TEXT,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (account_id, region, name)
      );
    `,
  },
];

export interface Region {
  accountId: string;
  region: string;
}

export type IdentityType = 'EmailAddress' | 'Domain';

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface IdentityRow extends Record<string, unknown> {
  identity_key: string;
  identity: string;
  identity_type: IdentityType;
  verification_token: string | null;
  created_at: number;
}

export const identityQueries = {
  upsert: (db: Queryable, at: Region, row: IdentityRow) =>
    db.run(
      `INSERT INTO ses_identities (account_id, region, identity_key, identity, identity_type, verification_token, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, region, identity_key) DO NOTHING`,
      [
        at.accountId,
        at.region,
        row.identity_key,
        row.identity,
        row.identity_type,
        row.verification_token,
        row.created_at,
      ],
    ),

  get: (db: Queryable, at: Region, key: string) =>
    db.get<IdentityRow>(
      'SELECT * FROM ses_identities WHERE account_id = ? AND region = ? AND identity_key = ?',
      [at.accountId, at.region, key],
    ),

  byKeys: (db: Queryable, at: Region, keys: readonly string[]) =>
    keys.length === 0
      ? Promise.resolve([])
      : db.all<IdentityRow>(
          `SELECT * FROM ses_identities WHERE account_id = ? AND region = ?
           AND identity_key IN (${keys.map(() => '?').join(', ')})`,
          [at.accountId, at.region, ...keys],
        ),

  /** In key order after `afterKey`, optionally of one type. */
  list: (
    db: Queryable,
    at: Region,
    filter: { type?: IdentityType; nameContains?: string; afterKey?: string; limit: number },
  ) => {
    const where = ['account_id = ?', 'region = ?'];
    const params: SqlValue[] = [at.accountId, at.region];
    if (filter.type) {
      where.push('identity_type = ?');
      params.push(filter.type);
    }
    if (filter.nameContains !== undefined) {
      where.push("LOWER(identity_key) LIKE ? ESCAPE '\\'");
      params.push(`%${likeEscape(filter.nameContains.toLowerCase())}%`);
    }
    if (filter.afterKey !== undefined) {
      where.push('identity_key > ?');
      params.push(filter.afterKey);
    }
    params.push(filter.limit);
    return db.all<IdentityRow>(
      `SELECT * FROM ses_identities WHERE ${where.join(' AND ')} ORDER BY identity_key LIMIT ?`,
      params,
    );
  },

  delete: (db: Queryable, at: Region, key: string) =>
    db.run('DELETE FROM ses_identities WHERE account_id = ? AND region = ? AND identity_key = ?', [
      at.accountId,
      at.region,
      key,
    ]),
};

export type DeliveryStatus = 'stored' | 'pending' | 'retrying' | 'delivered' | 'failed';

export interface OutboxFields {
  id: string;
  account_id: string;
  region: string;
  api: string;
  operation: string;
  source: string;
  source_address: string;
  /** JSON arrays of addresses as the caller wrote them. */
  to_addresses: string;
  cc_addresses: string;
  bcc_addresses: string;
  reply_to: string;
  /** Every recipient's bare address, lower case, space-separated and space-framed: ` a@x b@y `. */
  recipients: string;
  recipient_count: number;
  subject: string | null;
  text_body: string | null;
  html_body: string | null;
  raw: Buffer;
  sent_at: number;
  delivery_status: DeliveryStatus;
  delivery_attempts: number;
  delivery_error: string | null;
  delivered_at: number | null;
}

export interface OutboxRow extends OutboxFields, Record<string, unknown> {
  /** Acceptance order: messages sent within one millisecond still list in the order they came. */
  seq: number;
}

export interface OutboxFilter {
  id?: string;
  /** A recipient's bare address (To, Cc or Bcc), any case. */
  to?: string;
  from?: string;
  accountId?: string;
  region?: string;
  /** Only messages accepted after the one with this `seq`, for following. */
  afterSeq?: number;
  /** Only the latest this many (still listed oldest first). */
  last?: number;
}

export const outboxQueries = {
  insert: (db: Queryable, row: OutboxFields) => {
    const columns = Object.keys(row) as (keyof OutboxFields)[];
    return db.run(
      `INSERT INTO ses_outbox (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      columns.map((c) => row[c]),
    );
  },

  get: (db: Queryable, id: string) => db.get<OutboxRow>('SELECT * FROM ses_outbox WHERE id = ?', [id]),

  list: async (db: Queryable, filter: OutboxFilter) => {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (filter.id !== undefined) {
      where.push('id = ?');
      params.push(filter.id);
    }
    if (filter.to !== undefined) {
      where.push("recipients LIKE ? ESCAPE '\\'");
      params.push(`% ${likeEscape(filter.to.toLowerCase())} %`);
    }
    if (filter.from !== undefined) {
      where.push('source_address = ?');
      params.push(filter.from.toLowerCase());
    }
    if (filter.accountId !== undefined) {
      where.push('account_id = ?');
      params.push(filter.accountId);
    }
    if (filter.region !== undefined) {
      where.push('region = ?');
      params.push(filter.region);
    }
    if (filter.afterSeq !== undefined) {
      where.push('seq > ?');
      params.push(filter.afterSeq);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    if (filter.last === undefined) {
      return db.all<OutboxRow>(`SELECT * FROM ses_outbox ${clause} ORDER BY seq`, params);
    }
    const rows = await db.all<OutboxRow>(`SELECT * FROM ses_outbox ${clause} ORDER BY seq DESC LIMIT ?`, [
      ...params,
      filter.last,
    ]);
    return rows.reverse();
  },

  clear: (db: Queryable) => db.run('DELETE FROM ses_outbox'),

  recordDelivery: (
    db: Queryable,
    id: string,
    update: { status: DeliveryStatus; attempts: number; error: string | null; deliveredAt: number | null },
  ) =>
    db.run(
      `UPDATE ses_outbox SET delivery_status = ?, delivery_attempts = ?, delivery_error = ?, delivered_at = ?
       WHERE id = ?`,
      [update.status, update.attempts, update.error, update.deliveredAt, id],
    ),

  /** Recipients sent to since `since`: what SES's sending quota counts. */
  recipientsSince: async (db: Queryable, at: Region, since: number) => {
    const row = await db.get<{ n: number | null }>(
      'SELECT SUM(recipient_count) AS n FROM ses_outbox WHERE account_id = ? AND region = ? AND sent_at >= ?',
      [at.accountId, at.region, since],
    );
    return row?.n ?? 0;
  },

  /** When each message since `since` was sent and to how many: GetSendStatistics buckets them. */
  sendsSince: (db: Queryable, at: Region, since: number) =>
    db.all<{ sent_at: number; recipient_count: number }>(
      `SELECT sent_at, recipient_count FROM ses_outbox
       WHERE account_id = ? AND region = ? AND sent_at >= ? ORDER BY sent_at`,
      [at.accountId, at.region, since],
    ),
};

export interface TemplateFields {
  name: string;
  subject: string | null;
  text_part: string | null;
  html_part: string | null;
  created_at: number;
}

export interface TemplateRow extends TemplateFields, Record<string, unknown> {}

export const templateQueries = {
  insert: async (db: Queryable, at: Region, row: TemplateRow) => {
    const { changes } = await db.run(
      `INSERT INTO ses_templates (account_id, region, name, subject, text_part, html_part, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, region, name) DO NOTHING`,
      [at.accountId, at.region, row.name, row.subject, row.text_part, row.html_part, row.created_at],
    );
    return changes > 0;
  },

  update: async (db: Queryable, at: Region, row: Omit<TemplateFields, 'created_at'>) => {
    const { changes } = await db.run(
      `UPDATE ses_templates SET subject = ?, text_part = ?, html_part = ?
       WHERE account_id = ? AND region = ? AND name = ?`,
      [row.subject, row.text_part, row.html_part, at.accountId, at.region, row.name],
    );
    return changes > 0;
  },

  get: (db: Queryable, at: Region, name: string) =>
    db.get<TemplateRow>('SELECT * FROM ses_templates WHERE account_id = ? AND region = ? AND name = ?', [
      at.accountId,
      at.region,
      name,
    ]),

  list: (db: Queryable, at: Region, afterName: string | undefined, limit: number) =>
    db.all<TemplateRow>(
      `SELECT * FROM ses_templates WHERE account_id = ? AND region = ? AND name > ? ORDER BY name LIMIT ?`,
      [at.accountId, at.region, afterName ?? '', limit],
    ),

  delete: async (db: Queryable, at: Region, name: string) => {
    const { changes } = await db.run(
      'DELETE FROM ses_templates WHERE account_id = ? AND region = ? AND name = ?',
      [at.accountId, at.region, name],
    );
    return changes > 0;
  },
};
