/**
 * What DynamoDB answers for a PartiQL statement it refuses: a ValidationException, worded as
 * DynamoDB words it. A statement its parser cannot read gets the "wasn't well formed" envelope
 * with the parser's reason after the colon (or nothing, for text it cannot even split into
 * tokens); the rules DynamoDB applies to a statement that parsed have messages of their own.
 */
import { ValidationException } from '../errors.js';

export const NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: ";

export function malformed(reason: string): InstanceType<typeof ValidationException> {
  return new ValidationException(`${NOT_WELL_FORMED}${reason}`);
}

export function invalid(message: string): InstanceType<typeof ValidationException> {
  return new ValidationException(message);
}

export const INCOMPLETE_KEY = 'Where clause does not contain a mandatory equality on all key attributes';
