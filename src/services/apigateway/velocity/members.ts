/**
 * `$value.name`, `$value.name(args)` and `$value[index]` for every kind of value, the way Velocity
 * resolves them on the Java objects: a map's property is its entry; other objects' properties are
 * their getters (`$list.empty` is `isEmpty()`); a missing member is null.
 *
 * Numbers also answer Java's static parsers (`parseInt`, `valueOf`, `parseDouble`), since Java lets
 * an instance call them: AWS templates use `#set($Integer = 0)` then `$Integer.parseInt($text)`.
 */
import { listMethods, mapKey, mapMethods } from './collection-methods.js';
import { intArgument, stringMethods, type Method } from './string-methods.js';
import { toText } from './text.js';
import {
  HostObject,
  isList,
  isMap,
  JavaDouble,
  javaEquals,
  javaInteger,
  toDouble,
  type Value,
} from './values.js';

type JavaNumber = number | bigint | JavaDouble;

function parseJavaInteger(text: Value | undefined, bits: 32 | 64): Value {
  if (typeof text !== 'string' || !/^[+-]?\d+$/.test(text)) return null;
  const n = BigInt(text);
  return BigInt.asIntN(bits, n) === n ? javaInteger(n) : null;
}

/** Java's `Double.parseDouble`: surrounding space allowed, an `f`/`d` suffix, NaN and Infinity. */
function parseJavaDouble(text: Value | undefined): Value {
  if (typeof text !== 'string') return null;
  const match = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(?=[fFdD]?$)/.exec(text.trim());
  return match ? new JavaDouble(Number(match[0])) : null;
}

/** Java's narrowing to an int or long: doubles truncate and saturate, integers wrap. */
function narrow(n: JavaNumber, bits: 32 | 64): Value {
  if (n instanceof JavaDouble) {
    if (Number.isNaN(n.value)) return 0;
    const limit = 2 ** (bits - 1);
    return javaInteger(BigInt(Math.min(Math.max(Math.trunc(n.value), -limit), limit - 1)));
  }
  return javaInteger(BigInt.asIntN(bits, BigInt(n)));
}

function compareNumbers(a: JavaNumber, b: JavaNumber): number {
  if (a instanceof JavaDouble || b instanceof JavaDouble) return Math.sign(toDouble(a) - toDouble(b));
  return a === b ? 0 : BigInt(a) < BigInt(b) ? -1 : 1;
}

const numberMethods: Record<string, Method<JavaNumber>> = {
  toString: (n: JavaNumber) => toText(n),
  intValue: (n) => narrow(n, 32),
  longValue: (n) => narrow(n, 64),
  doubleValue: (n) => new JavaDouble(toDouble(n)),
  floatValue: (n) => new JavaDouble(Math.fround(toDouble(n))),
  equals: (n, [other = null]) => javaEquals(n, other),
  compareTo: (n, [other = null]) =>
    typeof other === 'number' || typeof other === 'bigint' || other instanceof JavaDouble
      ? compareNumbers(n, other)
      : null,
  parseInt: (_, [text]) => parseJavaInteger(text, 32),
  parseLong: (_, [text]) => parseJavaInteger(text, 64),
  parseDouble: (_, [text]) => parseJavaDouble(text),
  valueOf: (n: JavaNumber, [text]: readonly Value[]) =>
    n instanceof JavaDouble ? parseJavaDouble(text) : parseJavaInteger(text, 32),
};

const booleanMethods: Record<string, Method<boolean>> = {
  toString: (b: boolean) => String(b),
  booleanValue: (b) => b,
  equals: (b, [other]) => b === other,
  parseBoolean: (_, [text]) => typeof text === 'string' && text.toLowerCase() === 'true',
};

function invoke<T>(
  methods: Record<string, Method<T>>,
  target: T,
  name: string,
  args: readonly Value[],
): Value {
  // Own properties only: `constructor` or `__proto__` are no methods of a template value.
  const method = Object.hasOwn(methods, name) ? methods[name] : undefined;
  return method === undefined ? null : method(target, args);
}

function hasMethod(target: Value, name: string): boolean {
  if (typeof target === 'string') return Object.hasOwn(stringMethods, name);
  if (isList(target)) return Object.hasOwn(listMethods, name);
  return false;
}

/** `$target.name(args…)`; null when `target` is null or has no such method. */
export function callMethod(target: Value, name: string, args: readonly Value[]): Value {
  if (target === null) return null;
  if (target instanceof HostObject) return target.call(name, args);
  if (typeof target === 'string') return invoke(stringMethods, target, name, args);
  if (typeof target === 'boolean') return invoke(booleanMethods, target, name, args);
  if (isList(target)) return invoke(listMethods, target, name, args);
  if (isMap(target)) return invoke(mapMethods, target, name, args);
  return invoke(numberMethods, target, name, args);
}

/** `$target.name`. */
export function getProperty(target: Value, name: string): Value {
  if (target === null) return null;
  if (isMap(target)) return target.get(name) ?? null;
  if (target instanceof HostObject) return target.property(name);
  const capitalized = name.charAt(0).toUpperCase() + name.slice(1);
  for (const getter of [`get${capitalized}`, `is${capitalized}`]) {
    if (hasMethod(target, getter)) return callMethod(target, getter, []);
  }
  return null;
}

/** `$target[index]`: a list position (negative from the end) or a map key. */
export function getIndex(target: Value, index: Value): Value {
  if (isList(target)) {
    const i = intArgument(index);
    if (i === undefined) return null;
    return target.at(i) ?? null;
  }
  if (isMap(target)) {
    const key = mapKey(index);
    return key === undefined ? null : (target.get(key) ?? null);
  }
  return null;
}

/** `#set($target[index] = value)` and `#set($target.name = value)`: a map entry or a list position. */
export function setMember(target: Value, key: Value, value: Value): void {
  if (isMap(target)) {
    const text = mapKey(key);
    if (text !== undefined) target.set(text, value);
  } else if (isList(target)) {
    const i = intArgument(key);
    if (i !== undefined && i >= -target.length && i < target.length)
      target[i < 0 ? i + target.length : i] = value;
  }
}
