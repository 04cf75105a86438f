/**
 * The `rest-json` protocol (Lambda, API Gateway, SES v2, Scheduler): operations by method + URI,
 * members in the URI, query string and headers, the rest (or the `payload` member) as the JSON
 * body; errors carry `x-amzn-ErrorType` and a JSON body with `message`.
 */
import type { Shape } from './model.js';
import { UnknownOperationException } from './errors.js';
import { decodeJsonValue, encodeJsonValue } from './json-codec.js';
import { parseJsonBody } from './json.js';
import { matchRestOperation, readBoundMembers, writeBoundMembers } from './rest.js';
import { identifyError, type Protocol } from './wire.js';

const jsonType = 'application/json';

export const restJsonProtocol: Protocol = {
  name: 'rest-json',

  recognizes: () => true,

  resolve(model, request) {
    const match = matchRestOperation(model, request);
    if (!match) throw new UnknownOperationException(`No operation matches ${request.method} ${request.path}`);
    return match;
  },

  parse(model, match, request) {
    const ref = match.operation.input;
    if (!ref) return {};
    const shape = model.shapes[ref.shape] as Shape;
    const input = readBoundMembers(model, shape, match, request);
    const payloadName = shape.payload;
    if (payloadName) {
      const payloadRef = shape.members![payloadName]!;
      const payloadShape = model.shapes[payloadRef.shape] as Shape;
      if (payloadShape.type === 'blob' || payloadShape.type === 'string') {
        if (request.body.length > 0) {
          input[payloadName] = payloadShape.type === 'blob' ? request.body : request.body.toString('utf8');
        }
      } else if (request.body.length > 0) {
        input[payloadName] = decodeJsonValue(model, payloadRef, parseJsonBody(request.body), {
          useLocationName: true,
        });
      }
      return input;
    }
    const body = decodeJsonValue(model, ref, parseJsonBody(request.body), { useLocationName: true });
    return { ...(body as Record<string, unknown>), ...input };
  },

  serialize(model, operation, output, { requestId }) {
    const values = (output ?? {}) as Record<string, unknown>;
    const headers: Record<string, string> = { 'x-amzn-requestid': requestId };
    let status = operation.http.responseCode ?? 200;
    let body: Buffer | string = '';
    if (operation.output) {
      const shape = model.shapes[operation.output.shape] as Shape;
      const bound = writeBoundMembers(model, shape, values);
      Object.assign(headers, bound.headers);
      status = bound.status ?? status;
      const payloadName = shape.payload;
      if (payloadName) {
        const payloadRef = shape.members![payloadName]!;
        const payloadShape = model.shapes[payloadRef.shape] as Shape;
        const payload = values[payloadName];
        if (payloadShape.type === 'blob' || payloadShape.type === 'string') {
          body =
            payload === undefined
              ? ''
              : typeof payload === 'string'
                ? payload
                : Buffer.from(payload as Uint8Array);
          headers['content-type'] ??=
            payloadShape.type === 'blob' ? 'application/octet-stream' : 'text/plain';
        } else {
          body =
            payload === undefined
              ? '{}'
              : JSON.stringify(encodeJsonValue(model, payloadRef, payload, { useLocationName: true }));
          headers['content-type'] = jsonType;
        }
      } else {
        body = JSON.stringify(encodeJsonValue(model, operation.output, values, { useLocationName: true }));
        headers['content-type'] = jsonType;
      }
    }
    return { status, headers, body };
  },

  serializeError(model, error, { requestId }) {
    const identity = identifyError(model, error);
    return {
      status: identity.status,
      headers: {
        'content-type': jsonType,
        'x-amzn-requestid': requestId,
        'x-amzn-errortype': identity.wireCode,
        ...error.headers,
      },
      body: JSON.stringify({ message: error.message, ...error.fields }),
    };
  },
};
