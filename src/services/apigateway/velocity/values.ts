/**
 * What a template computes with: the Java objects API Gateway's Velocity engine sees, modelled in
 * JavaScript.
 *
 * - `number` is a Java integer (Integer/Long), `bigint` one too large for a double to hold exactly,
 *   `JavaDouble` a floating-point number: Java keeps them apart (5/2 is 2, 5/2.0 is 2.5, 249.0 prints
 *   as `249.0`), so the model does too.
 * - `Map` is a Java map (insertion order, string keys), an array a Java list.
 * - An array parsed from JSON (`$input.path`, `$util.parseJson`) is a json-smart `JSONArray`, which
 *   prints itself as JSON (`[{"a":1}]`) where other lists print Java's way (`[1, 2]`); such arrays
 *   are remembered in a WeakSet rather than wrapped, so every list operation stays a plain array one.
 * - `HostObject` stands for the objects API Gateway puts in the context (`$input`, `$util`) and the
 *   engine's own (`$foreach`, map entries, `#define` blocks).
 */

export class JavaDouble {
  constructor(readonly value: number) {}
}

export abstract class HostObject {
  /** The value of `$object.name`, null when there is none. */
  abstract property(name: string): Value;
  /** The result of `$object.name(args…)`, null when there is no such method or it fails. */
  abstract call(method: string, args: readonly Value[]): Value;
  /** What the object prints as. */
  abstract toText(): string;
}

export type ValueMap = Map<string, Value>;

export type Value = null | boolean | string | number | bigint | JavaDouble | Value[] | ValueMap | HostObject;

const jsonArrays = new WeakSet<Value[]>();

/** Marks `items` as a JSON array (prints as JSON) and returns it. */
export function jsonArray(items: Value[]): Value[] {
  jsonArrays.add(items);
  return items;
}

export function isJsonArray(list: readonly Value[]): boolean {
  return jsonArrays.has(list as Value[]);
}

export function isMap(value: Value): value is ValueMap {
  return value instanceof Map;
}

export function isList(value: Value): value is Value[] {
  return Array.isArray(value);
}

export function isNumeric(value: Value): value is number | bigint | JavaDouble {
  return typeof value === 'number' || typeof value === 'bigint' || value instanceof JavaDouble;
}

/** A Java integer of `n`: a number while a double holds it exactly, a bigint beyond. */
export function javaInteger(n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/** The numeric value of a number as a double (what Java's `doubleValue()` gives). */
export function toDouble(value: number | bigint | JavaDouble): number {
  return value instanceof JavaDouble ? value.value : Number(value);
}

/**
 * A caller's value (context, stage variables, parameters) as a template value: plain objects become
 * maps, arrays lists, whole numbers integers and other numbers doubles.
 */
export function toValue(input: unknown): Value {
  if (input === null || input === undefined) return null;
  if (typeof input === 'string' || typeof input === 'boolean' || typeof input === 'bigint') return input;
  if (typeof input === 'number') return Number.isInteger(input) ? input : new JavaDouble(input);
  if (input instanceof JavaDouble || input instanceof HostObject) return input;
  if (Array.isArray(input)) return input.map(toValue);
  if (input instanceof Map) {
    return new Map([...input].map(([key, item]): [string, Value] => [String(key), toValue(item)]));
  }
  if (typeof input === 'object') {
    return new Map(Object.entries(input).map(([key, item]): [string, Value] => [key, toValue(item)]));
  }
  return String(input);
}

/** A template value as plain JavaScript again (maps become objects, doubles numbers). */
export function fromValue(value: Value): unknown {
  if (value instanceof JavaDouble) return value.value;
  if (value instanceof HostObject) return value.toText();
  if (isList(value)) return value.map(fromValue);
  if (isMap(value)) return Object.fromEntries([...value].map(([key, item]) => [key, fromValue(item)]));
  return value;
}

/**
 * Velocity 1.7's truth: only null and false are false (`#if("")` and `#if(0)` are true; the
 * "empty check" came with Velocity 2).
 */
export function isTruthy(value: Value): boolean {
  return value !== null && value !== false;
}

/** Java's `equals`, as `List.contains`, `Map.containsValue` and `String.equals` use it. */
export function javaEquals(a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b;
  if (a instanceof JavaDouble || b instanceof JavaDouble) {
    return a instanceof JavaDouble && b instanceof JavaDouble && Object.is(a.value, b.value);
  }
  if (typeof a === 'number' || typeof a === 'bigint') {
    return (typeof b === 'number' || typeof b === 'bigint') && BigInt(a) === BigInt(b);
  }
  if (isList(a))
    return isList(b) && a.length === b.length && a.every((item, i) => javaEquals(item, b[i] ?? null));
  if (isMap(a)) {
    if (!isMap(b) || a.size !== b.size) return false;
    for (const [key, item] of a) {
      if (!b.has(key) || !javaEquals(item, b.get(key) ?? null)) return false;
    }
    return true;
  }
  return a === b;
}
