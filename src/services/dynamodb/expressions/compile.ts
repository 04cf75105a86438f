/**
 * The entry point: all the expressions of one request — or the legacy parameters they replace —
 * checked in DynamoDB's order and compiled, before the service looks at any table. The checks:
 *
 * 1. which parameters go together (parameters.ts);
 * 2. the legacy parameters' own rules (KeyConditions' at the end, with the key condition), and
 *    a Query's need for a key condition;
 * 3. ExpressionAttributeNames, then ExpressionAttributeValues;
 * 4. each expression — UpdateExpression, ConditionExpression, KeyConditionExpression,
 *    FilterExpression, ProjectionExpression — empty, then over 4 KB, then its syntax and rules;
 * 5. placeholders no expression used, names before values, counted over all expressions;
 * 6. the shape of a key condition.
 *
 * What depends on the table (key schema, key attributes) is `bindTable`'s, in table.ts.
 */
import type { Item } from '../attribute-value.js';
import type { Condition, DocumentPath, KeyConditionPart, Update } from './ast.js';
import { compileCondition } from './check-condition.js';
import { compileProjection } from './check-projection.js';
import { compileUpdate } from './check-update.js';
import { ExpressionError, inExpression, type ExpressionParameter } from './errors.js';
import { javaHashSetOrder } from './java-order.js';
import { keyConditionParts, keyConditionsParts } from './key-condition.js';
import {
  expectedCondition,
  filterCondition,
  type ConditionalOperator,
  type ExpectedAttributeValue,
  type LegacyCondition,
} from './legacy.js';
import { attributeUpdatesUpdate, attributesToGetPaths, type AttributeValueUpdate } from './legacy-update.js';
import { checkNames, checkParameterMix, checkValues, type ExpressionOperation } from './parameters.js';
import { parseCondition, parseProjection, parseUpdate } from './parser.js';
import { Placeholders } from './placeholders.js';

/** The members of a request that concern expressions, as the protocol layer hands them over. */
export interface ExpressionRequest {
  ConditionExpression?: string;
  FilterExpression?: string;
  KeyConditionExpression?: string;
  UpdateExpression?: string;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
  Expected?: Record<string, ExpectedAttributeValue>;
  ConditionalOperator?: ConditionalOperator;
  KeyConditions?: Record<string, LegacyCondition>;
  QueryFilter?: Record<string, LegacyCondition>;
  ScanFilter?: Record<string, LegacyCondition>;
  AttributesToGet?: string[];
  AttributeUpdates?: Record<string, AttributeValueUpdate>;
}

export interface CompiledExpressions {
  /** ConditionExpression or Expected: what the item must satisfy for a write to happen. */
  condition?: Condition;
  /** FilterExpression, QueryFilter or ScanFilter: which read items are returned. */
  filter?: Condition;
  /** Which parameter the filter came from; a Query's messages about it name it. */
  filterParameter?: 'FilterExpression' | 'QueryFilter' | 'ScanFilter';
  /** KeyConditionExpression or KeyConditions, one part per attribute; bindTable checks them. */
  keyConditionParts?: KeyConditionPart[];
  /** UpdateExpression or AttributeUpdates. */
  update?: Update;
  /** ProjectionExpression or AttributesToGet. */
  projection?: DocumentPath[];
}

const MAX_EXPRESSION_BYTES = 4096;

export function compileExpressions(
  operation: ExpressionOperation,
  request: ExpressionRequest,
): CompiledExpressions {
  const present = (parameter: string) => request[parameter as keyof ExpressionRequest] !== undefined;
  checkParameterMix(operation, present);
  const compiled = compileLegacy(request);
  if (operation === 'Query' && !present('KeyConditions') && !present('KeyConditionExpression')) {
    throw new ExpressionError(
      'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.',
    );
  }
  if (request.ExpressionAttributeNames) checkNames(request.ExpressionAttributeNames);
  const values = request.ExpressionAttributeValues && checkValues(request.ExpressionAttributeValues);
  const placeholders = new Placeholders(request.ExpressionAttributeNames, values);
  const read = <T>(parameter: ExpressionParameter, compile: (text: string) => T): T | undefined => {
    const text = request[parameter];
    if (text === undefined) return undefined;
    return inExpression(parameter, () => {
      if (text === '') throw new ExpressionError('The expression can not be empty;');
      const size = Buffer.byteLength(text);
      if (size > MAX_EXPRESSION_BYTES) {
        throw new ExpressionError(
          `Expression size has exceeded the maximum allowed size; expression size: ${size}`,
        );
      }
      return compile(text);
    });
  };
  const update = read('UpdateExpression', (text) => compileUpdate(parseUpdate(text), placeholders));
  const condition = read('ConditionExpression', (text) =>
    compileCondition(parseCondition(text), placeholders),
  );
  const keyCondition = read('KeyConditionExpression', (text) =>
    compileCondition(parseCondition(text), placeholders),
  );
  const filter = read('FilterExpression', (text) => compileCondition(parseCondition(text), placeholders));
  const projection = read('ProjectionExpression', (text) =>
    compileProjection(parseProjection(text), placeholders),
  );
  checkAllUsed(placeholders);
  if (update) compiled.update = update;
  if (condition) compiled.condition = condition;
  if (keyCondition) compiled.keyConditionParts = keyConditionParts(keyCondition);
  if (filter) {
    compiled.filter = filter;
    compiled.filterParameter = 'FilterExpression';
  }
  if (projection) compiled.projection = projection;
  if (request.KeyConditions && !keyCondition)
    compiled.keyConditionParts = keyConditionsParts(request.KeyConditions);
  return compiled;
}

function compileLegacy(request: ExpressionRequest): CompiledExpressions {
  const compiled: CompiledExpressions = {};
  const legacyFilter = request.QueryFilter ? 'QueryFilter' : request.ScanFilter ? 'ScanFilter' : undefined;
  if (legacyFilter) {
    const filter = filterCondition(request[legacyFilter] ?? {}, request.ConditionalOperator);
    if (filter) {
      compiled.filter = filter;
      compiled.filterParameter = legacyFilter;
    }
  }
  if (request.AttributesToGet) compiled.projection = attributesToGetPaths(request.AttributesToGet);
  if (request.AttributeUpdates) compiled.update = attributeUpdatesUpdate(request.AttributeUpdates);
  if (request.Expected) {
    const condition = expectedCondition(request.Expected, request.ConditionalOperator);
    if (condition) compiled.condition = condition;
  }
  return compiled;
}

function checkAllUsed(placeholders: Placeholders): void {
  const unused = (parameter: string, defined: object, used: Set<string>) => {
    const keys = Object.keys(defined);
    const left = keys.filter((key) => !used.has(key));
    if (left.length > 0) {
      throw new ExpressionError(
        `Value provided in ${parameter} unused in expressions: keys: {${javaHashSetOrder(left, keys.length).join(', ')}}`,
      );
    }
  };
  unused('ExpressionAttributeNames', placeholders.names, placeholders.usedNames);
  unused('ExpressionAttributeValues', placeholders.values, placeholders.usedValues);
}
