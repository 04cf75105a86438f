/**
 * The tests a pattern applies to one value of an event (a "leaf": string, number, boolean or null),
 * with EventBridge's semantics:
 *
 * - exact strings, `true`, `false` and `null` match the same value; exact numbers match numbers
 *   equal as doubles (or written the same, for a number a double cannot hold); a string shaped like
 *   an IP address matches the same address however it is written;
 * - `prefix`, `suffix`, `equals-ignore-case` (and their ignore-case forms), `wildcard` and `cidr`
 *   only ever match strings, `numeric` only numbers;
 * - `anything-but` matches every value it does not exclude, whatever its type: `{"anything-but":
 *   "x"}` matches `null`, `12` and `"y"`; its `prefix`, `suffix`, `equals-ignore-case` and `wildcard`
 *   forms exclude strings only.
 *
 * `exists` is not a leaf test: it asks whether the field has any leaf at all (see match.ts).
 */
import { comparableNumber } from './numbers.js';
import { inRange, ipBytesIfAddress, sameAddress, type IpRange } from './ip.js';

export type Leaf = string | number | boolean | null;

export interface Bound {
  value: number;
  inclusive: boolean;
}

export type Condition =
  | { kind: 'exact'; value: string | boolean | null }
  /** `value` is the double when it compares, else only `text` matches. */
  | { kind: 'number'; text: string; value: number | undefined }
  | { kind: 'ip'; address: Uint8Array }
  | {
      kind:
        | 'prefix'
        | 'suffix'
        | 'equals-ignore-case'
        | 'prefix-equals-ignore-case'
        | 'suffix-equals-ignore-case';
      value: string;
    }
  | { kind: 'wildcard'; value: string; matcher: RegExp }
  | { kind: 'numeric'; lower?: Bound; upper?: Bound }
  | { kind: 'cidr'; range: IpRange }
  | { kind: 'anything-but'; strings: readonly string[]; numbers: readonly number[] }
  | {
      kind: 'anything-but-equals-ignore-case' | 'anything-but-prefix' | 'anything-but-suffix';
      values: readonly string[];
    }
  | { kind: 'anything-but-wildcard'; values: readonly string[]; matchers: readonly RegExp[] }
  | { kind: 'exists'; value: boolean };

export type LeafCondition = Exclude<Condition, { kind: 'exists' }>;

const lower = (s: string) => s.toLowerCase();

function sameIgnoringCase(a: string, b: string): boolean {
  return lower(a) === lower(b) || a.toUpperCase() === b.toUpperCase();
}

/** Whether one leaf of an event passes one test. */
export function matchesLeaf(condition: LeafCondition, leaf: Leaf): boolean {
  switch (condition.kind) {
    case 'exact':
      return leaf === condition.value;
    case 'number':
      return (
        typeof leaf === 'number' &&
        (condition.value === undefined ? String(leaf) === condition.text : leaf === condition.value)
      );
    case 'ip': {
      const address = typeof leaf === 'string' ? ipBytesIfAddress(leaf) : undefined;
      return address !== undefined && sameAddress(address, condition.address);
    }
    case 'prefix':
      return typeof leaf === 'string' && leaf.startsWith(condition.value);
    case 'suffix':
      return typeof leaf === 'string' && leaf.endsWith(condition.value);
    case 'equals-ignore-case':
      return typeof leaf === 'string' && sameIgnoringCase(leaf, condition.value);
    case 'prefix-equals-ignore-case':
      return typeof leaf === 'string' && lower(leaf).startsWith(lower(condition.value));
    case 'suffix-equals-ignore-case':
      return typeof leaf === 'string' && lower(leaf).endsWith(lower(condition.value));
    case 'wildcard':
      return typeof leaf === 'string' && condition.matcher.test(leaf);
    case 'numeric':
      return typeof leaf === 'number' && inBounds(leaf, condition.lower, condition.upper);
    case 'cidr': {
      const address = typeof leaf === 'string' ? ipBytesIfAddress(leaf) : undefined;
      return address !== undefined && inRange(condition.range, address);
    }
    case 'anything-but':
      if (typeof leaf === 'string') return !condition.strings.includes(leaf);
      if (typeof leaf === 'number') return !condition.numbers.includes(leaf);
      return true;
    case 'anything-but-equals-ignore-case':
      return typeof leaf !== 'string' || !condition.values.some((v) => sameIgnoringCase(leaf, v));
    case 'anything-but-prefix':
      return typeof leaf !== 'string' || !condition.values.some((v) => leaf.startsWith(v));
    case 'anything-but-suffix':
      return typeof leaf !== 'string' || !condition.values.some((v) => leaf.endsWith(v));
    case 'anything-but-wildcard':
      return typeof leaf !== 'string' || !condition.matchers.some((m) => m.test(leaf));
  }
}

function inBounds(value: number, lowerBound?: Bound, upperBound?: Bound): boolean {
  if (lowerBound && !(lowerBound.inclusive ? value >= lowerBound.value : value > lowerBound.value))
    return false;
  if (upperBound && !(upperBound.inclusive ? value <= upperBound.value : value < upperBound.value))
    return false;
  return true;
}

/** An exact number condition for the number as written in the pattern. */
export function exactNumber(text: string): Condition {
  return { kind: 'number', text, value: comparableNumber(text) };
}
