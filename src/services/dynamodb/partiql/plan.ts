/**
 * What a WHERE clause says about the key, the way DynamoDB reads it off the clause's top-level
 * ANDs:
 * - an UPDATE or DELETE names one item: an equality on every key attribute (repeating one is
 *   fine, contradicting it is not); the other conditions must hold for the write to happen;
 * - a SELECT with equality (or IN, or ORs of equalities) on the partition key is a Query of
 *   each partition named, narrowed by one condition on the sort key; anything else is a Scan.
 *   The whole WHERE clause stays the filter, so the key only narrows what is read;
 * - a SELECT in a batch or transaction names one item by its key and nothing else;
 * - `EXISTS(SELECT …)` names one item by its key and adds a condition on it.
 */
import type { AttributeValue, Item } from '../attribute-value.js';
import { typeOf } from '../attribute-value.js';
import { sameValue, type KeyCondition } from '../expressions/index.js';
import type { KeySchema } from '../table-schema.js';
import { compareValues } from '../values/compare.js';
import type { Comparator, Expr, SelectStatement } from './ast.js';
import { INCOMPLETE_KEY, invalid } from './errors.js';
import { bindValue, isValue } from './values.js';

type Parameters = readonly AttributeValue[];
type SortKeyOperator = NonNullable<KeyCondition['sort']>['operator'];

const OVERLAPPING = 'Overlapping conditions with range keys are not supported in where clause';

export interface WriteTarget {
  key: Item;
  /** The conditions beside the key's, which the item must meet. */
  rest?: Expr;
}

export interface ReadPlan {
  /** The partition key values to read, a Query each, in this order; none for a Scan. */
  partitions?: AttributeValue[];
  sort?: { operator: SortKeyOperator; values: AttributeValue[] };
  descending: boolean;
}

/** The conditions ANDed at the top of a clause (parentheses are gone once parsed). */
export function conjuncts(expr: Expr | undefined): Expr[] {
  if (!expr) return [];
  return expr.kind === 'and' ? [...conjuncts(expr.left), ...conjuncts(expr.right)] : [expr];
}

function allOf(exprs: Expr[]): Expr | undefined {
  return exprs.reduce<Expr | undefined>(
    (left, right) => (left ? { kind: 'and', left, right } : right),
    undefined,
  );
}

export function keyNames(schema: KeySchema): string[] {
  return schema.range ? [schema.hash.name, schema.range.name] : [schema.hash.name];
}

/** `name = value` either way round, on a top-level attribute. */
function equality(expr: Expr, parameters: Parameters): { name: string; value: AttributeValue } | undefined {
  const comparison = comparisonOf(expr, parameters);
  return comparison?.comparator === '=' ? { name: comparison.name, value: comparison.value } : undefined;
}

const FLIPPED: Readonly<Record<Comparator, Comparator>> = {
  '=': '=',
  '<>': '<>',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};

/** A comparison of a top-level attribute with a value, written attribute first. */
function comparisonOf(
  expr: Expr,
  parameters: Parameters,
): { name: string; comparator: Comparator; value: AttributeValue } | undefined {
  if (expr.kind !== 'compare') return undefined;
  const { left, right } = expr;
  if (left.kind === 'path' && left.steps.length === 1 && isValue(right)) {
    return { name: left.steps[0], comparator: expr.comparator, value: bindValue(right, parameters) };
  }
  if (right.kind === 'path' && right.steps.length === 1 && isValue(left)) {
    return { name: right.steps[0], comparator: FLIPPED[expr.comparator], value: bindValue(left, parameters) };
  }
  return undefined;
}

/** UPDATE and DELETE: the item's key, and what else its WHERE clause asks of it. */
export function writeTarget(where: Expr | undefined, schema: KeySchema, parameters: Parameters): WriteTarget {
  const names = keyNames(schema);
  const key: Item = {};
  const rest: Expr[] = [];
  for (const condition of conjuncts(where)) {
    const found = equality(condition, parameters);
    if (!found || !names.includes(found.name)) {
      rest.push(condition);
      continue;
    }
    const earlier = key[found.name];
    if (earlier && !sameValue(earlier, found.value)) {
      throw invalid(
        `Multiple conditions on same key ${found.name}. Only single item Update/Insert/Delete are supported`,
      );
    }
    key[found.name] = found.value;
  }
  if (names.some((name) => !key[name])) throw invalid(INCOMPLETE_KEY);
  const others = allOf(rest);
  return others ? { key, rest: others } : { key };
}

