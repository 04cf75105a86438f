/**
 * Bucket versioning (versions, delete markers, suspension, ListObjectVersions), object and bucket
 * tags and CORS configuration, through @aws-sdk/client-s3.
 */
import {
  CreateBucketCommand,
  DeleteBucketCorsCommand,
  DeleteBucketTaggingCommand,
  DeleteObjectCommand,
  DeleteObjectTaggingCommand,
  GetBucketCorsCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutBucketCorsCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  type S3ServiceException,
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

const read = async (Bucket: string, Key: string, VersionId?: string) =>
  (await s3.send(new GetObjectCommand({ Bucket, Key, VersionId }))).Body!.transformToString();

describe('versioning', () => {
  beforeAll(() => s3.send(new CreateBucketCommand({ Bucket: 'versioned' })));

  it('is off until enabled, then keeps every version of a key', async () => {
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'versioned' }))).Status).toBeUndefined();
    const before = await s3.send(new PutObjectCommand({ Bucket: 'versioned', Key: 'doc', Body: 'v0' }));
    expect(before.VersionId).toBeUndefined();
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: 'versioned', VersioningConfiguration: { Status: 'Enabled' } }),
    );
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'versioned' }))).Status).toBe('Enabled');
    const v1 = await s3.send(new PutObjectCommand({ Bucket: 'versioned', Key: 'doc', Body: 'v1' }));
    const v2 = await s3.send(new PutObjectCommand({ Bucket: 'versioned', Key: 'doc', Body: 'v2' }));
    expect(v1.VersionId).toMatch(/^[\w-]{32}$/);
    expect(v2.VersionId).not.toBe(v1.VersionId);
    expect(await read('versioned', 'doc')).toBe('v2');
    expect(await read('versioned', 'doc', v1.VersionId)).toBe('v1');
    expect(await read('versioned', 'doc', 'null')).toBe('v0');
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'versioned', Key: 'doc' }));
    expect(head.VersionId).toBe(v2.VersionId);
  });

  it('deletes with a delete marker that hides the key until the marker goes', async () => {
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: 'versioned', Key: 'doc' }));
    expect(deleted.DeleteMarker).toBe(true);
    const hidden = await failure(s3.send(new GetObjectCommand({ Bucket: 'versioned', Key: 'doc' })));
    expect(hidden).toBeInstanceOf(NoSuchKey);
    expect(hidden.$response?.headers['x-amz-delete-marker']).toBe('true');
    const onMarker = await failure(
      s3.send(new GetObjectCommand({ Bucket: 'versioned', Key: 'doc', VersionId: deleted.VersionId })),
    );
    expect([onMarker.name, onMarker.$metadata.httpStatusCode]).toEqual(['MethodNotAllowed', 405]);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: 'versioned' }))).KeyCount).toBe(0);
    await s3.send(new DeleteObjectCommand({ Bucket: 'versioned', Key: 'doc', VersionId: deleted.VersionId }));
    expect(await read('versioned', 'doc')).toBe('v2');
  });

  it('lists versions and delete markers newest first, page by page', async () => {
    await s3.send(new DeleteObjectCommand({ Bucket: 'versioned', Key: 'doc' }));
    await s3.send(new PutObjectCommand({ Bucket: 'versioned', Key: 'other', Body: 'x' }));
    const all = await s3.send(new ListObjectVersionsCommand({ Bucket: 'versioned' }));
    expect(all.Versions?.map((v) => [v.Key, v.IsLatest])).toEqual([
      ['doc', false],
      ['doc', false],
      ['doc', false],
      ['other', true],
    ]);
    expect(all.Versions?.[2]?.VersionId).toBe('null');
    expect(all.DeleteMarkers?.map((m) => [m.Key, m.IsLatest])).toEqual([['doc', true]]);
    const seen: string[] = [];
    let page = await s3.send(new ListObjectVersionsCommand({ Bucket: 'versioned', MaxKeys: 2 }));
    for (;;) {
      seen.push(
        ...(page.Versions ?? []).map((v) => v.VersionId!),
        ...(page.DeleteMarkers ?? []).map((m) => m.VersionId!),
      );
      if (!page.IsTruncated) break;
      page = await s3.send(
        new ListObjectVersionsCommand({
          Bucket: 'versioned',
          MaxKeys: 2,
          KeyMarker: page.NextKeyMarker,
          VersionIdMarker: page.NextVersionIdMarker,
        }),
      );
    }
    expect(seen.sort()).toEqual(
      [
        ...(all.Versions ?? []).map((v) => v.VersionId!),
        ...(all.DeleteMarkers ?? []).map((m) => m.VersionId!),
      ].sort(),
    );
  });

  it('writes the null version again once suspended, keeping the older versions', async () => {
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: 'versioned',
        VersioningConfiguration: { Status: 'Suspended' },
      }),
    );
    const put = await s3.send(new PutObjectCommand({ Bucket: 'versioned', Key: 'other', Body: 'suspended' }));
    expect(put.VersionId).toBe('null');
    await s3.send(new PutObjectCommand({ Bucket: 'versioned', Key: 'other', Body: 'again' }));
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: 'versioned', Prefix: 'other' }));
    expect(versions.Versions?.map((v) => v.VersionId === 'null')).toEqual([true, false]);
    expect(await read('versioned', 'other')).toBe('again');
  });
});

