/**
 * The answers API Gateway itself gives a deployed API's caller when it does not reach (or cannot
 * use) the integration: JSON bodies with a `message`, and `x-amzn-ErrorType` naming the case.
 */
import type { WireResponse } from '../../../protocol/wire.js';

export function gatewayResponse(
  status: number,
  message: string,
  errorType: string,
  requestId: string,
): WireResponse {
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': errorType,
    },
    body: JSON.stringify({ message }),
  };
}

/** A REST API path or method that does not exist, and an unknown stage. */
export const missingAuthenticationToken = (requestId: string) =>
  gatewayResponse(403, 'Missing Authentication Token', 'MissingAuthenticationTokenException', requestId);
export const forbidden = (requestId: string) =>
  gatewayResponse(403, 'Forbidden', 'ForbiddenException', requestId);
/** An HTTP API route that does not exist. */
export const notFound = (requestId: string) =>
  gatewayResponse(404, 'Not Found', 'NotFoundException', requestId);
/** The integration failed: an unknown function, a function error, a malformed result. */
export const internalServerError = (requestId: string, status: 500 | 502 = 500) =>
  gatewayResponse(status, 'Internal server error', 'InternalServerErrorException', requestId);
export const endpointTimedOut = (requestId: string) =>
  gatewayResponse(504, 'Endpoint request timed out', 'IntegrationTimeoutException', requestId);
