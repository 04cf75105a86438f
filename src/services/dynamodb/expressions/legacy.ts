/**
 * The legacy conditional parameters — Expected, QueryFilter, ScanFilter and KeyConditions, with
 * ConditionalOperator — checked with DynamoDB's messages and turned into the same conditions an
 * expression compiles to, so the service evaluates one thing. Each attribute's condition names
 * that attribute at the top level, whatever characters its name holds.
 */
import { typeOf, type AttributeType, type AttributeValue } from '../attribute-value.js';
import { compareValues } from '../values/compare.js';
import type { Comparator, Condition, LegacyComparisonOperator, Operand } from './ast.js';
import { ExpressionError } from './errors.js';
import { checkedValue } from './values.js';

export interface LegacyCondition {
  ComparisonOperator?: LegacyComparisonOperator;
  AttributeValueList?: AttributeValue[];
}

export interface ExpectedAttributeValue extends LegacyCondition {
  Value?: AttributeValue;
  Exists?: boolean;
}

export type ConditionalOperator = 'AND' | 'OR';

const INVALID = 'One or more parameter values were invalid: ';

/** How many values each operator takes, as [fewest, most]. */
const ARITY: Record<LegacyComparisonOperator, [number, number]> = {
  EQ: [1, 1],
  NE: [1, 1],
  LE: [1, 1],
  LT: [1, 1],
  GE: [1, 1],
  GT: [1, 1],
  NOT_NULL: [0, 0],
  NULL: [0, 0],
  CONTAINS: [1, 1],
  NOT_CONTAINS: [1, 1],
  BEGINS_WITH: [1, 1],
  IN: [1, Infinity],
  BETWEEN: [2, 2],
};

const SCALARS: readonly AttributeType[] = ['S', 'N', 'B'];
/** The value types each operator takes; EQ and NE take every type. */
const TYPES: Partial<Record<LegacyComparisonOperator, readonly AttributeType[]>> = {
  LE: SCALARS,
  LT: SCALARS,
  GE: SCALARS,
  GT: SCALARS,
  CONTAINS: SCALARS,
  NOT_CONTAINS: SCALARS,
  BEGINS_WITH: ['S', 'B'],
  IN: SCALARS,
  BETWEEN: SCALARS,
};

/** QueryFilter or ScanFilter as a condition; undefined for an empty filter. */
export function filterCondition(
  filter: Readonly<Record<string, LegacyCondition>>,
  operator: ConditionalOperator | undefined,
): Condition | undefined {
  const conditions = Object.entries(filter).map(([name, condition]) => {
    const values = checkedConditionValues(condition);
    return legacyCondition(name, condition.ComparisonOperator ?? 'EQ', values);
  });
  return combine(conditions, operator);
}

/** Expected as a condition; undefined for an empty map. */
export function expectedCondition(
  expected: Readonly<Record<string, ExpectedAttributeValue>>,
  operator: ConditionalOperator | undefined,
): Condition | undefined {
  const conditions = Object.entries(expected).map(([name, condition]) => {
    const invalid = (reason: string) => new ExpressionError(`${INVALID}${reason} for Attribute: ${name}`);
    if (condition.AttributeValueList !== undefined && condition.Value !== undefined) {
      throw invalid('Value and AttributeValueList cannot be used together');
    }
    const comparison = condition.ComparisonOperator;
    if (comparison !== undefined) {
      if (condition.Exists !== undefined)
        throw invalid('Exists and ComparisonOperator cannot be used together');
      const listed = condition.AttributeValueList ?? (condition.Value ? [condition.Value] : undefined);
      if (listed === undefined && comparison !== 'NULL' && comparison !== 'NOT_NULL') {
        throw invalid(`Value or AttributeValueList must be used with ComparisonOperator: ${comparison}`);
      }
      const values = checkedConditionValues({ ComparisonOperator: comparison, AttributeValueList: listed });
      return legacyCondition(name, comparison, values);
    }
    if (condition.AttributeValueList !== undefined) {
      throw invalid('AttributeValueList can only be used with a ComparisonOperator');
    }
    const exists = condition.Exists ?? true;
    if (exists && condition.Value === undefined) {
      throw invalid(`Value must be provided when Exists is ${condition.Exists ?? 'null'}`);
    }
    if (!exists && condition.Value !== undefined) throw invalid('Value cannot be used when Exists is false');
    if (condition.Value === undefined) return legacyCondition(name, 'NULL', []);
    return legacyCondition(name, 'EQ', [checkedValue(condition.Value)]);
  });
  return combine(conditions, operator);
}

/** The condition's values, checked as DynamoDB checks them, in its order. */
export function checkedConditionValues(condition: LegacyCondition): AttributeValue[] {
  const operator = condition.ComparisonOperator ?? 'EQ';
  const values = (condition.AttributeValueList ?? []).map(checkedValue);
  const [fewest, most] = ARITY[operator];
  if (values.length < fewest || values.length > most) {
    throw new ExpressionError(
      `${INVALID}Invalid number of argument(s) for the ${operator} ComparisonOperator`,
    );
  }
  const first = values[0];
  if (first !== undefined && values.some((value) => typeOf(value) !== typeOf(first))) {
    throw new ExpressionError(`${INVALID}AttributeValues inside AttributeValueList must be of same type`);
  }
  const allowed = TYPES[operator];
  const refused = allowed && values.find((value) => !allowed.includes(typeOf(value)));
  if (refused) {
    throw new ExpressionError(
      `${INVALID}ComparisonOperator ${operator} is not valid for ${typeOf(refused)} AttributeValue type`,
    );
  }
  if (
    operator === 'BETWEEN' &&
    (compareValues(values[0] as AttributeValue, values[1] as AttributeValue) ?? 0) > 0
  ) {
    throw new ExpressionError(
      'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound',
    );
  }
  return values;
}

function combine(conditions: Condition[], operator: ConditionalOperator | undefined): Condition | undefined {
  const kind = operator === 'OR' ? 'or' : 'and';
  return conditions.reduce<Condition | undefined>(
    (left, right) => (left === undefined ? right : { kind, left, right }),
    undefined,
  );
}

const COMPARATORS: Partial<Record<LegacyComparisonOperator, Comparator>> = {
  EQ: '=',
  NE: '<>',
  LE: '<=',
  LT: '<',
  GE: '>=',
  GT: '>',
};

/** One attribute's legacy condition as the expression it amounts to. */
export function legacyCondition(
  name: string,
  operator: LegacyComparisonOperator,
  values: AttributeValue[],
): Condition {
  const path = { kind: 'path', path: [name] } as const;
  const list = values.map((value): Operand => ({ kind: 'value', value }));
  const [first, second] = list as [Operand, Operand];
  const comparator = COMPARATORS[operator];
  if (comparator) return { kind: 'comparison', comparator, left: path, right: first };
  switch (operator) {
    case 'NOT_NULL':
      return { kind: 'attribute_exists', path: path.path };
    case 'NULL':
      return { kind: 'attribute_not_exists', path: path.path };
    case 'CONTAINS':
      return { kind: 'contains', operand: path, element: first };
    case 'NOT_CONTAINS':
      return { kind: 'not', condition: { kind: 'contains', operand: path, element: first } };
    case 'BEGINS_WITH':
      return { kind: 'begins_with', operand: path, prefix: first };
    case 'IN':
      return { kind: 'in', operand: path, list };
    default:
      return { kind: 'between', operand: path, lower: first, upper: second };
  }
}
