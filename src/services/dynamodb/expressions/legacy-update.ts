/**
 * The legacy AttributeUpdates and AttributesToGet parameters, checked with DynamoDB's messages
 * and turned into the update and projection their expressions would compile to.
 */
import { typeOf, type AttributeType, type AttributeValue } from '../attribute-value.js';
import type { DocumentPath, Update, UpdateAction } from './ast.js';
import { ExpressionError } from './errors.js';
import { checkedValue } from './values.js';

export interface AttributeValueUpdate {
  Value?: AttributeValue;
  Action?: 'PUT' | 'ADD' | 'DELETE';
}

const INVALID = 'One or more parameter values were invalid: ';
const DELETE_TYPES: readonly AttributeType[] = ['SS', 'NS', 'BS'];
const ADD_TYPES: readonly AttributeType[] = ['L', 'SS', 'NS', 'BS', 'N'];

/** AttributeUpdates as an update: PUT sets, DELETE without a value removes, ADD and DELETE as in expressions. */
export function attributeUpdatesUpdate(updates: Readonly<Record<string, AttributeValueUpdate>>): Update {
  const actions = Object.entries(updates).map(([name, update]): UpdateAction => {
    const path: DocumentPath = [name];
    const action = update.Action ?? 'PUT';
    if (update.Value === undefined) {
      if (action !== 'DELETE') {
        throw new ExpressionError(
          `${INVALID}Only DELETE action is allowed when no attribute value is specified`,
        );
      }
      return { action: 'REMOVE', path };
    }
    const value = checkedValue(update.Value);
    const type = typeOf(value);
    if (action === 'DELETE' && !DELETE_TYPES.includes(type)) {
      throw new ExpressionError(`${INVALID}DELETE action with value is not supported for the type ${type}`);
    }
    if (action === 'ADD' && !ADD_TYPES.includes(type)) {
      throw new ExpressionError(`${INVALID}ADD action is not supported for the type ${type}`);
    }
    return action === 'PUT'
      ? { action: 'SET', path, value: { kind: 'value', value } }
      : { action, path, value };
  });
  return { source: 'AttributeUpdates', actions };
}

/** AttributesToGet as projection paths, each a top-level attribute. */
export function attributesToGetPaths(names: readonly string[]): DocumentPath[] {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      throw new ExpressionError(`${INVALID}Duplicate value in attribute name: ${name}`);
    }
    seen.add(name);
  }
  return names.map((name): DocumentPath => [name]);
}
