/**
 * Buckets: names (S3's naming rules, one namespace shared by every account), the region each
 * lives in (`LocationConstraint`, checked against the endpoint's region as S3 checks it),
 * ownership, and deletion only when empty.
 */
import { ServiceError } from '../../protocol/errors.js';
import type { Clock } from '../../engine/clock.js';
import type { Queryable, Store } from '../../storage/store.js';
import { isUniqueViolation } from '../../storage/store.js';
import {
  bucketAlreadyExists,
  bucketAlreadyOwnedByYou,
  bucketNotEmpty,
  illegalLocationConstraint,
  invalidArgument,
  invalidBucketName,
  invalidLocationConstraint,
  noSuchBucket,
} from './errors.js';
import { bucketQueries, type BucketRow } from './tables.js';

/** Who asks: the caller's account and the region its request was signed for. */
export interface Caller {
  accountId: string;
  region: string;
}

const reservedPrefixes = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const reservedSuffixes = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** S3's rules for general purpose bucket names. */
export function isValidBucketName(name: string): boolean {
  return (
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d{1,3}(\.\d{1,3}){3}$/.test(name) &&
    !reservedPrefixes.some((p) => name.startsWith(p)) &&
    !reservedSuffixes.some((s) => name.endsWith(s))
  );
}

const accessDenied = () => new ServiceError('AccessDenied', 'Access Denied', { status: 403 });

export class Buckets {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /**
   * Creates a bucket. The region is the `LocationConstraint`, which a regional endpoint only
   * accepts for its own region (us-east-1's accepts any, and is the default there). Creating a
   * bucket one already owns succeeds in us-east-1, as S3 keeps it for legacy clients.
   */
  async create(caller: Caller, name: string, constraint: string | undefined): Promise<BucketRow> {
    if (!isValidBucketName(name)) throw invalidBucketName(name);
    if (constraint === 'us-east-1') throw invalidLocationConstraint(constraint);
    if (caller.region !== 'us-east-1' && (constraint ?? '') !== caller.region) {
      throw illegalLocationConstraint(constraint);
    }
    const region = constraint === 'EU' ? 'eu-west-1' : (constraint ?? 'us-east-1');
    try {
      await bucketQueries.insert(this.store, {
        name,
        account_id: caller.accountId,
        region,
        created_at: this.clock.now(),
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const existing = await bucketQueries.byName(this.store, name);
      if (existing?.account_id !== caller.accountId) throw bucketAlreadyExists(name);
      if (caller.region !== 'us-east-1') throw bucketAlreadyOwnedByYou(name);
      return existing;
    }
    return (await bucketQueries.byName(this.store, name))!;
  }

  /** The bucket, if it exists and the caller may use it: another account's is AccessDenied. */
  async require(caller: Caller, name: string, db: Queryable = this.store): Promise<BucketRow> {
    const bucket = await bucketQueries.byName(db, name);
    if (!bucket) throw noSuchBucket(name);
    if (bucket.account_id !== caller.accountId) throw accessDenied();
    return bucket;
  }

  /** Deletes an empty bucket; in-progress multipart uploads go with it (`release` their parts). */
  async delete(
    caller: Caller,
    name: string,
    dropUploads: (tx: Queryable, bucketId: number) => Promise<string[]>,
  ): Promise<string[]> {
    return this.store.transaction(async (tx) => {
      const bucket = await this.require(caller, name, tx);
      if (await bucketQueries.hasObjects(tx, bucket.id)) throw bucketNotEmpty(name);
      const orphaned = await dropUploads(tx, bucket.id);
      await bucketQueries.delete(tx, bucket.id);
      return orphaned;
    });
  }

  /** The caller's buckets by name from `prefix`, after the one `token` names, up to `max`. */
  async list(
    caller: Caller,
    prefix: string,
    token: string | undefined,
    max: number,
  ): Promise<{ buckets: BucketRow[]; next?: string }> {
    let after = '';
    if (token !== undefined) {
      after = Buffer.from(token, 'base64').toString('utf8');
      if (!isValidBucketName(after)) {
        throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
      }
    }
    const rows = await bucketQueries.list(this.store, caller.accountId, prefix, after, max + 1);
    const buckets = rows.filter((b) => b.name.startsWith(prefix)).slice(0, max);
    const more = rows.length > max && rows[max]!.name.startsWith(prefix);
    return {
      buckets,
      next: more ? Buffer.from(buckets[buckets.length - 1]!.name).toString('base64') : undefined,
    };
  }
}
