/**
 * S3 buckets and objects through @aws-sdk/client-s3 (path-style, as `forcePathStyle: true` sends
 * them) against a started Stratus: what S3 answers, and its errors.
 */
import type { S3ServiceException } from '@aws-sdk/client-s3';
import {
  BucketAlreadyExists,
  BucketAlreadyOwnedByYou,
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  NoSuchBucket,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStratus, type TestStratus } from './support/stratus.js';

let stratus: TestStratus;
let s3: S3Client;

beforeAll(async () => {
  stratus = await startTestStratus();
  s3 = new S3Client({ ...stratus.clientConfig, forcePathStyle: true });
});
afterAll(async () => {
  s3?.destroy();
  await stratus?.close();
});

async function failure(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (err) {
    return err as S3ServiceException;
  }
  throw new Error('expected the call to fail');
}

const text = async (key: string, bucket = 'objects') =>
  (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();

describe('buckets', () => {
  it('creates, heads, locates, lists and deletes a bucket', async () => {
    expect((await s3.send(new CreateBucketCommand({ Bucket: 'life-cycle' }))).Location).toBe('/life-cycle');
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'life-cycle' }));
    expect(head.BucketRegion).toBe('us-east-1');
    expect(
      (await s3.send(new GetBucketLocationCommand({ Bucket: 'life-cycle' }))).LocationConstraint,
    ).toBeUndefined();
    const listed = await s3.send(new ListBucketsCommand({}));
    expect(listed.Buckets?.map((b) => b.Name)).toContain('life-cycle');
    expect(listed.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    await s3.send(new DeleteBucketCommand({ Bucket: 'life-cycle' }));
    expect(await failure(s3.send(new HeadBucketCommand({ Bucket: 'life-cycle' })))).toBeInstanceOf(NotFound);
  });

  it('keeps a bucket in the region its LocationConstraint names', async () => {
    await s3.send(
      new CreateBucketCommand({
        Bucket: 'in-ireland',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'in-ireland' }))).LocationConstraint).toBe(
      'eu-west-1',
    );
    // The SDK names its own region as the constraint; a regional endpoint takes no other.
    const regional = new S3Client({ ...stratus.clientConfig, region: 'eu-west-1', forcePathStyle: true });
    await regional.send(new CreateBucketCommand({ Bucket: 'sdk-constraint' }));
    expect((await s3.send(new HeadBucketCommand({ Bucket: 'sdk-constraint' }))).BucketRegion).toBe(
      'eu-west-1',
    );
    const error = await failure(
      regional.send(
        new CreateBucketCommand({
          Bucket: 'elsewhere',
          CreateBucketConfiguration: { LocationConstraint: 'us-west-2' },
        }),
      ),
    );
    expect(error.name).toBe('IllegalLocationConstraintException');
    expect(error.message).toBe(
      'The us-west-2 location constraint is incompatible for the region specific endpoint this request was sent to.',
    );
    regional.destroy();
  });

  it('answers S3’s errors for names, owners and non-empty buckets', async () => {
    const invalid = await failure(s3.send(new CreateBucketCommand({ Bucket: 'Not_Valid' })));
    expect([invalid.name, invalid.message]).toEqual([
      'InvalidBucketName',
      'The specified bucket is not valid.',
    ]);
    await s3.send(new CreateBucketCommand({ Bucket: 'owned' }));
    // us-east-1 keeps the legacy answer: creating a bucket you own succeeds again.
    await s3.send(new CreateBucketCommand({ Bucket: 'owned' }));
    const ireland = new S3Client({ ...stratus.clientConfig, region: 'eu-west-1', forcePathStyle: true });
    expect(
      await failure(
        ireland.send(
          new CreateBucketCommand({
            Bucket: 'owned',
            CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
          }),
        ),
      ),
    ).toBeInstanceOf(BucketAlreadyOwnedByYou);
    ireland.destroy();
    const stranger = new S3Client({
      ...stratus.clientConfig,
      credentials: { accessKeyId: '111111111111', secretAccessKey: 'x' },
      forcePathStyle: true,
    });
    expect(await failure(stranger.send(new CreateBucketCommand({ Bucket: 'owned' })))).toBeInstanceOf(
      BucketAlreadyExists,
    );
    const denied = await failure(stranger.send(new ListObjectsV2Command({ Bucket: 'owned' })));
    expect([denied.name, denied.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
    stranger.destroy();
    await s3.send(new PutObjectCommand({ Bucket: 'owned', Key: 'x', Body: 'x' }));
    const notEmpty = await failure(s3.send(new DeleteBucketCommand({ Bucket: 'owned' })));
    expect([notEmpty.name, notEmpty.message, notEmpty.$metadata.httpStatusCode]).toEqual([
      'BucketNotEmpty',
      'The bucket you tried to delete is not empty',
      409,
    ]);
    const missing = await failure(s3.send(new DeleteBucketCommand({ Bucket: 'never-made' })));
    expect(missing).toBeInstanceOf(NoSuchBucket);
    expect(missing.message).toBe('The specified bucket does not exist');
  });

  it('pages ListBuckets by prefix and MaxBuckets', async () => {
    for (const name of ['page-a', 'page-b', 'page-c'])
      await s3.send(new CreateBucketCommand({ Bucket: name }));
    const first = await s3.send(new ListBucketsCommand({ Prefix: 'page-', MaxBuckets: 2 }));
    expect(first.Buckets?.map((b) => b.Name)).toEqual(['page-a', 'page-b']);
    const second = await s3.send(
      new ListBucketsCommand({ Prefix: 'page-', MaxBuckets: 2, ContinuationToken: first.ContinuationToken }),
    );
    expect(second.Buckets?.map((b) => b.Name)).toEqual(['page-c']);
    expect(second.ContinuationToken).toBeUndefined();
  });
});

