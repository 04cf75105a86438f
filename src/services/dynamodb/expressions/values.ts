/**
 * The attribute values expressions and legacy conditions carry go through the same checks as
 * any value a request sends (values/validate.ts), coming back in stored form (numbers
 * canonical); their failures become this module's ValidationException.
 */
import type { AttributeValue, Item } from '../attribute-value.js';
import { ValueError, validateExpressionAttributeValues, validateValue } from '../values/validate.js';
import { ExpressionError } from './errors.js';

export function checkedValue(value: AttributeValue): AttributeValue {
  return asExpressionError(() => validateValue(value));
}

export function checkedExpressionAttributeValues(values: Item): Item {
  return asExpressionError(() => validateExpressionAttributeValues(values));
}

function asExpressionError<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ValueError) throw new ExpressionError(error.message);
    throw error;
  }
}
