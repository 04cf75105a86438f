/**
 * Multipart uploads through @aws-sdk/client-s3 and @aws-sdk/lib-storage's Upload: parts, the
 * `-N` ETag, part copies, listings, aborts and S3's errors for parts that do not fit.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  NoSuchUpload,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
  type S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const MiB = 1024 * 1024;
let stratus: TestStratus;
let s3: S3Client;

beforeAll(async () => {
  stratus = await startTestStratus();
  s3 = new S3Client({ ...stratus.clientConfig, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'uploads' }));
});
afterAll(async () => {
  s3?.destroy();
  await stratus?.close();
});

const md5 = (data: Buffer) => createHash('md5').update(data).digest();
/** S3's ETag of an object uploaded in these parts. */
const multipartEtag = (parts: Buffer[]) =>
  `"${createHash('md5')
    .update(Buffer.concat(parts.map(md5)))
    .digest('hex')}-${parts.length}"`;

async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (err) {
    return err as S3ServiceException;
  }
  throw new Error('expected the call to fail');
}

async function bytesOf(key: string, extra: object = {}): Promise<Buffer> {
  const got = await s3.send(new GetObjectCommand({ Bucket: 'uploads', Key: key, ...extra }));
  return Buffer.from(await got.Body!.transformToByteArray());
}

async function manualUpload(key: string) {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'uploads', Key: key }));
  const part = async (PartNumber: number, Body: Buffer) =>
    (await s3.send(new UploadPartCommand({ Bucket: 'uploads', Key: key, UploadId, PartNumber, Body }))).ETag!;
  const complete = (Parts: { PartNumber: number; ETag: string }[]) =>
    s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'uploads',
        Key: key,
        UploadId,
        MultipartUpload: { Parts },
      }),
    );
  return { UploadId: UploadId!, part, complete };
}

