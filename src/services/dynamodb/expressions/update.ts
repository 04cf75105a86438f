/**
 * Applying a compiled update to an item, as DynamoDB does:
 *
 * - every value is worked out from the item as it was before the update, so `SET a = b, b = a`
 *   swaps;
 * - SET past the end of a list appends, in index order; REMOVE of list elements uses the
 *   positions they had before the update, the rest closing up;
 * - ADD to a missing attribute creates it; DELETE of every member of a set removes the
 *   attribute;
 * - a nested path needs its parent to exist and be a map (for `.name`) or a list (for `[i]`).
 *
 * The errors come in DynamoDB's order: a parent of the wrong kind, then an operand of the wrong
 * type, then a parent that is missing, then an attribute a SET reads that is missing.
 */
import type { AttributeValue, Item } from '../attribute-value.js';
import { NumberError, addNumbers, compareNumbers, subtractNumbers } from '../values/numbers.js';
import type { DocumentPath, SetValue, Update, UpdateAction } from './ast.js';
import { valueAt } from './document.js';
import { ExpressionError } from './errors.js';

const INVALID_PATH = 'The document path provided in the update expression is invalid for update';
const MISSING_ATTRIBUTE = 'The provided expression refers to an attribute that does not exist in the item';
const WRONG_TYPE = 'An operand in the update expression has an incorrect data type';
const LEGACY_WRONG_TYPE = 'Type mismatch for attribute to update';

type Write = { path: DocumentPath; value: AttributeValue | undefined };

/** The item after the update; `item` itself is left as it was. */
export function applyUpdate(update: Update, item: Item): Item {
  for (const { path } of update.actions) {
    const parent = parentOf(item, path);
    if (parent !== undefined && !holdsChild(parent, path)) throw new ExpressionError(INVALID_PATH);
  }
  const values = new Map<UpdateAction, AttributeValue | undefined>();
  for (const action of update.actions) {
    if (action.action === 'SET') values.set(action, evaluate(action.value, item));
    else if (action.action !== 'REMOVE' && writable(item, action.path)) {
      const current = valueAt(item, action.path);
      if (current !== undefined) values.set(action, combine(action, current, update.source));
    }
  }
  for (const { path } of update.actions) {
    if (!writable(item, path)) throw new ExpressionError(INVALID_PATH);
  }
  for (const action of update.actions) {
    if (action.action === 'SET' && values.get(action) === undefined) {
      throw new ExpressionError(MISSING_ATTRIBUTE);
    }
  }
  const writes = update.actions.flatMap((action): Write[] => {
    switch (action.action) {
      case 'SET':
        return [{ path: action.path, value: values.get(action) }];
      case 'REMOVE':
        return [{ path: action.path, value: undefined }];
      case 'ADD':
        return [{ path: action.path, value: values.get(action) ?? action.value }];
      case 'DELETE':
        // DELETE from a missing attribute changes nothing; emptying a set removes it.
        return values.has(action) ? [{ path: action.path, value: values.get(action) }] : [];
    }
  });
  return write(structuredClone(item), writes);
}

function parentOf(item: Item, path: DocumentPath): AttributeValue | undefined {
  return path.length > 1 ? valueAt(item, path.slice(0, -1) as unknown as DocumentPath) : undefined;
}

function holdsChild(parent: AttributeValue, path: DocumentPath): boolean {
  return typeof path[path.length - 1] === 'number' ? 'L' in parent : 'M' in parent;
}

function writable(item: Item, path: DocumentPath): boolean {
  if (path.length === 1) return true;
  const parent = parentOf(item, path);
  return parent !== undefined && holdsChild(parent, path);
}

/** A SET value from the item as it was; undefined when it reads a missing attribute. */
function evaluate(value: SetValue, item: Item): AttributeValue | undefined {
  switch (value.kind) {
    case 'value':
      return value.value;
    case 'path':
      return valueAt(item, value.path);
    case 'if_not_exists':
      return valueAt(item, value.path) ?? evaluate(value.fallback, item);
    case 'list_append': {
      const first = evaluate(value.first, item);
      if (first !== undefined && !('L' in first)) throw new ExpressionError(WRONG_TYPE);
      const second = evaluate(value.second, item);
      if (second !== undefined && !('L' in second)) throw new ExpressionError(WRONG_TYPE);
      return first && second ? { L: [...first.L, ...second.L] } : undefined;
    }
    case 'arithmetic': {
      const left = evaluate(value.left, item);
      if (left !== undefined && !('N' in left)) throw new ExpressionError(WRONG_TYPE);
      const right = evaluate(value.right, item);
      if (right !== undefined && !('N' in right)) throw new ExpressionError(WRONG_TYPE);
      if (!left || !right) return undefined;
      const arithmetic = value.operator === '+' ? addNumbers : subtractNumbers;
      return { N: checkedNumber(() => arithmetic(left.N, right.N)) };
    }
  }
}

