/**
 * The event an HTTP API's Lambda proxy integration receives in payload format 2.0 (the default
 * for HTTP APIs). Pure: the call and the route it matched in, the event out.
 *
 * As AWS builds it:
 * - `rawPath` and `requestContext.http.path` are the path as sent, with `/{stage}` in front for a
 *   named stage and nothing for `$default`; `rawQueryString` is the query as sent, without `?`.
 * - Header names are lower-case; a repeated header's values are joined with commas. The Cookie
 *   header moves to `cookies`, one entry per cookie, in the order sent.
 * - Repeated query parameters are joined with commas in `queryStringParameters`.
 * - Where 1.0 says `null`, 2.0 leaves the field out: `cookies`, `queryStringParameters`,
 *   `pathParameters`, `stageVariables` and `body` are absent when there is nothing to put there.
 * - `requestContext.requestId` is the short id AWS also logs (`extendedRequestId` of the call).
 * - There are no binaryMediaTypes: a body is base64 unless its Content-Type is text (see
 *   media-types.ts).
 */
import type { ApiCall, RouteMatch } from './api-call.js';
import { isHttpApiTextType } from './media-types.js';
import {
  domainPrefix,
  groupHeaders,
  groupValues,
  httpApiStagePath,
  lastHeader,
  queryParameters,
  requestTime,
} from './request-parts.js';
import { iamAuthorizerContext } from './signer.js';

export interface HttpRequestContextV2 {
  accountId: string;
  apiId: string;
  authorizer?: Record<string, unknown>;
  domainName: string;
  domainPrefix: string;
  http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
  requestId: string;
  routeKey: string;
  stage: string;
  time: string;
  timeEpoch: number;
}

export interface HttpProxyEventV2 {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  requestContext: HttpRequestContextV2;
  body?: string;
  pathParameters?: Record<string, string>;
  isBase64Encoded: boolean;
  stageVariables?: Record<string, string>;
}

export interface HttpEventOptions {
  /**
   * `requestContext.authorizer` as the route's authorizer produced it: `{ jwt: { claims, scopes } }`
   * or `{ lambda: {…context} }`; a signed call's is `{ iam: {…} }` (from `call.signer`); absent
   * without one.
   */
  authorizer?: Record<string, unknown>;
}

const cookieHeader = new Set(['cookie']);

export function httpProxyEventV2(
  call: ApiCall,
  route: RouteMatch,
  options: HttpEventOptions,
): HttpProxyEventV2 {
  const path = httpApiStagePath(call);
  const headers = groupHeaders(call.headers, (name) => name.toLowerCase(), cookieHeader);
  const cookies = call.headers
    .filter(([name]) => name.toLowerCase() === 'cookie')
    .flatMap(([, value]) => value.split(';'))
    .map((cookie) => cookie.trim())
    .filter((cookie) => cookie !== '');
  const query = groupValues(queryParameters(call.rawQueryString));
  const authorizer = options.authorizer ?? (call.signer ? iamAuthorizerContext(call.signer) : undefined);
  return {
    version: '2.0',
    routeKey: route.resourcePath,
    rawPath: path,
    rawQueryString: call.rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers: Object.fromEntries([...headers].map(([name, values]) => [name, values.join(',')])),
    ...(query.size > 0
      ? {
          queryStringParameters: Object.fromEntries(
            [...query].map(([name, values]) => [name, values.join(',')]),
          ),
        }
      : {}),
    requestContext: {
      accountId: call.accountId,
      apiId: call.apiId,
      ...(authorizer ? { authorizer } : {}),
      domainName: call.domainName,
      domainPrefix: domainPrefix(call.domainName),
      http: {
        method: call.method,
        path,
        protocol: call.protocol,
        sourceIp: call.sourceIp,
        userAgent: headers.get('user-agent')?.join(',') ?? '',
      },
      requestId: call.extendedRequestId,
      routeKey: route.resourcePath,
      stage: call.stage,
      time: requestTime(call.receivedAt),
      timeEpoch: call.receivedAt,
    },
    ...eventBody(call.body, lastHeader(call.headers, 'content-type')),
    ...(Object.keys(route.pathParameters).length > 0 ? { pathParameters: { ...route.pathParameters } } : {}),
    ...(Object.keys(route.stageVariables).length > 0 ? { stageVariables: { ...route.stageVariables } } : {}),
  };
}

/** `body` and `isBase64Encoded`, placed where AWS places them; no body at all when it is empty. */
function eventBody(
  body: Buffer,
  contentType: string | undefined,
): { body?: string; isBase64Encoded: boolean } {
  if (body.length === 0) return { isBase64Encoded: false };
  return isHttpApiTextType(contentType)
    ? { body: body.toString('utf8'), isBase64Encoded: false }
    : { body: body.toString('base64'), isBase64Encoded: true };
}
