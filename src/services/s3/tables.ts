/**
 * S3's schema and its bucket queries (objects: object-tables.ts; uploads: upload-tables.ts).
 * Object bytes are blobs; a row names its blob by hash and is written only once the blob is on
 * disk, so no reader ever sees a partial object. Every version of a key is a row of
 * `s3_objects`; the one `is_latest` is what GetObject and the listings see. A partial unique
 * index makes "the latest version of each key, in key order" one index range scan, which is
 * what ListObjects pages through. Keys compare as bytes (UTF-8), as S3 orders them: SQLite's
 * default collation does; PostgreSQL's text columns are given the "C" collation.
 */
import type { Migration, Queryable, SqlDialect } from '../../storage/store.js';

export const s3Tables: readonly string[] = [
  's3_buckets',
  's3_bucket_settings',
  's3_objects',
  's3_uploads',
  's3_parts',
];

const keyColumn = (d: SqlDialect) => `TEXT ${d.engine === 'postgres' ? 'COLLATE "C" ' : ''}NOT NULL`;

export const s3Migrations: readonly Migration[] = [
  {
    id: 's3-001-buckets-objects-uploads',
    up: (d) => `
      CREATE TABLE s3_buckets (
        id ${d.autoIncrementPrimaryKey},
        name TEXT NOT NULL UNIQUE,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        versioning TEXT
      );
      CREATE INDEX s3_buckets_by_account ON s3_buckets (account_id, name);
      CREATE TABLE s3_bucket_settings (
        bucket_id BIGINT NOT NULL,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (bucket_id, kind)
      );
      CREATE TABLE s3_objects (
        id ${d.autoIncrementPrimaryKey},
        bucket_id BIGINT NOT NULL,
        object_key ${keyColumn(d)},
        version_id TEXT NOT NULL,
        is_latest INTEGER NOT NULL,
        delete_marker INTEGER NOT NULL,
        blob TEXT,
        size BIGINT NOT NULL,
        etag TEXT NOT NULL,
        md5 TEXT,
        last_modified BIGINT NOT NULL,
        headers TEXT NOT NULL,
        metadata TEXT NOT NULL,
        checksum TEXT,
        parts TEXT,
        tags TEXT,
        storage_class TEXT NOT NULL
      );
      CREATE UNIQUE INDEX s3_objects_latest ON s3_objects (bucket_id, object_key) WHERE is_latest = 1;
      CREATE INDEX s3_objects_versions ON s3_objects (bucket_id, object_key, id);
      CREATE INDEX s3_objects_by_blob ON s3_objects (blob);
      CREATE TABLE s3_uploads (
        upload_id TEXT PRIMARY KEY,
        bucket_id BIGINT NOT NULL,
        object_key ${keyColumn(d)},
        initiated BIGINT NOT NULL,
        headers TEXT NOT NULL,
        metadata TEXT NOT NULL,
        tags TEXT,
        checksum_algorithm TEXT,
        checksum_type TEXT,
        storage_class TEXT NOT NULL
      );
      CREATE INDEX s3_uploads_by_key ON s3_uploads (bucket_id, object_key, initiated);
      CREATE TABLE s3_parts (
        upload_id TEXT NOT NULL,
        part_number INTEGER NOT NULL,
        blob TEXT NOT NULL,
        size BIGINT NOT NULL,
        etag TEXT NOT NULL,
        checksum TEXT,
        last_modified BIGINT NOT NULL,
        PRIMARY KEY (upload_id, part_number)
      );
      CREATE INDEX s3_parts_by_blob ON s3_parts (blob);
    `,
  },
];

export interface BucketRow extends Record<string, unknown> {
  id: number;
  name: string;
  account_id: string;
  region: string;
  created_at: number;
  /** Null until versioning was first set: `Enabled` or `Suspended` after. */
  versioning: string | null;
}

export const bucketQueries = {
  byName: (db: Queryable, name: string) =>
    db.get<BucketRow>('SELECT * FROM s3_buckets WHERE name = ?', [name]),

  insert: async (
    db: Queryable,
    row: { name: string; account_id: string; region: string; created_at: number },
  ) => {
    await db.run('INSERT INTO s3_buckets (name, account_id, region, created_at) VALUES (?, ?, ?, ?)', [
      row.name,
      row.account_id,
      row.region,
      row.created_at,
    ]);
  },

  /** An account's buckets named from `prefix` on, after `after`, in name order. */
  list: (db: Queryable, accountId: string, prefix: string, after: string, limit: number) =>
    db.all<BucketRow>(
      `SELECT * FROM s3_buckets WHERE account_id = ? AND name > ? AND name >= ?
       ORDER BY name LIMIT ?`,
      [accountId, after, prefix, limit],
    ),

  delete: async (db: Queryable, id: number) => {
    await db.run('DELETE FROM s3_bucket_settings WHERE bucket_id = ?', [id]);
    await db.run('DELETE FROM s3_buckets WHERE id = ?', [id]);
  },

  setVersioning: async (db: Queryable, id: number, status: string) => {
    await db.run('UPDATE s3_buckets SET versioning = ? WHERE id = ?', [status, id]);
  },

  /** Whether any object version or delete marker is left in the bucket. */
  hasObjects: async (db: Queryable, id: number) =>
    (await db.get('SELECT 1 AS found FROM s3_objects WHERE bucket_id = ? LIMIT 1', [id])) !== undefined,

  setting: async (db: Queryable, id: number, kind: string): Promise<string | undefined> =>
    (
      await db.get<{ value: string }>(
        'SELECT value FROM s3_bucket_settings WHERE bucket_id = ? AND kind = ?',
        [id, kind],
      )
    )?.value,

  putSetting: async (db: Queryable, id: number, kind: string, value: string) => {
    await db.run(
      `INSERT INTO s3_bucket_settings (bucket_id, kind, value) VALUES (?, ?, ?)
       ON CONFLICT (bucket_id, kind) DO UPDATE SET value = excluded.value`,
      [id, kind, value],
    );
  },

  deleteSetting: async (db: Queryable, id: number, kind: string) => {
    await db.run('DELETE FROM s3_bucket_settings WHERE bucket_id = ? AND kind = ?', [id, kind]);
  },
};

/** Every blob S3's rows name: objects and uploaded parts. */
export async function referencedObjectBlobs(db: Queryable): Promise<Set<string>> {
  const rows = await db.all<{ blob: string }>(
    'SELECT blob FROM s3_objects WHERE blob IS NOT NULL UNION SELECT blob FROM s3_parts',
  );
  return new Set(rows.map((row) => row.blob));
}

export async function objectBlobInUse(db: Queryable, sha256: string): Promise<boolean> {
  const row = await db.get(
    `SELECT 1 AS found FROM s3_objects WHERE blob = ?
     UNION ALL SELECT 1 AS found FROM s3_parts WHERE blob = ? LIMIT 1`,
    [sha256, sha256],
  );
  return row !== undefined;
}