/**
 * A batch's or transaction's SELECT: the key, when the WHERE clause is equalities (or one-value
 * INs) on the key attributes and nothing else; undefined otherwise.
 */
export function itemKey(
  where: Expr | undefined,
  schema: KeySchema,
  parameters: Parameters,
): Item | undefined {
  const names = keyNames(schema);
  const key: Item = {};
  for (const condition of conjuncts(where)) {
    const found = equality(condition, parameters) ?? oneValueIn(condition, parameters);
    if (!found || !names.includes(found.name)) return undefined;
    const earlier = key[found.name];
    if (earlier && !sameValue(earlier, found.value)) return undefined;
    key[found.name] = found.value;
  }
  return names.every((name) => key[name]) ? key : undefined;
}

function oneValueIn(expr: Expr, parameters: Parameters): { name: string; value: AttributeValue } | undefined {
  if (expr.kind !== 'in' || expr.operand.kind !== 'path' || expr.operand.steps.length !== 1) return undefined;
  if (expr.list.kind !== 'list' || expr.list.items.length !== 1 || !isValue(expr.list.items[0]!)) {
    return undefined;
  }
  return { name: expr.operand.steps[0], value: bindValue(expr.list.items[0]!, parameters) };
}

/** `EXISTS(SELECT …)`: the first equality on each key attribute is the key, the rest the condition. */
export function conditionCheckTarget(
  where: Expr | undefined,
  schema: KeySchema,
  parameters: Parameters,
): WriteTarget & { rest: Expr } {
  const names = keyNames(schema);
  const key: Item = {};
  const rest: Expr[] = [];
  for (const condition of conjuncts(where)) {
    const found = equality(condition, parameters);
    if (found && names.includes(found.name) && !key[found.name]) key[found.name] = found.value;
    else rest.push(condition);
  }
  const others = allOf(rest);
  if (names.some((name) => !key[name]) || !others) {
    throw invalid('EXISTS() must contain a single item read with additional condition');
  }
  return { key, rest: others };
}

/** How a SELECT reads the table or index whose key is `schema`. */
export function readPlan(select: SelectStatement, schema: KeySchema, parameters: Parameters): ReadPlan {
  const conditions = conjuncts(select.where);
  const hash = schema.hash;
  let partitions: AttributeValue[] | undefined;
  for (const condition of conditions) {
    partitions = partitionValues(condition, hash.name, parameters);
    if (partitions) break;
  }
  if (partitions) {
    for (const value of partitions) checkKeyType(schema, hash.name, value);
    if (partitions.some((value, i) => partitions!.findIndex((other) => sameValue(other, value)) !== i)) {
      throw invalid(OVERLAPPING);
    }
  }
  const sort = partitions && schema.range ? sortCondition(conditions, schema, parameters) : undefined;
  const order = orderOf(select, schema, partitions);
  if (partitions && order.byPartition) {
    partitions.sort((a, b) => (compareValues(a, b) ?? 0) * (order.byPartition === 'DESC' ? -1 : 1));
  }
  return { ...(partitions ? { partitions } : {}), ...(sort ? { sort } : {}), descending: order.descending };
}

/** The partition values one condition names: `pk = v`, `pk IN [v, …]` or `pk = v OR pk = w …`. */
function partitionValues(
  condition: Expr,
  hash: string,
  parameters: Parameters,
): AttributeValue[] | undefined {
  if (condition.kind === 'in' && condition.operand.kind === 'path' && condition.operand.steps.length === 1) {
    if (condition.operand.steps[0] !== hash || condition.list.kind !== 'list') return undefined;
    if (!condition.list.items.every(isValue)) return undefined;
    return condition.list.items.map((item) => bindValue(item, parameters));
  }
  if (condition.kind === 'or') {
    const left = partitionValues(condition.left, hash, parameters);
    const right = left && partitionValues(condition.right, hash, parameters);
    return right && [...left!, ...right];
  }
  const found = equality(condition, parameters);
  return found?.name === hash ? [found.value] : undefined;
}

