/**
 * Velocity 1.7's operators on values.
 *
 * - Arithmetic: integers stay integers (`5 / 2` is 2, `-7 % 2` is -1) and widen instead of
 *   overflowing; a double on either side makes a double. Division or remainder by zero, or an
 *   operand that is not a number, gives null. (`+` with a string on either side concatenates; the
 *   evaluator handles that, since it prints a null operand by its reference.)
 * - `<`, `>`, `<=`, `>=` compare numbers only; anything else is false.
 * - `==` compares numbers by value, same kinds with `equals`, and different kinds by their text
 *   (`"1" == 1` is true). Null equals null and, as API Gateway answers, the empty string.
 */
import { toText } from './text.js';
import {
  HostObject,
  isList,
  isMap,
  isNumeric,
  JavaDouble,
  javaEquals,
  javaInteger,
  toDouble,
  type Value,
} from './values.js';

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';
export type ComparisonOperator = '<' | '>' | '<=' | '>=';

export function arithmetic(operator: ArithmeticOperator, left: Value, right: Value): Value {
  if (!isNumeric(left) || !isNumeric(right)) return null;
  if (left instanceof JavaDouble || right instanceof JavaDouble) {
    const a = toDouble(left);
    const b = toDouble(right);
    if ((operator === '/' || operator === '%') && b === 0) return null;
    return new JavaDouble(applyDouble(operator, a, b));
  }
  const a = BigInt(left);
  const b = BigInt(right);
  if ((operator === '/' || operator === '%') && b === 0n) return null;
  return javaInteger(applyInteger(operator, a, b));
}

function applyDouble(operator: ArithmeticOperator, a: number, b: number): number {
  switch (operator) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
  }
}

function applyInteger(operator: ArithmeticOperator, a: bigint, b: bigint): bigint {
  switch (operator) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
  }
}

export function negate(value: Value): Value {
  if (value instanceof JavaDouble) return new JavaDouble(-value.value);
  if (typeof value === 'number' || typeof value === 'bigint') return javaInteger(-BigInt(value));
  return null;
}

export function compare(operator: ComparisonOperator, left: Value, right: Value): boolean {
  if (!isNumeric(left) || !isNumeric(right)) return false;
  const order = numericOrder(left, right);
  switch (operator) {
    case '<':
      return order < 0;
    case '>':
      return order > 0;
    case '<=':
      return order <= 0;
    case '>=':
      return order >= 0;
  }
}

/** Negative, zero or positive as `left` is below, equal to or above `right`; NaN compares as unordered. */
function numericOrder(left: number | bigint | JavaDouble, right: number | bigint | JavaDouble): number {
  if (left instanceof JavaDouble || right instanceof JavaDouble) {
    const a = toDouble(left);
    const b = toDouble(right);
    return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
  }
  const a = BigInt(left);
  const b = BigInt(right);
  return a < b ? -1 : a > b ? 1 : 0;
}

export function velocityEquals(left: Value, right: Value): boolean {
  if (left === null || right === null) {
    const other = left ?? right;
    return other === null || other === '';
  }
  if (isNumeric(left) && isNumeric(right)) return numericOrder(left, right) === 0;
  if (typeof left === typeof right && typeof left !== 'object') return left === right;
  if (left instanceof HostObject && right instanceof HostObject) return left === right;
  if ((isList(left) && isList(right)) || (isMap(left) && isMap(right))) return javaEquals(left, right);
  return toText(left) === toText(right);
}
