/**
 * How values print: Java's `toString()` for what a template outputs (`{a=1, b=x}` for a map,
 * `[1, 2]` for a list, `2.5`/`2.0`/`1.0E10` for a double), and JSON for `$input.json`.
 *
 * AWS prints what `$input.path` returns with the Java objects json-smart parses into: objects are
 * `LinkedHashMap`s (Java style) but arrays are `JSONArray`s, whose `toString()` is their JSON, the
 * maps inside them included (`{list=[{"foo":"bar"}]}`). See values.ts for how such arrays are told
 * apart.
 */
import { HostObject, isJsonArray, isList, isMap, JavaDouble, type Value } from './values.js';

/** Java's `Double.toString`: plain between 10^-3 and 10^7, `d.dddE±n` outside, always a fraction digit. */
export function javaDoubleText(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const sign = d < 0 ? '-' : '';
  const magnitude = Math.abs(d);
  // JavaScript's shortest round-trip digits, as Java's (JDK 19+) are.
  const [mantissa = '0', exponentText = '0'] = magnitude.toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    return `${sign}${whole}.${digits.slice(exponent + 1) || '0'}`;
  }
  return `${sign}${digits[0] ?? '0'}.${digits.slice(1) || '0'}E${exponent}`;
}

/** What `value` prints as inside a template (Java's `String.valueOf`). */
export function toText(value: Value): string {
  return javaText(value, []);
}

function javaText(value: Value, enclosing: Value[]): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint')
    return String(value);
  if (value instanceof JavaDouble) return javaDoubleText(value.value);
  if (value instanceof HostObject) return value.toText();
  if (isList(value)) {
    if (isJsonArray(value)) return toJson(value);
    const inner = [...enclosing, value];
    // Java prints a collection that holds itself as "(this Collection)"; any loop is cut the same way here.
    const items = value.map((item) => (inner.includes(item) ? '(this Collection)' : javaText(item, inner)));
    return `[${items.join(', ')}]`;
  }
  const inner = [...enclosing, value];
  const entries = [...value].map(
    ([key, item]) => `${key}=${inner.includes(item) ? '(this Map)' : javaText(item, inner)}`,
  );
  return `{${entries.join(', ')}}`;
}

/** `value` as compact JSON, the way `$input.json` writes a selection. */
export function toJson(value: Value): string {
  return jsonText(value, []);
}

function jsonText(value: Value, enclosing: Value[]): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint')
    return String(value);
  if (value instanceof JavaDouble) return Number.isFinite(value.value) ? javaDoubleText(value.value) : 'null';
  if (value instanceof HostObject) return JSON.stringify(value.toText());
  // A structure that holds itself has no JSON; its inner occurrence is written as null.
  if (enclosing.includes(value)) return 'null';
  const inner = [...enclosing, value];
  if (isList(value)) return `[${value.map((item) => jsonText(item, inner)).join(',')}]`;
  if (isMap(value)) {
    return `{${[...value].map(([key, item]) => `${JSON.stringify(key)}:${jsonText(item, inner)}`).join(',')}}`;
  }
  return 'null';
}
