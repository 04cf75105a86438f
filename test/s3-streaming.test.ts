/**
 * Object bodies as they travel: SigV4 `aws-chunked` uploads with per-chunk signatures and with
 * the SDK's trailing checksums, declared SHA-256s, Content-MD5, `Expect: 100-continue`, clients
 * that go away mid-upload, and virtual-hosted requests — with signatures checked
 * (`--require-auth`). No failed upload leaves an object or a stray file behind.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest, Agent } from 'node:http';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { S3ServiceException } from '@aws-sdk/client-s3';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NotFound,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksumOf } from '../src/services/s3/checksums.js';
import { chunkSigningFor, rawRequest, sha256Hex, signedChunks, signHeaders } from './support/s3.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const key = { accessKeyId: 'AKIDSTREAMING', secretAccessKey: 'streaming-secret' };
let stratus: TestStratus;
let s3: S3Client;

beforeAll(async () => {
  stratus = await startTestStratus({
    requireAuth: true,
    credentials: [{ ...key, accountId: '000000000000' }],
  });
  s3 = new S3Client({ ...stratus.clientConfig, credentials: key, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'stream' }));
});
afterAll(async () => {
  s3?.destroy();
  await stratus?.close();
});

const md5Hex = (data: Buffer) => createHash('md5').update(data).digest('hex');

/** An element's text in an XML answer, entities read. */
function xmlText(xml: string, element: string): string | undefined {
  const text = new RegExp(`<${element}>([^<]*)</${element}>`).exec(xml)?.[1];
  return text
    ?.replace(/&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

async function exists(objectKey: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: 'stream', Key: objectKey }));
    return true;
  } catch (err) {
    if (err instanceof NotFound) return false;
    throw err;
  }
}

async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (err) {
    return err as S3ServiceException;
  }
  throw new Error('expected the call to fail');
}

/** A PUT whose body travels in signed chunks; `tamper` alters the encoded body before it is sent. */
async function putSignedChunks(path: string, data: Buffer, tamper?: (body: Buffer) => void) {
  const date = new Date();
  const probe = signedChunks(data, 65536, chunkSigningFor('x', date, '0'.repeat(64)));
  const headers = await signHeaders(
    stratus.url,
    'PUT',
    path,
    {
      'content-encoding': 'aws-chunked',
      'content-length': String(probe.length),
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'x-amz-decoded-content-length': String(data.length),
    },
    key,
    date,
  );
  const seed = /Signature=([0-9a-f]{64})/.exec(headers['authorization']!)![1]!;
  const body = signedChunks(data, 65536, chunkSigningFor(key.secretAccessKey, date, seed));
  tamper?.(body);
  return rawRequest(stratus.url, { method: 'PUT', path, headers, body });
}

