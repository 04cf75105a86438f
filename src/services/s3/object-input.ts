/**
 * What a write request says about the object beside its bytes: content headers, user metadata
 * (`x-amz-meta-*`, at most 2 KB) and tags (`x-amz-tagging: a=1&b=2`), checked as S3 checks them.
 */
import { ServiceError } from '../../protocol/errors.js';
import { metadataTooLarge } from './errors.js';
import type { ContentHeaders } from './object-tables.js';

export interface ContentHeaderInput {
  ContentType?: string;
  ContentEncoding?: string;
  ContentDisposition?: string;
  ContentLanguage?: string;
  CacheControl?: string;
  Expires?: Date;
  WebsiteRedirectLocation?: string;
}

/** The content headers to keep: `aws-chunked` names how the request was sent, not the object. */
export function contentHeaders(input: ContentHeaderInput): ContentHeaders {
  const encoding = input.ContentEncoding?.split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '' && e !== 'aws-chunked')
    .join(', ');
  return {
    ContentType: input.ContentType,
    ContentEncoding: encoding || undefined,
    ContentDisposition: input.ContentDisposition,
    ContentLanguage: input.ContentLanguage,
    CacheControl: input.CacheControl,
    Expires: input.Expires?.getTime(),
    WebsiteRedirectLocation: input.WebsiteRedirectLocation,
  };
}

const maxMetadataBytes = 2048;

/** User metadata as stored (JSON), refused past S3's 2 KB of keys and values. */
export function userMetadata(metadata: Record<string, string> | undefined): string {
  const entries = metadata ?? {};
  const size = Object.entries(entries).reduce(
    (sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v),
    0,
  );
  if (size > maxMetadataBytes) throw metadataTooLarge(size);
  return JSON.stringify(entries);
}

const InvalidTag = (message: string) => new ServiceError('InvalidTag', message, { status: 400 });

/**
 * Checks a tag set as S3 does: at most 10 tags on an object (50 on a bucket), keys up to 128
 * characters, values up to 256.
 */
export function checkTags(tags: Record<string, string>, limit = 10): void {
  const keys = Object.keys(tags);
  if (keys.length > limit) {
    throw InvalidTag(
      limit === 10
        ? 'Object tags cannot be greater than 10'
        : `Bucket tag count cannot be greater than ${limit}`,
    );
  }
  for (const [key, value] of Object.entries(tags)) {
    if (key.length === 0 || [...key].length > 128)
      throw InvalidTag('The TagKey you have provided is invalid');
    if ([...value].length > 256) throw InvalidTag('The TagValue you have provided is invalid');
  }
}

/** `x-amz-tagging: a=1&b=2` as stored (JSON), or null without tags. */
export function taggingHeader(header: string | undefined): string | null {
  if (!header) return null;
  const tags: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(header)) {
    if (key in tags) throw InvalidTag('Cannot provide multiple Tags with the same key');
    tags[key] = value;
  }
  checkTags(tags);
  return Object.keys(tags).length > 0 ? JSON.stringify(tags) : null;
}
