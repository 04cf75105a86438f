/**
 * SigV4 for payloads sent in chunks (S3's `STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`): the
 * headers carry a seed signature, and each chunk a signature over its bytes chained to the one
 * before, so a receiver checks the body as it arrives without holding it. The trailing headers
 * (a checksum sent after the data) get a signature of their own, chained to the last chunk's.
 */
import { createHash, createHmac } from 'node:crypto';

const emptyHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** What checking a request's chunk signatures needs: its key, time and scope, and the seed. */
export interface ChunkSigning {
  /** The SigV4 signing key of the request's credential scope. */
  key: Buffer;
  /** `20130524T000000Z`, as the request was signed. */
  amzDate: string;
  /** `20130524/us-east-1/s3/aws4_request`. */
  scope: string;
  /** The signature of the request's headers, which the first chunk's signature chains to. */
  seedSignature: string;
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export function signingKey(secret: string, scopeDate: string, region: string, service: string): Buffer {
  const date = createHmac('sha256', `AWS4${secret}`).update(scopeDate).digest();
  const inRegion = createHmac('sha256', date).update(region).digest();
  const inService = createHmac('sha256', inRegion).update(service).digest();
  return createHmac('sha256', inService).update('aws4_request').digest();
}

function sign(signing: ChunkSigning, stringToSign: string): string {
  return createHmac('sha256', signing.key).update(stringToSign).digest('hex');
}

/** The signature of one chunk, given its bytes' SHA-256 (hex) and the previous signature. */
export function chunkSignature(signing: ChunkSigning, previous: string, chunkSha256: string): string {
  return sign(
    signing,
    `AWS4-HMAC-SHA256-PAYLOAD\n${signing.amzDate}\n${signing.scope}\n${previous}\n${emptyHash}\n${chunkSha256}`,
  );
}

/**
 * The signature of the trailing headers, chained to the final (empty) chunk's signature. They
 * are signed as `name:value\n` each, in the order sent.
 */
export function trailerSignature(
  signing: ChunkSigning,
  previous: string,
  trailers: readonly [string, string][],
): string {
  const canonical = trailers.map(([name, value]) => `${name}:${value}\n`).join('');
  const hash = createHash('sha256').update(canonical).digest('hex');
  return sign(
    signing,
    `AWS4-HMAC-SHA256-TRAILER\n${signing.amzDate}\n${signing.scope}\n${previous}\n${hash}`,
  );
}
