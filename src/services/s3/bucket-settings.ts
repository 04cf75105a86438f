/**
 * A bucket's sub-resources kept as documents beside it: versioning (a column, as every write
 * reads it), tags and CORS rules (rows of `s3_bucket_settings`), each checked as S3 checks it.
 */
import type * as S3 from '@aws-sdk/client-s3';
import { ServiceError } from '../../protocol/errors.js';
import type { Store } from '../../storage/store.js';
import type { Buckets, Caller } from './buckets.js';
import { InvalidRequest, malformedXml } from './errors.js';
import { checkTags } from './object-input.js';
import { bucketQueries } from './tables.js';

const noSuchTagSet = (bucket: string) =>
  new ServiceError('NoSuchTagSet', 'The TagSet does not exist', {
    status: 404,
    fields: { BucketName: bucket },
  });

const noSuchCors = (bucket: string) =>
  new ServiceError('NoSuchCORSConfiguration', 'The CORS configuration does not exist', {
    status: 404,
    fields: { BucketName: bucket },
  });

const corsMethods = ['GET', 'PUT', 'HEAD', 'POST', 'DELETE'];

/** A tag set as a map, refusing what S3 refuses (`limit` tags: 10 on objects, 50 on buckets). */
export function tagMap(tagSet: readonly S3.Tag[], limit: number): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const { Key, Value } of tagSet) {
    if (Key! in tags) {
      throw new ServiceError('InvalidTag', 'Cannot provide multiple Tags with the same key', { status: 400 });
    }
    tags[Key!] = Value ?? '';
  }
  checkTags(tags, limit);
  return tags;
}

export function tagSetOf(tags: Record<string, string>): S3.Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export class BucketSettings {
  constructor(
    private readonly store: Store,
    private readonly buckets: Buckets,
  ) {}

  async putVersioning(
    at: Caller,
    bucketName: string,
    configuration: S3.VersioningConfiguration,
  ): Promise<void> {
    const bucket = await this.buckets.require(at, bucketName);
    if (configuration.Status !== 'Enabled' && configuration.Status !== 'Suspended') throw malformedXml();
    await bucketQueries.setVersioning(this.store, bucket.id, configuration.Status);
  }

  async versioning(at: Caller, bucketName: string): Promise<S3.GetBucketVersioningOutput> {
    const bucket = await this.buckets.require(at, bucketName);
    return bucket.versioning === null ? {} : { Status: bucket.versioning as S3.BucketVersioningStatus };
  }

  async putTagging(at: Caller, bucketName: string, tagging: S3.Tagging): Promise<void> {
    const bucket = await this.buckets.require(at, bucketName);
    const tags = tagMap(tagging.TagSet ?? [], 50);
    await bucketQueries.putSetting(this.store, bucket.id, 'tagging', JSON.stringify(tags));
  }

  async tagging(at: Caller, bucketName: string): Promise<S3.GetBucketTaggingOutput> {
    const bucket = await this.buckets.require(at, bucketName);
    const stored = await bucketQueries.setting(this.store, bucket.id, 'tagging');
    if (stored === undefined) throw noSuchTagSet(bucket.name);
    return { TagSet: tagSetOf(JSON.parse(stored) as Record<string, string>) };
  }

  async putCors(at: Caller, bucketName: string, configuration: S3.CORSConfiguration): Promise<void> {
    const bucket = await this.buckets.require(at, bucketName);
    const rules = configuration.CORSRules ?? [];
    if (rules.length === 0 || rules.length > 100) throw malformedXml();
    for (const rule of rules) {
      const unsupported = (rule.AllowedMethods ?? []).find((m) => !corsMethods.includes(m));
      if (unsupported !== undefined) {
        throw new InvalidRequest(
          `Found unsupported HTTP method in CORS config. Unsupported method is ${unsupported}`,
        );
      }
      for (const origin of rule.AllowedOrigins ?? []) {
        if ((origin.match(/\*/g) ?? []).length > 1) {
          throw new InvalidRequest(`AllowedOrigin "${origin}" can not have more than one wildcard.`);
        }
      }
    }
    await bucketQueries.putSetting(this.store, bucket.id, 'cors', JSON.stringify(rules));
  }

  async cors(at: Caller, bucketName: string): Promise<S3.GetBucketCorsOutput> {
    const bucket = await this.buckets.require(at, bucketName);
    const rules = await this.corsRules(bucket.id);
    if (!rules) throw noSuchCors(bucket.name);
    return { CORSRules: rules };
  }

  /** A bucket's CORS rules, if it has any. */
  async corsRules(bucketId: number): Promise<S3.CORSRule[] | undefined> {
    const stored = await bucketQueries.setting(this.store, bucketId, 'cors');
    return stored === undefined ? undefined : (JSON.parse(stored) as S3.CORSRule[]);
  }

  async delete(at: Caller, bucketName: string, kind: 'tagging' | 'cors'): Promise<void> {
    const bucket = await this.buckets.require(at, bucketName);
    await bucketQueries.deleteSetting(this.store, bucket.id, kind);
  }
}
