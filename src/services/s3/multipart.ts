/**
 * Multipart uploads: parts stream into blobs as they come (in any order, again to replace one),
 * and completing joins the named parts, in order, into one object whose ETag is S3's: the MD5 of
 * the parts' MD5s, `-<count>`. Every part but the last is at least 5 MiB. Joining copies the
 * parts' bytes into one blob (streamed), then the object's row and the upload's removal commit
 * together: the object appears whole, and the upload is gone, at the same instant.
 *
 * With a checksum algorithm the upload's checksum is COMPOSITE (the algorithm over the parts'
 * checksums, `-<count>`) or FULL_OBJECT (over the whole object, CRC64NVME's only kind), as S3
 * computes them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type * as S3 from '@aws-sdk/client-s3';
import type { Clock } from '../../engine/clock.js';
import type { BlobStore } from '../../storage/blobs.js';
import type { Queryable, Store } from '../../storage/store.js';
import { checksumOutput, type BlobPins, type BodyWriter } from './bodies.js';
import type { Buckets, Caller } from './buckets.js';
import { checksumAlgorithmOf, checksumOf, type ChecksumAlgorithm } from './checksums.js';
import { checkCopySourceConditions, parseCopySource } from './copy.js';
import {
  badChecksum,
  entityTooSmall,
  invalidArgument,
  invalidPart,
  invalidPartOrder,
  InvalidRequest,
  malformedXml,
  noSuchUpload,
} from './errors.js';
import { checkKey } from './keys.js';
import { contentHeaders, taggingHeader, userMetadata } from './object-input.js';
import type { StoredChecksum } from './object-tables.js';
import { versionIdOf, type Objects } from './objects.js';
import { quoted } from './responses.js';
import type { BucketRow } from './tables.js';
import { uploadQueries, type PartRow, type UploadRow } from './upload-tables.js';

const minPartBytes = 5 * 1024 * 1024;
const maxPartBytes = 5 * 1024 ** 3;
const maxObjectBytes = 5 * 1024 ** 4;

/** S3's multipart ETag: the MD5 of the parts' binary MD5s, then `-` and how many parts. */
export function multipartEtag(partEtags: readonly string[]): string {
  const md5 = createHash('md5');
  for (const etag of partEtags) md5.update(Buffer.from(etag, 'hex'));
  return `${md5.digest('hex')}-${partEtags.length}`;
}

/** A COMPOSITE checksum: the algorithm over the parts' binary checksums, `-<count>`. */
export function compositeChecksum(algorithm: ChecksumAlgorithm, partChecksums: readonly string[]): string {
  const joined = Buffer.concat(partChecksums.map((c) => Buffer.from(c, 'base64')));
  return `${checksumOf(algorithm, joined)}-${partChecksums.length}`;
}

function checkPartNumber(partNumber: number): void {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) {
    throw invalidArgument(
      'Part number must be an integer between 1 and 10000, inclusive',
      'partNumber',
      String(partNumber),
    );
  }
}

const stripQuotes = (etag: string | undefined) => (etag ?? '').trim().replace(/^"(.*)"$/, '$1');

