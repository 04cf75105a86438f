/**
 * A request body that streams to its operation (S3's PutObject and UploadPart) instead of being
 * read whole first. What `x-amz-content-sha256` declares decides how it is read and checked as it
 * flows: a hex SHA-256 is compared once the last byte has arrived (`XAmzContentSHA256Mismatch`),
 * `UNSIGNED-PAYLOAD` is passed on as sent, and the `STREAMING-…` modes are `aws-chunked` bodies
 * decoded on the way, their chunk signatures checked when the request's key is known, their
 * trailing headers (checksums) kept for the operation. Nothing is read before the operation reads
 * (so `Expect: 100-continue` is answered only then), and a failure — a bad signature, a body
 * shorter than declared, a client gone — fails the stream, which the operation sees as an error.
 */
import { createHash, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { AwsChunkedDecoder, incompleteBody } from '../protocol/aws-chunked.js';
import { ServiceError } from '../protocol/errors.js';
import type { ChunkSigning } from '../protocol/sigv4-streaming.js';

export type PayloadMode =
  { kind: 'unsigned' } | { kind: 'sha256'; sha256: string } | { kind: 'chunked'; signed: boolean };

const streamingModes: Record<string, boolean> = {
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD': true,
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER': true,
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER': false,
  // SigV4a: chunked the same way, with signatures Stratus does not check (it refuses SigV4a
  // authorization when signatures are checked at all).
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD': false,
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER': false,
};

/** How the body is sent and protected, from `x-amz-content-sha256` (and `Content-Encoding`). */
export function payloadModeOf(headers: Record<string, string>): PayloadMode {
  const declared = headers['x-amz-content-sha256'];
  if (declared === undefined || declared === 'UNSIGNED-PAYLOAD') {
    const chunked = (headers['content-encoding'] ?? '').split(',').some((e) => e.trim() === 'aws-chunked');
    return chunked ? { kind: 'chunked', signed: false } : { kind: 'unsigned' };
  }
  if (/^[0-9a-fA-F]{64}$/.test(declared)) return { kind: 'sha256', sha256: declared.toLowerCase() };
  const signed = streamingModes[declared];
  if (signed === undefined) {
    throw new ServiceError(
      'InvalidArgument',
      `x-amz-content-sha256 must be UNSIGNED-PAYLOAD, ${Object.keys(streamingModes).join(', ')} or a valid sha256 value.`,
      { status: 400, fields: { ArgumentName: 'x-amz-content-sha256', ArgumentValue: declared } },
    );
  }
  return { kind: 'chunked', signed };
}

/** The decoded body of a request, read lazily from the connection. */
export class RequestPayload extends Readable {
  private source: Readable | undefined;
  private decoder: AwsChunkedDecoder | undefined;
  private hash: Hash | undefined;
  private received = 0;

  /**
   * `open` hands over the connection's body (and sends `100 Continue` if the client waits for
   * it); `signing` checks chunk signatures, when the request's secret is known.
   */
  constructor(
    private readonly open: () => Readable,
    private readonly mode: PayloadMode,
    /** The decoded length the request declares (`x-amz-decoded-content-length`), if chunked. */
    readonly declaredLength: number | undefined,
    private readonly signing?: ChunkSigning,
    /** Lower-case names the request announced in `x-amz-trailer`. */
    readonly announcedTrailers: readonly string[] = [],
  ) {
    super();
  }

  /** Trailing headers of a chunked body (`x-amz-checksum-crc32` …), complete once it has ended. */
  get trailers(): Readonly<Record<string, string>> {
    return this.decoder?.trailers ?? {};
  }

  override _read(): void {
    if (this.source) {
      this.source.resume();
      return;
    }
    const raw = this.open();
    let source = raw;
    if (this.mode.kind === 'chunked') {
      this.decoder = new AwsChunkedDecoder(this.mode.signed ? this.signing : undefined);
      source = raw.pipe(this.decoder);
      // pipe() carries data, not failures: a connection that breaks fails the decoded stream.
      raw.once('error', (err) => this.decoder!.destroy(err));
    } else if (this.mode.kind === 'sha256') {
      this.hash = createHash('sha256');
    }
    // A client that goes away mid-body: Node ends the request with 'aborted', not always 'error'.
    raw.once('aborted', () => this.destroy(incompleteBody()));
    this.source = source;
    source.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      this.hash?.update(chunk);
      if (!this.push(chunk)) source.pause();
    });
    source.once('end', () => this.finish());
    source.once('error', (err) => this.destroy(err));
  }

  override _destroy(err: Error | null, done: (error?: Error | null) => void): void {
    if (this.decoder && !this.decoder.destroyed) this.decoder.destroy();
    done(err);
  }

  private finish(): void {
    if (this.declaredLength !== undefined && this.received !== this.declaredLength) {
      this.destroy(incompleteBody());
      return;
    }
    if (this.hash && this.mode.kind === 'sha256') {
      const computed = this.hash.digest('hex');
      if (computed !== this.mode.sha256) {
        this.destroy(
          new ServiceError(
            'XAmzContentSHA256Mismatch',
            "The provided 'x-amz-content-sha256' header does not match what was computed.",
            {
              status: 400,
              fields: { ClientComputedContentSHA256: this.mode.sha256, S3ComputedContentSHA256: computed },
            },
          ),
        );
        return;
      }
    }
    this.push(null);
  }
}

/** Reads a (decoded) body whole, for operations whose input is parsed from it. */
export async function readPayload(payload: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of payload as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      payload.destroy();
      throw new ServiceError('MaxMessageLengthExceeded', 'Your request was too big.', { status: 400 });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
