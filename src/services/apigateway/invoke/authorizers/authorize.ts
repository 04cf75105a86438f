/**
 * Which authorizer guards a call, what it is given, and the answer API Gateway sends when it
 * refuses: for REST API methods (`authorizationType: CUSTOM`, a Lambda `TOKEN` or `REQUEST`
 * authorizer) and HTTP API routes (`JWT`, or `CUSTOM` for a Lambda `REQUEST` authorizer).
 */
import type { Authorizer as RestAuthorizer } from '@aws-sdk/client-api-gateway';
import type { Authorizer as HttpAuthorizer } from '@aws-sdk/client-apigatewayv2';
import type { EdgeResponse } from '../../../service.js';
import type { ApiCall, RouteMatch } from '../api-call.js';
import { gatewayResponse } from '../gateway-responses.js';
import { httpProxyEventV2 } from '../http-proxy-event.js';
import { selection } from '../http-service-integration.js';
import { functionOfUri } from '../lambda-integration.js';
import { parameterValue, type RequestParts } from '../parameters.js';
import { lastHeader } from '../request-parts.js';
import { restProxyEvent } from '../rest-proxy-event.js';
import type { CognitoAuthorizers } from './cognito-authorizer.js';
import type { IamAuthorizer } from './iam-authorizer.js';
import type { JwtAuthorizers } from './jwt-authorizer.js';
import type { AuthorizerOutcome, LambdaAuthorization, LambdaAuthorizers } from './lambda-authorizer.js';
import { methodArn } from './policy.js';

export interface Authorizers {
  lambda: LambdaAuthorizers;
  jwt: JwtAuthorizers;
  cognito: CognitoAuthorizers;
  iam: IamAuthorizer;
}

function arnOf(call: ApiCall, path: string): string {
  return methodArn(
    { region: call.region, accountId: call.accountId, apiId: call.apiId, stage: call.stage },
    call.method,
    path,
  );
}

function cacheKey(call: ApiCall, authorizerId: string, identity: readonly string[]): string {
  return [call.apiId, call.stage, authorizerId, ...identity].join('\u0001');
}

/** A REST API method's `CUSTOM` authorizer at work. */
export async function authorizeRestCall(
  authorizers: Authorizers,
  authorizer: RestAuthorizer,
  call: ApiCall,
  route: RouteMatch,
  request: RequestParts,
): Promise<AuthorizerOutcome> {
  const asked = restLambdaAuthorization(authorizer, call, route, request);
  return 'kind' in asked ? asked : authorizers.lambda.authorize(asked);
}

