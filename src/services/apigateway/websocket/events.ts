/**
 * The events a WebSocket API's Lambda proxy integrations receive: one at `$connect` (with the
 * handshake's headers and query string), one per message (with its body), one at `$disconnect`
 * (with the close code and reason). Pure: the connection's facts and the occasion in, the event out.
 *
 * As AWS builds them: `requestContext.requestId` equals `extendedRequestId`; `messageId` only on
 * messages; `messageDirection` is always `IN`; a binary message's body is base64 with
 * `isBase64Encoded: true`; the query string maps appear only when the handshake had one; what
 * `$connect`'s authorizer answered is `requestContext.authorizer` in every event of the connection.
 */
import { randomBytes } from 'node:crypto';
import { groupHeaders, groupValues, queryParameters, requestTime } from '../invoke/request-parts.js';

/** What is known of a connection from its handshake on. */
export interface ConnectionFacts {
  connectionId: string;
  apiId: string;
  stage: string;
  /** The Host the client connected to (`{apiId}.execute-api.localhost:4566`). */
  domainName: string;
  connectedAt: number;
  sourceIp: string;
  userAgent: string;
  /** What `$connect`'s Lambda authorizer answered (`principalId` and its context), for every event. */
  authorizer?: Record<string, unknown>;
  /** Who signed the handshake of an `AWS_IAM` `$connect` (`accountId`, `accessKey`, `userArn` …). */
  caller?: Record<string, string>;
}

/** The handshake request, for the `$connect` event. */
export interface Handshake {
  /** Header pairs in arrival order, names as sent. */
  headers: readonly (readonly [string, string])[];
  /** Without `?`; `''` when there is none. */
  rawQueryString: string;
}

export interface WebSocketRequestContext {
  routeKey: string;
  eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT';
  messageId?: string;
  extendedRequestId: string;
  requestTime: string;
  messageDirection: 'IN';
  disconnectStatusCode?: number;
  disconnectReason?: string;
  stage: string;
  connectedAt: number;
  requestTimeEpoch: number;
  identity: Record<string, string> & { userAgent: string; sourceIp: string };
  authorizer?: Record<string, unknown>;
  requestId: string;
  domainName: string;
  connectionId: string;
  apiId: string;
}

export interface WebSocketEvent {
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  queryStringParameters?: Record<string, string>;
  multiValueQueryStringParameters?: Record<string, string[]>;
  requestContext: WebSocketRequestContext;
  body?: string;
  isBase64Encoded: boolean;
}

/**
 * API Gateway's connection, message and request ids: 16 characters of base64 ending in `=`
 * (`K_7Ouc8XIAMCJmQ=`).
 */
export function webSocketId(): string {
  return `${randomBytes(11).toString('base64url')}=`;
}

/** Headers that belong to the handshake itself and never reach the function. */
const handshakeOnly = new Set(['upgrade']);

function context(
  facts: ConnectionFacts,
  occasion: {
    routeKey: string;
    eventType: WebSocketRequestContext['eventType'];
    requestId: string;
    at: number;
  },
): WebSocketRequestContext {
  return {
    routeKey: occasion.routeKey,
    eventType: occasion.eventType,
    extendedRequestId: occasion.requestId,
    requestTime: requestTime(occasion.at),
    messageDirection: 'IN',
    stage: facts.stage,
    connectedAt: facts.connectedAt,
    requestTimeEpoch: occasion.at,
    identity: { ...facts.caller, userAgent: facts.userAgent, sourceIp: facts.sourceIp },
    requestId: occasion.requestId,
    domainName: facts.domainName,
    connectionId: facts.connectionId,
    apiId: facts.apiId,
    ...(facts.authorizer ? { authorizer: facts.authorizer } : {}),
  };
}

export function connectEvent(
  facts: ConnectionFacts,
  handshake: Handshake,
  occasion: { requestId: string; at: number },
): WebSocketEvent {
  const headers = groupHeaders(handshake.headers, (name) => name, handshakeOnly);
  const query = groupValues(queryParameters(handshake.rawQueryString));
  return {
    headers: Object.fromEntries([...headers].map(([name, values]) => [name, values[values.length - 1]!])),
    multiValueHeaders: Object.fromEntries(headers),
    ...(query.size > 0
      ? {
          queryStringParameters: Object.fromEntries(
            [...query].map(([name, values]) => [name, values[values.length - 1]!]),
          ),
          multiValueQueryStringParameters: Object.fromEntries(query),
        }
      : {}),
    requestContext: context(facts, { ...occasion, routeKey: '$connect', eventType: 'CONNECT' }),
    isBase64Encoded: false,
  };
}

export function messageEvent(
  facts: ConnectionFacts,
  message: { data: Buffer; binary: boolean },
  occasion: { routeKey: string; requestId: string; messageId: string; at: number },
): WebSocketEvent {
  const requestContext = context(facts, { ...occasion, eventType: 'MESSAGE' });
  return {
    requestContext: { ...requestContext, messageId: occasion.messageId },
    body: message.data.toString(message.binary ? 'base64' : 'utf8'),
    isBase64Encoded: message.binary,
  };
}

export function disconnectEvent(
  facts: ConnectionFacts,
  close: { statusCode: number; reason: string },
  occasion: { requestId: string; at: number },
): WebSocketEvent {
  const requestContext = context(facts, { ...occasion, routeKey: '$disconnect', eventType: 'DISCONNECT' });
  return {
    headers: { Host: facts.domainName },
    multiValueHeaders: { Host: [facts.domainName] },
    requestContext: {
      ...requestContext,
      disconnectStatusCode: close.statusCode,
      disconnectReason: close.reason,
    },
    isBase64Encoded: false,
  };
}

/** The reason `$disconnect` reports when the close frame gave none. */
export function closeReason(code: number, sent: string): string {
  if (sent) return sent;
  switch (code) {
    case 1000:
      return 'Connection Closed Normally';
    case 1001:
      return 'Going away';
    case 1005:
      return 'Client-side close frame status not set';
    case 1006:
      return 'Connection closed abnormally';
    case 1009:
      return 'Message too big';
    default:
      return '';
  }
}
