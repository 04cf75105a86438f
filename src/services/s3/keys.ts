/**
 * Object keys on the wire: their limit (1 024 bytes of UTF-8), their form in listings asked for
 * with `encoding-type=url`, and the continuation tokens that resume a listing.
 */
import { invalidArgument, keyTooLong } from './errors.js';
import type { Resume } from './listing.js';

export const maxKeyBytes = 1024;

export function checkKey(key: string): void {
  const size = Buffer.byteLength(key, 'utf8');
  if (size > maxKeyBytes) throw keyTooLong(size);
}

/**
 * A key as S3 writes it under `encoding-type=url`: percent-encoded as a form would be (a space
 * is `+`), `/` left as it is. What Python's `unquote_plus` (the CLI's decoder) reads back.
 */
export function urlEncodeKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** An opaque token naming where the next page of a listing starts. */
export function continuationToken(resume: Resume): string {
  const body = 'after' in resume ? { a: resume.after } : { p: resume.pastPrefix };
  return Buffer.from(JSON.stringify(body)).toString('base64');
}

export function resumeFromToken(token: string): Resume {
  try {
    const body = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { a?: unknown; p?: unknown };
    if (typeof body.a === 'string') return { after: body.a };
    if (typeof body.p === 'string') return { pastPrefix: body.p };
  } catch {
    // not a token of ours: answered below
  }
  throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
}
