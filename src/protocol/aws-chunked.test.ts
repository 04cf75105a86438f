import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AwsChunkedDecoder } from './aws-chunked.js';
import { chunkSignature, signingKey, trailerSignature, type ChunkSigning } from './sigv4-streaming.js';

/** AWS's example for chunked uploads (S3 API reference, "Signature calculations … chunked upload"). */
const example: ChunkSigning = {
  key: signingKey('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '20130524', 'us-east-1', 's3'),
  amzDate: '20130524T000000Z',
  scope: '20130524/us-east-1/s3/aws4_request',
  seedSignature: '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
};
const exampleSignatures = [
  'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
  '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
  'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
];

function exampleBody(signatures = exampleSignatures): Buffer {
  return Buffer.concat([
    Buffer.from(`10000;chunk-signature=${signatures[0]}\r\n`),
    Buffer.alloc(65536, 'a'),
    Buffer.from(`\r\n400;chunk-signature=${signatures[1]}\r\n`),
    Buffer.alloc(1024, 'a'),
    Buffer.from(`\r\n0;chunk-signature=${signatures[2]}\r\n\r\n`),
  ]);
}

/** Feeds `body` in pieces of `size` bytes (1 splits every header mid-line). */
async function decode(body: Buffer, decoder: AwsChunkedDecoder, size = 7919): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for (let at = 0; at < body.length; at += size) pieces.push(body.subarray(at, at + size));
  const out: Buffer[] = [];
  for await (const chunk of Readable.from(pieces).pipe(decoder)) out.push(chunk as Buffer);
  return Buffer.concat(out);
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

describe('aws-chunked decoding', () => {
  it("checks AWS's example chunk signatures and yields the 66 560 bytes", async () => {
    const decoder = new AwsChunkedDecoder(example);
    const data = await decode(exampleBody(), decoder);
    expect(data.equals(Buffer.alloc(66560, 'a'))).toBe(true);
    expect(decoder.decodedBytes).toBe(66560);
  });

  it('reads headers split across every byte boundary', async () => {
    const data = await decode(exampleBody(), new AwsChunkedDecoder(example), 1);
    expect(data.length).toBe(66560);
  });

  it('fails with SignatureDoesNotMatch when a chunk signature is wrong', async () => {
    const tampered = [exampleSignatures[0]!, exampleSignatures[0]!, exampleSignatures[2]!];
    await expect(decode(exampleBody(tampered), new AwsChunkedDecoder(example))).rejects.toMatchObject({
      code: 'SignatureDoesNotMatch',
      status: 403,
    });
  });

  it('fails when a chunk was altered in flight', async () => {
    const body = exampleBody();
    body[200] = 'b'.charCodeAt(0);
    await expect(decode(body, new AwsChunkedDecoder(example))).rejects.toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
  });

  it('fails when signatures are expected and a chunk carries none', async () => {
    const body = Buffer.from('3\r\nabc\r\n0\r\n\r\n');
    await expect(decode(body, new AwsChunkedDecoder(example))).rejects.toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
  });

  it('reads unsigned chunks and their trailing checksum (the SDK default for PutObject)', async () => {
    const decoder = new AwsChunkedDecoder();
    const body = Buffer.from('5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n');
    expect((await decode(body, decoder, 3)).toString()).toBe('hello world');
    expect(decoder.trailers).toEqual({ 'x-amz-checksum-crc32': 'DUoRhQ==' });
  });

  it('checks the signature of signed trailing headers', async () => {
    const seed = example.seedSignature;
    const first = chunkSignature(example, seed, sha256('hello'));
    const last = chunkSignature(example, first, sha256(''));
    const trailer = trailerSignature(example, last, [['x-amz-checksum-crc32c', 'mnG7TA==']]);
    const body = (signature: string) =>
      Buffer.from(
        `5;chunk-signature=${first}\r\nhello\r\n0;chunk-signature=${last}\r\n` +
          `x-amz-checksum-crc32c:mnG7TA==\r\nx-amz-trailer-signature:${signature}\r\n\r\n`,
      );
    const decoder = new AwsChunkedDecoder(example);
    expect((await decode(body(trailer), decoder)).toString()).toBe('hello');
    expect(decoder.trailers['x-amz-checksum-crc32c']).toBe('mnG7TA==');
    await expect(decode(body(first), new AwsChunkedDecoder(example))).rejects.toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
  });

  it('fails with IncompleteBody when the body ends before its final chunk', async () => {
    const cut = exampleBody().subarray(0, 40_000);
    await expect(decode(cut, new AwsChunkedDecoder(example))).rejects.toMatchObject({
      code: 'IncompleteBody',
      status: 400,
    });
  });

  it('refuses a chunk longer than its declared size and a size that is not hex', async () => {
    await expect(
      decode(Buffer.from('3\r\nabcd\r\n0\r\n\r\n'), new AwsChunkedDecoder()),
    ).rejects.toMatchObject({ code: 'InvalidRequest' });
    await expect(
      decode(Buffer.from('zz\r\nabc\r\n0\r\n\r\n'), new AwsChunkedDecoder()),
    ).rejects.toMatchObject({ code: 'InvalidRequest' });
  });
});
