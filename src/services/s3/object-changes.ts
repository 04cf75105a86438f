/**
 * The one place where an object comes or goes: every operation that creates a version (Put,
 * Copy, CompleteMultipartUpload) or removes one (Delete, delete markers) records it here, in the
 * transaction that commits the change. Event notifications hang off this: a recorder that writes
 * their work items in that same transaction makes every acknowledged change notified, after a
 * crash too.
 */
import type { Queryable } from '../../storage/store.js';
import type { BucketRow } from './tables.js';

export type ObjectChangeKind =
  | 'ObjectCreated:Put'
  | 'ObjectCreated:Copy'
  | 'ObjectCreated:CompleteMultipartUpload'
  | 'ObjectRemoved:Delete'
  | 'ObjectRemoved:DeleteMarkerCreated';

export interface ObjectChange {
  kind: ObjectChangeKind;
  bucket: BucketRow;
  key: string;
  /** `null` for the unversioned version, as S3 reports it. */
  versionId: string;
  size?: number;
  /** Hex, without quotes. */
  etag?: string;
  /** When it happened (Stratus's clock), epoch ms. */
  at: number;
}

/** Records a change inside the transaction that makes it. */
export type ObjectChangeRecorder = (tx: Queryable, change: ObjectChange) => Promise<void>;
