/**
 * Matching an event (a parsed JSON value) against compiled branches, as EventBridge does:
 *
 * - the event is read as named leaves: every scalar (string, number, boolean, null), named by the
 *   keys leading to it joined with dots — so a pattern's `{"a": {"b": …}}` and `{"a.b": …}` both
 *   name the event's `{"a": {"b": 1}}` and `{"a.b": 1}`; arrays add no name, their elements are
 *   leaves of the same name (`["a", "b"]` matches a pattern naming `"b"`);
 * - a branch matches when every field does; a field matches when any of its tests passes for one
 *   of the leaves of its name — `{"exists": false}` when there is none, `{"exists": true}` when
 *   there is one (an object or an empty array is no leaf);
 * - the leaves a branch picks must come from the same element of any array they share:
 *   `{"items": {"id": ["a"], "state": ["done"]}}` does not match
 *   `{"items": [{"id": "a", "state": "new"}, {"id": "b", "state": "done"}]}`.
 */
import { matchesLeaf, type Condition, type Leaf } from './conditions.js';
import type { PatternBranch } from './compile.js';

/** Which element of each enclosing array (by array number) a leaf comes from. */
type Membership = ReadonlyMap<number, number>;

interface NamedLeaf {
  value: Leaf;
  membership: Membership;
}

/** An event read as named leaves. */
export type FlatEvent = ReadonlyMap<string, readonly NamedLeaf[]>;

export function flatten(event: unknown): FlatEvent {
  const leaves = new Map<string, NamedLeaf[]>();
  let arrays = 0;
  const visit = (value: unknown, name: string, membership: Map<number, number>) => {
    if (Array.isArray(value)) {
      const id = arrays++;
      value.forEach((element, index) => visit(element, name, new Map(membership).set(id, index)));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, member] of Object.entries(value)) {
        visit(member, name === '' ? key : `${name}.${key}`, membership);
      }
    } else if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
      const list = leaves.get(name) ?? [];
      list.push({ value: value as Leaf, membership });
      leaves.set(name, list);
    }
  };
  visit(event, '', new Map());
  return leaves;
}

/** The ways one field can be satisfied: by a leaf (bound to its arrays), or by absence (unbound). */
function options(conditions: readonly Condition[], leaves: readonly NamedLeaf[]): Membership[] {
  const found: Membership[] = [];
  for (const condition of conditions) {
    if (condition.kind === 'exists') {
      if (condition.value) found.push(...leaves.map((leaf) => leaf.membership));
      else if (leaves.length === 0) return [new Map()];
    } else {
      for (const leaf of leaves) if (matchesLeaf(condition, leaf.value)) found.push(leaf.membership);
    }
  }
  return found;
}

function merge(a: Membership, b: Membership): Membership | undefined {
  const merged = new Map(a);
  for (const [array, index] of b) {
    const other = merged.get(array);
    if (other !== undefined && other !== index) return undefined;
    merged.set(array, index);
  }
  return merged;
}

export function branchMatches(branch: PatternBranch, event: FlatEvent): boolean {
  const choices = branch.fields.map((field) =>
    options(field.conditions, event.get(field.path.join('.')) ?? []),
  );
  if (choices.some((list) => list.length === 0)) return false;
  // Fields outside any array constrain nothing; the rest must agree element by element.
  const bound = choices.filter((list) => !list.some((m) => m.size === 0)).sort((a, b) => a.length - b.length);
  const search = (i: number, membership: Membership): boolean =>
    i === bound.length ||
    bound[i]!.some((option) => {
      const merged = merge(membership, option);
      return merged !== undefined && search(i + 1, merged);
    });
  return search(0, new Map());
}
