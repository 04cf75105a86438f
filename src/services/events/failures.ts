/**
 * A failed delivery, classified as EventBridge classifies it: an error code as its dead-letter
 * messages carry in ERROR_CODE (NO_RESOURCE, THROTTLING, TIMEOUT, CONNECTION_FAILURE, INVALID_JSON,
 * SDK_CLIENT_ERROR, INTERNAL_ERROR …) and whether retrying may help. A target that does not exist
 * or a request the target refuses is not retried; throttling, the target's own trouble and
 * network failures are.
 */
import { isServiceError } from '../../protocol/errors.js';

export class DeliveryFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

const missing = new Set([
  'ResourceNotFoundException',
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
  'NotFoundException',
  'NotFound',
  'StateMachineDoesNotExist',
]);
const throttled = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'Throttling',
  'RequestThrottled',
]);

/** A failure of a call to another service (its ServiceError), or of anything else. */
export function classify(err: unknown): DeliveryFailure {
  if (err instanceof DeliveryFailure) return err;
  if (isServiceError(err)) {
    const message = `${err.code}: ${err.message}`;
    if (missing.has(err.code)) return new DeliveryFailure('NO_RESOURCE', message, false);
    if (throttled.has(err.code) || err.status === 429)
      return new DeliveryFailure('THROTTLING', message, true);
    if (err.code === 'InvalidRequestContentException')
      return new DeliveryFailure('INVALID_JSON', message, false);
    if (!err.senderFault) return new DeliveryFailure('INTERNAL_ERROR', message, true);
    return new DeliveryFailure('SDK_CLIENT_ERROR', message, false);
  }
  return new DeliveryFailure('INTERNAL_ERROR', (err as Error).message ?? String(err), true);
}
