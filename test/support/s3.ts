/**
 * S3 requests written by hand, for what the SDK will not send: SigV4 `aws-chunked` bodies with
 * per-chunk signatures (as the Java SDK and others send them), wrong hashes and checksums,
 * `Expect: 100-continue` followed or not by the body, connections cut mid-upload.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createHash } from 'node:crypto';
import { sigV4Signer } from '../../src/protocol/sigv4.js';
import { chunkSignature, signingKey, type ChunkSigning } from '../../src/protocol/sigv4-streaming.js';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Whether the server said `100 Continue` before answering. */
  continued: boolean;
}

export const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** Sends one request; `body` may be written in pieces, or only after `100 Continue`. */
export function rawRequest(
  url: string,
  options: {
    method: string;
    path: string;
    headers: Record<string, string>;
    body?: Buffer;
    /** Waits for `100 Continue` before sending the body (the header is set by the caller). */
    awaitContinue?: boolean;
  },
): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    let continued = false;
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: options.method,
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
            continued,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.on('continue', () => {
      continued = true;
      req.end(options.body);
    });
    if (!options.awaitContinue) req.end(options.body);
  });
}

/** Signs a request's headers as the SDKs do for S3 (the path as sent, `x-amz-content-sha256` as given). */
export async function signHeaders(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  key: { accessKeyId: string; secretAccessKey: string },
  signingDate = new Date(),
): Promise<Record<string, string>> {
  const target = new URL(url);
  const signer = sigV4Signer({ credentials: key, region: 'us-east-1', service: 's3', uriEscapePath: false });
  const signed = await signer.sign(
    {
      method,
      protocol: 'http:',
      hostname: target.hostname,
      port: Number(target.port),
      path,
      query: {},
      headers: { host: target.host, ...headers },
    },
    { signingDate },
  );
  return signed.headers;
}

/** The signing context a receiver derives from a request signed at `date` with `secret`. */
export function chunkSigningFor(secret: string, date: Date, seedSignature: string): ChunkSigning {
  const amzDate = date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  return {
    key: signingKey(secret, day, 'us-east-1', 's3'),
    amzDate,
    scope: `${day}/us-east-1/s3/aws4_request`,
    seedSignature,
  };
}

/** `data` as aws-chunked with chunk signatures chained from the seed, ending with the empty chunk. */
export function signedChunks(data: Buffer, chunkSize: number, signing: ChunkSigning): Buffer {
  const chunks: Buffer[] = [];
  for (let at = 0; at < data.length; at += chunkSize) chunks.push(data.subarray(at, at + chunkSize));
  chunks.push(Buffer.alloc(0));
  const parts: Buffer[] = [];
  let previous = signing.seedSignature;
  for (const chunk of chunks) {
    previous = chunkSignature(signing, previous, sha256Hex(chunk));
    parts.push(
      Buffer.from(`${chunk.length.toString(16)};chunk-signature=${previous}\r\n`),
      chunk,
      Buffer.from('\r\n'),
    );
  }
  return Buffer.concat(parts);
}
