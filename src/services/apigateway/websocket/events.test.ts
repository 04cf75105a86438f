import { describe, expect, it } from 'vitest';
import {
  closeReason,
  connectEvent,
  disconnectEvent,
  messageEvent,
  webSocketId,
  type ConnectionFacts,
} from './events.js';

const facts: ConnectionFacts = {
  connectionId: 'K_7Ouc8XIAMCJmQ=',
  apiId: 'abcdef1234',
  stage: 'prod',
  domainName: 'abcdef1234.execute-api.localhost:4566',
  connectedAt: Date.UTC(2020, 3, 9, 18, 3, 43, 627),
  sourceIp: '192.0.2.1',
  userAgent: 'wscat',
};
const at = Date.UTC(2020, 3, 9, 18, 3, 44, 0);

const common = {
  extendedRequestId: 'req=',
  requestId: 'req=',
  requestTime: '09/Apr/2020:18:03:44 +0000',
  requestTimeEpoch: at,
  messageDirection: 'IN',
  stage: 'prod',
  connectedAt: facts.connectedAt,
  identity: { userAgent: 'wscat', sourceIp: '192.0.2.1' },
  domainName: facts.domainName,
  connectionId: facts.connectionId,
  apiId: 'abcdef1234',
};

describe('WebSocket events', () => {
  it('$connect carries the handshake headers as sent and its query string, not the Upgrade header', () => {
    const event = connectEvent(
      facts,
      {
        headers: [
          ['Host', facts.domainName],
          ['Upgrade', 'websocket'],
          ['Connection', 'Upgrade'],
          ['Sec-WebSocket-Version', '13'],
          ['X-Tag', 'a'],
          ['x-tag', 'b'],
        ],
        rawQueryString: 'token=abc&room=1&room=2',
      },
      { requestId: 'req=', at },
    );
    expect(event).toEqual({
      headers: { Host: facts.domainName, 'Sec-WebSocket-Version': '13', 'X-Tag': 'b' },
      multiValueHeaders: { Host: [facts.domainName], 'Sec-WebSocket-Version': ['13'], 'X-Tag': ['a', 'b'] },
      queryStringParameters: { token: 'abc', room: '2' },
      multiValueQueryStringParameters: { token: ['abc'], room: ['1', '2'] },
      requestContext: { ...common, routeKey: '$connect', eventType: 'CONNECT' },
      isBase64Encoded: false,
    });
  });

  it('$connect without a query string has no query maps', () => {
    const event = connectEvent(facts, { headers: [], rawQueryString: '' }, { requestId: 'req=', at });
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('multiValueQueryStringParameters');
  });

  it.each([
    [
      'a text message as it came',
      { data: Buffer.from('{"action":"send"}'), binary: false },
      '{"action":"send"}',
      false,
    ],
    ['a binary message in base64', { data: Buffer.from([0xff, 0, 1]), binary: true }, '/wAB', true],
  ])('a message carries %s', (_name, message, body, isBase64Encoded) => {
    expect(
      messageEvent(facts, message, { routeKey: 'send', requestId: 'req=', messageId: 'msg=', at }),
    ).toEqual({
      requestContext: { ...common, routeKey: 'send', eventType: 'MESSAGE', messageId: 'msg=' },
      body,
      isBase64Encoded,
    });
  });

  it('$disconnect carries the close code and reason', () => {
    const event = disconnectEvent(
      facts,
      { statusCode: 1001, reason: 'Going away' },
      { requestId: 'req=', at },
    );
    expect(event).toEqual({
      headers: { Host: facts.domainName },
      multiValueHeaders: { Host: [facts.domainName] },
      requestContext: {
        ...common,
        routeKey: '$disconnect',
        eventType: 'DISCONNECT',
        disconnectStatusCode: 1001,
        disconnectReason: 'Going away',
      },
      isBase64Encoded: false,
    });
  });

  it.each([
    [1000, '', 'Connection Closed Normally'],
    [1001, '', 'Going away'],
    [1005, '', 'Client-side close frame status not set'],
    [1006, '', 'Connection closed abnormally'],
    [4000, 'bye', 'bye'],
    [4000, '', ''],
  ])('close code %i with reason %j is reported as %j', (code, sent, expected) => {
    expect(closeReason(code, sent)).toBe(expected);
  });

  it('makes ids like AWS: 16 characters of base64 ending in =', () => {
    const ids = new Set(Array.from({ length: 100 }, webSocketId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{15}=$/);
  });
});
