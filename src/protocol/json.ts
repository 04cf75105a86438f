/**
 * The `json` protocol (awsJson 1.0 / 1.1): `POST /` with `X-Amz-Target: <prefix>.<Operation>`,
 * JSON bodies, errors as `{"__type": …, "message": …}`. Services marked `awsQueryCompatible`
 * (SQS, CloudWatch) also send `x-amzn-query-error: <query code>;Sender` so SDKs that still know
 * the query error codes see them.
 */
import type { ServiceModel } from './model.js';
import { SerializationException, UnknownOperationException } from './errors.js';
import { decodeJsonValue, encodeJsonValue } from './json-codec.js';
import { stringifyJson } from './raw-json.js';
import { identifyError, type Protocol, type WireRequest } from './wire.js';

function contentType(model: ServiceModel): string {
  return `application/x-amz-json-${model.metadata.jsonVersion ?? '1.0'}`;
}

export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new SerializationException('Start of structure or map found where not expected.');
  }
}

export const jsonProtocol: Protocol = {
  name: 'json',

  recognizes: (request) => request.headers['x-amz-target'] !== undefined,

  resolve(model, request: WireRequest) {
    const target = request.headers['x-amz-target'] ?? '';
    const dot = target.lastIndexOf('.');
    const operation =
      target.slice(0, dot) === model.metadata.targetPrefix
        ? model.operations[target.slice(dot + 1)]
        : undefined;
    if (!operation) throw new UnknownOperationException(`Unknown operation ${target}`);
    return { operation };
  },

  parse(model, { operation }, request) {
    if (!operation.input) return {};
    const decoded = decodeJsonValue(model, operation.input, parseJsonBody(request.body), {});
    return (decoded ?? {}) as Record<string, unknown>;
  },

  serialize(model, operation, output, { requestId }) {
    const body = operation.output ? encodeJsonValue(model, operation.output, output ?? {}, {}) : {};
    return {
      status: 200,
      headers: { 'content-type': contentType(model), 'x-amzn-requestid': requestId },
      body: stringifyJson(body),
    };
  },

  serializeError(model, error, { requestId }) {
    const identity = identifyError(model, error);
    const queryCompatible = model.metadata.awsQueryCompatible !== undefined;
    const headers: Record<string, string> = {
      'content-type': contentType(model),
      'x-amzn-requestid': requestId,
      ...error.headers,
    };
    if (queryCompatible) {
      headers['x-amzn-query-error'] = `${identity.wireCode};${identity.senderFault ? 'Sender' : 'Receiver'}`;
    }
    const type = queryCompatible ? identity.shapeName : identity.wireCode;
    return {
      status: identity.status,
      headers,
      body: JSON.stringify({ __type: type, message: error.message, ...error.fields }),
    };
  },
};
