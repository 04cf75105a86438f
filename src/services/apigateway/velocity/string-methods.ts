/**
 * Java `String` methods a template can call. Arguments must have the Java types the method takes
 * (a string where Java takes a String, an integer where it takes an int); otherwise, and wherever
 * Java would throw (an index out of range, a bad regex), the result is null, as Velocity leaves it.
 */
import { javaMatches, javaReplace, javaSplit } from './java-regex.js';
import type { Value } from './values.js';

export type Method<T> = (target: T, args: readonly Value[]) => Value;

/** An int argument, or undefined when `value` is not a Java int. */
export function intArgument(value: Value | undefined): number | undefined {
  return typeof value === 'number' && value >= -(2 ** 31) && value < 2 ** 31 ? value : undefined;
}

function text(value: Value | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Java's `trim`: every character up to U+0020 counts as space. */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 32) start++;
  while (end > start && s.charCodeAt(end - 1) <= 32) end--;
  return s.slice(start, end);
}

function substring(s: string, [begin, end]: readonly Value[]): Value {
  const from = intArgument(begin);
  const to = end === undefined ? s.length : intArgument(end);
  if (from === undefined || to === undefined || from < 0 || to > s.length || from > to) return null;
  return s.slice(from, to);
}

function indexOf(s: string, [search, from]: readonly Value[], last: boolean): Value {
  const needle = text(search);
  const start = from === undefined ? undefined : intArgument(from);
  if (needle === undefined || (from !== undefined && start === undefined)) return null;
  if (last) return s.lastIndexOf(needle, start ?? Infinity);
  return s.indexOf(needle, Math.max(start ?? 0, 0));
}

/** `a.compareTo(b)`: the difference of the first differing UTF-16 units, else of the lengths. */
function compareStrings(a: string, b: string): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) return a.charCodeAt(i) - b.charCodeAt(i);
  }
  return a.length - b.length;
}

export const stringMethods: Record<string, Method<string>> = {
  length: (s) => s.length,
  isEmpty: (s) => s.length === 0,
  toString: (s: string) => s,
  toLowerCase: (s) => s.toLowerCase(),
  toUpperCase: (s) => s.toUpperCase(),
  trim: (s) => javaTrim(s),
  substring,
  charAt: (s, [index]) => {
    const i = intArgument(index);
    return i === undefined || i < 0 || i >= s.length ? null : (s[i] ?? null);
  },
  concat: (s, [other]) => (typeof other === 'string' ? s + other : null),
  contains: (s, [search]) => (typeof search === 'string' ? s.includes(search) : null),
  startsWith: (s, [prefix, offset]) => {
    const at = offset === undefined ? 0 : intArgument(offset);
    return typeof prefix === 'string' && at !== undefined ? at >= 0 && s.startsWith(prefix, at) : null;
  },
  endsWith: (s, [suffix]) => (typeof suffix === 'string' ? s.endsWith(suffix) : null),
  equals: (s, [other]) => s === other,
  equalsIgnoreCase: (s, [other]) => typeof other === 'string' && s.toLowerCase() === other.toLowerCase(),
  compareTo: (s, [other]) => (typeof other === 'string' ? compareStrings(s, other) : null),
  indexOf: (s, args) => indexOf(s, args, false),
  lastIndexOf: (s, args) => indexOf(s, args, true),
  replace: (s, [target, replacement]) =>
    typeof target === 'string' && typeof replacement === 'string'
      ? s.replaceAll(target, () => replacement)
      : null,
  replaceAll: (s, [regex, replacement]) =>
    typeof regex === 'string' && typeof replacement === 'string'
      ? javaReplace(s, regex, replacement, true)
      : null,
  replaceFirst: (s, [regex, replacement]) =>
    typeof regex === 'string' && typeof replacement === 'string'
      ? javaReplace(s, regex, replacement, false)
      : null,
  split: (s, [regex, limit]) => {
    const max = limit === undefined ? 0 : intArgument(limit);
    return typeof regex === 'string' && max !== undefined ? javaSplit(s, regex, max) : null;
  },
  matches: (s, [regex]) => (typeof regex === 'string' ? javaMatches(s, regex) : null),
};
