/**
 * CopyObject and UploadPartCopy's source: `x-amz-copy-source: bucket/key[?versionId=…]`
 * (URL-encoded, a leading `/` allowed), and the `x-amz-copy-source-if-*` conditions, every one
 * of which fails with 412 (a copy has no 304).
 */
import { invalidArgument, preconditionFailed } from './errors.js';
import { evaluatePreconditions } from './preconditions.js';
import type { ObjectRow } from './object-tables.js';

export interface CopySource {
  bucket: string;
  key: string;
  versionId?: string;
}

export interface CopySourceConditions {
  CopySourceIfMatch?: string;
  CopySourceIfNoneMatch?: string;
  CopySourceIfModifiedSince?: Date;
  CopySourceIfUnmodifiedSince?: Date;
}

/** The largest object CopyObject copies (bigger ones are copied in parts). */
export const maxCopySourceBytes = 5 * 1024 ** 3;

export function parseCopySource(header: string): CopySource {
  const q = header.indexOf('?');
  const path = q === -1 ? header : header.slice(0, q);
  const versionId =
    q === -1 ? undefined : (new URLSearchParams(header.slice(q + 1)).get('versionId') ?? undefined);
  let decoded: string;
  try {
    decoded = decodeURIComponent(path).replace(/^\//, '');
  } catch {
    decoded = '';
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) {
    throw invalidArgument(
      'Copy Source must mention the source bucket and key: sourcebucket/sourcekey',
      'x-amz-copy-source',
      header,
    );
  }
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), versionId };
}

export function checkCopySourceConditions(conditions: CopySourceConditions, source: ObjectRow): void {
  const verdict = evaluatePreconditions(
    {
      ifMatch: conditions.CopySourceIfMatch,
      ifNoneMatch: conditions.CopySourceIfNoneMatch,
      ifModifiedSince: conditions.CopySourceIfModifiedSince,
      ifUnmodifiedSince: conditions.CopySourceIfUnmodifiedSince,
    },
    source.etag,
    source.last_modified,
  );
  if (!verdict.ok) throw preconditionFailed(`x-amz-copy-source-${verdict.condition}`);
}