describe('objects', () => {
  beforeAll(() => s3.send(new CreateBucketCommand({ Bucket: 'objects' })));

  it('stores bytes, content headers and metadata, and answers the MD5 ETag', async () => {
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: 'objects',
        Key: 'docs/hello.txt',
        Body: 'hello world',
        ContentType: 'text/plain',
        ContentDisposition: 'inline',
        CacheControl: 'max-age=60',
        Metadata: { author: 'ada' },
      }),
    );
    expect(put.ETag).toBe('"5eb63bbbe01eeed093cb22bb8f5acdc3"');
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'docs/hello.txt' }));
    expect(await got.Body!.transformToString()).toBe('hello world');
    expect(got).toMatchObject({
      ContentType: 'text/plain',
      ContentDisposition: 'inline',
      CacheControl: 'max-age=60',
      ContentLength: 11,
      ETag: put.ETag,
      Metadata: { author: 'ada' },
      AcceptRanges: 'bytes',
    });
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'docs/hello.txt' }));
    expect([head.ContentLength, head.ETag, head.ContentType]).toEqual([11, put.ETag, 'text/plain']);
  });

  it('round-trips keys with any Unicode, spaces, +, %, // and 1 024 bytes', async () => {
    const keys = [
      'spaces and+plus%percent.txt',
      'double//slash/',
      '日本語/ファイル.txt',
      'emoji-😀-ü',
      'a'.repeat(1024),
      '/leading',
    ];
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: key, Body: key }));
    for (const key of keys) expect(await text(key)).toBe(key);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'objects' }));
    for (const key of keys) expect(listed.Contents?.map((c) => c.Key)).toContain(key);
    const tooLong = await failure(
      s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'a'.repeat(1025), Body: 'x' })),
    );
    expect([tooLong.name, tooLong.message]).toEqual(['KeyTooLongError', 'Your key is too long']);
  });

  it('serves single byte ranges with 206 and answers InvalidRange past the end', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'digits', Body: '0123456789' }));
    const part = await s3.send(
      new GetObjectCommand({ Bucket: 'objects', Key: 'digits', Range: 'bytes=2-5' }),
    );
    expect(part.$metadata.httpStatusCode).toBe(206);
    expect([part.ContentRange, part.ContentLength, await part.Body!.transformToString()]).toEqual([
      'bytes 2-5/10',
      4,
      '2345',
    ]);
    const tail = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'digits', Range: 'bytes=-3' }));
    expect(await tail.Body!.transformToString()).toBe('789');
    const invalid = await failure(
      s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'digits', Range: 'bytes=10-' })),
    );
    expect([invalid.name, invalid.$metadata.httpStatusCode, invalid.message]).toEqual([
      'InvalidRange',
      416,
      'The requested range is not satisfiable',
    ]);
  });

  it('answers conditional reads with 304 and 412 as S3 does', async () => {
    const { ETag, LastModified } = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'digits' }));
    const read = (conditions: object) =>
      failure(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'digits', ...conditions })));
    expect((await read({ IfNoneMatch: ETag })).$metadata.httpStatusCode).toBe(304);
    expect((await read({ IfModifiedSince: LastModified })).$metadata.httpStatusCode).toBe(304);
    const failed = await read({ IfMatch: '"not-it"' });
    expect([failed.name, failed.$metadata.httpStatusCode, failed.message]).toEqual([
      'PreconditionFailed',
      412,
      'At least one of the pre-conditions you specified did not hold',
    ]);
    expect((await read({ IfUnmodifiedSince: new Date(0) })).$metadata.httpStatusCode).toBe(412);
    const matched = await s3.send(
      new GetObjectCommand({
        Bucket: 'objects',
        Key: 'digits',
        IfMatch: ETag,
        IfUnmodifiedSince: new Date(0),
      }),
    );
    expect(await matched.Body!.transformToString()).toBe('0123456789');
  });

  it('overrides response headers with response-* parameters', async () => {
    const got = await s3.send(
      new GetObjectCommand({
        Bucket: 'objects',
        Key: 'digits',
        ResponseContentType: 'application/json',
        ResponseContentDisposition: 'attachment; filename="d.json"',
      }),
    );
    expect([got.ContentType, got.ContentDisposition]).toEqual([
      'application/json',
      'attachment; filename="d.json"',
    ]);
    await got.Body!.transformToString();
  });

  it('writes only if absent with If-None-Match: *', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'once', Body: 'first', IfNoneMatch: '*' }));
    const again = await failure(
      s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'once', Body: 'second', IfNoneMatch: '*' })),
    );
    expect([again.name, again.$metadata.httpStatusCode]).toEqual(['PreconditionFailed', 412]);
    expect(await text('once')).toBe('first');
  });

  it('copies with the metadata directive, and refuses a copy onto itself that changes nothing', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket: 'objects',
        Key: 'original',
        Body: 'copy me',
        Metadata: { v: '1' },
        ContentType: 'text/x',
      }),
    );
    await s3.send(
      new CopyObjectCommand({ Bucket: 'objects', Key: 'copied', CopySource: 'objects/original' }),
    );
    const copied = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'copied' }));
    expect([copied.Metadata, copied.ContentType]).toEqual([{ v: '1' }, 'text/x']);
    const itself = await failure(
      s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'original', CopySource: 'objects/original' })),
    );
    expect(itself.name).toBe('InvalidRequest');
    expect(itself.message).toMatch(
      /^This copy request is illegal because it is trying to copy an object to itself/,
    );
    await s3.send(
      new CopyObjectCommand({
        Bucket: 'objects',
        Key: 'original',
        CopySource: 'objects/original',
        MetadataDirective: 'REPLACE',
        Metadata: { v: '2' },
        ContentType: 'text/y',
      }),
    );
    const replaced = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'original' }));
    expect([replaced.Metadata, replaced.ContentType]).toEqual([{ v: '2' }, 'text/y']);
    expect(await text('original')).toBe('copy me');
    const missing = await failure(
      s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'x', CopySource: 'objects/not-there' })),
    );
    expect(missing).toBeInstanceOf(NoSuchKey);
  });

  it('deletes one object, and many at once (Quiet reports only errors)', async () => {
    for (const key of ['d1', 'd2', 'd3'])
      await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: key, Body: key }));
    const one = await s3.send(new DeleteObjectCommand({ Bucket: 'objects', Key: 'd1' }));
    expect(one.$metadata.httpStatusCode).toBe(204);
    const many = await s3.send(
      new DeleteObjectsCommand({
        Bucket: 'objects',
        Delete: { Objects: [{ Key: 'd2' }, { Key: 'never-there' }] },
      }),
    );
    expect(many.Deleted?.map((d) => d.Key)).toEqual(['d2', 'never-there']);
    const quiet = await s3.send(
      new DeleteObjectsCommand({ Bucket: 'objects', Delete: { Objects: [{ Key: 'd3' }], Quiet: true } }),
    );
    expect(quiet.Deleted).toBeUndefined();
    for (const key of ['d1', 'd2', 'd3']) {
      const gone = await failure(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: key })));
      expect(gone).toBeInstanceOf(NoSuchKey);
      expect(gone.message).toBe('The specified key does not exist.');
    }
    expect(await failure(s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'd1' })))).toBeInstanceOf(
      NotFound,
    );
  });
});

