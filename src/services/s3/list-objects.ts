/**
 * ListObjectsV2 and ListObjects (V1) over one listing of a bucket's latest versions: V2 resumes
 * from an opaque continuation token or `start-after`, V1 from a `marker` (a key, or a common
 * prefix it returned as `NextMarker`). With `encoding-type=url` every key and prefix in the
 * answer is URL-encoded.
 */
import type * as S3 from '@aws-sdk/client-s3';
import type { Queryable } from '../../storage/store.js';
import { invalidArgument } from './errors.js';
import { continuationToken, resumeFromToken, urlEncodeKey } from './keys.js';
import { listKeys, type ListPage, type Resume } from './listing.js';
import { objectQueries, type ObjectRow } from './object-tables.js';
import { listEntry, ownerOf } from './responses.js';
import type { BucketRow } from './tables.js';

const pageLimit = 1000;

function maxKeysOf(requested: number | undefined): number {
  if (requested === undefined) return pageLimit;
  if (requested < 0) {
    throw invalidArgument(
      'Argument maxKeys must be an integer between 0 and 2147483647',
      'maxKeys',
      String(requested),
    );
  }
  return Math.min(requested, pageLimit);
}

function listLatest(
  db: Queryable,
  bucket: BucketRow,
  prefix: string,
  delimiter: string | undefined,
  resume: Resume | undefined,
  maxKeys: number,
): Promise<ListPage<ObjectRow>> {
  return listKeys(
    (from, inclusive, limit) => objectQueries.listLatest(db, bucket.id, from, inclusive, limit),
    (row) => row.object_key,
    (row) => row.delete_marker === 1,
    { prefix, delimiter: delimiter || undefined, resume, maxKeys },
  );
}

export async function listObjectsV2(
  db: Queryable,
  bucket: BucketRow,
  input: S3.ListObjectsV2Request,
): Promise<S3.ListObjectsV2Output> {
  const prefix = input.Prefix ?? '';
  const encode = input.EncodingType === 'url';
  const maxKeys = maxKeysOf(input.MaxKeys);
  const resume: Resume | undefined =
    input.ContinuationToken !== undefined
      ? resumeFromToken(input.ContinuationToken)
      : input.StartAfter
        ? { after: input.StartAfter }
        : undefined;
  const page = await listLatest(db, bucket, prefix, input.Delimiter, resume, maxKeys);
  const text = (value: string) => (encode ? urlEncodeKey(value) : value);
  const owner = input.FetchOwner ? ownerOf(bucket.account_id) : undefined;
  return {
    Name: bucket.name,
    Prefix: text(prefix),
    Delimiter: input.Delimiter === undefined ? undefined : text(input.Delimiter),
    MaxKeys: input.MaxKeys ?? pageLimit,
    EncodingType: input.EncodingType,
    KeyCount: page.contents.length + page.commonPrefixes.length,
    IsTruncated: page.truncated,
    ContinuationToken: input.ContinuationToken,
    NextContinuationToken: page.truncated && page.next ? continuationToken(page.next) : undefined,
    StartAfter: input.StartAfter === undefined ? undefined : text(input.StartAfter),
    Contents:
      page.contents.length > 0 ? page.contents.map((row) => listEntry(row, encode, owner)) : undefined,
    CommonPrefixes:
      page.commonPrefixes.length > 0 ? page.commonPrefixes.map((p) => ({ Prefix: text(p) })) : undefined,
  };
}

export async function listObjectsV1(
  db: Queryable,
  bucket: BucketRow,
  input: S3.ListObjectsRequest,
): Promise<S3.ListObjectsOutput> {
  const prefix = input.Prefix ?? '';
  const encode = input.EncodingType === 'url';
  const maxKeys = maxKeysOf(input.MaxKeys);
  const marker = input.Marker || undefined;
  // A marker that is a common prefix (V1's NextMarker) resumes past everything under it.
  const rolledUp =
    marker !== undefined && input.Delimiter && marker.startsWith(prefix) && marker.endsWith(input.Delimiter);
  const resume: Resume | undefined =
    marker === undefined ? undefined : rolledUp ? { pastPrefix: marker } : { after: marker };
  const page = await listLatest(db, bucket, prefix, input.Delimiter, resume, maxKeys);
  const text = (value: string) => (encode ? urlEncodeKey(value) : value);
  const next = page.next && ('after' in page.next ? page.next.after : page.next.pastPrefix);
  return {
    Name: bucket.name,
    Prefix: text(prefix),
    Marker: text(input.Marker ?? ''),
    Delimiter: input.Delimiter === undefined ? undefined : text(input.Delimiter),
    MaxKeys: input.MaxKeys ?? pageLimit,
    EncodingType: input.EncodingType,
    IsTruncated: page.truncated,
    // S3 gives NextMarker only with a delimiter; without one the last key is the marker.
    NextMarker: page.truncated && input.Delimiter && next !== undefined ? text(next) : undefined,
    Contents:
      page.contents.length > 0
        ? page.contents.map((row) => listEntry(row, encode, ownerOf(bucket.account_id)))
        : undefined,
    CommonPrefixes:
      page.commonPrefixes.length > 0 ? page.commonPrefixes.map((p) => ({ Prefix: text(p) })) : undefined,
  };
}
