/**
 * A call to a deployed API as the invoke edge received it, and the route it matched: what the
 * proxy integrations' events are built from. Nothing here is an AWS API call; these requests
 * come from browsers, curl and fetch.
 */
import type { WireRequest } from '../../../protocol/wire.js';
import type { Signer } from './signer.js';

/** One HTTP request to `{apiId}.execute-api.localhost/{stage}/…` (or the `/_aws/execute-api/` path form). */
export interface ApiCall {
  /** API Gateway's id for this request (`requestContext.requestId`), a UUID. */
  requestId: string;
  /** The id API Gateway also logs (`extendedRequestId`, HTTP APIs' `requestContext.requestId`). */
  extendedRequestId: string;
  apiId: string;
  accountId: string;
  region: string;
  /** The stage as named in the URL (`default`, `prod`, `$default` for an HTTP API's default stage). */
  stage: string;
  method: string;
  /**
   * The path after the stage, still percent-encoded as sent, starting with `/` (`/users/a%20b`).
   * For an HTTP API's `$default` stage, the whole path.
   */
  rawPath: string;
  /**
   * Through a custom domain, the whole path as the client sent it (`/v1/pets`, the mapping's key
   * included): REST events' `path` and `requestContext.path`, HTTP API events' `rawPath`.
   */
  requestPath?: string;
  /** The query string as sent, without `?` (`a=1&b=2&b=3`), `''` when there is none. */
  rawQueryString: string;
  /** Headers in arrival order with their names as sent (case kept); repeated names repeat. */
  headers: readonly (readonly [name: string, value: string])[];
  body: Buffer;
  /** The client's address (`requestContext.identity.sourceIp` / `http.sourceIp`). */
  sourceIp: string;
  /** The Host the client used (`{apiId}.execute-api.localhost:4566`), for `requestContext.domainName`. */
  domainName: string;
  /** When the edge received the request, ms since the epoch, Stratus's clock. */
  receivedAt: number;
  /** HTTP version as the client spoke it (`HTTP/1.1`), for `requestContext.protocol`. */
  protocol: string;
  /**
   * The request as the edge received it (the path as sent, lower-case headers): what an
   * `AWS_IAM` method's SigV4 signature is checked against.
   */
  wire?: WireRequest;
  /** Who signed the call, once an `AWS_IAM` method or route checked the signature. */
  signer?: Signer;
}

/** What the call matched in the deployed API. */
export interface RouteMatch {
  /**
   * REST APIs: the resource's path template (`/pets/{id}`, `/{proxy+}`). HTTP APIs: the route key
   * (`ANY /{proxy+}`, `GET /pets/{id}`, `$default`).
   */
  resourcePath: string;
  /** REST APIs: the resource's id; HTTP APIs: the route's id. */
  resourceId: string;
  /** Values of the template's `{name}` / `{name+}` segments, percent-decoded; empty when none. */
  pathParameters: Record<string, string>;
  /** The stage's variables; empty when none. */
  stageVariables: Record<string, string>;
}
