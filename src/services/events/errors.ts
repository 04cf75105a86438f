/**
 * EventBridge's errors, named after the model's error shapes so the SDK raises the matching
 * exception class. `ValidationException` has no shape in the model: AWS sends it anyway, and the
 * SDK raises it as a plain `EventBridgeServiceException` named `ValidationException`.
 */
import { errorType } from '../../protocol/errors.js';

export const ValidationException = errorType('ValidationException');
export const ResourceNotFoundException = errorType('ResourceNotFoundException');
export const ResourceAlreadyExistsException = errorType('ResourceAlreadyExistsException');
export const InvalidEventPatternException = errorType('InvalidEventPatternException');
export const LimitExceededException = errorType('LimitExceededException');
export const IllegalStatusException = errorType('IllegalStatusException');
export const InvalidStateException = errorType('InvalidStateException');
export const InternalException = errorType('InternalException', 500);

export const busNotFound = (name: string) =>
  new ResourceNotFoundException(`Event bus ${name} does not exist.`);
export const ruleNotFound = (name: string, bus: string) =>
  new ResourceNotFoundException(`Rule ${name} does not exist on EventBus ${bus}.`);
export const invalidPattern = (reason: string) =>
  new InvalidEventPatternException(`Event pattern is not valid. Reason: ${reason}`);
/** EventBridge's wording for most bad parameters. */
export const invalidParameter = (name: string, reason?: string) =>
  new ValidationException(`Parameter ${name} is not valid.${reason ? ` Reason: ${reason}` : ''}`);
