/**
 * Paging tokens. GetLogEvents tokens say a direction and a position between events
 * (`f/<time>/<id>`, `b/<time>/<id>`) as AWS's do (`f/…`, `b/…`); list tokens are opaque.
 */
import type { EventCursor } from './tables.js';
import { InvalidParameterException } from './errors.js';

export type Direction = 'forward' | 'backward';

export function eventToken(direction: Direction, cursor: EventCursor): string {
  return `${direction === 'forward' ? 'f' : 'b'}/${String(cursor.time).padStart(13, '0')}/${cursor.id}`;
}

export function parseEventToken(token: string): { direction: Direction; cursor: EventCursor } {
  const m = /^([fb])\/(\d+)\/(\d+)$/.exec(token);
  if (!m) throw new InvalidParameterException('The specified nextToken is invalid.');
  return {
    direction: m[1] === 'f' ? 'forward' : 'backward',
    cursor: { time: Number(m[2]), id: Number(m[3]) },
  };
}

/** An opaque token carrying a small JSON value (a name or an offset to continue from). */
export function listToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function parseListToken<T>(token: string, isValid: (value: unknown) => value is T): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (isValid(value)) return value;
  } catch {
    // fall through to the AWS error
  }
  throw new InvalidParameterException('The specified nextToken is invalid.');
}