describe('multipart uploads', () => {
  it('takes a 12 MB lib-storage Upload in parts and answers the -N ETag', async () => {
    const data = randomBytes(12 * MiB + 321);
    const done = await new Upload({
      client: s3,
      params: { Bucket: 'uploads', Key: 'big.bin', Body: data, ContentType: 'application/x-big' },
      partSize: 5 * MiB,
    }).done();
    const parts = [data.subarray(0, 5 * MiB), data.subarray(5 * MiB, 10 * MiB), data.subarray(10 * MiB)];
    expect(done.ETag).toBe(multipartEtag(parts));
    expect((await bytesOf('big.bin')).equals(data)).toBe(true);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'uploads', Key: 'big.bin' }));
    expect([head.ContentLength, head.ContentType, head.ETag]).toEqual([
      data.length,
      'application/x-big',
      done.ETag,
    ]);
  });

  it('serves one part of a multipart object by partNumber, with the part count', async () => {
    const part = await s3.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'big.bin', PartNumber: 2 }));
    expect([part.$metadata.httpStatusCode, part.PartsCount, part.ContentLength, part.ContentRange]).toEqual([
      206,
      3,
      5 * MiB,
      `bytes ${5 * MiB}-${10 * MiB - 1}/${12 * MiB + 321}`,
    ]);
    await part.Body!.transformToByteArray();
    const beyond = await failure(
      s3.send(new HeadObjectCommand({ Bucket: 'uploads', Key: 'big.bin', PartNumber: 4 })),
    );
    expect(beyond.$metadata.httpStatusCode).toBe(416);
  });

  it('completes parts uploaded out of order, replacing a part uploaded twice', async () => {
    const upload = await manualUpload('manual.bin');
    const first = randomBytes(5 * MiB);
    const second = Buffer.from('the last part may be small');
    const etag2 = await upload.part(2, second);
    await upload.part(1, randomBytes(5 * MiB));
    const etag1 = await upload.part(1, first);
    const done = await upload.complete([
      { PartNumber: 1, ETag: etag1 },
      { PartNumber: 2, ETag: etag2 },
    ]);
    expect(done.ETag).toBe(multipartEtag([first, second]));
    expect(done.Location).toBe(`${stratus.url}/uploads/manual.bin`);
    expect((await bytesOf('manual.bin')).equals(Buffer.concat([first, second]))).toBe(true);
    expect(
      await failure(
        s3.send(new ListPartsCommand({ Bucket: 'uploads', Key: 'manual.bin', UploadId: upload.UploadId })),
      ),
    ).toBeInstanceOf(NoSuchUpload);
  });

  it('answers EntityTooSmall, InvalidPart and InvalidPartOrder as S3 does', async () => {
    const upload = await manualUpload('refused.bin');
    const small1 = await upload.part(1, Buffer.from('too small'));
    const small2 = await upload.part(2, Buffer.from('last'));
    const tooSmall = await failure(
      upload.complete([
        { PartNumber: 1, ETag: small1 },
        { PartNumber: 2, ETag: small2 },
      ]),
    );
    expect([tooSmall.name, tooSmall.message, tooSmall.$metadata.httpStatusCode]).toEqual([
      'EntityTooSmall',
      'Your proposed upload is smaller than the minimum allowed size',
      400,
    ]);
    const wrongTag = await failure(
      upload.complete([{ PartNumber: 2, ETag: '"00000000000000000000000000000000"' }]),
    );
    expect(wrongTag.name).toBe('InvalidPart');
    expect(wrongTag.message).toMatch(/^One or more of the specified parts could not be found/);
    const missing = await failure(upload.complete([{ PartNumber: 9, ETag: small1 }]));
    expect(missing.name).toBe('InvalidPart');
    const disordered = await failure(
      upload.complete([
        { PartNumber: 2, ETag: small2 },
        { PartNumber: 1, ETag: small1 },
      ]),
    );
    expect([disordered.name, disordered.message]).toEqual([
      'InvalidPartOrder',
      'The list of parts was not in ascending order. Parts must be ordered by part number.',
    ]);
    const badNumber = await failure(upload.part(10_001, Buffer.from('x')));
    expect(badNumber.name).toBe('InvalidArgument');
  });

  it('lists parts page by page and the uploads in progress', async () => {
    const upload = await manualUpload('listed/one.bin');
    await upload.part(1, Buffer.from('a'));
    await upload.part(2, Buffer.from('bb'));
    const first = await s3.send(
      new ListPartsCommand({
        Bucket: 'uploads',
        Key: 'listed/one.bin',
        UploadId: upload.UploadId,
        MaxParts: 1,
      }),
    );
    expect([first.Parts?.map((p) => [p.PartNumber, p.Size]), first.IsTruncated]).toEqual([[[1, 1]], true]);
    const second = await s3.send(
      new ListPartsCommand({
        Bucket: 'uploads',
        Key: 'listed/one.bin',
        UploadId: upload.UploadId,
        PartNumberMarker: first.NextPartNumberMarker,
      }),
    );
    expect([second.Parts?.map((p) => [p.PartNumber, p.Size]), second.IsTruncated]).toEqual([[[2, 2]], false]);
    await manualUpload('listed/two.bin');
    const all = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'uploads', Prefix: 'listed/' }));
    expect(all.Uploads?.map((u) => u.Key)).toEqual(['listed/one.bin', 'listed/two.bin']);
    const rolled = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'uploads', Delimiter: '/' }));
    expect(rolled.CommonPrefixes?.map((p) => p.Prefix)).toContain('listed/');
  });

  it('aborts an upload: its parts and their bytes are gone', async () => {
    const upload = await manualUpload('aborted.bin');
    const bytes = randomBytes(1000);
    await upload.part(1, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const blob = join(stratus.dataDir, 'blobs', sha256.slice(0, 2), sha256);
    expect(existsSync(blob)).toBe(true);
    await s3.send(
      new AbortMultipartUploadCommand({ Bucket: 'uploads', Key: 'aborted.bin', UploadId: upload.UploadId }),
    );
    expect(existsSync(blob)).toBe(false);
    const gone = await failure(upload.part(2, Buffer.from('late')));
    expect(gone).toBeInstanceOf(NoSuchUpload);
    expect(gone.message).toBe(
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    );
  });

  it('copies byte ranges of an object into parts (UploadPartCopy)', async () => {
    const source = randomBytes(6 * MiB);
    await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'source.bin', Body: source }));
    const upload = await manualUpload('assembled.bin');
    const copy = (PartNumber: number, CopySourceRange: string) =>
      s3.send(
        new UploadPartCopyCommand({
          Bucket: 'uploads',
          Key: 'assembled.bin',
          UploadId: upload.UploadId,
          PartNumber,
          CopySource: 'uploads/source.bin',
          CopySourceRange,
        }),
      );
    const outside = await failure(copy(3, `bytes=0-${6 * MiB}`));
    expect(outside.name).toBe('InvalidArgument');
    const first = await copy(1, `bytes=0-${5 * MiB - 1}`);
    const second = await copy(2, `bytes=${5 * MiB}-${6 * MiB - 1}`);
    await upload.complete([
      { PartNumber: 1, ETag: first.CopyPartResult!.ETag! },
      { PartNumber: 2, ETag: second.CopyPartResult!.ETag! },
    ]);
    expect((await bytesOf('assembled.bin')).equals(source)).toBe(true);
  });

  it('keeps the checksum lib-storage asks for, as S3 composes it from the parts', async () => {
    const data = randomBytes(11 * MiB);
    const done = await new Upload({
      client: s3,
      params: { Bucket: 'uploads', Key: 'summed.bin', Body: data, ChecksumAlgorithm: 'SHA256' },
      partSize: 5 * MiB,
    }).done();
    const partSums = [
      data.subarray(0, 5 * MiB),
      data.subarray(5 * MiB, 10 * MiB),
      data.subarray(10 * MiB),
    ].map((p) => createHash('sha256').update(p).digest());
    const composite = `${createHash('sha256').update(Buffer.concat(partSums)).digest('base64')}-3`;
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: 'uploads', Key: 'summed.bin', ChecksumMode: 'ENABLED' }),
    );
    expect([head.ChecksumSHA256, head.ChecksumType]).toEqual([composite, 'COMPOSITE']);
    expect((done as { ChecksumSHA256?: string }).ChecksumSHA256).toBe(composite);
  });
});
