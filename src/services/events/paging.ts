/**
 * List paging: a page holds up to `Limit` items (100 when not given) in name order, and the next
 * token names the last item of the page, so a listing walks on however items come and go.
 */
import { invalidParameter } from './errors.js';

export const defaultPageSize = 100;

export const nextToken = (lastKey: string) => Buffer.from(lastKey).toString('base64url');

/** The key a NextToken continues after; '' for the first page. */
export function afterToken(token: string | undefined): string {
  if (token === undefined) return '';
  const key = Buffer.from(token, 'base64url').toString('utf8');
  if (!key || nextToken(key) !== token) throw invalidParameter('NextToken');
  return key;
}

/** A page of rows fetched with one extra (`limit + 1`), and the token for the next one. */
export function page<T>(
  rows: readonly T[],
  limit: number,
  key: (row: T) => string,
): { items: T[]; NextToken?: string } {
  const items = rows.slice(0, limit);
  return rows.length > limit ? { items, NextToken: nextToken(key(items.at(-1)!)) } : { items };
}
