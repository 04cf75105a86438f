/**
 * S3's conditional requests, as RFC 7232 orders them: `If-Match` (else `If-Unmodified-Since`)
 * failing is 412; then `If-None-Match` (else `If-Modified-Since`) failing is 304 for a read —
 * so `If-Match` that holds beats `If-Unmodified-Since` that does not, and `If-None-Match` that
 * holds beats `If-Modified-Since` that does not, as S3 documents. Dates compare to the second.
 */

export interface Preconditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: Date;
  ifUnmodifiedSince?: Date;
}

export type Verdict = { ok: true } | { ok: false; status: 304 | 412; condition: string };

/** Whether an `If-Match` / `If-None-Match` list (`"a", "b"`, `*`) names the ETag. */
export function etagMatches(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((tag) =>
      tag
        .trim()
        .replace(/^W\//, '')
        .replace(/^"(.*)"$/, '$1'),
    )
    .some((tag) => tag === '*' || tag === etag);
}

/** `etag` without quotes; `lastModified` in ms. */
export function evaluatePreconditions(
  conditions: Preconditions,
  etag: string,
  lastModified: number,
): Verdict {
  const modifiedSecond = Math.floor(lastModified / 1000) * 1000;
  if (conditions.ifMatch !== undefined) {
    if (!etagMatches(conditions.ifMatch, etag)) return { ok: false, status: 412, condition: 'If-Match' };
  } else if (conditions.ifUnmodifiedSince && modifiedSecond > conditions.ifUnmodifiedSince.getTime()) {
    return { ok: false, status: 412, condition: 'If-Unmodified-Since' };
  }
  if (conditions.ifNoneMatch !== undefined) {
    if (etagMatches(conditions.ifNoneMatch, etag))
      return { ok: false, status: 304, condition: 'If-None-Match' };
  } else if (conditions.ifModifiedSince && modifiedSecond <= conditions.ifModifiedSince.getTime()) {
    return { ok: false, status: 304, condition: 'If-Modified-Since' };
  }
  return { ok: true };
}
