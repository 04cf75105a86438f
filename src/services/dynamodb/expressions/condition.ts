/**
 * Evaluating a compiled condition against an item, with DynamoDB's semantics: an operand that
 * reads a missing attribute makes its comparison false (and `<>` true); values of different
 * types are never equal and never ordered; `<`, `<=`, `>`, `>=` and BETWEEN order numbers,
 * strings (by UTF-8 bytes) and binaries (by unsigned bytes) only. A missing item is an item with
 * no attributes, so `attribute_not_exists(pk)` holds for it.
 */
import type { AttributeValue, Item } from '../attribute-value.js';
import { typeOf } from '../attribute-value.js';
import { compareValues } from '../values/compare.js';
import { compareNumbers } from '../values/numbers.js';
import type { Condition, Operand } from './ast.js';
import { sameValue, valueAt } from './document.js';

export function evaluateCondition(condition: Condition, item: Item | undefined): boolean {
  switch (condition.kind) {
    case 'and':
      return evaluateCondition(condition.left, item) && evaluateCondition(condition.right, item);
    case 'or':
      return evaluateCondition(condition.left, item) || evaluateCondition(condition.right, item);
    case 'not':
      return !evaluateCondition(condition.condition, item);
    case 'comparison': {
      const left = operandValue(condition.left, item);
      const right = operandValue(condition.right, item);
      if (condition.comparator === '=') return equal(left, right);
      if (condition.comparator === '<>') return !equal(left, right);
      const order = ordered(left, right);
      if (order === undefined) return false;
      switch (condition.comparator) {
        case '<':
          return order < 0;
        case '<=':
          return order <= 0;
        case '>':
          return order > 0;
        default:
          return order >= 0;
      }
    }
    case 'between': {
      const value = operandValue(condition.operand, item);
      const fromLower = ordered(operandValue(condition.lower, item), value);
      const toUpper = ordered(value, operandValue(condition.upper, item));
      return fromLower !== undefined && toUpper !== undefined && fromLower <= 0 && toUpper <= 0;
    }
    case 'in': {
      const value = operandValue(condition.operand, item);
      return condition.list.some((operand) => equal(value, operandValue(operand, item)));
    }
    case 'attribute_exists':
      return valueAt(item, condition.path) !== undefined;
    case 'attribute_not_exists':
      return valueAt(item, condition.path) === undefined;
    case 'attribute_type': {
      const value = valueAt(item, condition.path);
      return value !== undefined && typeOf(value) === condition.type;
    }
    case 'begins_with':
      return beginsWith(operandValue(condition.operand, item), operandValue(condition.prefix, item));
    case 'contains':
      return contains(operandValue(condition.operand, item), operandValue(condition.element, item));
  }
}

/** An operand's value for an item; undefined for a missing attribute or a size() of one. */
function operandValue(operand: Operand, item: Item | undefined): AttributeValue | undefined {
  switch (operand.kind) {
    case 'value':
      return operand.value;
    case 'path':
      return valueAt(item, operand.path);
    case 'size': {
      const value = operandValue(operand.operand, item);
      const size = value === undefined ? undefined : sizeOf(value);
      return size === undefined ? undefined : { N: String(size) };
    }
  }
}

/**
 * size(): a string's length, a binary's bytes, a set's or list's members, a map's keys; numbers,
 * booleans and nulls have none.
 */
function sizeOf(value: AttributeValue): number | undefined {
  if ('S' in value) return value.S.length;
  if ('B' in value) return value.B.length;
  if ('SS' in value) return value.SS.length;
  if ('NS' in value) return value.NS.length;
  if ('BS' in value) return value.BS.length;
  if ('L' in value) return value.L.length;
  if ('M' in value) return Object.keys(value.M).length;
  return undefined;
}

function equal(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  return a !== undefined && b !== undefined && sameValue(a, b);
}

function ordered(a: AttributeValue | undefined, b: AttributeValue | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : compareValues(a, b);
}

function beginsWith(value: AttributeValue | undefined, prefix: AttributeValue | undefined): boolean {
  if (value === undefined || prefix === undefined) return false;
  if ('S' in value && 'S' in prefix) return value.S.startsWith(prefix.S);
  if ('B' in value && 'B' in prefix) return startsWithBytes(value.B, prefix.B);
  return false;
}

/**
 * contains(): a substring of a string, a byte run of a binary, a member of a set of the
 * element's type, or an element of a list equal to it.
 */
function contains(value: AttributeValue | undefined, element: AttributeValue | undefined): boolean {
  if (value === undefined || element === undefined) return false;
  if ('S' in value) return 'S' in element && value.S.includes(element.S);
  if ('B' in value) return 'B' in element && Buffer.from(value.B).includes(Buffer.from(element.B));
  if ('SS' in value) return 'S' in element && value.SS.includes(element.S);
  if ('NS' in value) return 'N' in element && value.NS.some((n) => compareNumbers(n, element.N) === 0);
  if ('BS' in value) return 'B' in element && value.BS.some((b) => Buffer.compare(b, element.B) === 0);
  if ('L' in value) return value.L.some((member) => sameValue(member, element));
  return false;
}

function startsWithBytes(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && Buffer.compare(bytes.subarray(0, prefix.length), prefix) === 0;
}
