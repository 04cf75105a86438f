/**
 * The `Range` header of GetObject: one range of bytes (`bytes=0-99`, `bytes=100-`, `bytes=-100`),
 * clipped to the object. A header S3 does not act on (another unit, several ranges, bad syntax)
 * is ignored and the whole object served; a range that starts past the end, or any range of an
 * empty object, is `InvalidRange` (416).
 */
import { ServiceError } from '../../protocol/errors.js';
import { invalidRange } from './errors.js';

export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  const m = header && /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  const [first, last] = [m[1] === '' ? undefined : Number(m[1]), m[2] === '' ? undefined : Number(m[2])];
  if (first === undefined) {
    // A suffix: the last `last` bytes.
    if (last === 0 || size === 0) throw invalidRange(header!, size);
    return { start: Math.max(0, size - last!), end: size - 1 };
  }
  if (last !== undefined && last < first) return undefined;
  if (first >= size) throw invalidRange(header!, size);
  return { start: first, end: Math.min(last ?? size - 1, size - 1) };
}

/**
 * The bytes of part `partNumber` of an object (GetObject's `partNumber`): of its upload's parts,
 * or all of it as its only part when it was not uploaded in parts.
 */
export function partRange(
  partNumber: number,
  size: number,
  partSizes: readonly number[] | null,
): { range?: ByteRange; count: number } {
  const sizes = partSizes ?? [size];
  if (partNumber < 1 || partNumber > sizes.length) {
    throw new ServiceError('InvalidPartNumber', 'The requested partnumber is not satisfiable', {
      status: 416,
      fields: { PartNumberRequested: partNumber, ActualPartCount: sizes.length },
    });
  }
  const start = sizes.slice(0, partNumber - 1).reduce((sum, n) => sum + n, 0);
  const length = sizes[partNumber - 1]!;
  return { range: length === 0 ? undefined : { start, end: start + length - 1 }, count: sizes.length };
}
