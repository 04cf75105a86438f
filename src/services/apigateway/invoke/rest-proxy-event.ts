/**
 * The event a Lambda proxy integration receives in payload format 1.0: REST APIs' only format,
 * and HTTP APIs' when an integration asks for `payloadFormatVersion: '1.0'`
 * (`options.payloadVersion`). Pure: the call and the route it matched in, the event out.
 *
 * As AWS builds it (checked against events AWS delivered, not only the documentation's sample):
 * - `path` is the path after the stage as the client sent it, still percent-encoded; query
 *   parameters are decoded (`+` is a space). `headers` and `queryStringParameters` keep the last
 *   value of a repeated name, the `multiValue…` maps keep them all; a map with nothing in it, like
 *   absent path parameters, stage variables or body, is `null`, not `{}`.
 * - REST APIs keep header names as sent, except `Authorization` and `User-Agent`, which reach the
 *   function capitalised, and leave `Content-Length` out. HTTP APIs lower-case every name.
 * - `requestContext.path` is the path with `/{stage}` in front.
 * - HTTP APIs differ: `version: '1.0'` leads, `path` carries the stage too unless it is `$default`,
 *   `resourceId` is the route key (`null` for the `$default` route, whose `resource` is the path
 *   itself), `requestId` is the short id AWS also logs, no `deploymentId`, and bodies are base64
 *   unless their Content-Type is text (see media-types.ts) — there are no binaryMediaTypes.
 */
import type { ApiCall, RouteMatch } from './api-call.js';
import { isBinaryMediaType, isHttpApiTextType, mediaType } from './media-types.js';
import {
  domainPrefix,
  groupHeaders,
  groupValues,
  httpApiStagePath,
  lastHeader,
  objectOrNull,
  queryParameters,
  requestTime,
} from './request-parts.js';
import { signerIdentity } from './signer.js';

/** `requestContext.identity`: who called, as far as API Gateway knows; `null` where it does not. */
export interface RestIdentity {
  accessKey: string | null;
  accountId: string | null;
  apiKey?: string | null;
  apiKeyId?: string | null;
  caller: string | null;
  cognitoAuthenticationProvider: string | null;
  cognitoAuthenticationType: string | null;
  cognitoIdentityId: string | null;
  cognitoIdentityPoolId: string | null;
  principalOrgId?: string | null;
  sourceIp: string;
  user: string | null;
  userAgent: string | null;
  userArn: string | null;
}

export interface RestRequestContext {
  accountId: string;
  apiId: string;
  authorizer?: Record<string, unknown>;
  deploymentId?: string;
  domainName: string;
  domainPrefix: string;
  extendedRequestId: string;
  httpMethod: string;
  identity: RestIdentity;
  path: string;
  protocol: string;
  requestId: string;
  requestTime: string;
  requestTimeEpoch: number;
  resourceId: string | null;
  resourcePath: string;
  stage: string;
}

export interface RestProxyEvent {
  version?: '1.0';
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string> | null;
  multiValueHeaders: Record<string, string[]> | null;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  requestContext: RestRequestContext;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  body: string | null;
  isBase64Encoded: boolean;
}

export interface RestEventOptions {
  /**
   * Whether `requestContext.path` starts with `/{stage}` (default `true`): it is the path the
   * client used, so a custom domain whose base path mapping hides the stage turns it off.
   */
  resourcePathWithStage?: boolean;
  /** The REST API's binaryMediaTypes; unused for HTTP APIs, which have none. */
  binaryMediaTypes: readonly string[];
  /** `requestContext.authorizer`, as the API's authorizer produced it; absent without one. */
  authorizer?: Record<string, unknown>;
  /** What an authorizer or API key established about the caller, over the all-`null` identity. */
  identity?: Partial<RestIdentity>;
  /** `'1.0'`: the event is for an HTTP API integration with payload format 1.0. */
  payloadVersion?: '1.0';
  /** `requestContext.deploymentId` of a REST API stage: the deployment it serves. */
  deploymentId?: string;
}

/** Header names that reach a REST API's function capitalised whatever case the client used. */
const capitalisedHeaders = new Map([
  ['authorization', 'Authorization'],
  ['user-agent', 'User-Agent'],
]);
const restDroppedHeaders = new Set(['content-length']);

