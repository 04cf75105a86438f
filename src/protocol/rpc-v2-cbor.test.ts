import { describe, it, expect } from 'vitest';
import { cbor, dateToTag } from '@smithy/core/cbor';
import type { ServiceModel } from './model.js';
import { ServiceError } from './errors.js';
import { rpcV2CborProtocol } from './rpc-v2-cbor.js';
import type { WireRequest } from './wire.js';

const model: ServiceModel = {
  metadata: {
    apiVersion: '2010-08-01',
    endpointPrefix: 'monitoring',
    protocol: 'smithy-rpc-v2-cbor',
    protocols: ['smithy-rpc-v2-cbor', 'json', 'query'],
    serviceId: 'CloudWatch',
    serviceFullName: 'Amazon CloudWatch',
    targetPrefix: 'GraniteServiceVersion20100801',
    awsQueryCompatible: {},
  },
  operations: {
    PutData: {
      name: 'PutData',
      http: { method: 'POST', requestUri: '/' },
      input: { shape: 'PutDataInput' },
      output: { shape: 'PutDataOutput' },
    },
    Ping: { name: 'Ping', http: { method: 'POST', requestUri: '/' } },
  },
  shapes: {
    PutDataInput: {
      type: 'structure',
      members: {
        Namespace: { shape: 'String' },
        Points: { shape: 'Points' },
        Dimensions: { shape: 'DimensionMap' },
        Payload: { shape: 'Blob' },
        Enabled: { shape: 'Boolean' },
        Big: { shape: 'Long' },
      },
    },
    PutDataOutput: {
      type: 'structure',
      members: {
        Id: { shape: 'String' },
        At: { shape: 'Timestamp' },
        Points: { shape: 'Points' },
        Payload: { shape: 'Blob' },
        Ratio: { shape: 'Double' },
      },
    },
    Points: { type: 'list', member: { shape: 'Point' } },
    Point: {
      type: 'structure',
      members: { Timestamp: { shape: 'Timestamp' }, Value: { shape: 'Double' }, Unit: { shape: 'String' } },
    },
    DimensionMap: { type: 'map', key: { shape: 'String' }, value: { shape: 'String' } },
    String: { type: 'string' },
    Double: { type: 'double' },
    Long: { type: 'long' },
    Boolean: { type: 'boolean' },
    Blob: { type: 'blob' },
    Timestamp: { type: 'timestamp' },
    ResourceNotFound: {
      type: 'structure',
      members: { message: { shape: 'String' } },
      exception: true,
      error: { code: 'ResourceNotFound', httpStatusCode: 404, senderFault: true },
    },
  },
};

function cborRequest(
  operation: string,
  body: Uint8Array | Buffer,
  service = model.metadata.targetPrefix!,
): WireRequest {
  return {
    method: 'POST',
    path: `/service/${service}/operation/${operation}`,
    query: {},
    headers: {
      'smithy-protocol': 'rpc-v2-cbor',
      'content-type': 'application/cbor',
      accept: 'application/cbor',
    },
    body: Buffer.from(body),
  };
}

function parse(operation: string, value: unknown): Record<string, unknown> {
  const request = cborRequest(operation, cbor.serialize(value));
  return rpcV2CborProtocol.parse(model, rpcV2CborProtocol.resolve(model, request), request);
}

