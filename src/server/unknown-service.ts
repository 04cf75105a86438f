/**
 * The answer to a request no service claims. It is shaped like the protocol the request looks
 * written in (XML for form-encoded or `Action` requests, JSON otherwise) so any client can read it.
 */
import { escapeXml } from '../protocol/xml.js';
import type { WireRequest, WireResponse } from '../protocol/wire.js';

export function unknownServiceResponse(request: WireRequest, requestId: string): WireResponse {
  const message = `No Stratus service serves ${request.method} ${request.path.split('?')[0]}${
    request.headers['x-amz-target'] ? ` (X-Amz-Target ${request.headers['x-amz-target']})` : ''
  }. See GET /_stratus/health for the services this server runs.`;
  const looksQuery =
    (request.headers['content-type'] ?? '').includes('x-www-form-urlencoded') || 'Action' in request.query;
  if (looksQuery) {
    return {
      status: 400,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      body:
        `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>UnknownService</Code>` +
        `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    };
  }
  return {
    status: 400,
    headers: {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': 'UnknownService',
    },
    body: JSON.stringify({ __type: 'UnknownService', message }),
  };
}
