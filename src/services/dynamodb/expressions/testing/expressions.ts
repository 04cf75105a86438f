/**
 * For the expression tests: the ValidationException message a call ends in, and the
 * ExpressionAttributeValues an expression uses out of a shared set (DynamoDB refuses unused ones).
 */
import type { Item } from '../../attribute-value.js';
import { ExpressionError } from '../errors.js';

/** The message of the ExpressionError `run` throws; any other outcome fails the test. */
export function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ExpressionError) return error.message;
    throw error;
  }
  throw new Error('expected a ValidationException, but the call went through');
}

/** The members of `values` whose placeholder `expression` names; undefined when it names none. */
export function valuesUsedBy(expression: string, values: Item): Item | undefined {
  const used = Object.entries(values).filter(([key]) =>
    new RegExp(`${key}(?![A-Za-z0-9_])`).test(expression),
  );
  return used.length > 0 ? Object.fromEntries(used) : undefined;
}
