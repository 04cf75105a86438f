/**
 * Queries on multipart uploads and their parts (schema: tables.ts). A part is a blob named by
 * its row; completing an upload writes the object and drops the upload's rows in one transaction.
 */
import type { Queryable } from '../../storage/store.js';

export interface UploadRow extends Record<string, unknown> {
  upload_id: string;
  bucket_id: number;
  object_key: string;
  initiated: number;
  /** JSON `ContentHeaders`. */
  headers: string;
  metadata: string;
  tags: string | null;
  checksum_algorithm: string | null;
  /** `COMPOSITE` or `FULL_OBJECT`, when there is a checksum algorithm. */
  checksum_type: string | null;
  storage_class: string;
}

export interface PartRow extends Record<string, unknown> {
  upload_id: string;
  part_number: number;
  blob: string;
  size: number;
  etag: string;
  /** The part's checksum (base64) in the upload's algorithm. */
  checksum: string | null;
  last_modified: number;
}

export const uploadQueries = {
  insert: async (db: Queryable, row: UploadRow) => {
    await db.run(
      `INSERT INTO s3_uploads (upload_id, bucket_id, object_key, initiated, headers, metadata, tags,
         checksum_algorithm, checksum_type, storage_class) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        row.upload_id,
        row.bucket_id,
        row.object_key,
        row.initiated,
        row.headers,
        row.metadata,
        row.tags,
        row.checksum_algorithm,
        row.checksum_type,
        row.storage_class,
      ],
    );
  },

  byId: (db: Queryable, uploadId: string) =>
    db.get<UploadRow>('SELECT * FROM s3_uploads WHERE upload_id = ?', [uploadId]),

  /** A bucket's uploads from `fromKey` on, by key, then by when they began. */
  list: (db: Queryable, bucketId: number, fromKey: string, limit: number) =>
    db.all<UploadRow>(
      `SELECT * FROM s3_uploads WHERE bucket_id = ? AND object_key >= ?
       ORDER BY object_key, initiated, upload_id LIMIT ?`,
      [bucketId, fromKey, limit],
    ),

  /** Drops an upload and its parts; resolves to the blobs the parts named. */
  drop: async (db: Queryable, uploadId: string): Promise<string[]> => {
    const parts = await db.all<{ blob: string }>('SELECT blob FROM s3_parts WHERE upload_id = ?', [uploadId]);
    await db.run('DELETE FROM s3_parts WHERE upload_id = ?', [uploadId]);
    await db.run('DELETE FROM s3_uploads WHERE upload_id = ?', [uploadId]);
    return parts.map((p) => p.blob);
  },

  part: (db: Queryable, uploadId: string, partNumber: number) =>
    db.get<PartRow>('SELECT * FROM s3_parts WHERE upload_id = ? AND part_number = ?', [uploadId, partNumber]),

  /** Parts after `afterNumber`, in order. */
  parts: (db: Queryable, uploadId: string, afterNumber: number, limit: number) =>
    db.all<PartRow>(
      'SELECT * FROM s3_parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?',
      [uploadId, afterNumber, limit],
    ),

  /** Writes a part, replacing one of the same number; resolves to the blob the replaced one named. */
  putPart: async (db: Queryable, row: PartRow): Promise<string | undefined> => {
    const previous = await db.get<{ blob: string }>(
      'SELECT blob FROM s3_parts WHERE upload_id = ? AND part_number = ?',
      [row.upload_id, row.part_number],
    );
    await db.run(
      `INSERT INTO s3_parts (upload_id, part_number, blob, size, etag, checksum, last_modified)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (upload_id, part_number) DO UPDATE SET blob = excluded.blob, size = excluded.size,
         etag = excluded.etag, checksum = excluded.checksum, last_modified = excluded.last_modified`,
      [row.upload_id, row.part_number, row.blob, row.size, row.etag, row.checksum, row.last_modified],
    );
    return previous?.blob;
  },
};

/** Drops every upload of a bucket (the bucket is going); resolves to the blobs their parts named. */
export async function dropBucketUploads(tx: Queryable, bucketId: number): Promise<string[]> {
  const parts = await tx.all<{ blob: string }>(
    'SELECT p.blob FROM s3_parts p JOIN s3_uploads u ON u.upload_id = p.upload_id WHERE u.bucket_id = ?',
    [bucketId],
  );
  await tx.run(
    'DELETE FROM s3_parts WHERE upload_id IN (SELECT upload_id FROM s3_uploads WHERE bucket_id = ?)',
    [bucketId],
  );
  await tx.run('DELETE FROM s3_uploads WHERE bucket_id = ?', [bucketId]);
  return parts.map((p) => p.blob);
}
