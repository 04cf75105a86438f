/**
 * The request-level rules about expression parameters, before any expression is read: which
 * parameters each operation takes, no mixing of expressions with the legacy parameters they
 * replace, placeholder maps only alongside expressions, and well-formed placeholder maps.
 */
import type { Item } from '../attribute-value.js';
import { ExpressionError, type ExpressionParameter } from './errors.js';
import { checkedExpressionAttributeValues } from './values.js';

/**
 * The operations whose requests carry expressions; `ConditionCheck` is TransactWriteItems'
 * condition-only item, and BatchGetItem's and TransactGetItems' reads are `GetItem`s.
 */
export type ExpressionOperation =
  'GetItem' | 'PutItem' | 'DeleteItem' | 'UpdateItem' | 'Query' | 'Scan' | 'ConditionCheck';

type LegacyParameter =
  | 'AttributesToGet'
  | 'Expected'
  | 'ConditionalOperator'
  | 'AttributeUpdates'
  | 'KeyConditions'
  | 'QueryFilter'
  | 'ScanFilter';

/** Each operation's expression and legacy parameters, in the order DynamoDB's messages list them. */
export const PARAMETERS: Record<
  ExpressionOperation,
  { expressions: ExpressionParameter[]; legacy: LegacyParameter[] }
> = {
  GetItem: { expressions: ['ProjectionExpression'], legacy: ['AttributesToGet'] },
  PutItem: { expressions: ['ConditionExpression'], legacy: ['Expected', 'ConditionalOperator'] },
  DeleteItem: { expressions: ['ConditionExpression'], legacy: ['Expected', 'ConditionalOperator'] },
  UpdateItem: {
    expressions: ['UpdateExpression', 'ConditionExpression'],
    legacy: ['AttributeUpdates', 'Expected', 'ConditionalOperator'],
  },
  Query: {
    expressions: ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'],
    legacy: ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions'],
  },
  Scan: {
    expressions: ['ProjectionExpression', 'FilterExpression'],
    legacy: ['AttributesToGet', 'ScanFilter', 'ConditionalOperator'],
  },
  ConditionCheck: { expressions: ['ConditionExpression'], legacy: [] },
};

type Present = (parameter: string) => boolean;

export function checkParameterMix(operation: ExpressionOperation, present: Present): void {
  const { expressions, legacy } = PARAMETERS[operation];
  const given = expressions.filter(present);
  if (given.length > 0) {
    // KeyConditions may go with the other expressions as long as KeyConditionExpression is absent.
    const mixed = legacy.filter(
      (parameter) =>
        present(parameter) && !(parameter === 'KeyConditions' && !present('KeyConditionExpression')),
    );
    if (mixed.length > 0) {
      throw new ExpressionError(
        `Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${mixed.join(', ')}} Expression parameters: {${given.join(', ')}}`,
      );
    }
  }
  if (present('ExpressionAttributeNames') && given.length === 0) {
    throw new ExpressionError('ExpressionAttributeNames can only be specified when using expressions');
  }
  const taking = expressions.filter((parameter) => parameter !== 'ProjectionExpression');
  if (taking.length > 0 && present('ExpressionAttributeValues') && !taking.some(present)) {
    throw new ExpressionError(
      `ExpressionAttributeValues can only be specified when using expressions: ${taking.join(' and ')} ${taking.length > 1 ? 'are' : 'is'} null`,
    );
  }
}

const MAX_PLACEHOLDER_BYTES = 255;

/** Checks ExpressionAttributeNames' keys and names. */
export function checkNames(names: Readonly<Record<string, string>>): void {
  checkKeys('ExpressionAttributeNames', names, /^#[0-9A-Za-z_]+$/);
  for (const [key, name] of Object.entries(names)) {
    if (name === '') {
      throw new ExpressionError(
        `ExpressionAttributeNames contains invalid value: Empty attribute name for key ${key}`,
      );
    }
  }
}

/** Checks ExpressionAttributeValues' keys and values, returning the values in stored form. */
export function checkValues(values: Item): Item {
  checkKeys('ExpressionAttributeValues', values, /^:[0-9A-Za-z_]+$/);
  return checkedExpressionAttributeValues(values);
}

function checkKeys(parameter: string, map: object, pattern: RegExp): void {
  const keys = Object.keys(map);
  if (keys.length === 0) throw new ExpressionError(`${parameter} must not be empty`);
  for (const key of keys) {
    const size = Buffer.byteLength(key);
    if (size > MAX_PLACEHOLDER_BYTES) {
      throw new ExpressionError(
        `${parameter} contains invalid key: The expression attribute map contains a key that is too long; size of key: ${size}`,
      );
    }
    if (!pattern.test(key)) {
      throw new ExpressionError(`${parameter} contains invalid key: Syntax error; key: "${key}"`);
    }
  }
}
