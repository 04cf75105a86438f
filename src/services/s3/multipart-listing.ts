/**
 * ListParts (an upload's parts by number, paged by `part-number-marker`) and ListMultipartUploads
 * (a bucket's uploads in progress by key, then by when they began, paged by `key-marker` and
 * `upload-id-marker`, with prefix and delimiter as listings have them).
 */
import type * as S3 from '@aws-sdk/client-s3';
import type { Queryable } from '../../storage/store.js';
import { checksumOutput } from './bodies.js';
import { urlEncodeKey } from './keys.js';
import { compareKeys } from './listing.js';
import type { MultipartUploads } from './multipart.js';
import { ownerOf, quoted } from './responses.js';
import type { BucketRow } from './tables.js';
import { uploadQueries, type UploadRow } from './upload-tables.js';

const pageLimit = 1000;

export async function listParts(
  db: Queryable,
  uploads: MultipartUploads,
  upload: UploadRow,
  bucket: BucketRow,
  input: S3.ListPartsRequest,
): Promise<S3.ListPartsOutput> {
  const max = Math.min(input.MaxParts ?? pageLimit, pageLimit);
  const marker = Number(input.PartNumberMarker ?? 0);
  const rows = await uploadQueries.parts(db, upload.upload_id, marker, max + 1);
  const parts = rows.slice(0, max);
  const owner = ownerOf(bucket.account_id);
  return {
    Bucket: bucket.name,
    Key: upload.object_key,
    UploadId: upload.upload_id,
    PartNumberMarker: input.PartNumberMarker,
    NextPartNumberMarker: parts.length > 0 ? String(parts[parts.length - 1]!.part_number) : undefined,
    MaxParts: max,
    IsTruncated: rows.length > max,
    Parts: parts.map((part) => ({
      PartNumber: part.part_number,
      LastModified: new Date(part.last_modified),
      ETag: quoted(part.etag),
      Size: part.size,
      ...checksumOutput(uploads.partChecksum(upload, part)),
    })),
    Initiator: owner,
    Owner: owner,
    StorageClass: upload.storage_class as S3.StorageClass,
    ChecksumAlgorithm: (upload.checksum_algorithm ?? undefined) as S3.ChecksumAlgorithm | undefined,
    ChecksumType: (upload.checksum_type ?? undefined) as S3.ChecksumType | undefined,
  };
}

export async function listMultipartUploads(
  db: Queryable,
  bucket: BucketRow,
  input: S3.ListMultipartUploadsRequest,
): Promise<S3.ListMultipartUploadsOutput> {
  const prefix = input.Prefix ?? '';
  const delimiter = input.Delimiter || undefined;
  const max = Math.min(input.MaxUploads ?? pageLimit, pageLimit);
  const keyMarker = input.KeyMarker ?? '';
  const encode = input.EncodingType === 'url';
  const text = (value: string) => (encode ? urlEncodeKey(value) : value);
  // After the marker: later keys, or later uploads of the marker's key past its upload id.
  let passedUploadMarker = !input.UploadIdMarker;
  const uploads: UploadRow[] = [];
  const commonPrefixes: string[] = [];
  let truncated = false;
  let next: { key: string; uploadId?: string } | undefined;
  const from = compareKeys(keyMarker, prefix) > 0 ? keyMarker : prefix;
  // Uploads in progress are few: read them all from the marker on, rather than page the reads.
  for (const row of await uploadQueries.list(db, bucket.id, from, Number.MAX_SAFE_INTEGER)) {
    if (!row.object_key.startsWith(prefix)) break;
    if (keyMarker && row.object_key === keyMarker) {
      if (!input.UploadIdMarker) continue;
      if (!passedUploadMarker) {
        passedUploadMarker = row.upload_id === input.UploadIdMarker;
        continue;
      }
    }
    const cut = delimiter ? row.object_key.indexOf(delimiter, prefix.length) : -1;
    const common = cut === -1 ? undefined : row.object_key.slice(0, cut + delimiter!.length);
    if (common !== undefined && (commonPrefixes.includes(common) || common === keyMarker)) continue;
    if (uploads.length + commonPrefixes.length === max) {
      truncated = true;
      break;
    }
    if (common !== undefined) {
      commonPrefixes.push(common);
      next = { key: common };
    } else {
      uploads.push(row);
      next = { key: row.object_key, uploadId: row.upload_id };
    }
  }
  const owner = ownerOf(bucket.account_id);
  return {
    Bucket: bucket.name,
    Prefix: text(prefix),
    Delimiter: delimiter === undefined ? undefined : text(delimiter),
    KeyMarker: text(keyMarker),
    UploadIdMarker: input.UploadIdMarker ?? '',
    NextKeyMarker: truncated && next ? text(next.key) : undefined,
    NextUploadIdMarker: truncated ? next?.uploadId : undefined,
    MaxUploads: max,
    EncodingType: input.EncodingType,
    IsTruncated: truncated,
    Uploads:
      uploads.length > 0
        ? uploads.map((u) => ({
            UploadId: u.upload_id,
            Key: text(u.object_key),
            Initiated: new Date(u.initiated),
            StorageClass: u.storage_class as S3.StorageClass,
            Owner: owner,
            Initiator: owner,
            ChecksumAlgorithm: (u.checksum_algorithm ?? undefined) as S3.ChecksumAlgorithm | undefined,
            ChecksumType: (u.checksum_type ?? undefined) as S3.ChecksumType | undefined,
          }))
        : undefined,
    CommonPrefixes: commonPrefixes.length > 0 ? commonPrefixes.map((p) => ({ Prefix: text(p) })) : undefined,
  };
}
