/**
 * List markers. Lambda's `Marker`/`NextMarker` are opaque strings; Stratus encodes the position
 * after the last item returned, so pages stay stable while items are added or removed.
 */
import { InvalidParameterValueException } from './errors.js';

export function encodeMarker(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeMarker<T>(
  marker: string | undefined,
  valid: (value: unknown) => value is T,
): T | undefined {
  if (marker === undefined || marker === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!valid(value)) throw new InvalidParameterValueException(`Invalid marker: ${marker}`);
  return value;
}

/** One page of an in-memory list ordered by `keyOf`: items after the marker's key, at most `maxItems`. */
export function pageOf<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  marker: string | undefined,
  maxItems: number,
): { page: T[]; nextMarker?: string } {
  const after = decodeMarker(marker, (v): v is string => typeof v === 'string');
  const start = after === undefined ? 0 : items.findIndex((item) => keyOf(item) > after);
  const rest = start < 0 ? [] : items.slice(start);
  const page = rest.slice(0, maxItems);
  return {
    page,
    ...(rest.length > maxItems ? { nextMarker: encodeMarker(keyOf(page[page.length - 1]!)) } : {}),
  };
}
