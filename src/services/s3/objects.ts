/**
 * Object versions: writing one (its blob already stored), finding one, deleting one. A write
 * commits its row — and demotes or replaces the previous version — in one transaction, after
 * its bytes are on disk, so readers see the old object or the new one, never part of one. What
 * a bucket holds depends on its versioning: without it (or suspended) a key has one `null`
 * version that each write replaces; with it every write and delete adds a version (a delete
 * adds a delete marker). Blobs a change stops naming are released after it commits.
 */
import { randomBytes } from 'node:crypto';
import type * as S3 from '@aws-sdk/client-s3';
import { tagMap } from './bucket-settings.js';
import type { Clock } from '../../engine/clock.js';
import type { Queryable, Store } from '../../storage/store.js';
import { isTransactionConflict, isUniqueViolation } from '../../storage/store.js';
import type { Buckets, Caller } from './buckets.js';
import { ServiceError } from '../../protocol/errors.js';
import { methodNotAllowed, noSuchKey, noSuchVersion, preconditionFailed } from './errors.js';
import type { ObjectChangeKind, ObjectChangeRecorder } from './object-changes.js';
import { nullVersion, objectQueries, type NewObject, type ObjectRow } from './object-tables.js';
import { etagMatches } from './preconditions.js';
import type { BucketRow } from './tables.js';

/** A version to write: everything but where it goes and its version id. */
export type VersionContent = Omit<NewObject, 'bucket_id' | 'object_key' | 'version_id' | 'delete_marker'>;

/** Conditional writes: `If-None-Match: *` (only if absent), `If-Match: <etag>` (only if that one). */
export interface WriteConditions {
  ifNoneMatch?: string;
  ifMatch?: string;
}

export interface Deletion {
  key: string;
  /** The version removed, or the delete marker added. */
  versionId?: string;
  deleteMarker?: boolean;
}

/** S3's version ids: 32 URL-safe characters. */
function newVersionId(): string {
  return randomBytes(24).toString('base64url');
}

/** What a response says of a version's id: nothing in a bucket that never had versioning. */
export function versionIdOf(bucket: BucketRow, row: { version_id: string }): string | undefined {
  return bucket.versioning === null ? undefined : row.version_id;
}

/** Concurrent writers of one key on PostgreSQL: the loser of the unique latest-version index tries again. */
async function retrying<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= 5 || !(isUniqueViolation(err) || isTransactionConflict(err))) throw err;
    }
  }
}

