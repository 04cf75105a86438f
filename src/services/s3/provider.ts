/**
 * Amazon S3 operations. Object bodies stream both ways: PutObject's from the socket into the blob
 * store (checked against Content-MD5 and the `x-amz-checksum-*` the client sent, in a header or a
 * trailer), GetObject's from the blob store to the socket. Bytes first, then the row: an object
 * is visible only once whole.
 *
 * Differences from AWS: bucket policies, ACLs and public access blocks are not enforced (another
 * account's bucket is AccessDenied, your own always open); no server-side encryption (SSE headers
 * are accepted and ignored); every storage class reads back at once; no default CRC64NVME
 * checksum is added to objects uploaded without one; bucket names are unique per Stratus, not per
 * partition.
 */
import type * as S3 from '@aws-sdk/client-s3';
import { httpStatus } from '../../protocol/wire.js';
import type { Clock } from '../../engine/clock.js';
import type { BlobStore } from '../../storage/blobs.js';
import type { Store } from '../../storage/store.js';
import type { RequestContext } from '../service.js';
import { checksumOutput, type BodyWriter, type BlobPins } from './bodies.js';
import type { Buckets } from './buckets.js';
import { checkCopySourceConditions, maxCopySourceBytes, parseCopySource } from './copy.js';
import { InvalidRequest, malformedXml, notModified, preconditionFailed } from './errors.js';
import { checkKey } from './keys.js';
import { listObjectsV1, listObjectsV2 } from './list-objects.js';
import { contentHeaders, taggingHeader, userMetadata } from './object-input.js';
import type { ObjectRow, StoredChecksum } from './object-tables.js';
import type { BucketRow } from './tables.js';
import { versionIdOf, type Objects } from './objects.js';
import { evaluatePreconditions } from './preconditions.js';
import { parseRange, partRange, type ByteRange } from './ranges.js';
import { objectHeaders, ownerOf, quoted, type ResponseOverrides } from './responses.js';
import { dropBucketUploads } from './upload-tables.js';
import type { MultipartUploads } from './multipart.js';
import { listMultipartUploads, listParts } from './multipart-listing.js';

/** The largest single PutObject. */
const maxObjectBytes = 5 * 1024 ** 3;

export interface S3Modules {
  store: Store;
  clock: Clock;
  blobs: BlobStore;
  buckets: Buckets;
  objects: Objects;
  multipart: MultipartUploads;
  writer: BodyWriter;
  pins: BlobPins;
  releaseBlobs(hashes: string[]): Promise<void>;
}

export class S3Provider {
  constructor(private readonly m: S3Modules) {}

  async CreateBucket(input: S3.CreateBucketRequest, at: RequestContext): Promise<S3.CreateBucketOutput> {
    const bucket = await this.m.buckets.create(
      at,
      input.Bucket!,
      input.CreateBucketConfiguration?.LocationConstraint,
    );
    return { Location: `/${bucket.name}` };
  }

  async HeadBucket(input: S3.HeadBucketRequest, at: RequestContext): Promise<S3.HeadBucketOutput> {
    const bucket = await this.m.buckets.require(at, input.Bucket!);
    return { BucketRegion: bucket.region, AccessPointAlias: false };
  }

  async GetBucketLocation(
    input: S3.GetBucketLocationRequest,
    at: RequestContext,
  ): Promise<S3.GetBucketLocationOutput> {
    const bucket = await this.m.buckets.require(at, input.Bucket!);
    return {
      LocationConstraint:
        bucket.region === 'us-east-1' ? undefined : (bucket.region as S3.BucketLocationConstraint),
    };
  }

  async DeleteBucket(input: S3.DeleteBucketRequest, at: RequestContext): Promise<void> {
    await this.m.releaseBlobs(await this.m.buckets.delete(at, input.Bucket!, dropBucketUploads));
  }

  async ListBuckets(input: S3.ListBucketsRequest, at: RequestContext): Promise<S3.ListBucketsOutput> {
    const page = await this.m.buckets.list(
      at,
      input.Prefix ?? '',
      input.ContinuationToken,
      input.MaxBuckets ?? 10_000,
    );
    return {
      Buckets: page.buckets.map((b) => ({
        Name: b.name,
        CreationDate: new Date(b.created_at),
        BucketRegion: b.region,
      })),
      Owner: ownerOf(at.accountId),
      ContinuationToken: page.next,
      Prefix: input.Prefix,
    };
  }

