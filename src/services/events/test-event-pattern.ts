/**
 * TestEventPattern: whether an event matches a pattern, with the shared pattern module that
 * routing uses. The event must be a JSON object with the fields every event has (`id`,
 * `account`, `source`, `time`, `region`, `detail-type`); the pattern must be one PutRule takes.
 */
import { compilePattern, InvalidPatternError, matches } from '../../patterns/index.js';
import { invalidParameter, invalidPattern } from './errors.js';

const requiredFields = ['id', 'account', 'source', 'time', 'region', 'detail-type'];

export function testEventPattern(pattern: string, eventText: string): boolean {
  let compiled;
  try {
    compiled = compilePattern(pattern);
  } catch (err) {
    if (err instanceof InvalidPatternError) throw invalidPattern(err.message);
    throw err;
  }
  let event: unknown;
  try {
    event = JSON.parse(eventText);
  } catch {
    throw invalidParameter('Event');
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) throw invalidParameter('Event');
  if (!requiredFields.every((field) => Object.hasOwn(event, field))) throw invalidParameter('Event');
  return matches(compiled, event);
}