export class Objects {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly buckets: Buckets,
    private readonly releaseBlobs: (hashes: string[]) => Promise<void>,
    private readonly recordChange: ObjectChangeRecorder,
  ) {}

  /**
   * Commits a new latest version of `key`; resolves to it and the bucket it is in. `alongside`
   * runs in the same transaction (CompleteMultipartUpload drops its upload there) and names blobs
   * its changes stopped naming.
   */
  async write(
    caller: Caller,
    bucketName: string,
    key: string,
    content: VersionContent,
    kind: ObjectChangeKind,
    conditions: WriteConditions = {},
    alongside?: (tx: Queryable, bucket: BucketRow) => Promise<string[]>,
  ): Promise<{ bucket: BucketRow; row: ObjectRow }> {
    const { result, released } = await retrying(() =>
      this.store.transaction(async (tx) => {
        const bucket = await this.buckets.require(caller, bucketName, tx);
        const current = await objectQueries.latest(tx, bucket.id, key);
        checkWriteConditions(conditions, key, current);
        const gone = [...(await this.replace(tx, bucket, key)), ...((await alongside?.(tx, bucket)) ?? [])];
        const versionId = bucket.versioning === 'Enabled' ? newVersionId() : nullVersion;
        await objectQueries.insertLatest(tx, {
          ...content,
          bucket_id: bucket.id,
          object_key: key,
          version_id: versionId,
          delete_marker: 0,
        });
        const row = (await objectQueries.latest(tx, bucket.id, key))!;
        await this.recordChange(tx, {
          kind,
          bucket,
          key,
          versionId,
          size: row.size,
          etag: row.etag,
          at: row.last_modified,
        });
        return { result: { bucket, row }, released: gone };
      }),
    );
    await this.releaseBlobs(released);
    return result;
  }

  /**
   * The version a read names (the latest without `versionId`). A key whose latest version is a
   * delete marker is NoSuchKey; naming a delete marker's version is MethodNotAllowed — both
   * saying it is a marker in their headers, as S3 does.
   */
  async find(
    caller: Caller,
    bucketName: string,
    key: string,
    versionId?: string,
  ): Promise<{ bucket: BucketRow; row: ObjectRow }> {
    const bucket = await this.buckets.require(caller, bucketName);
    const row =
      versionId === undefined
        ? await objectQueries.latest(this.store, bucket.id, key)
        : await objectQueries.version(this.store, bucket.id, key, versionId);
    if (!row) throw versionId === undefined ? noSuchKey(key) : noSuchVersion(key, versionId);
    if (row.delete_marker) {
      const error = versionId === undefined ? noSuchKey(key) : methodNotAllowed('GET', 'DeleteMarker');
      Object.assign(error.headers, {
        'x-amz-delete-marker': 'true',
        ...(bucket.versioning === null ? {} : { 'x-amz-version-id': row.version_id }),
      });
      throw error;
    }
    return { bucket, row };
  }

  /** Replaces the tags of a version (the latest without `versionId`); none clears them. */
  async setTags(
    caller: Caller,
    bucketName: string,
    key: string,
    versionId: string | undefined,
    tagSet: readonly S3.Tag[],
  ): Promise<{ bucket: BucketRow; row: ObjectRow }> {
    const tags = tagMap(tagSet, 10);
    const found = await this.find(caller, bucketName, key, versionId);
    const stored = Object.keys(tags).length > 0 ? JSON.stringify(tags) : null;
    await objectQueries.setTags(this.store, found.row.id, stored);
    return found;
  }

  /** Deletes keys (or named versions of them) in one transaction. */
  async delete(
    caller: Caller,
    bucketName: string,
    targets: readonly { key: string; versionId?: string }[],
  ): Promise<{ bucket: BucketRow; deletions: Deletion[] }> {
    const { result, released } = await retrying(() =>
      this.store.transaction(async (tx) => {
        const bucket = await this.buckets.require(caller, bucketName, tx);
        const deletions: Deletion[] = [];
        const gone: string[] = [];
        for (const target of targets) {
          const done =
            target.versionId === undefined
              ? await this.deleteLatest(tx, bucket, target.key, gone)
              : await this.deleteVersion(tx, bucket, target.key, target.versionId, gone);
          deletions.push(done);
        }
        return { result: { bucket, deletions }, released: gone };
      }),
    );
    await this.releaseBlobs(released);
    return result;
  }

  /** Makes room for a new latest version: drops the `null` version unless versioning is on. */
  private async replace(tx: Queryable, bucket: BucketRow, key: string): Promise<string[]> {
    const gone: string[] = [];
    if (bucket.versioning !== 'Enabled') {
      const previous = await objectQueries.version(tx, bucket.id, key, nullVersion);
      if (previous) {
        await objectQueries.deleteRow(tx, previous.id);
        if (previous.blob) gone.push(previous.blob);
      }
    }
    await objectQueries.demoteLatest(tx, bucket.id, key);
    return gone;
  }

  /** DeleteObject without a version: removes the object, or adds a delete marker when versioned. */
  private async deleteLatest(
    tx: Queryable,
    bucket: BucketRow,
    key: string,
    gone: string[],
  ): Promise<Deletion> {
    const at = this.clock.now();
    if (bucket.versioning === null) {
      const row = await objectQueries.latest(tx, bucket.id, key);
      if (!row) return { key };
      await objectQueries.deleteRow(tx, row.id);
      if (row.blob) gone.push(row.blob);
      await this.recordChange(tx, { kind: 'ObjectRemoved:Delete', bucket, key, versionId: nullVersion, at });
      return { key };
    }
    gone.push(...(await this.replace(tx, bucket, key)));
    const versionId = bucket.versioning === 'Enabled' ? newVersionId() : nullVersion;
    await objectQueries.insertLatest(tx, {
      bucket_id: bucket.id,
      object_key: key,
      version_id: versionId,
      delete_marker: 1,
      blob: null,
      size: 0,
      etag: '',
      md5: null,
      last_modified: at,
      headers: '{}',
      metadata: '{}',
      checksum: null,
      parts: null,
      tags: null,
      storage_class: 'STANDARD',
    });
    await this.recordChange(tx, { kind: 'ObjectRemoved:DeleteMarkerCreated', bucket, key, versionId, at });
    return { key, versionId, deleteMarker: true };
  }

  /** DeleteObject of one version: gone for good; the newest left becomes the latest. */
  private async deleteVersion(
    tx: Queryable,
    bucket: BucketRow,
    key: string,
    versionId: string,
    gone: string[],
  ): Promise<Deletion> {
    const row = await objectQueries.version(tx, bucket.id, key, versionId);
    if (!row) return { key, versionId };
    await objectQueries.deleteRow(tx, row.id);
    if (row.blob) gone.push(row.blob);
    if (row.is_latest) {
      const newest = await objectQueries.newest(tx, bucket.id, key);
      if (newest) await objectQueries.promote(tx, newest.id);
    }
    await this.recordChange(tx, {
      kind: 'ObjectRemoved:Delete',
      bucket,
      key,
      versionId,
      at: this.clock.now(),
    });
    return { key, versionId, ...(row.delete_marker ? { deleteMarker: true } : {}) };
  }
}

function checkWriteConditions(
  conditions: WriteConditions,
  key: string,
  current: ObjectRow | undefined,
): void {
  const exists = current !== undefined && !current.delete_marker;
  if (conditions.ifNoneMatch !== undefined) {
    if (conditions.ifNoneMatch.trim() !== '*') {
      throw new ServiceError(
        'NotImplemented',
        'A header you provided implies functionality that is not implemented',
        {
          status: 501,
          fields: { Header: 'If-None-Match' },
        },
      );
    }
    if (exists) throw preconditionFailed('If-None-Match');
  }
  if (conditions.ifMatch !== undefined) {
    if (!exists) throw noSuchKey(key);
    if (!etagMatches(conditions.ifMatch, current.etag)) throw preconditionFailed('If-Match');
  }
}
