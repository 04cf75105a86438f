/**
 * The event a function URL hands its function: API Gateway's HTTP API payload format 2.0 (built
 * by http-proxy-event.ts), with what Lambda's function URLs do differently:
 * - `routeKey`, `requestContext.routeKey` and `requestContext.stage` are the placeholder
 *   `$default`; `apiId` and `domainPrefix` are the URL id;
 * - `requestContext.requestId` is the invocation's request id (the function's
 *   `context.awsRequestId`), not API Gateway's short id;
 * - `requestContext.accountId` is `anonymous` for a URL of auth type NONE, the function owner's
 *   account for AWS_IAM, whose `authorizer.iam` describes the signer;
 * - the headers carry what Lambda's front end adds: `x-forwarded-for` (the client's address
 *   after any it was sent), `x-forwarded-proto`, `x-forwarded-port` and `x-amzn-trace-id`.
 * Pure: the call in, the event out.
 */
import type { ApiCall } from '../apigateway/invoke/api-call.js';
import { httpProxyEventV2, type HttpProxyEventV2 } from '../apigateway/invoke/http-proxy-event.js';
import type { Signer } from '../apigateway/invoke/signer.js';

/** One HTTP request to a function URL, as the edge received it. */
export interface FunctionUrlCall {
  urlId: string;
  /** The function owner's account and region. */
  accountId: string;
  region: string;
  /** The invocation's request id. */
  requestId: string;
  method: string;
  /** The path as sent, still percent-encoded, from `/`. */
  rawPath: string;
  rawQueryString: string;
  /** Headers in arrival order, names as sent. */
  headers: readonly (readonly [name: string, value: string])[];
  body: Buffer;
  sourceIp: string;
  /** The host the URL was called by (`{urlId}.lambda-url.us-east-1.localhost:4566`). */
  domainName: string;
  receivedAt: number;
  /** `HTTP/1.1`. */
  protocol: string;
  /** The edge's port, for `x-forwarded-port`. */
  port: string;
  /** The X-Ray trace header of the invocation. */
  traceId: string;
}

/** Who signed a call to an AWS_IAM URL (its event's `authorizer.iam`). */
export type FunctionUrlSigner = Signer;

/** Headers Lambda's front end sets itself: a client's own are replaced (`x-forwarded-for` is appended to). */
const replacedHeaders = new Set(['x-forwarded-proto', 'x-forwarded-port', 'x-amzn-trace-id']);

export function functionUrlEvent(call: FunctionUrlCall, signer?: FunctionUrlSigner): HttpProxyEventV2 {
  const forwardedFor = call.headers.filter(([name]) => name.toLowerCase() === 'x-forwarded-for');
  const headers: ApiCall['headers'] = [
    ...call.headers.filter(([name]) => {
      const lower = name.toLowerCase();
      return !replacedHeaders.has(lower) && lower !== 'x-forwarded-for';
    }),
    ['x-amzn-trace-id', call.traceId],
    ['x-forwarded-for', [...forwardedFor.map(([, value]) => value), call.sourceIp].join(', ')],
    ['x-forwarded-proto', 'http'],
    ['x-forwarded-port', call.port],
  ];
  const apiCall: ApiCall = {
    requestId: call.requestId,
    extendedRequestId: call.requestId,
    apiId: call.urlId,
    accountId: signer ? call.accountId : 'anonymous',
    region: call.region,
    stage: '$default',
    method: call.method,
    rawPath: call.rawPath,
    rawQueryString: call.rawQueryString,
    headers,
    body: call.body,
    sourceIp: call.sourceIp,
    domainName: call.domainName,
    receivedAt: call.receivedAt,
    protocol: call.protocol,
    ...(signer ? { signer } : {}),
  };
  const route = { resourcePath: '$default', resourceId: '', pathParameters: {}, stageVariables: {} };
  const event = httpProxyEventV2(apiCall, route, {});
  return { ...event, requestContext: { ...event.requestContext, domainPrefix: call.urlId } };
}

/** An X-Ray trace header as Lambda's front end starts one: `Root=1-{epoch seconds, hex}-{96-bit id}`. */
export function newTraceHeader(nowMs: number, random: (size: number) => Buffer): string {
  return `Root=1-${Math.floor(nowMs / 1000).toString(16)}-${random(12).toString('hex')}`;
}
