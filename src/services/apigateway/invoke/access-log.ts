/**
 * The access log line of a call the invoke edge served (REST and HTTP APIs): what the invoker's
 * trace, the answer and the timings tell, handed to the stage's access logs. API Gateway's own
 * error answers (the ones with `x-amzn-ErrorType`) give `$context.error.message` and
 * `$context.error.responseType`.
 */
import type { EdgeResponse } from '../../service.js';
import type { AccessLogs } from '../logging/access-logs.js';
import { apiCallValues, type GatewayError } from '../logging/context-variables.js';
import type { ApiRow } from '../tables.js';
import type { ApiCall } from './api-call.js';
import type { CallTrace } from './call-trace.js';

/** Gateway response types by the error type API Gateway's answers name (gateway-responses.ts). */
const RESPONSE_TYPES: Readonly<Record<string, string>> = {
  MissingAuthenticationTokenException: 'MISSING_AUTHENTICATION_TOKEN',
  UnauthorizedException: 'UNAUTHORIZED',
  AccessDeniedException: 'ACCESS_DENIED',
  AuthorizerConfigurationException: 'AUTHORIZER_CONFIGURATION_ERROR',
  TooManyRequestsException: 'THROTTLED',
  LimitExceededException: 'QUOTA_EXCEEDED',
  UnsupportedMediaTypeException: 'UNSUPPORTED_MEDIA_TYPE',
  IntegrationTimeoutException: 'INTEGRATION_TIMEOUT',
  ServiceUnavailableException: 'INTEGRATION_TIMEOUT',
  RequestTooLongException: 'REQUEST_TOO_LARGE',
  NotFoundException: 'RESOURCE_NOT_FOUND',
};

function headerOf(answer: EdgeResponse, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** API Gateway's own error in the answer, if it is one. */
export function gatewayErrorOf(
  kind: 'REST' | 'HTTP',
  answer: EdgeResponse,
  reachedIntegration: boolean,
): GatewayError | undefined {
  const errorType = headerOf(answer, 'x-amzn-errortype');
  let responseType = errorType && RESPONSE_TYPES[errorType];
  if (errorType === 'InternalServerErrorException')
    responseType = reachedIntegration ? 'INTEGRATION_FAILURE' : 'DEFAULT_5XX';
  // REST APIs refuse a call without a valid API key so; HTTP APIs a caller their authorizer denies.
  if (errorType === 'ForbiddenException')
    responseType = kind === 'REST' ? 'INVALID_API_KEY' : 'ACCESS_DENIED';
  if (!responseType) return undefined;
  let message: string | undefined;
  if (typeof answer.body === 'string' || Buffer.isBuffer(answer.body)) {
    try {
      const body = JSON.parse(answer.body.toString()) as { message?: unknown; Message?: unknown };
      const found = body.message ?? body.Message;
      if (typeof found === 'string') message = found;
    } catch {
      // Not JSON (a gateway response with a template of its own): no message to tell.
    }
  }
  return { message, responseType };
}

function lengthOf(answer: EdgeResponse): number | undefined {
  if (typeof answer.body === 'string') return Buffer.byteLength(answer.body);
  if (Buffer.isBuffer(answer.body)) return answer.body.length;
  const declared = headerOf(answer, 'content-length');
  return declared === undefined ? undefined : Number(declared);
}

/** Writes the call's line, if the stage that served it logs access. */
export function logApiCall(
  logs: AccessLogs,
  served: {
    api: ApiRow;
    call: Omit<ApiCall, 'stage' | 'rawPath'>;
    path: string;
    trace: CallTrace;
    answer: EdgeResponse;
    /** `performance.now()` when the edge received the call. */
    began: number;
  },
): void {
  const { api, trace, answer } = served;
  if (!trace.stage || !trace.accessLogSettings?.destinationArn) return;
  const ended = performance.now();
  const kind = api.kind === 'REST' ? 'REST' : 'HTTP';
  const values = apiCallValues({
    kind,
    call: served.call,
    path: served.path,
    trace,
    status: answer.status,
    responseLength: lengthOf(answer),
    responseLatencyMs: ended - served.began,
    integrationLatencyMs: trace.integration && ended - trace.integration.startedAt,
    error: gatewayErrorOf(kind, answer, trace.integration !== undefined),
  });
  logs.write(
    { id: api.id, kind: api.kind, accountId: api.account_id, region: api.region },
    trace.stage,
    trace.accessLogSettings,
    values,
  );
}
