import { describe, expect, it } from 'vitest';
import { evaluatePreconditions, etagMatches } from './preconditions.js';
import { parseRange } from './ranges.js';

const etag = '5d41402abc4b2a76b9719d911017c592';
const modified = Date.UTC(2025, 0, 1, 12, 0, 0, 500);
const before = new Date(Date.UTC(2025, 0, 1, 11, 0, 0));
const sameSecond = new Date(Date.UTC(2025, 0, 1, 12, 0, 0));

describe('conditional reads', () => {
  it('matches quoted, unquoted, listed, weak and wildcard ETags', () => {
    expect(etagMatches(`"${etag}"`, etag)).toBe(true);
    expect(etagMatches(`"other", ${etag}`, etag)).toBe(true);
    expect(etagMatches(`W/"${etag}"`, etag)).toBe(true);
    expect(etagMatches('*', etag)).toBe(true);
    expect(etagMatches('"other"', etag)).toBe(false);
  });

  it('fails If-Match with 412 and If-None-Match with 304', () => {
    expect(evaluatePreconditions({ ifMatch: '"other"' }, etag, modified)).toEqual({
      ok: false,
      status: 412,
      condition: 'If-Match',
    });
    expect(evaluatePreconditions({ ifNoneMatch: `"${etag}"` }, etag, modified)).toMatchObject({
      status: 304,
    });
  });

  it('compares dates to the second', () => {
    expect(evaluatePreconditions({ ifModifiedSince: sameSecond }, etag, modified)).toMatchObject({
      status: 304,
    });
    expect(evaluatePreconditions({ ifModifiedSince: before }, etag, modified)).toEqual({ ok: true });
    expect(evaluatePreconditions({ ifUnmodifiedSince: before }, etag, modified)).toMatchObject({
      status: 412,
      condition: 'If-Unmodified-Since',
    });
    expect(evaluatePreconditions({ ifUnmodifiedSince: sameSecond }, etag, modified)).toEqual({ ok: true });
  });

  it('lets If-Match that holds win over If-Unmodified-Since that does not (200)', () => {
    expect(evaluatePreconditions({ ifMatch: etag, ifUnmodifiedSince: before }, etag, modified)).toEqual({
      ok: true,
    });
  });

  it('lets If-None-Match that fails win over If-Modified-Since that holds (304)', () => {
    expect(
      evaluatePreconditions({ ifNoneMatch: etag, ifModifiedSince: before }, etag, modified),
    ).toMatchObject({
      status: 304,
    });
  });
});

describe('byte ranges', () => {
  it('reads first-last, open-ended and suffix ranges, clipped to the object', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-200', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=50-', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
  });

  it('ignores what S3 ignores: other units, several ranges, reversed bounds', () => {
    expect(parseRange(undefined, 100)).toBeUndefined();
    expect(parseRange('items=0-1', 100)).toBeUndefined();
    expect(parseRange('bytes=0-1,5-6', 100)).toBeUndefined();
    expect(parseRange('bytes=9-1', 100)).toBeUndefined();
  });

  it('answers InvalidRange (416) past the end and for an empty object', () => {
    expect(() => parseRange('bytes=100-', 100)).toThrow(
      expect.objectContaining({
        code: 'InvalidRange',
        status: 416,
        fields: { RangeRequested: 'bytes=100-', ActualObjectSize: 100 },
      }),
    );
    expect(() => parseRange('bytes=0-', 0)).toThrow(expect.objectContaining({ code: 'InvalidRange' }));
    expect(() => parseRange('bytes=-0', 100)).toThrow(expect.objectContaining({ code: 'InvalidRange' }));
  });
});
