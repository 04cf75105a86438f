/**
 * Reading items as documents: the value a path leads to, and when two values are the same.
 */
import type { AttributeValue, Item } from '../attribute-value.js';
import { compareNumbers } from '../values/numbers.js';
import type { DocumentPath } from './ast.js';

/** The value at `path`, or undefined where the path leads nowhere (missing, or through a non-document). */
export function valueAt(item: Item | undefined, path: DocumentPath): AttributeValue | undefined {
  const [name, ...rest] = path;
  let value = item && Object.hasOwn(item, name) ? item[name] : undefined;
  for (const element of rest) {
    if (value === undefined) return undefined;
    if (typeof element === 'number') value = 'L' in value ? value.L[element] : undefined;
    else value = 'M' in value && Object.hasOwn(value.M, element) ? value.M[element] : undefined;
  }
  return value;
}

/**
 * DynamoDB's equality: same type and same value — numbers by value (`1` = `1.0`), sets regardless
 * of order, lists element by element, maps key by key.
 */
export function sameValue(a: AttributeValue, b: AttributeValue): boolean {
  if ('S' in a) return 'S' in b && a.S === b.S;
  if ('N' in a) return 'N' in b && compareNumbers(a.N, b.N) === 0;
  if ('B' in a) return 'B' in b && Buffer.compare(a.B, b.B) === 0;
  if ('BOOL' in a) return 'BOOL' in b && a.BOOL === b.BOOL;
  if ('NULL' in a) return 'NULL' in b;
  if ('L' in a) {
    return (
      'L' in b && a.L.length === b.L.length && a.L.every((x, i) => sameValue(x, b.L[i] as AttributeValue))
    );
  }
  if ('M' in a) {
    if (!('M' in b)) return false;
    const keys = Object.keys(a.M);
    return (
      keys.length === Object.keys(b.M).length &&
      keys.every(
        (key) => Object.hasOwn(b.M, key) && sameValue(a.M[key] as AttributeValue, b.M[key] as AttributeValue),
      )
    );
  }
  if ('SS' in a) return 'SS' in b && sameMembers(a.SS, b.SS, (x, y) => x === y);
  if ('NS' in a) return 'NS' in b && sameMembers(a.NS, b.NS, (x, y) => compareNumbers(x, y) === 0);
  return 'BS' in b && sameMembers(a.BS, b.BS, (x, y) => Buffer.compare(x, y) === 0);
}

function sameMembers<T>(a: T[], b: T[], equal: (x: T, y: T) => boolean): boolean {
  return a.length === b.length && a.every((x) => b.some((y) => equal(x, y)));
}
