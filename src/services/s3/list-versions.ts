/**
 * ListObjectVersions: every version and delete marker, by key and newest first within a key,
 * paged by `key-marker` and `version-id-marker`, with prefix and delimiter as ListObjects has
 * them. Rows are read in batches along `s3_objects_versions`; a page that ends inside a key's
 * versions resumes at the next older version of that key.
 */
import type * as S3 from '@aws-sdk/client-s3';
import type { Queryable } from '../../storage/store.js';
import { invalidArgument } from './errors.js';
import { urlEncodeKey } from './keys.js';
import { compareKeys, pastPrefix } from './listing.js';
import { objectQueries, type ObjectRow, type StoredChecksum } from './object-tables.js';
import { ownerOf, quoted } from './responses.js';
import type { BucketRow } from './tables.js';

const batchSize = 1000;

interface Start {
  key: string;
  inclusive: boolean;
  /** Within `key`, only versions older than this row. */
  beforeId?: number;
}

async function* versionRows(db: Queryable, bucketId: number, start: Start): AsyncGenerator<ObjectRow> {
  if (start.beforeId !== undefined)
    yield* await objectQueries.versionsBefore(db, bucketId, start.key, start.beforeId);
  let [from, inclusive] = [start.key, start.beforeId === undefined && start.inclusive];
  for (;;) {
    const rows = await objectQueries.versionsFrom(db, bucketId, from, inclusive, batchSize);
    yield* rows;
    if (rows.length < batchSize) return;
    // A batch may end inside a key's versions: the rest of them, then the keys after it.
    const last = rows[rows.length - 1]!;
    yield* await objectQueries.versionsBefore(db, bucketId, last.object_key, last.id);
    [from, inclusive] = [last.object_key, false];
  }
}

export async function listObjectVersions(
  db: Queryable,
  bucket: BucketRow,
  input: S3.ListObjectVersionsRequest,
): Promise<S3.ListObjectVersionsOutput> {
  const prefix = input.Prefix ?? '';
  const delimiter = input.Delimiter || undefined;
  const max = Math.min(input.MaxKeys ?? 1000, 1000);
  const encode = input.EncodingType === 'url';
  const text = (value: string) => (encode ? urlEncodeKey(value) : value);
  let start: Start = { key: prefix, inclusive: true };
  if (input.KeyMarker) {
    start = { key: input.KeyMarker, inclusive: false };
    if (input.VersionIdMarker) {
      const marker = await objectQueries.version(db, bucket.id, input.KeyMarker, input.VersionIdMarker);
      if (!marker) {
        throw invalidArgument('Invalid version id specified', 'version-id-marker', input.VersionIdMarker);
      }
      start.beforeId = marker.id;
    } else if (delimiter && input.KeyMarker.endsWith(delimiter)) {
      start = { key: pastPrefix(input.KeyMarker), inclusive: true };
    }
    if (compareKeys(start.key, prefix) < 0) start = { key: prefix, inclusive: true };
  }
  const versions: S3.ObjectVersion[] = [];
  const markers: S3.DeleteMarkerEntry[] = [];
  const commonPrefixes: string[] = [];
  let truncated = false;
  let next: { key: string; versionId?: string } | undefined;
  const owner = ownerOf(bucket.account_id);
  for await (const row of versionRows(db, bucket.id, start)) {
    if (!row.object_key.startsWith(prefix)) break;
    const cut = delimiter ? row.object_key.indexOf(delimiter, prefix.length) : -1;
    const common = cut === -1 ? undefined : row.object_key.slice(0, cut + delimiter!.length);
    if (common !== undefined && commonPrefixes[commonPrefixes.length - 1] === common) continue;
    if (versions.length + markers.length + commonPrefixes.length === max) {
      truncated = true;
      break;
    }
    if (common !== undefined) {
      commonPrefixes.push(common);
      next = { key: common };
      continue;
    }
    next = { key: row.object_key, versionId: row.version_id };
    const entry = {
      Key: text(row.object_key),
      VersionId: row.version_id,
      IsLatest: row.is_latest === 1,
      LastModified: new Date(row.last_modified),
      Owner: owner,
    };
    if (row.delete_marker) {
      markers.push(entry);
      continue;
    }
    const checksum = row.checksum ? (JSON.parse(row.checksum) as StoredChecksum) : undefined;
    versions.push({
      ...entry,
      ETag: quoted(row.etag),
      Size: row.size,
      StorageClass: row.storage_class as S3.ObjectVersionStorageClass,
      ...(checksum
        ? {
            ChecksumAlgorithm: [checksum.algorithm as S3.ChecksumAlgorithm],
            ChecksumType: checksum.type as S3.ChecksumType,
          }
        : {}),
    });
  }
  return {
    Name: bucket.name,
    Prefix: text(prefix),
    Delimiter: delimiter === undefined ? undefined : text(delimiter),
    KeyMarker: text(input.KeyMarker ?? ''),
    VersionIdMarker: input.VersionIdMarker ?? '',
    NextKeyMarker: truncated && next ? text(next.key) : undefined,
    NextVersionIdMarker: truncated ? next?.versionId : undefined,
    MaxKeys: input.MaxKeys ?? 1000,
    EncodingType: input.EncodingType,
    IsTruncated: truncated,
    Versions: versions.length > 0 ? versions : undefined,
    DeleteMarkers: markers.length > 0 ? markers : undefined,
    CommonPrefixes: commonPrefixes.length > 0 ? commonPrefixes.map((p) => ({ Prefix: text(p) })) : undefined,
  };
}
