/**
 * The `$context` variables of access logs: what a REST or HTTP API call (or a WebSocket API's
 * connect, message or disconnect) served tells each of them, as AWS documents them for access
 * logging. Pure: what serving found out in, a lookup by variable name out.
 *
 * Identity variables of IAM and Cognito callers, WAF, X-Ray, client certificates, custom domains
 * and the `authorize.*`/`authorizer.*` timings have no value here and render as `-`.
 */
import type { ApiCall } from '../invoke/api-call.js';
import type { CallTrace } from '../invoke/call-trace.js';
import { lastHeader, requestTime } from '../invoke/request-parts.js';
import type { ConnectionFacts } from '../websocket/events.js';
import { valueAt, type ContextValues } from './access-log-format.js';

/** The variables HTTP APIs know (AWS refuses a format naming others), and `authorizer.*`. */
const HTTP_VARIABLES = new Set([
  'accountId',
  'apiId',
  'authorizer.error',
  'authorizer.principalId',
  'awsEndpointRequestId',
  'awsEndpointRequestId2',
  'customDomain.basePathMatched',
  'dataProcessed',
  'domainName',
  'domainPrefix',
  'error.message',
  'error.messageString',
  'error.responseType',
  'extendedRequestId',
  'httpMethod',
  'identity.accountId',
  'identity.caller',
  'identity.cognitoAuthenticationProvider',
  'identity.cognitoAuthenticationType',
  'identity.cognitoIdentityId',
  'identity.cognitoIdentityPoolId',
  'identity.principalOrgId',
  'identity.clientCert.clientCertPem',
  'identity.clientCert.subjectDN',
  'identity.clientCert.issuerDN',
  'identity.clientCert.serialNumber',
  'identity.clientCert.validity.notBefore',
  'identity.clientCert.validity.notAfter',
  'identity.sourceIp',
  'identity.user',
  'identity.userAgent',
  'identity.userArn',
  'integration.error',
  'integration.integrationStatus',
  'integration.latency',
  'integration.requestId',
  'integration.status',
  'integrationErrorMessage',
  'integrationLatency',
  'integrationStatus',
  'path',
  'protocol',
  'requestId',
  'requestTime',
  'requestTimeEpoch',
  'resourcePath',
  'responseLatency',
  'responseLength',
  'routeKey',
  'stage',
  'status',
]);

export function isHttpVariable(name: string): boolean {
  return HTTP_VARIABLES.has(name) || /^authorizer\../.test(name);
}

/** API Gateway's own error answer: its message and its gateway response type (`MISSING_AUTHENTICATION_TOKEN`). */
export interface GatewayError {
  message: string | undefined;
  responseType: string | undefined;
}

/** A call to a REST or HTTP API as it was served. */
export interface ServedApiCall {
  kind: 'REST' | 'HTTP';
  call: Omit<ApiCall, 'stage' | 'rawPath'>;
  /** The request's path as sent, stage included, without the query string. */
  path: string;
  trace: CallTrace;
  status: number;
  /** The answer body's length in bytes, when known. */
  responseLength: number | undefined;
  responseLatencyMs: number;
  /** From calling the integration to its answer; undefined when the call never reached it. */
  integrationLatencyMs: number | undefined;
  error: GatewayError | undefined;
}

/** What `$context.error.*` and `$context.integration*` tell, shared by all three kinds. */
function outcomeValues(
  error: GatewayError | undefined,
  integration:
    { latencyMs: number; status: number | undefined; lambdaStatus: number | undefined } | undefined,
): Record<string, string | number | undefined> {
  const latency = integration && Math.round(integration.latencyMs);
  return {
    'error.message': error?.message,
    'error.messageString': error?.message === undefined ? undefined : `"${error.message}"`,
    'error.responseType': error?.responseType,
    integrationLatency: latency,
    'integration.latency': latency,
    'integration.status': integration?.status,
    // Lambda's own answer to the Invoke, not the function's: 200 whenever the function ran.
    integrationStatus: integration?.lambdaStatus ?? integration?.status,
    'integration.integrationStatus': integration?.lambdaStatus ?? integration?.status,
  };
}