describe('streamed uploads', () => {
  it('takes a body sent in signed chunks, each chunk signature checked as it arrives', async () => {
    const data = randomBytes(200_000);
    const response = await putSignedChunks('/stream/chunked.bin', data);
    expect(response.status).toBe(200);
    expect(response.headers.etag).toBe(`"${md5Hex(data)}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'stream', Key: 'chunked.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(data)).toBe(true);
    expect(got.ContentEncoding).toBeUndefined();
  });

  it('refuses a chunk altered in flight with SignatureDoesNotMatch and keeps no object', async () => {
    const data = randomBytes(200_000);
    const response = await putSignedChunks('/stream/tampered.bin', data, (body) => {
      body[100_000] = body[100_000]! ^ 0xff;
    });
    expect(response.status).toBe(403);
    expect(response.body).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(await exists('tampered.bin')).toBe(false);
  });

  it('checks a declared x-amz-content-sha256 against the body: XAmzContentSHA256Mismatch', async () => {
    const headers = await signHeaders(
      stratus.url,
      'PUT',
      '/stream/hashed.txt',
      { 'x-amz-content-sha256': sha256Hex('what was signed'), 'content-length': '13' },
      key,
    );
    const response = await rawRequest(stratus.url, {
      method: 'PUT',
      path: '/stream/hashed.txt',
      headers,
      body: Buffer.from('what was sent'),
    });
    expect(response.status).toBe(400);
    expect(response.body).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
    expect(xmlText(response.body, 'Message')).toBe(
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
    expect(await exists('hashed.txt')).toBe(false);
  });

  it('checks the trailing checksum of an unsigned streaming upload (the SDK default): BadDigest', async () => {
    const data = Buffer.from('trailing checksum');
    const send = async (path: string, crc32: string) => {
      const body = Buffer.from(
        `${data.length.toString(16)}\r\n${data.toString()}\r\n0\r\nx-amz-checksum-crc32:${crc32}\r\n\r\n`,
      );
      const headers = await signHeaders(
        stratus.url,
        'PUT',
        path,
        {
          'content-encoding': 'aws-chunked',
          'content-length': String(body.length),
          'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
          'x-amz-decoded-content-length': String(data.length),
          'x-amz-trailer': 'x-amz-checksum-crc32',
          'x-amz-sdk-checksum-algorithm': 'CRC32',
        },
        key,
      );
      return rawRequest(stratus.url, { method: 'PUT', path, headers, body });
    };
    const wrong = await send('/stream/trailer-wrong.txt', checksumOf('CRC32', Buffer.from('something else')));
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain('<Code>BadDigest</Code>');
    expect(wrong.body).toContain(
      '<Message>The CRC32 you specified did not match the calculated checksum.</Message>',
    );
    expect(await exists('trailer-wrong.txt')).toBe(false);
    const right = await send('/stream/trailer.txt', checksumOf('CRC32', data));
    expect(right.status).toBe(200);
    expect(right.headers['x-amz-checksum-crc32']).toBe(checksumOf('CRC32', data));
    const got = await s3.send(
      new GetObjectCommand({ Bucket: 'stream', Key: 'trailer.txt', ChecksumMode: 'ENABLED' }),
    );
    expect([got.ChecksumCRC32, await got.Body!.transformToString()]).toEqual([
      checksumOf('CRC32', data),
      data.toString(),
    ]);
  });

  it('checks Content-MD5: InvalidDigest for a malformed one, BadDigest for a wrong one', async () => {
    const malformed = await failure(
      s3.send(new PutObjectCommand({ Bucket: 'stream', Key: 'md5', Body: 'x', ContentMD5: 'bad' })),
    );
    expect([malformed.name, malformed.message]).toEqual([
      'InvalidDigest',
      'The Content-MD5 you specified was invalid.',
    ]);
    const wrong = await failure(
      s3.send(
        new PutObjectCommand({
          Bucket: 'stream',
          Key: 'md5',
          Body: 'x',
          ContentMD5: createHash('md5').update('y').digest('base64'),
        }),
      ),
    );
    expect([wrong.name, wrong.message]).toEqual([
      'BadDigest',
      'The Content-MD5 you specified did not match what we received.',
    ]);
    expect(await exists('md5')).toBe(false);
  });

  it('checks the checksum the SDK sends with PutObject', async () => {
    const put = await s3.send(
      new PutObjectCommand({ Bucket: 'stream', Key: 'sha256', Body: 'summed', ChecksumAlgorithm: 'SHA256' }),
    );
    expect(put.ChecksumSHA256).toBe(checksumOf('SHA256', Buffer.from('summed')));
    const wrong = await failure(
      s3.send(
        new PutObjectCommand({ Bucket: 'stream', Key: 'crc', Body: 'summed', ChecksumCRC32C: 'AAAAAA==' }),
      ),
    );
    expect([wrong.name, wrong.message]).toEqual([
      'BadDigest',
      'The CRC32C you specified did not match the calculated checksum.',
    ]);
  });

  it('answers a request signed with the wrong secret with SignatureDoesNotMatch (403)', async () => {
    const wrong = new S3Client({
      ...stratus.clientConfig,
      credentials: { ...key, secretAccessKey: 'nope' },
      forcePathStyle: true,
    });
    const error = await failure(
      wrong.send(new PutObjectCommand({ Bucket: 'stream', Key: 'forged', Body: 'x' })),
    );
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['SignatureDoesNotMatch', 403]);
    wrong.destroy();
    expect(await exists('forged')).toBe(false);
  });

  it('refuses an upload before its body is sent when the client waits for 100 Continue', async () => {
    const body = randomBytes(1_000_000);
    const put = async (path: string) =>
      rawRequest(stratus.url, {
        method: 'PUT',
        path,
        headers: await signHeaders(
          stratus.url,
          'PUT',
          path,
          {
            'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
            'content-length': String(body.length),
            expect: '100-continue',
          },
          key,
        ),
        body,
        awaitContinue: true,
      });
    const refused = await put('/no-such-bucket/file.bin');
    expect([refused.status, refused.continued]).toEqual([404, false]);
    expect(refused.body).toContain('<Code>NoSuchBucket</Code>');
    const taken = await put('/stream/continued.bin');
    expect([taken.status, taken.continued]).toEqual([200, true]);
  });

  it('keeps nothing of an upload whose client goes away mid-body', async () => {
    const path = '/stream/abandoned.bin';
    const headers = await signHeaders(
      stratus.url,
      'PUT',
      path,
      { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-length': String(8_000_000) },
      key,
    );
    const target = new URL(stratus.url);
    const req = httpRequest({ host: target.hostname, port: target.port, method: 'PUT', path, headers });
    req.on('error', () => {});
    req.write(randomBytes(2_000_000));
    await sleep(300);
    req.destroy();
    const temp = join(stratus.dataDir, 'blobs', 'tmp');
    for (let i = 0; i < 50 && readdirSync(temp).length > 0; i++) await sleep(100);
    expect(readdirSync(temp)).toEqual([]);
    expect(await exists('abandoned.bin')).toBe(false);
  });

  it('answers IncompleteBody for an aws-chunked body that ends before its final chunk', async () => {
    const body = Buffer.from('5\r\nhello\r\n');
    const headers = await signHeaders(
      stratus.url,
      'PUT',
      '/stream/cut.txt',
      {
        'content-encoding': 'aws-chunked',
        'content-length': String(body.length),
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-decoded-content-length': '10',
      },
      key,
    );
    const response = await rawRequest(stratus.url, { method: 'PUT', path: '/stream/cut.txt', headers, body });
    expect(response.status).toBe(400);
    expect(response.body).toContain('<Code>IncompleteBody</Code>');
    expect(await exists('cut.txt')).toBe(false);
  });
});

describe('virtual-hosted requests', () => {
  // *.localhost does not resolve everywhere: the client's agent sends every name to loopback.
  const loopback = new Agent({
    lookup: (_host, options, callback) =>
      (options as { all?: boolean }).all
        ? (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
            { address: '127.0.0.1', family: 4 },
          ])
        : (callback as (e: null, a: string, f: number) => void)(null, '127.0.0.1', 4),
  });

  it.each([['s3.localhost'], ['localhost']])('serves a bucket named by the Host under %s', async (domain) => {
    const port = new URL(stratus.url).port;
    const client = new S3Client({
      ...stratus.clientConfig,
      credentials: key,
      endpoint: `http://${domain}:${port}`,
      forcePathStyle: false,
      requestHandler: new NodeHttpHandler({ httpAgent: loopback }),
    });
    await client.send(new PutObjectCommand({ Bucket: 'stream', Key: `virtual/${domain}.txt`, Body: domain }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'stream', Key: `virtual/${domain}.txt` }));
    expect(await got.Body!.transformToString()).toBe(domain);
    const again = await client.send(new GetObjectCommand({ Bucket: 'stream', Key: `virtual/${domain}.txt` }));
    expect(await again.Body!.transformToString()).toBe(domain);
    client.destroy();
  });
});

