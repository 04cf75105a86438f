/**
 * Writes an object's (or a part's) bytes into the blob store as they arrive, computing on the way
 * what S3 answers and checks: the MD5 (the ETag), and the checksum the client asked for, whose
 * expected value comes in a header (`x-amz-checksum-crc32`) or, with the SDKs' default streaming
 * uploads, in a trailing header after the bytes. A body that fails a check is thrown away before
 * any row names it. The blob stays pinned (safe from release) until the caller's row has
 * committed and it calls `release()`.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { StreamedBody } from '../../protocol/wire.js';
import type { BlobStore } from '../../storage/blobs.js';
import {
  checksumAlgorithmOf,
  checksumHeader,
  checksummer,
  checksumMember,
  type ChecksumAlgorithm,
} from './checksums.js';
import { badChecksum, badDigest, entityTooLarge, InvalidRequest, invalidDigest } from './errors.js';

/** What a PutObject or UploadPart request says about the body it sends. */
export interface BodyClaims {
  ContentMD5?: string;
  ContentLength?: number;
  ChecksumAlgorithm?: string;
  ChecksumCRC32?: string;
  ChecksumCRC32C?: string;
  ChecksumCRC64NVME?: string;
  ChecksumSHA1?: string;
  ChecksumSHA256?: string;
  ChecksumSHA512?: string;
  ChecksumMD5?: string;
}

export interface WrittenBody {
  sha256: string;
  size: number;
  /** Hex MD5 of the bytes. */
  md5: string;
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
  /** Unpins the blob: once a row names it, or the write is abandoned. */
  release(): void;
}

/** Blobs written but not yet named by a committed row, by hash (with a count: same bytes twice). */
export class BlobPins {
  private readonly pins = new Map<string, number>();

  pin(sha256: string): () => void {
    this.pins.set(sha256, (this.pins.get(sha256) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.pins.get(sha256)! - 1;
      if (left > 0) this.pins.set(sha256, left);
      else this.pins.delete(sha256);
    };
  }

  held(): Iterable<string> {
    return this.pins.keys();
  }
}

function isStreamed(body: unknown): body is StreamedBody {
  return body instanceof Readable && 'trailers' in body;
}

/**
 * The one checksum a request asks for, and the value it expects when it gave one in a header;
 * else `compute`, with no value to expect (an upload's algorithm for its parts).
 */
function requestedChecksum(
  claims: BodyClaims,
  body: unknown,
  compute: ChecksumAlgorithm | undefined,
): { algorithm: ChecksumAlgorithm; header?: string } | undefined {
  const given = Object.entries(claims).filter(
    ([name, value]) => name.startsWith('Checksum') && name !== 'ChecksumAlgorithm' && value !== undefined,
  );
  if (given.length > 1) {
    throw new InvalidRequest(
      'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
    );
  }
  const announced = isStreamed(body)
    ? body.announcedTrailers.find((name) => name.startsWith('x-amz-checksum-'))
    : undefined;
  const name = given[0]?.[0].slice('Checksum'.length) ?? announced ?? claims.ChecksumAlgorithm;
  if (name === undefined) return compute && { algorithm: compute };
  const algorithm = checksumAlgorithmOf(name);
  if (!algorithm) throw new InvalidRequest(`Stratus does not compute ${name.toUpperCase()} checksums.`);
  if (given.length === 0 && announced === undefined) {
    throw new InvalidRequest(
      'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.',
    );
  }
  return { algorithm, header: given[0]?.[1] as string | undefined };
}

function asChunks(body: unknown): AsyncIterable<Buffer> {
  if (body === undefined || body === null) return Readable.from([]);
  if (body instanceof Readable) return body;
  if (typeof body === 'string') return Readable.from([Buffer.from(body)]);
  return Readable.from([Buffer.from(body as Uint8Array)]);
}

export class BodyWriter {
  constructor(
    private readonly blobs: BlobStore,
    private readonly pins: BlobPins,
    private readonly releaseBlobs: (hashes: string[]) => Promise<void>,
  ) {}

  /**
   * Streams `body` into the blob store, checking it against `claims`; at most `maxBytes`. A
   * checksum is computed in the algorithm the request names, else in `compute`.
   */
  async write(
    body: unknown,
    claims: BodyClaims,
    maxBytes: number,
    compute?: ChecksumAlgorithm,
  ): Promise<WrittenBody> {
    const expectedMd5 = claims.ContentMD5;
    if (expectedMd5 !== undefined && Buffer.from(expectedMd5, 'base64').length !== 16) {
      throw invalidDigest(expectedMd5);
    }
    if (claims.ContentLength !== undefined && claims.ContentLength > maxBytes) {
      throw entityTooLarge(claims.ContentLength, maxBytes);
    }
    const requested = requestedChecksum(claims, body, compute);
    const md5 = createHash('md5');
    const sum = requested && checksummer(requested.algorithm);
    let size = 0;
    const source = asChunks(body);
    const hashed = async function* () {
      for await (const chunk of source) {
        size += chunk.length;
        if (size > maxBytes) throw entityTooLarge(size, maxBytes);
        md5.update(chunk);
        sum?.update(chunk);
        yield chunk;
      }
    };
    const stored = await this.blobs.putStream(hashed());
    const release = this.pins.pin(stored.sha256);
    try {
      // Released by another request between being found and pinned: the bytes are gone.
      if (!(await this.blobs.has(stored.sha256)))
        throw new Error(`blob ${stored.sha256} vanished while stored`);
      const md5Digest = md5.digest();
      if (expectedMd5 !== undefined && md5Digest.toString('base64') !== expectedMd5) {
        throw badDigest(expectedMd5, md5Digest.toString('base64'));
      }
      let checksum: WrittenBody['checksum'];
      if (requested && sum) {
        const value = sum.digest();
        const expected =
          requested.header ??
          (isStreamed(body) ? body.trailers[checksumHeader(requested.algorithm)] : undefined);
        if (expected !== undefined && expected !== value) throw badChecksum(requested.algorithm);
        checksum = { algorithm: requested.algorithm, value };
      }
      return { sha256: stored.sha256, size, md5: md5Digest.toString('hex'), checksum, release };
    } catch (err) {
      release();
      await this.releaseBlobs([stored.sha256]);
      throw err;
    }
  }
}

/** A checksum as the output members carry it: `{ ChecksumCRC32: '…', ChecksumType: 'FULL_OBJECT' }`. */
export function checksumOutput(
  checksum: { algorithm: string; value: string; type?: string } | undefined,
): Record<string, string> {
  const algorithm = checksum && checksumAlgorithmOf(checksum.algorithm);
  if (!checksum || !algorithm) return {};
  return { [checksumMember(algorithm)]: checksum.value, ChecksumType: checksum.type ?? 'FULL_OBJECT' };
}
