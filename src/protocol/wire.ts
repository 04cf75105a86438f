/**
 * The HTTP request and response as the protocol layer sees them: read whole, except the payloads
 * of services that stream them (S3's object bodies, both ways).
 */
import type { Readable } from 'node:stream';
import type { ServiceModel, ProtocolName, Operation } from './model.js';
import type { ServiceError } from './errors.js';

/** A request body handed over as it arrives, decoded; its trailing headers once it has ended. */
export interface StreamedBody extends Readable {
  /** Lower-case names the request announced in `x-amz-trailer`. */
  readonly announcedTrailers: readonly string[];
  readonly trailers: Readonly<Record<string, string>>;
}

export interface WireRequest {
  method: string;
  /** The path as sent, still percent-encoded (SigV4 signs it in that form). */
  path: string;
  /** Decoded query parameters; a repeated name keeps every value in order. */
  query: Record<string, string[]>;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: Buffer;
  /**
   * The payload of an operation whose model marks it `streaming` (PutObject's `Body`), for a
   * service that takes such payloads as they arrive; `body` is empty then.
   */
  bodyStream?: StreamedBody;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/**
 * An output's HTTP status where its model has no `statusCode` member for it (S3's GetObject
 * answers 206 for a range): set under this key, beside the members.
 */
export const httpStatus = Symbol('httpStatus');

/** A response whose payload may stream (GetObject's `Body`): what the edge sends. */
export type StreamingWireResponse = Omit<WireResponse, 'body'> & { body: Buffer | string | Readable };

export interface OperationMatch {
  operation: Operation;
  /** Values of `{Label}` segments of a REST request URI, decoded. */
  labels?: Record<string, string>;
}

export interface ResponseContext {
  requestId: string;
}

/** One AWS wire protocol, implemented once for every service that speaks it. */
export interface Protocol {
  readonly name: ProtocolName;
  /** Whether this request is written in this protocol (for services that speak several). */
  recognizes(request: WireRequest): boolean;
  /** Finds the operation called; throws the protocol's own error for an unknown one. */
  resolve(model: ServiceModel, request: WireRequest): OperationMatch;
  /** Reads the operation's input shape out of the request. */
  parse(model: ServiceModel, match: OperationMatch, request: WireRequest): Record<string, unknown>;
  /** A payload the output holds as a stream stays one (rest-xml's streaming blobs). */
  serialize(
    model: ServiceModel,
    operation: Operation,
    output: unknown,
    context: ResponseContext,
  ): StreamingWireResponse;
  serializeError(model: ServiceModel, error: ServiceError, context: ResponseContext): WireResponse;
}

/** What the model says about an error: its shape, the code on the wire and its HTTP status. */
export interface ErrorIdentity {
  shapeName: string;
  wireCode: string;
  status: number;
  senderFault: boolean;
}

export function identifyError(model: ServiceModel, error: ServiceError): ErrorIdentity {
  const shape = model.shapes[error.code];
  if (shape?.exception) {
    const status = shape.error?.httpStatusCode ?? error.status;
    return {
      shapeName: error.code,
      wireCode: shape.error?.code ?? error.code,
      status,
      senderFault: shape.error?.senderFault ?? status < 500,
    };
  }
  return {
    shapeName: error.code,
    wireCode: error.code,
    status: error.status,
    senderFault: error.senderFault,
  };
}

/** A JSON answer from one of Stratus's own endpoints (not an AWS operation). */
export function jsonResponse(status: number, value: unknown): WireResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}
