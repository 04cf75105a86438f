/**
 * Paging tokens: the key of the last item returned, so a page stays stable while identities or
 * templates come and go. Opaque to callers; a token that does not decode is the caller's error.
 */
export function pageToken(lastKey: string): string {
  return Buffer.from(JSON.stringify({ after: lastKey })).toString('base64url');
}

/** The key to list after, or undefined for a token that is not one of ours. */
export function readPageToken(token: string): string | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    return typeof value.after === 'string' ? value.after : undefined;
  } catch {
    return undefined;
  }
}

/** One page out of `limit + 1` rows fetched: the page, and a token when there is more. */
export function pageOf<T>(rows: readonly T[], limit: number, keyOf: (row: T) => string) {
  const page = rows.slice(0, limit);
  return { page, nextToken: rows.length > limit ? pageToken(keyOf(page[page.length - 1]!)) : undefined };
}
