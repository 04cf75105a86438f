/**
 * Everything wrong with an expression is a ValidationException whose message is DynamoDB's word
 * for word. Problems found inside one expression carry its name in front
 * ("Invalid UpdateExpression: …"); the checkers below raise the bare reason and `inExpression`
 * adds the prefix, so one checker serves every expression parameter.
 */
import { ServiceError } from '../../../protocol/errors.js';

/** A request DynamoDB refuses because of its expressions; the message is the client's. */
export class ExpressionError extends ServiceError {
  constructor(message: string) {
    super('ValidationException', message, { status: 400 });
  }
}

/** The expression parameters, named as the messages name them. */
export type ExpressionParameter =
  | 'ConditionExpression'
  | 'FilterExpression'
  | 'KeyConditionExpression'
  | 'UpdateExpression'
  | 'ProjectionExpression';

/** Runs `check`, prefixing the message of an ExpressionError it throws with the expression's name. */
export function inExpression<T>(parameter: ExpressionParameter, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ExpressionError) {
      throw new ExpressionError(`Invalid ${parameter}: ${error.message}`);
    }
    throw error;
  }
}
