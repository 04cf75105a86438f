/**
 * DynamoDB's schema. Items are rows keyed by `(table_id, hash, pk, sk)`: `pk` and `sk` are the
 * key values in an order-preserving byte encoding (values/key-encoding.ts) and `hash` is a
 * 32-bit hash of `pk`, so
 * - a Query is one B-tree range read: `hash` and `pk` fixed, `sk` between two bounds;
 * - a Scan walks the table in hash order, and Scan segment i of n is the hash range
 *   [i·2³²/n, (i+1)·2³²/n) — as DynamoDB, which scans partitions in hash order too.
 * Secondary-index entries are rows of `dynamodb_index_items` keyed the same way by the index's
 * key, then by the table key (index keys need not be unique), holding the projected item. They
 * are written in the item's transaction. Both item tables are clustered by their primary key
 * on SQLite (`WITHOUT ROWID`).
 *
 * Streams: a stream row per stream (a table has a new one each time its stream is enabled)
 * holds the next sequence number; a write takes it under the row's lock, so on PostgreSQL a
 * stream's records commit in sequence order and a reader that has seen number n never later
 * finds a smaller one appear. Records are kept 24 hours; shards close and hand over to a child
 * every 4 hours of writes, as DynamoDB's do.
 *
 * Point-in-time recovery keeps, while enabled, each change's old image in `dynamodb_item_history`
 * for the recovery period; a restore to time T copies the table's rows and puts every item
 * changed after T back as its first later change found it. On-demand backups are copies of the
 * item and index rows, made with one INSERT … SELECT each.
 *
 * A table's rows outlive its `dynamodb_tables` row: table ids are never reused, so rows of a
 * deleted table are invisible, and a work item deletes them in chunks afterwards.
 */
import type { Migration } from '../../storage/store.js';

export const dynamodbTables: readonly string[] = [
  'dynamodb_tables',
  'dynamodb_items',
  'dynamodb_index_items',
  'dynamodb_client_tokens',
  'dynamodb_streams',
  'dynamodb_stream_shards',
  'dynamodb_stream_records',
  'dynamodb_item_history',
  'dynamodb_backups',
  'dynamodb_backup_items',
  'dynamodb_backup_index_items',
];

export const dynamodbMigrations: readonly Migration[] = [
  {
    id: 'dynamodb-001-tables-items',
    up: (d) => `
      CREATE TABLE dynamodb_tables (
        id ${d.autoIncrementPrimaryKey},
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        status TEXT NOT NULL,
        definition TEXT NOT NULL,
        version BIGINT NOT NULL,
        tags TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        UNIQUE (account_id, region, name)
      );
      CREATE TABLE dynamodb_items (
        table_id BIGINT NOT NULL,
        hash BIGINT NOT NULL,
        pk ${d.bytes} NOT NULL,
        sk ${d.bytes} NOT NULL,
        item TEXT NOT NULL,
        size INTEGER NOT NULL,
        expires_at BIGINT,
        PRIMARY KEY (table_id, hash, pk, sk)
      ) ${d.clusteredByPrimaryKey};
      CREATE INDEX dynamodb_items_expiring ON dynamodb_items (expires_at) WHERE expires_at IS NOT NULL;
      CREATE TABLE dynamodb_index_items (
        table_id BIGINT NOT NULL,
        index_no INTEGER NOT NULL,
        hash BIGINT NOT NULL,
        pk ${d.bytes} NOT NULL,
        sk ${d.bytes} NOT NULL,
        table_pk ${d.bytes} NOT NULL,
        table_sk ${d.bytes} NOT NULL,
        item TEXT NOT NULL,
        size INTEGER NOT NULL,
        PRIMARY KEY (table_id, index_no, hash, pk, sk, table_pk, table_sk)
      ) ${d.clusteredByPrimaryKey};
      CREATE TABLE dynamodb_client_tokens (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        token TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (account_id, region, token)
      );
      CREATE INDEX dynamodb_client_tokens_by_age ON dynamodb_client_tokens (created_at);
      CREATE TABLE dynamodb_streams (
        stream_arn TEXT PRIMARY KEY,
        table_id BIGINT NOT NULL,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        table_name TEXT NOT NULL,
        label TEXT NOT NULL,
        view_type TEXT NOT NULL,
        status TEXT NOT NULL,
        key_schema TEXT NOT NULL,
        next_seq BIGINT NOT NULL,
        shard_id TEXT NOT NULL,
        shard_started_at BIGINT NOT NULL,
        created_at BIGINT NOT NULL,
        disabled_at BIGINT
      );
      CREATE INDEX dynamodb_streams_by_table ON dynamodb_streams (account_id, region, table_name, created_at);
      CREATE TABLE dynamodb_stream_shards (
        stream_arn TEXT NOT NULL,
        shard_id TEXT NOT NULL,
        parent_shard_id TEXT,
        first_seq BIGINT NOT NULL,
        last_seq BIGINT,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (stream_arn, shard_id)
      );
      CREATE TABLE dynamodb_stream_records (
        stream_arn TEXT NOT NULL,
        seq BIGINT NOT NULL,
        shard_id TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (stream_arn, seq)
      );
      CREATE INDEX dynamodb_stream_records_by_age ON dynamodb_stream_records (created_at);
      CREATE TABLE dynamodb_item_history (
        seq ${d.autoIncrementPrimaryKey},
        table_id BIGINT NOT NULL,
        changed_at BIGINT NOT NULL,
        hash BIGINT NOT NULL,
        pk ${d.bytes} NOT NULL,
        sk ${d.bytes} NOT NULL,
        old_item TEXT
      );
      CREATE INDEX dynamodb_item_history_by_time ON dynamodb_item_history (table_id, changed_at);
      CREATE TABLE dynamodb_backups (
        backup_arn TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        table_name TEXT NOT NULL,
        table_arn TEXT NOT NULL,
        backup_name TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        item_count BIGINT NOT NULL,
        size_bytes BIGINT NOT NULL,
        source TEXT NOT NULL
      );
      CREATE INDEX dynamodb_backups_by_table ON dynamodb_backups (account_id, region, table_name, created_at);
      CREATE TABLE dynamodb_backup_items (
        backup_arn TEXT NOT NULL,
        hash BIGINT NOT NULL,
        pk ${d.bytes} NOT NULL,
        sk ${d.bytes} NOT NULL,
        item TEXT NOT NULL,
        size INTEGER NOT NULL,
        PRIMARY KEY (backup_arn, hash, pk, sk)
      ) ${d.clusteredByPrimaryKey};
      CREATE TABLE dynamodb_backup_index_items (
        backup_arn TEXT NOT NULL,
        index_no INTEGER NOT NULL,
        hash BIGINT NOT NULL,
        pk ${d.bytes} NOT NULL,
        sk ${d.bytes} NOT NULL,
        table_pk ${d.bytes} NOT NULL,
        table_sk ${d.bytes} NOT NULL,
        item TEXT NOT NULL,
        size INTEGER NOT NULL,
        PRIMARY KEY (backup_arn, index_no, hash, pk, sk, table_pk, table_sk)
      ) ${d.clusteredByPrimaryKey};
    `,
  },
];

export interface TableRow extends Record<string, unknown> {
  id: number;
  account_id: string;
  region: string;
  name: string;
  status: string;
  definition: string;
  version: number;
  tags: string;
  created_at: number;
}

export interface ItemRow extends Record<string, unknown> {
  hash: number;
  pk: Buffer;
  sk: Buffer;
  item: string;
  size: number;
}

export interface IndexItemRow extends ItemRow {
  table_pk: Buffer;
  table_sk: Buffer;
}
