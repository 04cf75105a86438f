import { describe, expect, it } from 'vitest';
import { compareKeys, listKeys, pastPrefix, type ListRequest } from './listing.js';
import { continuationToken, resumeFromToken, urlEncodeKey } from './keys.js';

interface Row {
  key: string;
  marker?: boolean;
}

/** A sorted in-memory table that counts the rows each listing reads. */
function table(keys: (string | Row)[]) {
  const rows = keys
    .map((k) => (typeof k === 'string' ? { key: k } : k))
    .sort((a, b) => compareKeys(a.key, b.key));
  const reads = { rows: 0, fetches: 0 };
  const fetch = async (from: string, inclusive: boolean, limit: number) => {
    const start = rows.findIndex((r) =>
      inclusive ? compareKeys(r.key, from) >= 0 : compareKeys(r.key, from) > 0,
    );
    const batch = start === -1 ? [] : rows.slice(start, start + limit);
    reads.rows += batch.length;
    reads.fetches++;
    return batch;
  };
  const list = (request: Partial<ListRequest>) =>
    listKeys(
      fetch,
      (r) => r.key,
      (r) => r.marker === true,
      { prefix: '', maxKeys: 1000, ...request },
    );
  return { list, reads };
}

describe('listing keys', () => {
  it('lists in UTF-8 byte order, not JavaScript string order', async () => {
    // U+FF5E sorts before U+1F600 as UTF-16 units would not.
    const { list } = table(['\u{1F600}', '\uFF5E', 'a', 'Z']);
    const page = await list({});
    expect(page.contents.map((r) => r.key)).toEqual(['Z', 'a', '\uFF5E', '\u{1F600}']);
  });

  it('rolls keys up into common prefixes by the delimiter after the prefix', async () => {
    const { list } = table([
      'photos/2023/a.png',
      'photos/2024/b.png',
      'photos/2024/c.png',
      'photos/d.png',
      'x',
    ]);
    const page = await list({ prefix: 'photos/', delimiter: '/' });
    expect(page.commonPrefixes).toEqual(['photos/2023/', 'photos/2024/']);
    expect(page.contents.map((r) => r.key)).toEqual(['photos/d.png']);
    expect(page.truncated).toBe(false);
  });

  it('pages by maxKeys, a common prefix counting as one entry, and resumes where it stopped', async () => {
    const { list } = table(['a/1', 'a/2', 'b', 'c/1', 'd']);
    const first = await list({ delimiter: '/', maxKeys: 2 });
    expect([first.commonPrefixes, first.contents.map((r) => r.key), first.truncated]).toEqual([
      ['a/'],
      ['b'],
      true,
    ]);
    const second = await list({ delimiter: '/', maxKeys: 2, resume: first.next });
    expect([second.commonPrefixes, second.contents.map((r) => r.key), second.truncated]).toEqual([
      ['c/'],
      ['d'],
      false,
    ]);
  });

  it('resumes past a whole common prefix when a page ended on one', async () => {
    const { list } = table(['a/1', 'a/2', 'a/3', 'b']);
    const first = await list({ delimiter: '/', maxKeys: 1 });
    expect(first.next).toEqual({ pastPrefix: 'a/' });
    const second = await list({ delimiter: '/', maxKeys: 1, resume: first.next });
    expect(second.contents.map((r) => r.key)).toEqual(['b']);
  });

  it('skips delete markers without counting them', async () => {
    const { list } = table(['a', { key: 'b', marker: true }, 'c']);
    const page = await list({ maxKeys: 2 });
    expect(page.contents.map((r) => r.key)).toEqual(['a', 'c']);
    expect(page.truncated).toBe(false);
  });

  it('jumps past the rest of a large common prefix instead of reading it', async () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `big/${String(i).padStart(5, '0')}`);
    const { list, reads } = table([...keys, 'other/1', 'z']);
    const page = await list({ delimiter: '/' });
    expect(page.commonPrefixes).toEqual(['big/', 'other/']);
    expect(page.contents.map((r) => r.key)).toEqual(['z']);
    expect(reads.rows).toBeLessThan(1_100);
  });

  it('starts after a key but never before the prefix', async () => {
    const { list } = table(['a', 'b/1', 'b/2', 'c']);
    expect((await list({ prefix: 'b/', resume: { after: 'a' } })).contents.map((r) => r.key)).toEqual([
      'b/1',
      'b/2',
    ]);
    expect((await list({ prefix: 'b/', resume: { after: 'b/1' } })).contents.map((r) => r.key)).toEqual([
      'b/2',
    ]);
  });

  it('finds the smallest string after every key with a prefix', () => {
    expect(pastPrefix('photos/')).toBe('photos0');
    expect(pastPrefix('a\u{10ffff}')).toBe('b');
    expect(pastPrefix('\uD7FF')).toBe('\uE000');
  });
});

describe('keys on the wire', () => {
  it('url-encodes keys as a form would, keeping slashes', () => {
    expect(urlEncodeKey('my photos/a+b%c.png')).toBe('my+photos/a%2Bb%25c.png');
    expect(urlEncodeKey("it's (1)*")).toBe('it%27s+%281%29%2A');
    expect(urlEncodeKey('日本/ü')).toBe('%E6%97%A5%E6%9C%AC/%C3%BC');
  });

  it('round-trips continuation tokens and refuses foreign ones', () => {
    expect(resumeFromToken(continuationToken({ after: 'a/b c' }))).toEqual({ after: 'a/b c' });
    expect(resumeFromToken(continuationToken({ pastPrefix: 'a/' }))).toEqual({ pastPrefix: 'a/' });
    expect(() => resumeFromToken('bogus')).toThrow(expect.objectContaining({ code: 'InvalidArgument' }));
  });
});
