/**
 * Queries on object versions (schema: tables.ts). The latest version of a key is found and
 * listed through the partial index `s3_objects_latest` (every such query says `is_latest = 1`,
 * which is what lets the planner use it); a key's versions, newest first, through
 * `s3_objects_versions`.
 */
import type { Queryable } from '../../storage/store.js';

/** The unversioned version of a key: what a bucket without versioning holds, and writes when suspended. */
export const nullVersion = 'null';

/** An object version as written: a row of `s3_objects` but its id and whether it is the latest. */
export interface NewObject {
  bucket_id: number;
  object_key: string;
  version_id: string;
  delete_marker: number;
  blob: string | null;
  size: number;
  /** The MD5 hex (`-N` after a multipart upload's), without S3's quotes. */
  etag: string;
  /** MD5 hex of the whole content; the ETag's digest unless uploaded in parts. */
  md5: string | null;
  last_modified: number;
  /** JSON `ContentHeaders`. */
  headers: string;
  /** JSON user metadata (`x-amz-meta-*` without the prefix). */
  metadata: string;
  /** JSON `StoredChecksum`. */
  checksum: string | null;
  /** JSON sizes of the parts a multipart upload was completed from. */
  parts: string | null;
  /** JSON tag set. */
  tags: string | null;
  storage_class: string;
}

export interface ObjectRow extends NewObject, Record<string, unknown> {
  id: number;
  is_latest: number;
}

/** Content headers kept with an object and answered on GET and HEAD. */
export interface ContentHeaders {
  ContentType?: string;
  ContentEncoding?: string;
  ContentDisposition?: string;
  ContentLanguage?: string;
  CacheControl?: string;
  /** Epoch ms. */
  Expires?: number;
  WebsiteRedirectLocation?: string;
}

/** A full-object checksum and how it was computed. */
export interface StoredChecksum {
  algorithm: string;
  value: string;
  type: 'FULL_OBJECT' | 'COMPOSITE';
}

const columns =
  'bucket_id, object_key, version_id, is_latest, delete_marker, blob, size, etag, md5, last_modified, headers, metadata, checksum, parts, tags, storage_class';

export const objectQueries = {
  latest: (db: Queryable, bucketId: number, key: string) =>
    db.get<ObjectRow>('SELECT * FROM s3_objects WHERE bucket_id = ? AND object_key = ? AND is_latest = 1', [
      bucketId,
      key,
    ]),

  version: (db: Queryable, bucketId: number, key: string, versionId: string) =>
    db.get<ObjectRow>('SELECT * FROM s3_objects WHERE bucket_id = ? AND object_key = ? AND version_id = ?', [
      bucketId,
      key,
      versionId,
    ]),

  /** The newest remaining version of a key (to become the latest when the latest is deleted). */
  newest: (db: Queryable, bucketId: number, key: string) =>
    db.get<ObjectRow>(
      'SELECT * FROM s3_objects WHERE bucket_id = ? AND object_key = ? ORDER BY id DESC LIMIT 1',
      [bucketId, key],
    ),

  /** Inserts a version as the latest; the caller has demoted the previous one. */
  insertLatest: async (db: Queryable, row: NewObject): Promise<void> => {
    await db.run(
      `INSERT INTO s3_objects (${columns}) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        row.bucket_id,
        row.object_key,
        row.version_id,
        row.delete_marker,
        row.blob,
        row.size,
        row.etag,
        row.md5,
        row.last_modified,
        row.headers,
        row.metadata,
        row.checksum,
        row.parts,
        row.tags,
        row.storage_class,
      ],
    );
  },

  demoteLatest: async (db: Queryable, bucketId: number, key: string) => {
    await db.run(
      'UPDATE s3_objects SET is_latest = 0 WHERE bucket_id = ? AND object_key = ? AND is_latest = 1',
      [bucketId, key],
    );
  },

  promote: async (db: Queryable, id: number) => {
    await db.run('UPDATE s3_objects SET is_latest = 1 WHERE id = ?', [id]);
  },

  deleteRow: async (db: Queryable, id: number) => {
    await db.run('DELETE FROM s3_objects WHERE id = ?', [id]);
  },

  setTags: async (db: Queryable, id: number, tags: string | null) => {
    await db.run('UPDATE s3_objects SET tags = ? WHERE id = ?', [tags, id]);
  },

  /** Every version of keys from `from` on, by key and newest first within a key. */
  versionsFrom: (db: Queryable, bucketId: number, from: string, inclusive: boolean, limit: number) =>
    db.all<ObjectRow>(
      `SELECT * FROM s3_objects WHERE bucket_id = ? AND object_key ${inclusive ? '>=' : '>'} ?
       ORDER BY object_key, id DESC LIMIT ?`,
      [bucketId, from, limit],
    ),

  /** The versions of one key older than the one with id `beforeId`, newest first. */
  versionsBefore: (db: Queryable, bucketId: number, key: string, beforeId: number) =>
    db.all<ObjectRow>(
      'SELECT * FROM s3_objects WHERE bucket_id = ? AND object_key = ? AND id < ? ORDER BY id DESC',
      [bucketId, key, beforeId],
    ),

  /**
   * Latest versions (delete markers included, for the caller to skip) in key order from `from`
   * (`inclusive` or not): one range scan of `s3_objects_latest`.
   */
  listLatest: (db: Queryable, bucketId: number, from: string, inclusive: boolean, limit: number) =>
    db.all<ObjectRow>(
      `SELECT * FROM s3_objects WHERE bucket_id = ? AND is_latest = 1 AND object_key ${inclusive ? '>=' : '>'} ?
       ORDER BY object_key LIMIT ?`,
      [bucketId, from, limit],
    ),
};