/** What a REST API's Lambda `TOKEN` or `REQUEST` authorizer is asked for a call. */
export function restLambdaAuthorization(
  authorizer: RestAuthorizer,
  call: ApiCall,
  route: RouteMatch,
  request: RequestParts,
): LambdaAuthorization | Extract<AuthorizerOutcome, { kind: 'error' }> {
  const functionName = functionOfUri(authorizer.authorizerUri ?? '', route.stageVariables);
  if (!functionName) return { kind: 'error', reason: 'the authorizer names no function' };
  const arn = arnOf(call, call.rawPath);
  const ttlSeconds = authorizer.authorizerResultTtlInSeconds ?? 300;
  let identity: string[] | undefined;
  let event: unknown;
  if (authorizer.type === 'TOKEN') {
    const header = (authorizer.identitySource ?? '').replace(/^method\.request\.header\./, '');
    const token = lastHeader(call.headers, header);
    const pattern = authorizer.identityValidationExpression;
    const valid =
      token !== undefined && token !== '' && (!pattern || new RegExp(`^(?:${pattern})$`).test(token));
    identity = valid ? [token] : undefined;
    event = { type: 'TOKEN', methodArn: arn, authorizationToken: token };
  } else {
    const sources = (authorizer.identitySource ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const values = sources.map((source) =>
      parameterValue(source, { request, stageVariables: route.stageVariables, context: {} }),
    );
    // Without caching, identity sources are optional; with it, each must be present.
    identity =
      ttlSeconds > 0 && values.some((v) => v === undefined || v === '')
        ? undefined
        : values.map((v) => v ?? '');
    event = { type: 'REQUEST', methodArn: arn, ...restProxyEvent(call, route, { binaryMediaTypes: [] }) };
  }
  return {
    functionName,
    event,
    identity,
    cacheKey: cacheKey(call, authorizer.id!, identity ?? []),
    ttlSeconds,
    methodArn: arn,
    simpleResponses: false,
    at: call,
  };
}

/** An HTTP API identity source's value: `$request.header.x`, `$request.querystring.x`, `$context.x`, `$stageVariables.x`. */
function httpIdentity(source: string, call: ApiCall, route: RouteMatch): string | undefined {
  if (!/^\$(request\.header|request\.querystring|context|stageVariables)\../.test(source)) return undefined;
  const context = source.startsWith('$context.')
    ? (httpProxyEventV2(call, route, {}).requestContext as unknown as Record<string, unknown>)
    : {};
  const value = selection(source.slice(1), call, route, context);
  return value === undefined || value === null ? undefined : String(value);
}

/** An HTTP API route's `JWT` or Lambda `REQUEST` authorizer at work. */
export async function authorizeHttpCall(
  authorizers: Authorizers,
  authorizer: HttpAuthorizer,
  scopes: readonly string[],
  call: ApiCall,
  route: RouteMatch,
): Promise<AuthorizerOutcome> {
  const values = (authorizer.IdentitySource ?? []).map((source) => httpIdentity(source, call, route));
  if (authorizer.AuthorizerType === 'JWT') {
    return authorizers.jwt.authorize({
      token: values[0],
      issuer: authorizer.JwtConfiguration?.Issuer ?? '',
      audiences: authorizer.JwtConfiguration?.Audience ?? [],
      scopes,
    });
  }
  const functionName = functionOfUri(authorizer.AuthorizerUri ?? '', route.stageVariables);
  if (!functionName) return { kind: 'error', reason: 'the authorizer names no function' };
  const arn = arnOf(call, call.rawPath);
  const complete = values.every((v) => v !== undefined && v !== '');
  const identity = values.length === 0 || complete ? values.map((v) => v ?? '') : undefined;
  const base =
    authorizer.AuthorizerPayloadFormatVersion === '2.0'
      ? { ...httpProxyEventV2(call, route, {}), type: 'REQUEST', routeArn: arn, identitySource: identity }
      : {
          ...restProxyEvent(call, route, { binaryMediaTypes: [], payloadVersion: '1.0' }),
          type: 'REQUEST',
          methodArn: arn,
          identitySource: identity?.join(','),
        };
  return authorizers.lambda.authorize({
    functionName,
    event: base,
    identity,
    cacheKey: cacheKey(call, authorizer.AuthorizerId!, identity ?? []),
    ttlSeconds: authorizer.AuthorizerResultTtlInSeconds ?? 0,
    methodArn: arn,
    simpleResponses: authorizer.EnableSimpleResponses ?? false,
    at: call,
  });
}

/** What a REST API answers a refused call. */
export function restRefusal(
  outcome: Exclude<AuthorizerOutcome, { kind: 'allow' }>,
  requestId: string,
): EdgeResponse {
  if (outcome.kind === 'unauthorized')
    return gatewayResponse(
      401,
      outcome.message ?? 'Unauthorized',
      'UnauthorizedException',
      requestId,
      'UNAUTHORIZED',
    );
  if (outcome.kind === 'error') {
    return gatewayResponse(
      500,
      null,
      'AuthorizerConfigurationException',
      requestId,
      'AUTHORIZER_CONFIGURATION_ERROR',
    );
  }
  const message = `User is not authorized to access this resource${outcome.explicit ? ' with an explicit deny' : ''}`;
  // AWS's default body names it `Message`, unlike every other gateway response.
  return {
    ...gatewayResponse(403, message, 'AccessDeniedException', requestId, 'ACCESS_DENIED'),
    body: JSON.stringify({ Message: message }),
  };
}

/** What an HTTP API answers a refused call. */
export function httpRefusal(
  outcome: Exclude<AuthorizerOutcome, { kind: 'allow' }>,
  requestId: string,
): EdgeResponse {
  if (outcome.kind === 'unauthorized')
    return gatewayResponse(401, 'Unauthorized', 'UnauthorizedException', requestId);
  if (outcome.kind === 'error') {
    return gatewayResponse(500, 'Internal Server Error', 'AuthorizerConfigurationException', requestId);
  }
  return gatewayResponse(403, 'Forbidden', 'ForbiddenException', requestId);
}
