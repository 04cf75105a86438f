/**
 * Decodes an `aws-chunked` body as it streams: `<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n`
 * chunks up to an empty one, then trailing headers (`x-amz-checksum-crc32:…\r\n`) and an empty
 * line. With a `ChunkSigning` every chunk's signature is checked when its last byte has arrived,
 * and the trailing headers' signature (`x-amz-trailer-signature`) once they have; a wrong one
 * fails the stream with `SignatureDoesNotMatch` before another byte flows. Data is passed on as it
 * comes, never gathered: a consumer that fails on an error throws away what it got.
 */
import { createHash, timingSafeEqual, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ServiceError } from './errors.js';
import { chunkSignature, trailerSignature, type ChunkSigning } from './sigv4-streaming.js';

/** A chunk header or trailing header longer than this is not one. */
const maxLineBytes = 4096;

const signatureMismatch = () =>
  new ServiceError(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    { status: 403 },
  );

const malformed = (detail: string) =>
  new ServiceError('InvalidRequest', `The aws-chunked body of the request is malformed: ${detail}.`, {
    status: 400,
  });

export const incompleteBody = () =>
  new ServiceError(
    'IncompleteBody',
    'You did not provide the number of bytes specified by the Content-Length HTTP header',
    { status: 400 },
  );

type State = 'header' | 'data' | 'dataEnd' | 'trailer' | 'done';

function sameSignature(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

export class AwsChunkedDecoder extends Transform {
  /** Trailing headers by lower-case name, complete once the stream has ended. */
  readonly trailers: Record<string, string> = {};
  /** Bytes of data decoded so far. */
  decodedBytes = 0;

  private state: State = 'header';
  private line: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private claimedSignature: string | undefined;
  private previousSignature: string;
  private chunkHash: Hash | undefined;
  private readonly trailerLines: [string, string][] = [];

  constructor(private readonly signing?: ChunkSigning) {
    super();
    this.previousSignature = signing?.seedSignature ?? '';
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      let at = 0;
      while (at < chunk.length) at = this.step(chunk, at);
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    // A body cut right after its empty chunk still said everything it had to.
    if (this.state === 'done' || (this.state === 'trailer' && this.line.length === 0 && !this.signing)) {
      done();
      return;
    }
    done(incompleteBody());
  }

  /** Consumes bytes from `at` for the current state; returns where it stopped. */
  private step(chunk: Buffer, at: number): number {
    switch (this.state) {
      case 'header':
      case 'trailer': {
        const end = this.readLine(chunk, at);
        if (end.line !== undefined) {
          if (this.state === 'header') this.onChunkHeader(end.line);
          else this.onTrailerLine(end.line);
        }
        return end.next;
      }
      case 'data': {
        const take = Math.min(this.remaining, chunk.length - at);
        const data = chunk.subarray(at, at + take);
        this.chunkHash?.update(data);
        this.remaining -= take;
        this.decodedBytes += take;
        this.push(data);
        if (this.remaining === 0) this.state = 'dataEnd';
        return at + take;
      }
      case 'dataEnd': {
        const end = this.readLine(chunk, at);
        if (end.line !== undefined) {
          if (end.line.length > 0) throw malformed('chunk data is longer than its declared size');
          if (this.chunkHash) this.verifyChunk(this.chunkHash.digest('hex'));
          this.state = 'header';
        }
        return end.next;
      }
      case 'done':
        throw malformed('bytes follow the final chunk');
    }
  }

  /** Gathers one CRLF-terminated line; `line` is set once it is complete. */
  private readLine(chunk: Buffer, at: number): { line?: string; next: number } {
    const lf = chunk.indexOf(0x0a, at);
    const piece = chunk.subarray(at, lf === -1 ? chunk.length : lf + 1);
    this.line = this.line.length === 0 ? piece : Buffer.concat([this.line, piece]);
    if (this.line.length > maxLineBytes) throw malformed('a chunk header is too long');
    if (lf === -1) {
      // Keep a copy: the socket's buffer may be reused once this callback returns.
      this.line = Buffer.from(this.line);
      return { next: chunk.length };
    }
    const text = this.line.toString('latin1');
    this.line = Buffer.alloc(0);
    if (!text.endsWith('\r\n')) throw malformed('a line does not end with CRLF');
    return { line: text.slice(0, -2), next: lf + 1 };
  }

  private onChunkHeader(text: string): void {
    const [sizeText = '', ...extensions] = text.split(';');
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw malformed(`'${sizeText}' is not a chunk size`);
    const size = parseInt(sizeText, 16);
    this.claimedSignature = undefined;
    for (const extension of extensions) {
      const eq = extension.indexOf('=');
      if (extension.slice(0, eq).trim() === 'chunk-signature')
        this.claimedSignature = extension.slice(eq + 1).trim();
    }
    if (this.signing && this.claimedSignature === undefined) throw signatureMismatch();
    if (size === 0) {
      this.verifyChunk(createHash('sha256').digest('hex'));
      this.state = 'trailer';
      return;
    }
    this.remaining = size;
    this.chunkHash = this.signing ? createHash('sha256') : undefined;
    this.state = 'data';
  }

  private verifyChunk(sha256: string): void {
    if (!this.signing) return;
    const expected = chunkSignature(this.signing, this.previousSignature, sha256);
    if (!sameSignature(expected, this.claimedSignature!.toLowerCase())) throw signatureMismatch();
    this.previousSignature = expected;
  }

  private onTrailerLine(text: string): void {
    if (text === '') {
      if (this.signing && this.trailerLines.length > 0 && !('x-amz-trailer-signature' in this.trailers)) {
        throw signatureMismatch();
      }
      this.state = 'done';
      return;
    }
    const colon = text.indexOf(':');
    if (colon <= 0) throw malformed(`'${text}' is not a trailing header`);
    const name = text.slice(0, colon).trim().toLowerCase();
    const value = text.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') {
      if (this.signing) {
        const expected = trailerSignature(this.signing, this.previousSignature, this.trailerLines);
        if (!sameSignature(expected, value.toLowerCase())) throw signatureMismatch();
      }
    } else {
      this.trailerLines.push([name, value]);
    }
    this.trailers[name] = value;
  }
}