describe('presigned URLs', () => {
  it('lets anyone holding the URL GET the object, with response-* overrides', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: 'stream', Key: 'shared report.txt', Body: 'for your eyes' }),
    );
    const url = await getSignedUrl(
      s3,
      new GetObjectCommand({
        Bucket: 'stream',
        Key: 'shared report.txt',
        ResponseContentDisposition: 'attachment',
      }),
      { expiresIn: 300 },
    );
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment');
    expect(await response.text()).toBe('for your eyes');
  });

  it('takes a PUT of the URL’s holder', async () => {
    // The SDK's default checksum would pin the URL to an empty body, as on AWS: sign without it.
    const signer = new S3Client({
      ...stratus.clientConfig,
      credentials: key,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    const url = await getSignedUrl(
      signer,
      new PutObjectCommand({ Bucket: 'stream', Key: 'dropbox/upload.txt' }),
      {
        expiresIn: 300,
      },
    );
    signer.destroy();
    const response = await fetch(url, { method: 'PUT', body: 'dropped off' });
    expect(response.status).toBe(200);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'stream', Key: 'dropbox/upload.txt' }));
    expect(await got.Body!.transformToString()).toBe('dropped off');
  });

  it('refuses a URL past its X-Amz-Expires with AccessDenied: Request has expired', async () => {
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'stream', Key: 'shared report.txt' }), {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 3_600_000),
    });
    const response = await fetch(url);
    const body = await response.text();
    expect(response.status).toBe(403);
    expect(xmlText(body, 'Code')).toBe('AccessDenied');
    expect(xmlText(body, 'Message')).toBe('Request has expired');
    expect(xmlText(body, 'X-Amz-Expires')).toBe('60');
  });

  it('refuses a URL whose signature was altered', async () => {
    const url = new URL(
      await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'stream', Key: 'shared report.txt' }), {
        expiresIn: 60,
      }),
    );
    url.searchParams.set('X-Amz-Signature', '0'.repeat(64));
    const response = await fetch(url);
    expect(response.status).toBe(403);
    expect(xmlText(await response.text(), 'Code')).toBe('SignatureDoesNotMatch');
  });
});
