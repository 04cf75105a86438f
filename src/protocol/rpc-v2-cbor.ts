/**
 * The `smithy-rpc-v2-cbor` protocol (CloudWatch's newest): `POST /service/<Service>/operation/<Op>`
 * with `smithy-protocol: rpc-v2-cbor` and CBOR bodies. Encoding and decoding use the AWS SDK's own
 * CBOR codec from `@smithy/core`.
 */
import { cbor, dateToTag } from '@smithy/core/cbor';
import type { ServiceModel } from './model.js';
import { SerializationException, UnknownOperationException } from './errors.js';
import { decodeJsonValue, encodeJsonValue, type JsonCodecOptions } from './json-codec.js';
import { identifyError, type Protocol } from './wire.js';

const codecOptions: JsonCodecOptions = { binary: true, encodeDate: dateToTag };
const baseHeaders = { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' };

function decodeBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return cbor.deserialize(body);
  } catch (err) {
    throw new SerializationException(`Malformed CBOR body: ${(err as Error).message}`);
  }
}

function namespaceOf(model: ServiceModel): string {
  // Smithy namespaces of AWS services are `com.amazonaws.<sdk id>` (CloudWatch: `com.amazonaws.cloudwatch`).
  return `com.amazonaws.${model.metadata.serviceId.toLowerCase().replace(/\s+/g, '')}`;
}

export const rpcV2CborProtocol: Protocol = {
  name: 'smithy-rpc-v2-cbor',

  recognizes: (request) => request.headers['smithy-protocol'] === 'rpc-v2-cbor',

  resolve(model, request) {
    const match = /^\/service\/([^/]+)\/operation\/([^/?]+)$/.exec(request.path);
    const operation =
      match && match[1] === model.metadata.targetPrefix ? model.operations[match[2]!] : undefined;
    if (!operation) throw new UnknownOperationException(`Unknown operation ${request.path}`);
    return { operation };
  },

  parse(model, { operation }, request) {
    if (!operation.input) return {};
    return (decodeJsonValue(model, operation.input, decodeBody(request.body), codecOptions) ?? {}) as Record<
      string,
      unknown
    >;
  },

  serialize(model, operation, output, { requestId }) {
    const body = operation.output ? encodeJsonValue(model, operation.output, output ?? {}, codecOptions) : {};
    return {
      status: 200,
      headers: { ...baseHeaders, 'x-amzn-requestid': requestId },
      body: Buffer.from(cbor.serialize(body)),
    };
  },

  serializeError(model, error, { requestId }) {
    const identity = identifyError(model, error);
    const headers: Record<string, string> = {
      ...baseHeaders,
      'x-amzn-requestid': requestId,
      ...error.headers,
    };
    if (model.metadata.awsQueryCompatible !== undefined) {
      headers['x-amzn-query-error'] = `${identity.wireCode};${identity.senderFault ? 'Sender' : 'Receiver'}`;
    }
    const body = {
      __type: `${namespaceOf(model)}#${identity.shapeName}`,
      message: error.message,
      ...error.fields,
    };
    return { status: identity.status, headers, body: Buffer.from(cbor.serialize(body)) };
  },
};
