/**
 * The answers API Gateway itself gives a deployed API's caller when it does not reach (or cannot
 * use) the integration: JSON bodies with a `message`, and `x-amzn-ErrorType` naming the case.
 * A REST API's answers also carry their gateway response type (`MISSING_AUTHENTICATION_TOKEN`,
 * `THROTTLED` …) and message, which the API's customized gateway responses rewrite
 * (customized-responses.ts). HTTP APIs have no gateway responses: theirs carry no type.
 */
import type { GatewayResponseType } from '@aws-sdk/client-api-gateway';
import type { WireResponse } from '../../../protocol/wire.js';
import type { EdgeResponse } from '../../service.js';

/** What a REST API refusal is, as `$context.error` tells a gateway response template. */
export interface Refusal {
  responseType: GatewayResponseType;
  /** `$context.error.message`; null where API Gateway has none (a broken authorizer). */
  message: string | null;
  /** `$context.error.validationErrorString`: why a body failed its model. */
  validationErrorString?: string;
}

/** An answer of API Gateway's own; `refusal` rides along to the REST invoker and is never sent. */
export type GatewayAnswer = WireResponse & { refusal?: Refusal };

export function gatewayResponse(
  status: number,
  message: string | null,
  errorType: string,
  requestId: string,
  responseType?: GatewayResponseType,
): GatewayAnswer {
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': errorType,
    },
    body: JSON.stringify({ message }),
    ...(responseType ? { refusal: { responseType, message } } : {}),
  };
}

/** The gateway response type and message an answer carries, if API Gateway made it. */
export function refusalOf(answer: EdgeResponse): Refusal | undefined {
  return (answer as GatewayAnswer).refusal;
}

/** A REST API path or method that does not exist. */
export const missingAuthenticationToken = (requestId: string) =>
  gatewayResponse(
    403,
    'Missing Authentication Token',
    'MissingAuthenticationTokenException',
    requestId,
    'MISSING_AUTHENTICATION_TOKEN',
  );
/** An unknown stage or API: no deployment, so nothing to customize it. */
export const forbidden = (requestId: string) =>
  gatewayResponse(403, 'Forbidden', 'ForbiddenException', requestId);
/** A method that requires an API key called without a valid one. */
export const invalidApiKey = (requestId: string) =>
  gatewayResponse(403, 'Forbidden', 'ForbiddenException', requestId, 'INVALID_API_KEY');
/** An HTTP API route that does not exist. */
export const notFound = (requestId: string) =>
  gatewayResponse(404, 'Not Found', 'NotFoundException', requestId);
/**
 * The integration failed: an unknown function or endpoint, a mapping that cannot be made (500,
 * API Gateway's configuration error), a function error or a malformed result (502).
 */
export const internalServerError = (requestId: string, status: 500 | 502 = 500) =>
  gatewayResponse(
    status,
    'Internal server error',
    'InternalServerErrorException',
    requestId,
    status === 500 ? 'API_CONFIGURATION_ERROR' : 'DEFAULT_5XX',
  );
export const endpointTimedOut = (requestId: string) =>
  gatewayResponse(
    504,
    'Endpoint request timed out',
    'IntegrationTimeoutException',
    requestId,
    'INTEGRATION_TIMEOUT',
  );
export const unsupportedMediaType = (requestId: string) =>
  gatewayResponse(
    415,
    'Unsupported Media Type',
    'UnsupportedMediaTypeException',
    requestId,
    'UNSUPPORTED_MEDIA_TYPE',
  );
/** Over API Gateway's payload limit; answered before the API is known, so never customized. */
export const requestTooLong = (requestId: string) =>
  gatewayResponse(413, 'Request Too Long', 'RequestTooLongException', requestId, 'REQUEST_TOO_LARGE');
/** A request validator's refusals (request-validation.ts). */
export const badRequestParameters = (requestId: string, missing: readonly string[]) =>
  gatewayResponse(
    400,
    `Missing required request parameters: [${missing.join(', ')}]`,
    'BadRequestException',
    requestId,
    'BAD_REQUEST_PARAMETERS',
  );
export function badRequestBody(requestId: string, errors: readonly string[]): GatewayAnswer {
  const answer = gatewayResponse(
    400,
    'Invalid request body',
    'BadRequestException',
    requestId,
    'BAD_REQUEST_BODY',
  );
  return { ...answer, refusal: { ...answer.refusal!, validationErrorString: `[${errors.join(', ')}]` } };
}