  async PutObject(input: S3.PutObjectRequest, at: RequestContext): Promise<S3.PutObjectOutput> {
    const key = input.Key!;
    checkKey(key);
    const metadata = userMetadata(input.Metadata);
    const tags = taggingHeader(input.Tagging);
    // Refusals that need no bytes come before any are read (and before 100 Continue).
    const bucket = await this.m.buckets.require(at, input.Bucket!);
    if (input.IfNoneMatch?.trim() === '*') {
      const existing = await this.m.objects.find(at, bucket.name, key).catch(() => undefined);
      if (existing) throw preconditionFailed('If-None-Match');
    }
    const body = await this.m.writer.write(input.Body, input, maxObjectBytes);
    const checksum: StoredChecksum | undefined = body.checksum && { ...body.checksum, type: 'FULL_OBJECT' };
    try {
      const { row } = await this.m.objects.write(
        at,
        bucket.name,
        key,
        {
          blob: body.sha256,
          size: body.size,
          etag: body.md5,
          md5: body.md5,
          last_modified: this.m.clock.now(),
          headers: JSON.stringify(contentHeaders(input)),
          metadata,
          checksum: checksum ? JSON.stringify(checksum) : null,
          parts: null,
          tags,
          storage_class: input.StorageClass ?? 'STANDARD',
        },
        'ObjectCreated:Put',
        { ifNoneMatch: input.IfNoneMatch, ifMatch: input.IfMatch },
      );
      body.release();
      return {
        ETag: quoted(row.etag),
        VersionId: versionIdOf(bucket, row),
        Size: row.size,
        ...checksumOutput(checksum),
      };
    } catch (err) {
      body.release();
      await this.m.releaseBlobs([body.sha256]);
      throw err;
    }
  }

  async GetObject(input: S3.GetObjectRequest, at: RequestContext): Promise<S3.GetObjectOutput> {
    const { bucket, row } = await this.m.objects.find(at, input.Bucket!, input.Key!, input.VersionId);
    const { headers, range } = readHeaders(input, bucket, row);
    return { ...headers, Body: this.m.blobs.stream(row.blob!, range) } as S3.GetObjectOutput;
  }

  async HeadObject(input: S3.HeadObjectRequest, at: RequestContext): Promise<S3.HeadObjectOutput> {
    const { bucket, row } = await this.m.objects.find(at, input.Bucket!, input.Key!, input.VersionId);
    return readHeaders(input, bucket, row).headers;
  }

  async DeleteObject(input: S3.DeleteObjectRequest, at: RequestContext): Promise<S3.DeleteObjectOutput> {
    const { bucket, deletions } = await this.m.objects.delete(at, input.Bucket!, [
      { key: input.Key!, versionId: input.VersionId },
    ]);
    const [done] = deletions;
    if (bucket.versioning === null) return {};
    return { VersionId: done?.versionId, DeleteMarker: done?.deleteMarker };
  }

  async DeleteObjects(input: S3.DeleteObjectsRequest, at: RequestContext): Promise<S3.DeleteObjectsOutput> {
    const targets = input.Delete?.Objects ?? [];
    if (targets.length === 0 || targets.length > 1000) throw malformedXml();
    const { deletions } = await this.m.objects.delete(
      at,
      input.Bucket!,
      targets.map((t) => ({ key: t.Key!, versionId: t.VersionId })),
    );
    const deleted = deletions.map((d, i) => ({
      Key: d.key,
      VersionId: targets[i]!.VersionId,
      ...(d.deleteMarker ? { DeleteMarker: true, DeleteMarkerVersionId: d.versionId } : {}),
    }));
    return { Deleted: input.Delete?.Quiet ? undefined : deleted };
  }

  async CopyObject(input: S3.CopyObjectRequest, at: RequestContext): Promise<S3.CopyObjectOutput> {
    const key = input.Key!;
    checkKey(key);
    const source = parseCopySource(input.CopySource!);
    await this.m.buckets.require(at, input.Bucket!);
    const found = await this.m.objects.find(at, source.bucket, source.key, source.versionId);
    const row = found.row;
    checkCopySourceConditions(input, row);
    const replace = input.MetadataDirective === 'REPLACE';
    const onItself =
      source.bucket === input.Bucket &&
      source.key === key &&
      (source.versionId === undefined || row.is_latest === 1);
    if (
      onItself &&
      !replace &&
      !input.StorageClass &&
      !input.WebsiteRedirectLocation &&
      !input.ServerSideEncryption
    ) {
      throw new InvalidRequest(
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      );
    }
    if (row.size > maxCopySourceBytes) {
      throw new InvalidRequest(
        `The specified copy source is larger than the maximum allowable size for a copy source: ${maxCopySourceBytes}`,
      );
    }
    // The copy names the source's bytes: held against release until its row commits.
    const release = this.m.pins.pin(row.blob!);
    try {
      const md5 = row.md5 ?? row.etag;
      const { bucket, row: copy } = await this.m.objects.write(
        at,
        input.Bucket!,
        key,
        {
          blob: row.blob,
          size: row.size,
          etag: md5,
          md5,
          last_modified: this.m.clock.now(),
          headers: replace ? JSON.stringify(contentHeaders(input)) : row.headers,
          metadata: replace ? userMetadata(input.Metadata) : row.metadata,
          checksum: row.parts === null ? row.checksum : null,
          parts: null,
          tags: input.TaggingDirective === 'REPLACE' ? taggingHeader(input.Tagging) : row.tags,
          storage_class: input.StorageClass ?? row.storage_class,
        },
        'ObjectCreated:Copy',
        { ifNoneMatch: input.IfNoneMatch, ifMatch: input.IfMatch },
      );
      return {
        CopyObjectResult: {
          ETag: quoted(copy.etag),
          LastModified: new Date(copy.last_modified),
          ...checksumOutput(copy.checksum ? (JSON.parse(copy.checksum) as StoredChecksum) : undefined),
        },
        VersionId: versionIdOf(bucket, copy),
        CopySourceVersionId: versionIdOf(found.bucket, row),
      };
    } finally {
      release();
    }
  }

