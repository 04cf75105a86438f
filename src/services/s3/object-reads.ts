/** What GetObject and HeadObject answer: conditions, ranges and parts, and the object's headers. */
import type * as S3 from '@aws-sdk/client-s3';
import { httpStatus } from '../../protocol/wire.js';
import { InvalidRequest, notModified, preconditionFailed } from './errors.js';
import type { ObjectRow } from './object-tables.js';
import { evaluatePreconditions } from './preconditions.js';
import { parseRange, partRange, type ByteRange } from './ranges.js';
import { objectHeaders, quoted, type ResponseOverrides } from './responses.js';
import type { BucketRow } from './tables.js';

export type ReadInput = S3.HeadObjectRequest & ResponseOverrides;

/**
 * What GET and HEAD answer of a version, and the bytes a GET sends: all of them (200), or a
 * `Range` or `partNumber`'s (206). The object's full checksum only goes with all of its bytes.
 */
export function readHeaders(
  input: ReadInput,
  bucket: BucketRow,
  row: ObjectRow,
): { headers: S3.HeadObjectOutput; range?: ByteRange } {
  checkPreconditions(input, row);
  if (input.Range !== undefined && input.PartNumber !== undefined) {
    throw new InvalidRequest('Cannot specify both Range header and partNumber query parameter');
  }
  const parts = row.parts === null ? null : (JSON.parse(row.parts) as number[]);
  const selected =
    input.PartNumber !== undefined
      ? partRange(input.PartNumber, row.size, parts)
      : { range: parseRange(input.Range, row.size), count: undefined };
  const { range } = selected;
  const headers = objectHeaders(bucket, row, input, input.ChecksumMode === 'ENABLED' && !range);
  if (selected.count !== undefined && parts !== null) headers.PartsCount = selected.count;
  if (!range) return { headers };
  const ranged = {
    ...headers,
    ContentLength: range.end - range.start + 1,
    ContentRange: `bytes ${range.start}-${range.end}/${row.size}`,
    [httpStatus]: 206,
  };
  return { headers: ranged, range };
}

/** GET and HEAD conditions: 412, or 304 with the object's validators. */
function checkPreconditions(
  input: { IfMatch?: string; IfNoneMatch?: string; IfModifiedSince?: Date; IfUnmodifiedSince?: Date },
  row: { etag: string; last_modified: number },
): void {
  const verdict = evaluatePreconditions(
    {
      ifMatch: input.IfMatch,
      ifNoneMatch: input.IfNoneMatch,
      ifModifiedSince: input.IfModifiedSince,
      ifUnmodifiedSince: input.IfUnmodifiedSince,
    },
    row.etag,
    row.last_modified,
  );
  if (verdict.ok) return;
  if (verdict.status === 412) throw preconditionFailed(verdict.condition);
  throw notModified({ etag: quoted(row.etag), 'last-modified': new Date(row.last_modified).toUTCString() });
}