function lookup(
  values: Record<string, string | number | undefined>,
  authorizer: Record<string, unknown> | undefined,
): ContextValues {
  const known = new Map(Object.entries(values));
  return (name) =>
    known.has(name)
      ? known.get(name)
      : name.startsWith('authorizer.')
        ? valueAt(authorizer, name.slice('authorizer.'.length))
        : undefined;
}

export function apiCallValues(served: ServedApiCall): ContextValues {
  const { call, trace, error } = served;
  const reached = trace.integration && served.integrationLatencyMs !== undefined;
  // A gateway error after the integration was called is its failure or timeout.
  const integration = reached
    ? {
        latencyMs: served.integrationLatencyMs!,
        status: error ? undefined : served.status,
        lambdaStatus: trace.integration!.lambda && (!error || served.status === 502) ? 200 : undefined,
      }
    : undefined;
  const rest = served.kind === 'REST';
  return lookup(
    {
      accountId: call.accountId,
      apiId: call.apiId,
      stage: trace.stage,
      // HTTP APIs' request id is the short one (`apigw-requestid`).
      requestId: rest ? call.requestId : call.extendedRequestId,
      extendedRequestId: call.extendedRequestId,
      httpMethod: call.method,
      path: served.path,
      protocol: call.protocol,
      domainName: call.domainName,
      domainPrefix: call.domainName.split(/[.:]/)[0],
      'identity.sourceIp': call.sourceIp,
      'identity.userAgent': lastHeader(call.headers, 'user-agent'),
      requestTime: requestTime(call.receivedAt),
      requestTimeEpoch: call.receivedAt,
      status: served.status,
      responseLength: served.responseLength,
      responseLatency: Math.round(served.responseLatencyMs),
      ...(rest
        ? { resourcePath: trace.resourcePath, resourceId: trace.resourceId, deploymentId: trace.deploymentId }
        : { routeKey: trace.resourcePath }),
      ...outcomeValues(error, integration),
    },
    trace.authorizer,
  );
}

/** A WebSocket API's connect, message or disconnect as it was served. */
export interface ServedWebSocketEvent {
  accountId: string;
  connection: ConnectionFacts;
  eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT';
  routeKey: string | undefined;
  requestId: string;
  messageId?: string | undefined;
  /** When the event began, ms since the epoch, Stratus's clock. */
  at: number;
  status: number;
  /** From calling the integration to its answer; undefined when no integration ran. */
  integrationLatencyMs: number | undefined;
  /** Whether the integration is a Lambda function. */
  lambda: boolean;
  error: GatewayError | undefined;
}

export function webSocketValues(served: ServedWebSocketEvent): ContextValues {
  const { connection, error } = served;
  const integration =
    served.integrationLatencyMs === undefined
      ? undefined
      : {
          latencyMs: served.integrationLatencyMs,
          status: error ? undefined : served.status,
          lambdaStatus: served.lambda && !error ? 200 : undefined,
        };
  return lookup(
    {
      accountId: served.accountId,
      apiId: connection.apiId,
      stage: connection.stage,
      connectionId: connection.connectionId,
      connectedAt: connection.connectedAt,
      domainName: connection.domainName,
      eventType: served.eventType,
      routeKey: served.routeKey,
      messageId: served.messageId,
      // WebSocket APIs' request id and extended request id are one.
      requestId: served.requestId,
      extendedRequestId: served.requestId,
      'identity.sourceIp': connection.sourceIp,
      'identity.userAgent': connection.userAgent,
      requestTime: requestTime(served.at),
      requestTimeEpoch: served.at,
      status: served.status,
      ...outcomeValues(error, integration),
    },
    undefined,
  );
}