  CreateMultipartUpload(
    input: S3.CreateMultipartUploadRequest,
    at: RequestContext,
  ): Promise<S3.CreateMultipartUploadOutput> {
    return this.m.multipart.create(at, input);
  }

  UploadPart(input: S3.UploadPartRequest, at: RequestContext): Promise<S3.UploadPartOutput> {
    return this.m.multipart.uploadPart(at, input);
  }

  UploadPartCopy(input: S3.UploadPartCopyRequest, at: RequestContext): Promise<S3.UploadPartCopyOutput> {
    return this.m.multipart.uploadPartCopy(at, input);
  }

  CompleteMultipartUpload(
    input: S3.CompleteMultipartUploadRequest,
    at: RequestContext,
  ): Promise<S3.CompleteMultipartUploadOutput> {
    return this.m.multipart.complete(at, input);
  }

  AbortMultipartUpload(
    input: S3.AbortMultipartUploadRequest,
    at: RequestContext,
  ): Promise<S3.AbortMultipartUploadOutput> {
    return this.m.multipart.abort(at, input);
  }

  async ListParts(input: S3.ListPartsRequest, at: RequestContext): Promise<S3.ListPartsOutput> {
    const { bucket, upload } = await this.m.multipart.require(at, input.Bucket!, input.Key!, input.UploadId!);
    return listParts(this.m.store, this.m.multipart, upload, bucket, input);
  }

  async ListMultipartUploads(
    input: S3.ListMultipartUploadsRequest,
    at: RequestContext,
  ): Promise<S3.ListMultipartUploadsOutput> {
    return listMultipartUploads(this.m.store, await this.m.buckets.require(at, input.Bucket!), input);
  }

  async ListObjectsV2(input: S3.ListObjectsV2Request, at: RequestContext): Promise<S3.ListObjectsV2Output> {
    const bucket = await this.m.buckets.require(at, input.Bucket!);
    return listObjectsV2(this.m.store, bucket, input);
  }

  async ListObjects(input: S3.ListObjectsRequest, at: RequestContext): Promise<S3.ListObjectsOutput> {
    const bucket = await this.m.buckets.require(at, input.Bucket!);
    return listObjectsV1(this.m.store, bucket, input);
  }
}

type ReadInput = S3.HeadObjectRequest & ResponseOverrides;

/**
 * What GET and HEAD answer of a version, and the bytes a GET sends: all of them (200), or a
 * `Range` or `partNumber`'s (206). The object's full checksum only goes with all of its bytes.
 */
function readHeaders(
  input: ReadInput,
  bucket: BucketRow,
  row: ObjectRow,
): { headers: S3.HeadObjectOutput; range?: ByteRange } {
  checkPreconditions(input, row);
  if (input.Range !== undefined && input.PartNumber !== undefined) {
    throw new InvalidRequest('Cannot specify both Range header and partNumber query parameter');
  }
  const parts = row.parts === null ? null : (JSON.parse(row.parts) as number[]);
  const selected =
    input.PartNumber !== undefined
      ? partRange(input.PartNumber, row.size, parts)
      : { range: parseRange(input.Range, row.size), count: undefined };
  const { range } = selected;
  const headers = objectHeaders(bucket, row, input, input.ChecksumMode === 'ENABLED' && !range);
  if (selected.count !== undefined && parts !== null) headers.PartsCount = selected.count;
  if (!range) return { headers };
  const ranged = {
    ...headers,
    ContentLength: range.end - range.start + 1,
    ContentRange: `bytes ${range.start}-${range.end}/${row.size}`,
    [httpStatus]: 206,
  };
  return { headers: ranged, range };
}

/** GET and HEAD conditions: 412, or 304 with the object's validators. */
function checkPreconditions(
  input: { IfMatch?: string; IfNoneMatch?: string; IfModifiedSince?: Date; IfUnmodifiedSince?: Date },
  row: { etag: string; last_modified: number },
): void {
  const verdict = evaluatePreconditions(
    {
      ifMatch: input.IfMatch,
      ifNoneMatch: input.IfNoneMatch,
      ifModifiedSince: input.IfModifiedSince,
      ifUnmodifiedSince: input.IfUnmodifiedSince,
    },
    row.etag,
    row.last_modified,
  );
  if (verdict.ok) return;
  if (verdict.status === 412) throw preconditionFailed(verdict.condition);
  throw notModified({ etag: quoted(row.etag), 'last-modified': new Date(row.last_modified).toUTCString() });
}