describe('tags and CORS', () => {
  beforeAll(() => s3.send(new CreateBucketCommand({ Bucket: 'tagged' })));

  it('keeps object tags set on upload or later, and counts them on GET', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: 'tagged', Key: 'a', Body: 'a', Tagging: 'team=blue&tier=1' }),
    );
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: 'tagged', Key: 'a' }))).TagSet).toEqual([
      { Key: 'team', Value: 'blue' },
      { Key: 'tier', Value: '1' },
    ]);
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket: 'tagged',
        Key: 'a',
        Tagging: { TagSet: [{ Key: 'x', Value: 'y' }] },
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: 'tagged', Key: 'a' }));
    expect(got.TagCount).toBe(1);
    await got.Body!.transformToString();
    await s3.send(new DeleteObjectTaggingCommand({ Bucket: 'tagged', Key: 'a' }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: 'tagged', Key: 'a' }))).TagSet).toEqual([]);
    const tooMany = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const refused = await failure(
      s3.send(new PutObjectTaggingCommand({ Bucket: 'tagged', Key: 'a', Tagging: { TagSet: tooMany } })),
    );
    expect([refused.name, refused.message]).toEqual(['InvalidTag', 'Object tags cannot be greater than 10']);
  });

  it('keeps bucket tags, answering NoSuchTagSet when there are none', async () => {
    const none = await failure(s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged' })));
    expect([none.name, none.message, none.$metadata.httpStatusCode]).toEqual([
      'NoSuchTagSet',
      'The TagSet does not exist',
      404,
    ]);
    await s3.send(
      new PutBucketTaggingCommand({
        Bucket: 'tagged',
        Tagging: { TagSet: [{ Key: 'cost', Value: 'shared' }] },
      }),
    );
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged' }))).TagSet).toEqual([
      { Key: 'cost', Value: 'shared' },
    ]);
    await s3.send(new DeleteBucketTaggingCommand({ Bucket: 'tagged' }));
    expect((await failure(s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged' })))).name).toBe(
      'NoSuchTagSet',
    );
  });

  it('keeps CORS rules, refusing methods S3 does not know', async () => {
    const none = await failure(s3.send(new GetBucketCorsCommand({ Bucket: 'tagged' })));
    expect([none.name, none.message]).toEqual([
      'NoSuchCORSConfiguration',
      'The CORS configuration does not exist',
    ]);
    const rule = {
      AllowedOrigins: ['https://app.example.com'],
      AllowedMethods: ['GET', 'PUT'],
      AllowedHeaders: ['*'],
      ExposeHeaders: ['ETag'],
      MaxAgeSeconds: 600,
    };
    await s3.send(new PutBucketCorsCommand({ Bucket: 'tagged', CORSConfiguration: { CORSRules: [rule] } }));
    expect((await s3.send(new GetBucketCorsCommand({ Bucket: 'tagged' }))).CORSRules).toEqual([rule]);
    const bad = await failure(
      s3.send(
        new PutBucketCorsCommand({
          Bucket: 'tagged',
          CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['PATCH'] }] },
        }),
      ),
    );
    expect([bad.name, bad.message]).toEqual([
      'InvalidRequest',
      'Found unsupported HTTP method in CORS config. Unsupported method is PATCH',
    ]);
    await s3.send(new DeleteBucketCorsCommand({ Bucket: 'tagged' }));
    expect((await failure(s3.send(new GetBucketCorsCommand({ Bucket: 'tagged' })))).name).toBe(
      'NoSuchCORSConfiguration',
    );
  });
});
