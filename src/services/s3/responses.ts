/**
 * How an object version reads back in responses: the headers of GET and HEAD (content headers,
 * with `response-*` overrides; user metadata; ETag in quotes; version, storage class, parts and
 * tag counts; the checksum when asked for) and its entry in listings.
 */
import { createHash } from 'node:crypto';
import type * as S3 from '@aws-sdk/client-s3';
import { checksumOutput } from './bodies.js';
import { urlEncodeKey } from './keys.js';
import type { ContentHeaders, ObjectRow, StoredChecksum } from './object-tables.js';
import { versionIdOf } from './objects.js';
import type { BucketRow } from './tables.js';

/** What S3 answers for an object stored without a Content-Type. */
export const defaultContentType = 'binary/octet-stream';

/** S3's canonical user id of an account: 64 hex characters. */
export function ownerOf(accountId: string): S3.Owner {
  return { ID: createHash('sha256').update(`stratus-canonical-user:${accountId}`).digest('hex') };
}

export const quoted = (etag: string) => `"${etag}"`;

/** `response-content-type` and the like: what a GET may ask S3 to answer instead of what is stored. */
export interface ResponseOverrides {
  ResponseCacheControl?: string;
  ResponseContentDisposition?: string;
  ResponseContentEncoding?: string;
  ResponseContentLanguage?: string;
  ResponseContentType?: string;
  ResponseExpires?: Date;
}

export function objectHeaders(
  bucket: BucketRow,
  row: ObjectRow,
  overrides: ResponseOverrides,
  withChecksum: boolean,
): S3.HeadObjectOutput {
  const headers = JSON.parse(row.headers) as ContentHeaders;
  const tags = row.tags ? Object.keys(JSON.parse(row.tags) as Record<string, string>).length : 0;
  const expires =
    overrides.ResponseExpires ?? (headers.Expires === undefined ? undefined : new Date(headers.Expires));
  return {
    AcceptRanges: 'bytes',
    ETag: quoted(row.etag),
    LastModified: new Date(row.last_modified),
    ContentLength: row.size,
    ContentType: overrides.ResponseContentType ?? headers.ContentType ?? defaultContentType,
    ContentEncoding: overrides.ResponseContentEncoding ?? headers.ContentEncoding,
    ContentDisposition: overrides.ResponseContentDisposition ?? headers.ContentDisposition,
    ContentLanguage: overrides.ResponseContentLanguage ?? headers.ContentLanguage,
    CacheControl: overrides.ResponseCacheControl ?? headers.CacheControl,
    Expires: expires,
    WebsiteRedirectLocation: headers.WebsiteRedirectLocation,
    Metadata: JSON.parse(row.metadata) as Record<string, string>,
    VersionId: versionIdOf(bucket, row),
    StorageClass: row.storage_class === 'STANDARD' ? undefined : (row.storage_class as S3.StorageClass),
    TagCount: tags > 0 ? tags : undefined,
    ...(withChecksum && row.checksum ? checksumOutput(JSON.parse(row.checksum) as StoredChecksum) : {}),
  };
}

/** An object's entry in ListObjects(V2). */
export function listEntry(row: ObjectRow, encodeUrl: boolean, owner?: S3.Owner): S3._Object {
  const checksum = row.checksum ? (JSON.parse(row.checksum) as StoredChecksum) : undefined;
  return {
    Key: encodeUrl ? urlEncodeKey(row.object_key) : row.object_key,
    LastModified: new Date(row.last_modified),
    ETag: quoted(row.etag),
    Size: row.size,
    StorageClass: row.storage_class as S3.ObjectStorageClass,
    ...(checksum
      ? {
          ChecksumAlgorithm: [checksum.algorithm as S3.ChecksumAlgorithm],
          ChecksumType: checksum.type as S3.ChecksumType,
        }
      : {}),
    ...(owner ? { Owner: owner } : {}),
  };
}
