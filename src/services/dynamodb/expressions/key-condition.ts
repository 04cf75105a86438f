/**
 * A Query's key condition. `keyConditionParts` reads a compiled KeyConditionExpression into one
 * condition per attribute — only AND, and on each side a comparison, BETWEEN or begins_with of
 * a top-level attribute with values — with DynamoDB's messages, which unlike the expression's
 * other errors carry no "Invalid KeyConditionExpression:" prefix; `keyConditionsParts` reads
 * the legacy KeyConditions into the same parts. `bindKeyCondition` then checks the parts against the key schema the Query
 * reads (the table's, or its index's), once the table is known.
 */
import { typeOf, type AttributeValue } from '../attribute-value.js';
import type { KeySchema } from '../table-schema.js';
import type {
  Condition,
  KeyCondition,
  KeyConditionPart,
  LegacyComparisonOperator,
  Operand,
  SortKeyOperator,
} from './ast.js';
import { ExpressionError } from './errors.js';
import { checkedConditionValues, legacyCondition, type LegacyCondition } from './legacy.js';

const FLIPPED = { '=': 'EQ', '<': 'GT', '<=': 'GE', '>': 'LT', '>=': 'LE' } as const;
const STRAIGHT = { '=': 'EQ', '<': 'LT', '<=': 'LE', '>': 'GT', '>=': 'GE' } as const;
const NOT_INDEXABLE: readonly LegacyComparisonOperator[] = [
  'NULL',
  'NOT_NULL',
  'NE',
  'CONTAINS',
  'NOT_CONTAINS',
  'IN',
];

export function keyConditionParts(condition: Condition): KeyConditionPart[] {
  const parts: KeyConditionPart[] = [];
  collect(condition, parts);
  checkPartCount(parts);
  return parts;
}

/** KeyConditions as the parts of a key condition. */
export function keyConditionsParts(
  keyConditions: Readonly<Record<string, LegacyCondition>>,
): KeyConditionPart[] {
  const parts = Object.entries(keyConditions).map(([name, condition]) => ({
    name,
    operator: condition.ComparisonOperator ?? 'EQ',
    values: checkedConditionValues(condition),
  }));
  checkPartCount(parts);
  return parts;
}

/** A Query names its partition key, and perhaps its sort key: one or two conditions. */
function checkPartCount(parts: readonly KeyConditionPart[]): void {
  if (parts.length !== 1 && parts.length !== 2) {
    throw new ExpressionError('Conditions can be of length 1 or 2 only');
  }
}

function collect(condition: Condition, parts: KeyConditionPart[]): void {
  const invalid = (operator: string) =>
    new ExpressionError(`Invalid operator used in KeyConditionExpression: ${operator}`);
  switch (condition.kind) {
    case 'and':
      collect(condition.left, parts);
      return collect(condition.right, parts);
    case 'or':
      throw invalid('OR');
    case 'not':
      throw invalid('NOT');
    case 'in':
      throw invalid('IN');
    case 'attribute_exists':
    case 'attribute_not_exists':
    case 'attribute_type':
    case 'contains':
      throw invalid(condition.kind);
    case 'comparison': {
      if (condition.comparator === '<>') throw invalid('<>');
      const name = keyAttribute([condition.left, condition.right], parts);
      const straight = condition.left.kind === 'path';
      const value = (straight ? condition.right : condition.left) as Operand & { kind: 'value' };
      const operator = (straight ? STRAIGHT : FLIPPED)[condition.comparator];
      parts.push({ name, operator, values: [value.value] });
      return;
    }
    case 'between':
    case 'begins_with': {
      const operands =
        condition.kind === 'between'
          ? [condition.operand, condition.lower, condition.upper]
          : [condition.operand, condition.prefix];
      if (operands[0]?.kind !== 'path') {
        const operator = condition.kind === 'between' ? 'BETWEEN' : 'begins_with';
        throw new ExpressionError(
          `Invalid condition in KeyConditionExpression: ${operator} operator must have the key attribute as its first operand`,
        );
      }
      const name = keyAttribute(operands, parts);
      const values = operands.slice(1).map((operand) => (operand as Operand & { kind: 'value' }).value);
      parts.push({ name, operator: condition.kind === 'between' ? 'BETWEEN' : 'BEGINS_WITH', values });
    }
  }
}

/** The one top-level attribute a condition is on; its other operands are values. */
function keyAttribute(operands: Operand[], parts: readonly KeyConditionPart[]): string {
  let name: string | undefined;
  for (const operand of operands) {
    if (operand.kind === 'size') {
      throw new ExpressionError('KeyConditionExpressions cannot contain nested operations');
    }
    if (operand.kind !== 'path') continue;
    if (name !== undefined) {
      throw new ExpressionError(
        'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition',
      );
    }
    if (operand.path.length > 1) {
      throw new ExpressionError('KeyConditionExpressions cannot have conditions on nested attributes');
    }
    name = operand.path[0];
  }
  if (name === undefined) {
    throw new ExpressionError('Invalid condition in KeyConditionExpression: No key attribute specified');
  }
  if (parts.some((part) => part.name === name)) {
    throw new ExpressionError('KeyConditionExpressions must only contain one condition per key');
  }
  return name;
}

/**
 * The parts as a condition on the key `schema`: equality on its partition key and at most one
 * indexable condition on its sort key, with values of the key's type.
 */
export function bindKeyCondition(parts: readonly KeyConditionPart[], schema: KeySchema): KeyCondition {
  const attributes = [schema.hash, ...(schema.range ? [schema.range] : [])];
  const found: (KeyConditionPart | undefined)[] = attributes.map((attribute, i) => {
    const isPartition = i === 0;
    if (isPartition && attributes.length === 1 && parts.length > 1) {
      throw new ExpressionError('Query key condition not supported');
    }
    const part = parts.find((candidate) => candidate.name === attribute.name);
    if (part === undefined) {
      if (isPartition || parts.length > 1) {
        throw new ExpressionError(`Query condition missed key schema element: ${attribute.name}`);
      }
      return undefined;
    }
    if (NOT_INDEXABLE.includes(part.operator)) {
      throw new ExpressionError('Attempted conditional constraint is not an indexable operation');
    }
    if (part.values.some((value) => typeOf(value) !== attribute.type)) {
      throw new ExpressionError(
        'One or more parameter values were invalid: Condition parameter type does not match schema type',
      );
    }
    if (isPartition && part.operator !== 'EQ') throw new ExpressionError('Query key condition not supported');
    if (part.values.some(isEmpty)) {
      const what = attribute.type === 'S' ? 'string' : 'binary';
      throw new ExpressionError(
        `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${what} value. Key: ${attribute.name}`,
      );
    }
    return part;
  });
  const [partition, sort] = found as [KeyConditionPart, KeyConditionPart | undefined];
  const partitionValue = partition.values[0] as AttributeValue;
  const keyCondition: KeyCondition = {
    partition: { name: partition.name, value: partitionValue },
    condition: legacyCondition(partition.name, partition.operator, partition.values),
  };
  if (sort) {
    keyCondition.sort = { name: sort.name, operator: sort.operator as SortKeyOperator, values: sort.values };
    keyCondition.condition = {
      kind: 'and',
      left: keyCondition.condition,
      right: legacyCondition(sort.name, sort.operator, sort.values),
    };
  }
  return keyCondition;
}

function isEmpty(value: AttributeValue): boolean {
  return ('S' in value && value.S === '') || ('B' in value && value.B.length === 0);
}
