/** The `@connections` API's errors, named as in its model so the SDK raises the matching class. */
import { errorType } from '../../../protocol/errors.js';

/** The connection is closed, was never open, or belongs to another account. */
export const GoneException = errorType('GoneException', 410);
export const ForbiddenException = errorType('ForbiddenException', 403);
export const PayloadTooLargeException = errorType('PayloadTooLargeException', 413);