describe('smithy-rpc-v2-cbor requests', () => {
  it('recognizes requests by the smithy-protocol header', () => {
    expect(rpcV2CborProtocol.recognizes(cborRequest('PutData', new Uint8Array()))).toBe(true);
    expect(
      rpcV2CborProtocol.recognizes({
        ...cborRequest('PutData', new Uint8Array()),
        headers: { 'content-type': 'application/cbor' },
      }),
    ).toBe(false);
  });

  it('resolves the operation from /service/<Service>/operation/<Operation>', () => {
    const request = cborRequest('PutData', new Uint8Array());
    expect(rpcV2CborProtocol.resolve(model, request).operation.name).toBe('PutData');
  });

  it('answers an unknown operation or another service name with UnknownOperationException', () => {
    expect(() => rpcV2CborProtocol.resolve(model, cborRequest('Nope', new Uint8Array()))).toThrow(
      expect.objectContaining({ code: 'UnknownOperationException' }),
    );
    expect(() =>
      rpcV2CborProtocol.resolve(model, cborRequest('PutData', new Uint8Array(), 'OtherService')),
    ).toThrow(expect.objectContaining({ code: 'UnknownOperationException' }));
  });

  it('round-trips an SDK-encoded body: strings, lists of structures, maps, tagged timestamps, bytes, numbers', () => {
    const when = new Date('2024-05-06T07:08:09.250Z');
    const input = parse('PutData', {
      Namespace: 'App/Test',
      Points: [
        { Timestamp: dateToTag(when), Value: 1.5, Unit: 'Count' },
        { Timestamp: dateToTag(new Date(0)), Value: -2 },
      ],
      Dimensions: { Host: 'a', Zone: 'b' },
      Payload: new Uint8Array([0, 1, 254, 255]),
      Enabled: true,
      Big: 2 ** 40,
    });
    expect(input).toEqual({
      Namespace: 'App/Test',
      Points: [
        { Timestamp: when, Value: 1.5, Unit: 'Count' },
        { Timestamp: new Date(0), Value: -2 },
      ],
      Dimensions: { Host: 'a', Zone: 'b' },
      Payload: Buffer.from([0, 1, 254, 255]),
      Enabled: true,
      Big: 2 ** 40,
    });
    expect((input['Payload'] as Buffer).equals(Buffer.from([0, 1, 254, 255]))).toBe(true);
  });

  it('also reads timestamps sent as plain epoch seconds', () => {
    const input = parse('PutData', { Points: [{ Timestamp: 1_700_000_000.5 }] });
    expect(input['Points']).toEqual([{ Timestamp: new Date(1_700_000_000_500) }]);
  });

  it('reads non-finite doubles sent as strings', () => {
    const input = parse('PutData', {
      Points: [{ Value: 'NaN' }, { Value: 'Infinity' }, { Value: '-Infinity' }],
    });
    expect(input['Points']).toEqual([{ Value: NaN }, { Value: Infinity }, { Value: -Infinity }]);
  });

  it('drops null members and reads an empty body as no input', () => {
    expect(parse('PutData', { Namespace: null, Enabled: false })).toEqual({ Enabled: false });
    const empty = cborRequest('PutData', new Uint8Array());
    expect(rpcV2CborProtocol.parse(model, rpcV2CborProtocol.resolve(model, empty), empty)).toEqual({});
  });

  it('answers a wrongly typed member with SerializationException', () => {
    expect(() => parse('PutData', { Namespace: 12 })).toThrow(
      expect.objectContaining({ code: 'SerializationException', status: 400 }),
    );
    expect(() => parse('PutData', { Points: { not: 'a list' } })).toThrow(
      expect.objectContaining({ code: 'SerializationException' }),
    );
  });

  it('answers a body that is not CBOR with SerializationException', () => {
    const request = cborRequest('PutData', Buffer.from([0xff, 0xff, 0x1f]));
    expect(() => rpcV2CborProtocol.parse(model, rpcV2CborProtocol.resolve(model, request), request)).toThrow(
      expect.objectContaining({ code: 'SerializationException' }),
    );
  });
});

describe('smithy-rpc-v2-cbor responses', () => {
  it('encodes output as CBOR with tag-1 timestamps and byte strings', () => {
    const at = new Date('2024-05-06T07:08:09.250Z');
    const response = rpcV2CborProtocol.serialize(
      model,
      model.operations['PutData']!,
      {
        Id: 'x',
        At: at,
        Points: [{ Timestamp: at, Value: 3 }],
        Payload: Buffer.from('hi'),
        Ratio: Infinity,
      },
      { requestId: 'req-1' },
    );
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'application/cbor',
      'smithy-protocol': 'rpc-v2-cbor',
      'x-amzn-requestid': 'req-1',
    });
    const decoded = cbor.deserialize(response.body as Buffer) as Record<string, unknown>;
    expect(decoded['Id']).toBe('x');
    expect(decoded['At']).toMatchObject({ tag: 1, value: at.getTime() / 1000 });
    expect((decoded['Points'] as Record<string, unknown>[])[0]).toMatchObject({
      Timestamp: { tag: 1, value: at.getTime() / 1000 },
      Value: 3,
    });
    expect(Buffer.from(decoded['Payload'] as Uint8Array).toString()).toBe('hi');
    expect(decoded['Ratio']).toBe('Infinity');
  });

  it('encodes an operation without output as an empty map', () => {
    const response = rpcV2CborProtocol.serialize(model, model.operations['Ping']!, undefined, {
      requestId: 'r',
    });
    expect(cbor.deserialize(response.body as Buffer)).toEqual({});
  });

  it('encodes a modelled error with a shape-id __type, its status and the query-compatible code', () => {
    const response = rpcV2CborProtocol.serializeError(
      model,
      new ServiceError('ResourceNotFound', 'no such thing', { fields: { extra: 'x' } }),
      { requestId: 'req-2' },
    );
    expect(response.status).toBe(404);
    expect(response.headers['x-amzn-query-error']).toBe('ResourceNotFound;Sender');
    expect(response.headers['smithy-protocol']).toBe('rpc-v2-cbor');
    const body = cbor.deserialize(response.body as Buffer) as Record<string, unknown>;
    // SDKs read the shape name after the `#` of a Smithy shape id.
    expect(body['__type']).toMatch(/^com\.amazonaws\.[a-z]+#ResourceNotFound$/);
    expect(body).toMatchObject({ message: 'no such thing', extra: 'x' });
  });

  it('encodes a protocol-level error with the status it was raised with', () => {
    const response = rpcV2CborProtocol.serializeError(
      model,
      new ServiceError('InternalFailure', 'boom', { status: 500 }),
      { requestId: 'r' },
    );
    expect(response.status).toBe(500);
    expect(response.headers['x-amzn-query-error']).toBe('InternalFailure;Receiver');
    expect((cbor.deserialize(response.body as Buffer) as { __type: string }).__type).toMatch(
      /#InternalFailure$/,
    );
  });
});
