/** For the PartiQL tests: the message of the error with an AWS identity that `run` throws. */
import { ServiceError } from '../../../protocol/errors.js';

export function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ServiceError) return error.message;
    throw error;
  }
  throw new Error('expected the call to be refused');
}