export class MultipartUploads {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly blobs: BlobStore,
    private readonly buckets: Buckets,
    private readonly objects: Objects,
    private readonly writer: BodyWriter,
    private readonly pins: BlobPins,
    private readonly releaseBlobs: (hashes: string[]) => Promise<void>,
    private readonly endpointUrl: () => string,
  ) {}

  async create(at: Caller, input: S3.CreateMultipartUploadRequest): Promise<S3.CreateMultipartUploadOutput> {
    checkKey(input.Key!);
    const bucket = await this.buckets.require(at, input.Bucket!);
    const algorithm = input.ChecksumAlgorithm && checksumAlgorithmOf(input.ChecksumAlgorithm);
    if (input.ChecksumAlgorithm && !algorithm) {
      throw new InvalidRequest(`Stratus does not compute ${input.ChecksumAlgorithm} checksums.`);
    }
    const type = algorithm
      ? (input.ChecksumType ?? (algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE'))
      : undefined;
    if (type === 'FULL_OBJECT' && !['CRC32', 'CRC32C', 'CRC64NVME'].includes(algorithm!)) {
      throw new InvalidRequest(
        `The FULL_OBJECT checksum type cannot be used with the ${algorithm} checksum algorithm.`,
      );
    }
    if (type === 'COMPOSITE' && algorithm === 'CRC64NVME') {
      throw new InvalidRequest(
        'The COMPOSITE checksum type cannot be used with the CRC64NVME checksum algorithm.',
      );
    }
    const uploadId = randomBytes(36).toString('base64url');
    await uploadQueries.insert(this.store, {
      upload_id: uploadId,
      bucket_id: bucket.id,
      object_key: input.Key!,
      initiated: this.clock.now(),
      headers: JSON.stringify(contentHeaders(input)),
      metadata: userMetadata(input.Metadata),
      tags: taggingHeader(input.Tagging),
      checksum_algorithm: algorithm ?? null,
      checksum_type: type ?? null,
      storage_class: input.StorageClass ?? 'STANDARD',
    });
    return {
      Bucket: bucket.name,
      Key: input.Key,
      UploadId: uploadId,
      ChecksumAlgorithm: algorithm as S3.ChecksumAlgorithm | undefined,
      ChecksumType: type as S3.ChecksumType | undefined,
    };
  }

  async uploadPart(at: Caller, input: S3.UploadPartRequest): Promise<S3.UploadPartOutput> {
    checkPartNumber(input.PartNumber!);
    // Refused before a byte is read when the upload does not exist.
    const { upload } = await this.require(at, input.Bucket!, input.Key!, input.UploadId!);
    const body = await this.writer.write(input.Body, input, maxPartBytes, this.algorithmOf(upload));
    const part = await this.storePart(upload, input.PartNumber!, body);
    return { ETag: quoted(part.etag), ...checksumOutput(this.partChecksum(upload, part)) };
  }

  async uploadPartCopy(at: Caller, input: S3.UploadPartCopyRequest): Promise<S3.UploadPartCopyOutput> {
    checkPartNumber(input.PartNumber!);
    const source = parseCopySource(input.CopySource!);
    const { upload } = await this.require(at, input.Bucket!, input.Key!, input.UploadId!);
    const found = await this.objects.find(at, source.bucket, source.key, source.versionId);
    checkCopySourceConditions(input, found.row);
    const range = copySourceRange(input.CopySourceRange, found.row.size);
    const release = this.pins.pin(found.row.blob!);
    try {
      const bytes = this.blobs.stream(found.row.blob!, range);
      const body = await this.writer.write(bytes, {}, maxPartBytes, this.algorithmOf(upload));
      const part = await this.storePart(upload, input.PartNumber!, body);
      return {
        CopyPartResult: {
          ETag: quoted(part.etag),
          LastModified: new Date(part.last_modified),
          ...checksumOutput(this.partChecksum(upload, part)),
        },
        CopySourceVersionId: versionIdOf(found.bucket, found.row),
      };
    } finally {
      release();
    }
  }

  async complete(
    at: Caller,
    input: S3.CompleteMultipartUploadRequest,
  ): Promise<S3.CompleteMultipartUploadOutput> {
    const requested = input.MultipartUpload?.Parts ?? [];
    if (requested.length === 0) throw malformedXml();
    const uploadId = input.UploadId!;
    const { upload } = await this.require(at, input.Bucket!, input.Key!, uploadId);
    const parts = await this.namedParts(upload, requested);
    const algorithm = this.algorithmOf(upload);
    const whole = upload.checksum_type === 'FULL_OBJECT' ? algorithm : undefined;
    const joined = await this.writer.write(
      Readable.from(this.concatenated(parts)),
      {},
      maxObjectBytes,
      whole,
    );
    let checksum: StoredChecksum | undefined;
    if (algorithm && whole) {
      checksum = { algorithm, value: joined.checksum!.value, type: 'FULL_OBJECT' };
      const claimed = (input as unknown as Record<string, unknown>)[`Checksum${algorithm}`];
      if (claimed !== undefined && claimed !== checksum.value) {
        joined.release();
        await this.releaseBlobs([joined.sha256]);
        throw badChecksum(algorithm);
      }
    } else if (algorithm) {
      checksum = {
        algorithm,
        value: compositeChecksum(
          algorithm,
          parts.map((p) => p.checksum ?? ''),
        ),
        type: 'COMPOSITE',
      };
    }
    try {
      const { bucket, row } = await this.objects.write(
        at,
        input.Bucket!,
        input.Key!,
        {
          blob: joined.sha256,
          size: joined.size,
          etag: multipartEtag(parts.map((p) => p.etag)),
          md5: joined.md5,
          last_modified: this.clock.now(),
          headers: upload.headers,
          metadata: upload.metadata,
          checksum: checksum ? JSON.stringify(checksum) : null,
          parts: JSON.stringify(parts.map((p) => p.size)),
          tags: upload.tags,
          storage_class: upload.storage_class,
        },
        'ObjectCreated:CompleteMultipartUpload',
        { ifMatch: input.IfMatch, ifNoneMatch: input.IfNoneMatch },
        async (tx) => {
          // Completed or aborted meanwhile by another request: this one loses.
          if (!(await uploadQueries.byId(tx, uploadId))) throw noSuchUpload(uploadId);
          return uploadQueries.drop(tx, uploadId);
        },
      );
      joined.release();
      return {
        Location: `${this.endpointUrl()}/${bucket.name}/${encodeURIComponent(row.object_key).replace(/%2F/g, '/')}`,
        Bucket: bucket.name,
        Key: row.object_key,
        ETag: quoted(row.etag),
        VersionId: versionIdOf(bucket, row),
        ...checksumOutput(checksum),
      };
    } catch (err) {
      joined.release();
      await this.releaseBlobs([joined.sha256]);
      throw err;
    }
  }

  async abort(at: Caller, input: S3.AbortMultipartUploadRequest): Promise<S3.AbortMultipartUploadOutput> {
    const uploadId = input.UploadId!;
    await this.require(at, input.Bucket!, input.Key!, uploadId);
    const gone = await this.store.transaction((tx) => uploadQueries.drop(tx, uploadId));
    await this.releaseBlobs(gone);
    return {};
  }

  /** The upload, in the bucket and under the key the request names, or NoSuchUpload. */
  async require(
    at: Caller,
    bucketName: string,
    key: string,
    uploadId: string,
    db: Queryable = this.store,
  ): Promise<{ bucket: BucketRow; upload: UploadRow }> {
    const bucket = await this.buckets.require(at, bucketName, db);
    const upload = await uploadQueries.byId(db, uploadId);
    if (!upload || upload.bucket_id !== bucket.id || upload.object_key !== key) throw noSuchUpload(uploadId);
    return { bucket, upload };
  }

  algorithmOf(upload: UploadRow): ChecksumAlgorithm | undefined {
    return upload.checksum_algorithm ? checksumAlgorithmOf(upload.checksum_algorithm) : undefined;
  }

  /** A part's checksum as answered: the upload's algorithm, the part's own value. */
  partChecksum(upload: UploadRow, part: PartRow): StoredChecksum | undefined {
    const algorithm = this.algorithmOf(upload);
    if (!algorithm || part.checksum === null) return undefined;
    return { algorithm, value: part.checksum, type: upload.checksum_type as StoredChecksum['type'] };
  }

  private async storePart(
    upload: UploadRow,
    partNumber: number,
    body: Awaited<ReturnType<BodyWriter['write']>>,
  ): Promise<PartRow> {
    const algorithm = this.algorithmOf(upload);
    const part: PartRow = {
      upload_id: upload.upload_id,
      part_number: partNumber,
      blob: body.sha256,
      size: body.size,
      etag: body.md5,
      checksum: body.checksum?.value ?? null,
      last_modified: this.clock.now(),
    };
    let replaced: string | undefined;
    try {
      if (algorithm && body.checksum && body.checksum.algorithm !== algorithm) {
        throw new InvalidRequest(
          `Checksum Type mismatch occurred, expected checksum Type: ${algorithm.toLowerCase()}, actual checksum Type: ${body.checksum.algorithm.toLowerCase()}`,
        );
      }
      replaced = await this.store.transaction(async (tx) => {
        if (!(await uploadQueries.byId(tx, upload.upload_id))) throw noSuchUpload(upload.upload_id);
        return uploadQueries.putPart(tx, part);
      });
    } catch (err) {
      body.release();
      await this.releaseBlobs([body.sha256]);
      throw err;
    }
    body.release();
    if (replaced !== undefined && replaced !== body.sha256) await this.releaseBlobs([replaced]);
    return part;
  }

  /** The parts a completion names, checked as S3 checks them: in order, uploaded, big enough. */
  private async namedParts(upload: UploadRow, requested: readonly S3.CompletedPart[]): Promise<PartRow[]> {
    const numbers = requested.map((wanted) => wanted.PartNumber ?? 0);
    if (numbers.some((number, i) => i > 0 && number <= numbers[i - 1]!))
      throw invalidPartOrder(upload.upload_id);
    const parts: PartRow[] = [];
    for (const [i, wanted] of requested.entries()) {
      const number = numbers[i]!;
      const part = await uploadQueries.part(this.store, upload.upload_id, number);
      if (!part || part.etag !== stripQuotes(wanted.ETag))
        throw invalidPart(upload.upload_id, number, wanted.ETag);
      const algorithm = this.algorithmOf(upload);
      const claimed = algorithm && (wanted as unknown as Record<string, unknown>)[`Checksum${algorithm}`];
      if (claimed !== undefined && claimed !== part.checksum)
        throw invalidPart(upload.upload_id, number, wanted.ETag);
      if (i < requested.length - 1 && part.size < minPartBytes) {
        throw entityTooSmall(part.size, number, quoted(part.etag));
      }
      parts.push(part);
    }
    return parts;
  }

  private async *concatenated(parts: readonly PartRow[]): AsyncGenerator<Buffer> {
    for (const part of parts) {
      for await (const chunk of this.blobs.stream(part.blob)) yield chunk as Buffer;
    }
  }
}

/** `x-amz-copy-source-range: bytes=first-last`, within the source. */
function copySourceRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d+)-(\d+)$/.exec(header.trim());
  if (!m) {
    throw invalidArgument(
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
      'x-amz-copy-source-range',
      header,
    );
  }
  const [start, end] = [Number(m[1]), Number(m[2])];
  if (start > end || end >= size) {
    throw invalidArgument(
      `Range specified is not valid for source object of size: ${size}`,
      'x-amz-copy-source-range',
      header,
    );
  }
  return { start, end };
}
