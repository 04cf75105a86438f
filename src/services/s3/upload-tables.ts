/**
 * Queries on multipart uploads and their parts (schema: tables.ts). A part is a blob named by
 * its row; completing an upload writes the object and drops the upload's rows.
 */
import type { Queryable } from '../../storage/store.js';

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
