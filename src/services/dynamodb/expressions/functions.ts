/**
 * The expression language's functions, where each may appear, and the messages DynamoDB gives
 * when one is misused — shared by the condition and update checkers.
 */
import { typeOf, type AttributeType } from '../attribute-value.js';
import type { Operand, UpdateOperand } from './ast.js';
import { ExpressionError } from './errors.js';

/** Functions that are conditions themselves, with their number of operands. */
const CONDITION_FUNCTIONS: Readonly<Record<string, number>> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
};
/** Functions that give an operand of a condition. */
const OPERAND_FUNCTIONS: Readonly<Record<string, number>> = { size: 1 };
/** Functions that give a value for SET. */
const UPDATE_FUNCTIONS: Readonly<Record<string, number>> = { if_not_exists: 2, list_append: 2 };

type FunctionPlace = 'condition' | 'operand' | 'update';

/** Refuses a function DynamoDB does not have, or one written where it cannot be used. */
export function checkFunctionPlace(name: string, place: FunctionPlace): void {
  const isCondition = Object.hasOwn(CONDITION_FUNCTIONS, name);
  const isOperand = Object.hasOwn(OPERAND_FUNCTIONS, name);
  const isUpdate = Object.hasOwn(UPDATE_FUNCTIONS, name);
  if (!isCondition && !isOperand && !isUpdate) {
    throw new ExpressionError(`Invalid function name; function: ${name}`);
  }
  if (place === 'update') {
    if (!isUpdate) {
      throw new ExpressionError(`The function is not allowed in an update expression; function: ${name}`);
    }
    return;
  }
  if (isUpdate) {
    throw new ExpressionError(`The function is not allowed in a condition expression; function: ${name}`);
  }
  if (isCondition !== (place === 'condition')) {
    throw new ExpressionError(
      `The function is not allowed to be used this way in an expression; function: ${name}`,
    );
  }
}

export function checkOperandCount(name: string, count: number): void {
  const expected = CONDITION_FUNCTIONS[name] ?? OPERAND_FUNCTIONS[name] ?? UPDATE_FUNCTIONS[name] ?? count;
  if (count !== expected) {
    throw new ExpressionError(
      `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${count}`,
    );
  }
}

export function requiresPath(name: string): ExpressionError {
  return new ExpressionError(`Operator or function requires a document path; operator or function: ${name}`);
}

export function incorrectOperandType(operator: string, type: string): ExpressionError {
  return new ExpressionError(
    `Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`,
  );
}

/** The type an operand is known to have before any item is read: a value's, or N for size(). */
function knownType(operand: Operand | UpdateOperand): AttributeType | undefined {
  if (operand.kind === 'value') return typeOf(operand.value);
  if (operand.kind === 'size') return 'N';
  return undefined;
}

/** Refuses an operand whose known type is not one of `allowed`. */
export function checkKnownType(
  operator: string,
  operand: Operand | UpdateOperand,
  allowed: readonly AttributeType[],
): void {
  const type = knownType(operand);
  if (type !== undefined && !allowed.includes(type)) throw incorrectOperandType(operator, type);
}