/**
 * What ADD or DELETE makes of an attribute that exists: a sum, a union, a difference (undefined
 * once empty), or for AttributeUpdates' ADD of a list, the lists one after the other.
 */
function combine(
  action: UpdateAction & { action: 'ADD' | 'DELETE' },
  current: AttributeValue,
  source: Update['source'],
): AttributeValue | undefined {
  const value = action.value;
  if (action.action === 'ADD') {
    if ('N' in value && 'N' in current) return { N: checkedNumber(() => addNumbers(current.N, value.N)) };
    if ('L' in value && 'L' in current && source === 'AttributeUpdates')
      return { L: [...current.L, ...value.L] };
  }
  const merged = mergeSets(current, value, action.action === 'ADD' ? 'union' : 'difference');
  if (merged === null) {
    throw new ExpressionError(source === 'AttributeUpdates' ? LEGACY_WRONG_TYPE : WRONG_TYPE);
  }
  return merged;
}

/** null when the two are not sets of one type. */
function mergeSets(
  current: AttributeValue,
  value: AttributeValue,
  how: 'union' | 'difference',
): AttributeValue | undefined | null {
  const merge = <T>(a: T[], b: T[], same: (x: T, y: T) => boolean): T[] | undefined => {
    const result =
      how === 'union'
        ? [...a, ...b.filter((y) => !a.some((x) => same(x, y)))]
        : a.filter((x) => !b.some((y) => same(x, y)));
    return result.length > 0 ? result : undefined;
  };
  const wrap = <K extends 'SS' | 'NS' | 'BS', T>(type: K, members: T[] | undefined) =>
    members === undefined ? undefined : ({ [type]: members } as unknown as AttributeValue);
  if ('SS' in current && 'SS' in value)
    return wrap(
      'SS',
      merge(current.SS, value.SS, (x, y) => x === y),
    );
  if ('NS' in current && 'NS' in value) {
    return wrap(
      'NS',
      merge(current.NS, value.NS, (x, y) => compareNumbers(x, y) === 0),
    );
  }
  if ('BS' in current && 'BS' in value) {
    return wrap(
      'BS',
      merge(current.BS, value.BS, (x, y) => Buffer.compare(x, y) === 0),
    );
  }
  return null;
}

function checkedNumber(compute: () => string): string {
  try {
    return compute();
  } catch (error) {
    if (error instanceof NumberError) throw new ExpressionError(error.message);
    throw error;
  }
}

/**
 * Performs the writes on `item` (a copy): attributes and map keys at once, list elements last,
 * each list rebuilt from its old positions so that removals and appends do not shift one another.
 */
function write(item: Item, writes: Write[]): Item {
  const lists = new Map<AttributeValue[], { index: number; value: AttributeValue | undefined }[]>();
  for (const { path, value } of writes) {
    const key = path[path.length - 1] as string | number;
    const parent = parentOf(item, path);
    const container: Record<string, AttributeValue> | undefined =
      path.length === 1 ? item : parent && 'M' in parent ? parent.M : undefined;
    if (container && typeof key === 'string') {
      if (value === undefined) delete container[key];
      else container[key] = structuredClone(value);
    } else if (parent && 'L' in parent && typeof key === 'number') {
      const edits = lists.get(parent.L) ?? [];
      edits.push({ index: key, value: value && structuredClone(value) });
      lists.set(parent.L, edits);
    }
  }
  for (const [list, edits] of lists) {
    const removed = new Set<number>();
    const appended: { index: number; value: AttributeValue }[] = [];
    for (const { index, value } of edits) {
      if (index < list.length) {
        if (value === undefined) removed.add(index);
        else list[index] = value;
      } else if (value !== undefined) {
        appended.push({ index, value });
      }
    }
    const kept = list.filter((_, index) => !removed.has(index));
    appended.sort((a, b) => a.index - b.index);
    list.splice(0, list.length, ...kept, ...appended.map((entry) => entry.value));
  }
  return item;
}
