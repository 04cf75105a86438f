/**
 * Lambda's errors, named as in its model so the SDK raises the matching exception class. Lambda
 * bodies carry `"Type": "User"` beside the message; shapes whose message member is `Message`
 * (capitalised) get it under that name too, as Lambda sends it.
 */
import { ServiceError, errorType } from '../../protocol/errors.js';

function lambdaError(code: string, status: number, messageMember: 'message' | 'Message' = 'message') {
  return class extends ServiceError {
    constructor(message: string) {
      super(code, message, {
        status,
        fields: messageMember === 'Message' ? { Type: 'User', Message: message } : { Type: 'User' },
      });
    }
  };
}

export const ResourceNotFoundException = lambdaError('ResourceNotFoundException', 404, 'Message');
export const ResourceConflictException = lambdaError('ResourceConflictException', 409);
export const InvalidParameterValueException = lambdaError('InvalidParameterValueException', 400);
export const PreconditionFailedException = lambdaError('PreconditionFailedException', 412);
export const CodeStorageExceededException = lambdaError('CodeStorageExceededException', 400);
export const ProvisionedConcurrencyConfigNotFoundException = lambdaError(
  'ProvisionedConcurrencyConfigNotFoundException',
  404,
);
/**
 * What Lambda answers for a request or payload over its limits (not the model's
 * RequestTooLargeException): the SDK raises a generic `LambdaServiceException` named like this.
 */
export const RequestEntityTooLargeException = errorType('RequestEntityTooLargeException', 413);
/** Constraint violations Lambda checks itself (beyond the model), with the model's wording. */
export const ValidationException = errorType('ValidationException', 400);
export const AccessDeniedException = errorType('AccessDeniedException', 403);
export const ServiceException = lambdaError('ServiceException', 500);

export function functionNotFound(arn: string): ServiceError {
  return new ResourceNotFoundException(`Function not found: ${arn}`);
}

export function revisionMismatch(api = 'GetFunction/GetAlias'): ServiceError {
  return new PreconditionFailedException(
    `The Revision Id provided does not match the latest Revision Id. Call the ${api} API to retrieve the latest Revision Id`,
  );
}

/** `1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: …`. */
export function constraintViolation(member: string, value: unknown, constraint: string): ServiceError {
  return new ValidationException(
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

export const InvalidRequestContentException = lambdaError('InvalidRequestContentException', 400);

export type ThrottleReason =
  'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded';

/** 429 with Lambda's `Reason`, so callers can tell a reserved-concurrency throttle from the account's. */
export class TooManyRequestsException extends ServiceError {
  constructor(readonly reason: ThrottleReason) {
    super('TooManyRequestsException', 'Rate Exceeded.', {
      status: 429,
      fields: { Type: 'User', Reason: reason },
      headers: { 'retry-after': '1' },
    });
  }
}