const SORT_OPERATORS: Partial<Record<Comparator, SortKeyOperator>> = {
  '=': 'EQ',
  '<': 'LT',
  '<=': 'LE',
  '>': 'GT',
  '>=': 'GE',
};

/** The first condition on the sort key a range read can serve; every value on the key typed as the key. */
function sortCondition(conditions: Expr[], schema: KeySchema, parameters: Parameters): ReadPlan['sort'] {
  const name = schema.range!.name;
  const onKey = (expr: Expr) => expr.kind === 'path' && expr.steps.length === 1 && expr.steps[0] === name;
  let sort: ReadPlan['sort'];
  for (const condition of conditions) {
    let found: ReadPlan['sort'];
    const comparison = comparisonOf(condition, parameters);
    if (comparison?.name === name && SORT_OPERATORS[comparison.comparator]) {
      found = { operator: SORT_OPERATORS[comparison.comparator]!, values: [comparison.value] };
    } else if (
      condition.kind === 'between' &&
      onKey(condition.operand) &&
      isValue(condition.lower) &&
      isValue(condition.upper)
    ) {
      found = {
        operator: 'BETWEEN',
        values: [bindValue(condition.lower, parameters), bindValue(condition.upper, parameters)],
      };
    } else if (condition.kind === 'in' && onKey(condition.operand) && condition.list.kind === 'list') {
      for (const item of condition.list.items) {
        if (isValue(item)) checkKeyType(schema, name, bindValue(item, parameters));
      }
    } else if (condition.kind === 'call' && condition.name === 'begins_with' && condition.args.length === 2) {
      const [operand, prefix] = condition.args as [Expr, Expr];
      const value = onKey(operand) && isValue(prefix) ? bindValue(prefix, parameters) : undefined;
      // begins_with of a number never holds; it stays a filter, as no range serves it.
      if (value && !('N' in value) && typeOf(value) === schema.range!.type) {
        found = { operator: 'BEGINS_WITH', values: [value] };
      }
    }
    if (!found) continue;
    for (const value of found.values) checkKeyType(schema, name, value);
    sort ??= found;
  }
  return sort;
}

function checkKeyType(schema: KeySchema, name: string, value: AttributeValue): void {
  const attribute = schema.hash.name === name ? schema.hash : schema.range!;
  if (typeOf(value) !== attribute.type) {
    throw invalid(`Key attribute's data type should match its data type in table's schema: Key ${name}`);
  }
}

/** ORDER BY: only on key attributes, and only when the read is a Query. */
function orderOf(
  select: SelectStatement,
  schema: KeySchema,
  partitions: AttributeValue[] | undefined,
): { descending: boolean; byPartition?: 'ASC' | 'DESC' } {
  if (select.orderBy.length === 0) return { descending: false };
  if (!select.where) throw invalid('Must have WHERE clause in the statement when using ORDER BY clause.');
  for (const { name } of select.orderBy) {
    if (name !== schema.hash.name && name !== schema.range?.name) {
      throw invalid(`Attribute ${name} in ORDER BY clause must be part of the primary key`);
    }
  }
  if (!partitions) {
    throw invalid(
      'Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.',
    );
  }
  const byHash = select.orderBy.find((key) => key.name === schema.hash.name);
  if (partitions.length > 1 && !byHash) {
    throw invalid(
      'Must have hash key in ORDER BY clause when more than one hash key condition specified in WHERE clause.',
    );
  }
  const descending = select.orderBy.find((key) => key.name === schema.range?.name)?.descending ?? false;
  return byHash ? { descending, byPartition: byHash.descending ? 'DESC' : 'ASC' } : { descending };
}