describe('listing', () => {
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'listing' }));
    const keys = [
      'a.txt',
      'photos/2023/x.png',
      'photos/2024/y.png',
      'photos/2024/z.png',
      'photos/top.png',
      'z z.txt',
    ];
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: 'listing', Key: key, Body: key }));
  });

  it('rolls keys into CommonPrefixes by delimiter under a prefix', async () => {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'photos/', Delimiter: '/' }),
    );
    expect(page.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['photos/2023/', 'photos/2024/']);
    expect(page.Contents?.map((c) => c.Key)).toEqual(['photos/top.png']);
    expect(page.KeyCount).toBe(3);
    const top = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/' }));
    expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['photos/']);
    expect(top.Contents?.map((c) => c.Key)).toEqual(['a.txt', 'z z.txt']);
  });

  it('pages with continuation tokens, start-after and max-keys', async () => {
    const first = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', MaxKeys: 2 }));
    expect([first.Contents?.map((c) => c.Key), first.IsTruncated]).toEqual([
      ['a.txt', 'photos/2023/x.png'],
      true,
    ]);
    const second = await s3.send(
      new ListObjectsV2Command({
        Bucket: 'listing',
        MaxKeys: 2,
        ContinuationToken: first.NextContinuationToken,
      }),
    );
    expect(second.Contents?.map((c) => c.Key)).toEqual(['photos/2024/y.png', 'photos/2024/z.png']);
    const after = await s3.send(
      new ListObjectsV2Command({ Bucket: 'listing', StartAfter: 'photos/top.png' }),
    );
    expect(after.Contents?.map((c) => c.Key)).toEqual(['z z.txt']);
    const bogus = await failure(
      s3.send(new ListObjectsV2Command({ Bucket: 'listing', ContinuationToken: 'nope' })),
    );
    expect(bogus.name).toBe('InvalidArgument');
  });

  it('URL-encodes keys with EncodingType=url', async () => {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'z', EncodingType: 'url' }),
    );
    expect(page.Contents?.map((c) => c.Key)).toEqual(['z+z.txt']);
  });

  it('lists with ListObjects (V1) markers, NextMarker given with a delimiter', async () => {
    const first = await s3.send(new ListObjectsCommand({ Bucket: 'listing', Delimiter: '/', MaxKeys: 2 }));
    expect([
      first.Contents?.map((c) => c.Key),
      first.CommonPrefixes?.map((p) => p.Prefix),
      first.NextMarker,
    ]).toEqual([['a.txt'], ['photos/'], 'photos/']);
    const second = await s3.send(
      new ListObjectsCommand({ Bucket: 'listing', Delimiter: '/', Marker: first.NextMarker }),
    );
    expect([second.Contents?.map((c) => c.Key), second.IsTruncated]).toEqual([['z z.txt'], false]);
    expect(first.Contents?.[0]?.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lists 10 000 keys in one prefix page by page, and rolls them up in one page', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'many' }));
    const keys = Array.from({ length: 10_000 }, (_, i) => `logs/${String(i).padStart(5, '0')}`);
    for (let i = 0; i < keys.length; i += 100) {
      await Promise.all(
        keys
          .slice(i, i + 100)
          .map((key) => s3.send(new PutObjectCommand({ Bucket: 'many', Key: key, Body: '.' }))),
      );
    }
    const listed: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: 'many', Prefix: 'logs/' })) {
      listed.push(...(page.Contents ?? []).map((c) => c.Key!));
    }
    expect(listed).toEqual(keys);
    const rolled = await s3.send(new ListObjectsV2Command({ Bucket: 'many', Delimiter: '/' }));
    expect([rolled.CommonPrefixes?.map((p) => p.Prefix), rolled.IsTruncated]).toEqual([['logs/'], false]);
  }, 240_000);
});
