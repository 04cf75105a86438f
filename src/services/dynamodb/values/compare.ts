/**
 * How DynamoDB orders two scalar values for `<`, `<=`, `>`, `>=` and BETWEEN, in conditions and
 * key conditions alike: numbers by value, strings by their UTF-8 bytes (not UTF-16 code units, so
 * an emoji sorts after U+FFFD), binaries by their unsigned bytes. It is the order of key-encoding.ts.
 */
import type { AttributeValue } from '../attribute-value.js';
import { compareNumbers } from './numbers.js';

/**
 * -1, 0 or 1 as `a` is less than, equal to or greater than `b`; `undefined` when DynamoDB does not
 * order them — different types, or a type other than S, N and B — which makes a comparison false.
 */
export function compareValues(a: AttributeValue, b: AttributeValue): number | undefined {
  if ('S' in a && 'S' in b) return Buffer.compare(Buffer.from(a.S), Buffer.from(b.S));
  if ('N' in a && 'N' in b) return compareNumbers(a.N, b.N);
  if ('B' in a && 'B' in b) return Buffer.compare(a.B, b.B);
  return undefined;
}
