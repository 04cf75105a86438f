/**
 * Errors are values with an AWS identity. Domain code throws a `ServiceError` named like the
 * service's error shape (`ResourceNotFoundException`); the protocol layer looks that shape up in the
 * model for the wire code and HTTP status and serializes it the way the service's protocol does.
 * Nothing but the protocol layer turns an error into bytes.
 */
export interface ServiceErrorOptions {
  /** HTTP status when the model has no error shape of this name (protocol-level errors). */
  status?: number;
  /** Whether the caller is at fault (4xx, `Sender`) or the service (5xx, `Receiver`). */
  senderFault?: boolean;
  /** Extra members of the error shape, serialized beside the message. */
  fields?: Record<string, unknown>;
  /** Extra response headers (e.g. Retry-After). */
  headers?: Record<string, string>;
}

export class ServiceError extends Error {
  readonly code: string;
  readonly status: number;
  readonly senderFault: boolean;
  readonly fields: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(code: string, message: string, options: ServiceErrorOptions = {}) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = options.status ?? 400;
    this.senderFault = options.senderFault ?? this.status < 500;
    this.fields = options.fields ?? {};
    this.headers = options.headers ?? {};
  }
}

/** Builds a typed error class for one AWS error code: `const NotFound = errorType('ResourceNotFoundException', 404)`. */
export function errorType(code: string, status = 400) {
  return class extends ServiceError {
    constructor(message: string, fields?: Record<string, unknown>) {
      super(code, message, { status, fields });
    }
  };
}

export function isServiceError(value: unknown): value is ServiceError {
  return value instanceof ServiceError;
}

// Errors raised by the edge and protocol layer itself, shared by every service.
export const InternalFailure = errorType('InternalFailure', 500);
export const NotImplemented = errorType('NotImplemented', 501);
export const SerializationException = errorType('SerializationException', 400);
export const UnknownOperationException = errorType('UnknownOperationException', 400);
export const InvalidAction = errorType('InvalidAction', 400);
export const MissingAction = errorType('MissingAction', 400);
export const RequestEntityTooLarge = errorType('RequestEntityTooLargeException', 413);
