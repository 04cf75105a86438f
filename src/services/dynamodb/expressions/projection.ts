/**
 * A projection: the parts of an item its paths name, in the item's own shape. Nested paths keep
 * the maps and lists around what they select; a list keeps only the selected elements, in index
 * order and closed up (`a[1], a[3]` gives a two-element list); a path that leads nowhere adds
 * nothing. Used for ProjectionExpression, AttributesToGet and ReturnValues UPDATED_OLD/NEW.
 */
import type { AttributeValue, Item } from '../attribute-value.js';
import type { DocumentPath } from './ast.js';

/** The selected paths as a tree: `true` where a path ends and everything below is kept. */
type Selection = Map<string | number, Selection | true>;

export function project(paths: readonly DocumentPath[], item: Item): Item {
  const selection: Selection = new Map();
  for (const path of paths) {
    let node = selection;
    path.forEach((element, i) => {
      const last = i === path.length - 1;
      const existing = node.get(element);
      if (last || existing === true) {
        node.set(element, true);
        return;
      }
      const child: Selection = existing ?? new Map();
      node.set(element, child);
      node = child;
    });
  }
  const result: Item = {};
  for (const [name, below] of selection) {
    const value = Object.hasOwn(item, name) ? item[name as string] : undefined;
    const kept = value === undefined ? undefined : select(value, below);
    if (kept !== undefined) result[name as string] = kept;
  }
  return result;
}

function select(value: AttributeValue, selection: Selection | true): AttributeValue | undefined {
  if (selection === true) return structuredClone(value);
  if ('M' in value) {
    const map: Item = {};
    for (const [key, below] of selection) {
      if (typeof key !== 'string' || !Object.hasOwn(value.M, key)) continue;
      const kept = select(value.M[key] as AttributeValue, below);
      if (kept !== undefined) map[key] = kept;
    }
    return Object.keys(map).length > 0 ? { M: map } : undefined;
  }
  if ('L' in value) {
    const indexes = [...selection.keys()].filter((key) => typeof key === 'number').sort((a, b) => a - b);
    const list: AttributeValue[] = [];
    for (const index of indexes) {
      const element = value.L[index];
      const kept =
        element === undefined ? undefined : select(element, selection.get(index) as Selection | true);
      if (kept !== undefined) list.push(kept);
    }
    return list.length > 0 ? { L: list } : undefined;
  }
  return undefined;
}
