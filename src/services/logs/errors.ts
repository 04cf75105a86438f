/** CloudWatch Logs' errors, named as in its model so the SDK raises the matching exception class. */
import { errorType } from '../../protocol/errors.js';

export const ResourceNotFoundException = errorType('ResourceNotFoundException');
export const ResourceAlreadyExistsException = errorType('ResourceAlreadyExistsException');
export const InvalidParameterException = errorType('InvalidParameterException');
export const LimitExceededException = errorType('LimitExceededException');

export const groupNotFound = () => new ResourceNotFoundException('The specified log group does not exist.');
export const streamNotFound = () => new ResourceNotFoundException('The specified log stream does not exist.');