export function restProxyEvent(call: ApiCall, route: RouteMatch, options: RestEventOptions): RestProxyEvent {
  const httpApi = options.payloadVersion === '1.0';
  const headers = httpApi
    ? groupHeaders(call.headers, (name) => name.toLowerCase())
    : groupHeaders(
        call.headers,
        (name) => capitalisedHeaders.get(name.toLowerCase()) ?? name,
        restDroppedHeaders,
      );
  const query = groupValues(queryParameters(call.rawQueryString));
  const contentType = lastHeader(call.headers, 'content-type');
  const binary = httpApi
    ? !isHttpApiTextType(contentType)
    : isBinaryMediaType(mediaType(contentType), options.binaryMediaTypes);
  const path = httpApi ? httpApiStagePath(call) : (call.requestPath ?? call.rawPath);
  const template = httpApi ? httpApiResource(route.resourcePath, call.rawPath) : route.resourcePath;
  return {
    ...(httpApi ? { version: '1.0' as const } : {}),
    resource: template,
    path,
    httpMethod: call.method,
    headers: objectOrNull([...headers].map(([name, values]) => [name, values.at(-1)!] as const)),
    multiValueHeaders: objectOrNull(headers),
    queryStringParameters: objectOrNull([...query].map(([name, values]) => [name, values.at(-1)!] as const)),
    multiValueQueryStringParameters: objectOrNull(query),
    requestContext: requestContext(call, route, options, { httpApi, path, template }),
    pathParameters: objectOrNull(Object.entries(route.pathParameters)),
    stageVariables: objectOrNull(Object.entries(route.stageVariables)),
    ...eventBody(call.body, binary),
  };
}

function requestContext(
  call: ApiCall,
  route: RouteMatch,
  options: RestEventOptions,
  { httpApi, path, template }: { httpApi: boolean; path: string; template: string },
): RestRequestContext {
  const stagedPath = httpApi ? path : (call.requestPath ?? `/${call.stage}${call.rawPath}`);
  // An HTTP API names the matched route by its key; its catch-all `$default` route by nothing.
  const httpApiResourceId = route.resourcePath === '$default' ? null : route.resourcePath;
  return {
    accountId: call.accountId,
    apiId: call.apiId,
    ...(options.authorizer ? { authorizer: options.authorizer } : {}),
    ...(!httpApi && options.deploymentId ? { deploymentId: options.deploymentId } : {}),
    domainName: call.domainName,
    domainPrefix: domainPrefix(call.domainName),
    extendedRequestId: call.extendedRequestId,
    httpMethod: call.method,
    identity: {
      ...baseIdentity(call, httpApi),
      ...(call.signer ? signerIdentity(call.signer) : {}),
      ...options.identity,
    },
    path: (options.resourcePathWithStage ?? true) ? stagedPath : call.rawPath,
    protocol: call.protocol,
    requestId: httpApi ? call.extendedRequestId : call.requestId,
    requestTime: requestTime(call.receivedAt),
    requestTimeEpoch: call.receivedAt,
    resourceId: httpApi ? httpApiResourceId : route.resourceId,
    resourcePath: template,
    stage: call.stage,
  };
}

/**
 * The identity of an unauthenticated caller. REST APIs list `principalOrgId`; HTTP APIs list
 * `apiKey` and `apiKeyId` instead, as the events they deliver do.
 */
function baseIdentity(call: ApiCall, httpApi: boolean): RestIdentity {
  return {
    accessKey: null,
    accountId: null,
    ...(httpApi ? { apiKey: null, apiKeyId: null } : {}),
    caller: null,
    cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    ...(httpApi ? {} : { principalOrgId: null }),
    sourceIp: call.sourceIp,
    user: null,
    userAgent: lastHeader(call.headers, 'user-agent') ?? null,
    userArn: null,
  };
}

/** An HTTP API route key's path (`/pets/{id}` of `GET /pets/{id}`); the `$default` route's is the path. */
function httpApiResource(routeKey: string, rawPath: string): string {
  if (routeKey === '$default') return rawPath;
  const space = routeKey.indexOf(' ');
  return space === -1 ? routeKey : routeKey.slice(space + 1);
}

function eventBody(body: Buffer, binary: boolean): { body: string | null; isBase64Encoded: boolean } {
  if (body.length === 0) return { body: null, isBase64Encoded: false };
  return binary
    ? { body: body.toString('base64'), isBase64Encoded: true }
    : { body: body.toString('utf8'), isBase64Encoded: false };
}
