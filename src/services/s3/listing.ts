/**
 * How S3 lists keys: in UTF-8 byte order, those starting with `prefix`, after a marker, up to
 * `maxKeys` entries, where every key containing `delimiter` past the prefix rolls up into one
 * common prefix (`photos/2024/`), which counts as one entry. Rows come from `fetch` in batches
 * of a range scan; when a batch ends inside a common prefix already listed, the scan jumps past
 * every key it covers (to the smallest string after them), so a prefix of 10 000 keys costs one
 * batch, not ten. Pure: the store is behind `fetch`.
 */

/** Reads up to `limit` rows in key order from `from` (inclusive or not). */
export type KeyFetch<T> = (from: string, inclusive: boolean, limit: number) => Promise<T[]>;

export interface ListRequest {
  prefix: string;
  delimiter?: string;
  /** Where the listing resumes: after this key, or past every key under a common prefix. */
  resume?: Resume;
  maxKeys: number;
}

export type Resume = { after: string } | { pastPrefix: string };

export interface ListPage<T> {
  contents: T[];
  commonPrefixes: string[];
  truncated: boolean;
  /** Where the next page starts, when truncated. */
  next?: Resume;
}

const batchSize = 1000;

/** Compares as S3 orders keys: by their UTF-8 bytes (JavaScript's `<` compares UTF-16 units). */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The smallest string greater than every string that starts with `prefix`. */
export function pastPrefix(prefix: string): string {
  const points = [...prefix].map((c) => c.codePointAt(0)!);
  while (points.length > 0) {
    let last = points.pop()! + 1;
    if (last === 0xd800) last = 0xe000; // surrogates are no characters of their own
    if (last <= 0x10ffff) return String.fromCodePoint(...points, last);
  }
  // Only a prefix made of U+10FFFF alone has no successor: nothing sorts after it.
  return '\u{10ffff}'.repeat(prefix.length + 1);
}

/** The first position to read from, given the prefix and where to resume. */
function startOf(request: ListRequest): { from: string; inclusive: boolean } {
  const resume = request.resume;
  if (!resume) return { from: request.prefix, inclusive: true };
  const [from, inclusive] = 'after' in resume ? [resume.after, false] : [pastPrefix(resume.pastPrefix), true];
  return compareKeys(from, request.prefix) >= 0
    ? { from, inclusive }
    : { from: request.prefix, inclusive: true };
}

export async function listKeys<T>(
  fetch: KeyFetch<T>,
  keyOf: (row: T) => string,
  /** Rows that occupy a key but are not listed (delete markers). */
  hidden: (row: T) => boolean,
  request: ListRequest,
): Promise<ListPage<T>> {
  const page: ListPage<T> = { contents: [], commonPrefixes: [], truncated: false };
  const { prefix, delimiter, maxKeys } = request;
  if (maxKeys === 0) return page;
  let { from, inclusive } = startOf(request);
  let emitted = 0;
  for (;;) {
    const rows = await fetch(from, inclusive, batchSize);
    let skipping: string | undefined;
    for (const row of rows) {
      const key = keyOf(row);
      if (!key.startsWith(prefix)) return page;
      [from, inclusive] = [key, false];
      if (skipping !== undefined && key.startsWith(skipping)) continue;
      skipping = undefined;
      if (hidden(row)) continue;
      const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
      const common = cut === -1 ? undefined : key.slice(0, cut + delimiter!.length);
      if (emitted === maxKeys) {
        page.truncated = true;
        return page;
      }
      emitted++;
      if (common === undefined) {
        page.contents.push(row);
        page.next = { after: key };
      } else {
        page.commonPrefixes.push(common);
        page.next = { pastPrefix: common };
        skipping = common;
      }
    }
    if (rows.length < batchSize) return page;
    // A batch that ended inside a common prefix: jump past the rest of it.
    if (skipping !== undefined) [from, inclusive] = [pastPrefix(skipping), true];
  }
}
