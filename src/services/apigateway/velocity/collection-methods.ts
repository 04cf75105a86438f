/**
 * Java `List` and `Map` methods a template can call. Maps here have string keys: a key argument
 * that is a number or boolean is looked up by its text, so `$map.get(1)` finds the key "1".
 * `keySet()`, `values()` and `entrySet()` give new lists rather than live views.
 */
import { MapEntry } from './host-objects.js';
import { intArgument, type Method } from './string-methods.js';
import { toText } from './text.js';
import { isList, isMap, javaEquals, JavaDouble, type Value, type ValueMap } from './values.js';

/** The map key an argument stands for, or undefined when it cannot be one. */
export function mapKey(value: Value | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    typeof value === 'boolean' ||
    value instanceof JavaDouble
  ) {
    return toText(value);
  }
  return undefined;
}

function elementAt(list: Value[], index: Value | undefined): Value {
  const i = intArgument(index);
  return i === undefined || i < 0 || i >= list.length ? null : (list[i] ?? null);
}

export const listMethods: Record<string, Method<Value[]>> = {
  size: (list) => list.length,
  isEmpty: (list) => list.length === 0,
  get: (list, [index]) => elementAt(list, index),
  contains: (list, [item]) => list.some((each) => javaEquals(each, item ?? null)),
  indexOf: (list, [item]) => list.findIndex((each) => javaEquals(each, item ?? null)),
  lastIndexOf: (list, [item]) => list.findLastIndex((each) => javaEquals(each, item ?? null)),
  add: (list, args) => {
    if (args.length === 1) {
      list.push(args[0] ?? null);
      return true;
    }
    const i = intArgument(args[0]);
    if (args.length !== 2 || i === undefined || i < 0 || i > list.length) return null;
    list.splice(i, 0, args[1] ?? null);
    return null;
  },
  addAll: (list, [items = null]) => {
    if (!isList(items)) return null;
    list.push(...items);
    return items.length > 0;
  },
  set: (list, [index, item]) => {
    const i = intArgument(index);
    if (i === undefined || i < 0 || i >= list.length) return null;
    const previous = list[i] ?? null;
    list[i] = item ?? null;
    return previous;
  },
  // An int removes by position (List.remove(int)); anything else the first equal element.
  remove: (list, [target]) => {
    const i = intArgument(target);
    if (i !== undefined) return i >= 0 && i < list.length ? (list.splice(i, 1)[0] ?? null) : null;
    const found = list.findIndex((each) => javaEquals(each, target ?? null));
    if (found >= 0) list.splice(found, 1);
    return found >= 0;
  },
  clear: (list) => {
    list.length = 0;
    return null;
  },
  subList: (list, [from, to]) => {
    const start = intArgument(from);
    const end = intArgument(to);
    if (start === undefined || end === undefined || start < 0 || end > list.length || start > end)
      return null;
    return list.slice(start, end);
  },
  equals: (list, [other]) => javaEquals(list, other ?? null),
  toString: (list: Value[]) => toText(list),
};

function withKey(map: ValueMap, key: Value | undefined, use: (key: string) => Value): Value {
  const text = mapKey(key);
  return text === undefined ? null : use(text);
}

export const mapMethods: Record<string, Method<ValueMap>> = {
  size: (map) => map.size,
  isEmpty: (map) => map.size === 0,
  get: (map, [key]) => withKey(map, key, (text) => map.get(text) ?? null),
  getOrDefault: (map, [key, fallback]) =>
    withKey(map, key, (text) => (map.has(text) ? (map.get(text) ?? null) : (fallback ?? null))),
  containsKey: (map, [key]) => withKey(map, key, (text) => map.has(text)) ?? false,
  containsValue: (map, [item]) => [...map.values()].some((each) => javaEquals(each, item ?? null)),
  put: (map, [key, item]) =>
    withKey(map, key, (text) => {
      const previous = map.get(text) ?? null;
      map.set(text, item ?? null);
      return previous;
    }),
  putAll: (map, [other = null]) => {
    if (!isMap(other)) return null;
    for (const [key, item] of other) map.set(key, item);
    return null;
  },
  remove: (map, [key]) =>
    withKey(map, key, (text) => {
      const previous = map.get(text) ?? null;
      map.delete(text);
      return previous;
    }),
  clear: (map) => {
    map.clear();
    return null;
  },
  keySet: (map) => [...map.keys()],
  values: (map) => [...map.values()],
  entrySet: (map) => [...map.keys()].map((key) => new MapEntry(map, key)),
  equals: (map, [other]) => javaEquals(map, other ?? null),
  toString: (map: ValueMap) => toText(map),
};
