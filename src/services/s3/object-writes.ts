/**
 * PutObject and CopyObject: what is refused before a byte is read (and before `100 Continue`),
 * then the bytes (streamed into a blob, or the source's blob named again), then the row.
 */
import type * as S3 from '@aws-sdk/client-s3';
import type { RequestContext } from '../service.js';
import { checksumOutput } from './bodies.js';
import { checkCopySourceConditions, maxCopySourceBytes, parseCopySource } from './copy.js';
import { InvalidRequest, preconditionFailed } from './errors.js';
import { checkKey } from './keys.js';
import type { S3Modules } from './modules.js';
import { contentHeaders, taggingHeader, userMetadata } from './object-input.js';
import type { StoredChecksum } from './object-tables.js';
import { versionIdOf } from './objects.js';
import { quoted } from './responses.js';

/** The largest single PutObject. */
const maxObjectBytes = 5 * 1024 ** 3;

export async function putObject(
  m: S3Modules,
  input: S3.PutObjectRequest,
  at: RequestContext,
): Promise<S3.PutObjectOutput> {
  const key = input.Key!;
  checkKey(key);
  const metadata = userMetadata(input.Metadata);
  const tags = taggingHeader(input.Tagging);
  // Refusals that need no bytes come before any are read (and before 100 Continue).
  const bucket = await m.buckets.require(at, input.Bucket!);
  if (input.IfNoneMatch?.trim() === '*') {
    const existing = await m.objects.find(at, bucket.name, key).catch(() => undefined);
    if (existing) throw preconditionFailed('If-None-Match');
  }
  const body = await m.writer.write(input.Body, input, maxObjectBytes);
  const checksum: StoredChecksum | undefined = body.checksum && { ...body.checksum, type: 'FULL_OBJECT' };
  try {
    const { row } = await m.objects.write(
      at,
      bucket.name,
      key,
      {
        blob: body.sha256,
        size: body.size,
        etag: body.md5,
        md5: body.md5,
        last_modified: m.clock.now(),
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
    await m.releaseBlobs([body.sha256]);
    throw err;
  }
}

export async function copyObject(
  m: S3Modules,
  input: S3.CopyObjectRequest,
  at: RequestContext,
): Promise<S3.CopyObjectOutput> {
  const key = input.Key!;
  checkKey(key);
  const source = parseCopySource(input.CopySource!);
  await m.buckets.require(at, input.Bucket!);
  const found = await m.objects.find(at, source.bucket, source.key, source.versionId);
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
  const release = m.pins.pin(row.blob!);
  try {
    const md5 = row.md5 ?? row.etag;
    const { bucket, row: copy } = await m.objects.write(
      at,
      input.Bucket!,
      key,
      {
        blob: row.blob,
        size: row.size,
        etag: md5,
        md5,
        last_modified: m.clock.now(),
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
