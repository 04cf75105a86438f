import { describe, it, expect } from 'vitest';
import type { ServiceModel } from './model.js';
import { ServiceError } from './errors.js';
import { queryParameters, queryProtocol } from './query.js';
import type { WireRequest } from './wire.js';

/** A small awsQuery service with every serialization form the protocol has. */
const model: ServiceModel = {
  metadata: {
    apiVersion: '2020-01-01',
    endpointPrefix: 'demo',
    protocol: 'query',
    serviceId: 'Demo',
    serviceFullName: 'Demo Service',
    xmlNamespace: 'https://demo.amazonaws.com/doc/2020-01-01/',
  },
  operations: {
    PutThing: {
      name: 'PutThing',
      http: { method: 'POST', requestUri: '/' },
      input: { shape: 'PutThingInput' },
      output: { shape: 'PutThingOutput', resultWrapper: 'PutThingResult' },
    },
    Ping: { name: 'Ping', http: { method: 'POST', requestUri: '/' } },
  },
  shapes: {
    PutThingInput: {
      type: 'structure',
      members: {
        Name: { shape: 'String' },
        Count: { shape: 'Integer' },
        Ratio: { shape: 'Double' },
        Enabled: { shape: 'Boolean' },
        When: { shape: 'Timestamp' },
        Payload: { shape: 'Blob' },
        Names: { shape: 'StringList' },
        Tags: { shape: 'TagList' },
        Renamed: { shape: 'String', locationName: 'Alias' },
        Attributes: { shape: 'AttributeMap' },
        Flat: { shape: 'FlatList' },
        FlatNamed: { shape: 'FlatNamedList', locationName: 'FlatNamedOriginal' },
        FlatMap: { shape: 'FlatMap' },
        Nested: { shape: 'Outer' },
        ItemList: { shape: 'ItemNamedList' },
        Matrix: { shape: 'Matrix' },
      },
    },
    PutThingOutput: {
      type: 'structure',
      members: {
        Id: { shape: 'String' },
        Count: { shape: 'Integer' },
        Enabled: { shape: 'Boolean' },
        When: { shape: 'Timestamp' },
        Payload: { shape: 'Blob' },
        Names: { shape: 'StringList' },
        Tags: { shape: 'TagList' },
        Attributes: { shape: 'AttributeMap' },
        Flat: { shape: 'FlatList' },
        Renamed: { shape: 'String', locationName: 'Alias' },
        Nothing: { shape: 'String' },
      },
    },
    String: { type: 'string' },
    Integer: { type: 'integer' },
    Double: { type: 'double' },
    Boolean: { type: 'boolean' },
    Timestamp: { type: 'timestamp' },
    Blob: { type: 'blob' },
    StringList: { type: 'list', member: { shape: 'String' } },
    Tag: { type: 'structure', members: { Key: { shape: 'String' }, Value: { shape: 'String' } } },
    TagList: { type: 'list', member: { shape: 'Tag' } },
    AttributeMap: { type: 'map', key: { shape: 'String' }, value: { shape: 'String' } },
    FlatList: { type: 'list', member: { shape: 'String' }, flattened: true },
    FlatNamedList: { type: 'list', member: { shape: 'String', locationName: 'Entry' }, flattened: true },
    FlatMap: {
      type: 'map',
      key: { shape: 'String', locationName: 'Name' },
      value: { shape: 'Integer', locationName: 'Amount' },
      flattened: true,
    },
    Outer: {
      type: 'structure',
      members: { Inner: { shape: 'Inner' }, Label: { shape: 'String' } },
    },
    Inner: {
      type: 'structure',
      members: { Values: { shape: 'StringList' }, Deep: { shape: 'AttributeMap' } },
    },
    ItemNamedList: { type: 'list', member: { shape: 'String', locationName: 'item' } },
    Matrix: { type: 'list', member: { shape: 'StringList' } },
  },
};

function formRequest(body: string, query: Record<string, string[]> = {}): WireRequest {
  return {
    method: 'POST',
    path: '/',
    query,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: Buffer.from(body),
  };
}

function parse(body: string): Record<string, unknown> {
  const request = formRequest(`Action=PutThing&Version=2020-01-01&${body}`);
  return queryProtocol.parse(model, queryProtocol.resolve(model, request), request);
}

describe('query protocol: reading form parameters', () => {
  it('takes parameters from the form body and the query string, the body winning', () => {
    const params = queryParameters(formRequest('Name=body&Only=b', { Name: ['query'], Extra: ['q'] }));
    expect(params.get('Name')).toBe('body');
    expect(params.get('Only')).toBe('b');
    expect(params.get('Extra')).toBe('q');
  });

  it('ignores a body that is not form-encoded', () => {
    const request: WireRequest = {
      method: 'POST',
      path: '/',
      query: { Action: ['Ping'] },
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('Name=x'),
    };
    expect([...queryParameters(request).keys()]).toEqual(['Action']);
  });

  it('decodes percent-escapes and + as space', () => {
    expect(parse('Name=a+b%20c%26d%3D%E2%9C%93')).toEqual({ Name: 'a b c&d=✓' });
  });

  it('converts scalars by shape: integer, double, boolean, timestamp, blob', () => {
    const input = parse(
      'Count=42&Ratio=0.25&Enabled=true&When=2024-01-02T03%3A04%3A05Z&Payload=' +
        encodeURIComponent(Buffer.from('hi').toString('base64')),
    );
    expect(input).toEqual({
      Count: 42,
      Ratio: 0.25,
      Enabled: true,
      When: new Date('2024-01-02T03:04:05Z'),
      Payload: Buffer.from('hi'),
    });
  });

  it('reads epoch-second timestamps too', () => {
    expect(parse('When=1700000000')).toEqual({ When: new Date(1_700_000_000_000) });
  });

  it('rejects a non-numeric integer with SerializationException', () => {
    expect(() => parse('Count=many')).toThrow(ServiceError);
    try {
      parse('Count=many');
    } catch (err) {
      expect((err as ServiceError).code).toBe('SerializationException');
      expect((err as ServiceError).status).toBe(400);
    }
  });

  it('rejects a boolean other than true/false', () => {
    expect(() => parse('Enabled=yes')).toThrow(/not a valid boolean/);
  });

  it('reads a list as Name.member.N in order', () => {
    expect(parse('Names.member.1=a&Names.member.2=b&Names.member.3=c')).toEqual({ Names: ['a', 'b', 'c'] });
  });

  it('reads list items in index order whatever the parameter order', () => {
    expect(parse('Names.member.2=b&Names.member.1=a')).toEqual({ Names: ['a', 'b'] });
  });

  it('stops a list at the first missing index', () => {
    expect(parse('Names.member.1=a&Names.member.3=c')).toEqual({ Names: ['a'] });
  });

  it('reads an empty list sent as a bare Name= parameter', () => {
    expect(parse('Names=')).toEqual({ Names: [] });
  });

  it("uses the list member's locationName instead of `member`", () => {
    expect(parse('ItemList.item.1=x&ItemList.item.2=y')).toEqual({ ItemList: ['x', 'y'] });
  });

  it('reads a list of structures as Tags.member.N.Key', () => {
    expect(
      parse('Tags.member.1.Key=env&Tags.member.1.Value=prod&Tags.member.2.Key=team&Tags.member.2.Value=core'),
    ).toEqual({
      Tags: [
        { Key: 'env', Value: 'prod' },
        { Key: 'team', Value: 'core' },
      ],
    });
  });

  it('reads a list of lists', () => {
    expect(parse('Matrix.member.1.member.1=a&Matrix.member.1.member.2=b&Matrix.member.2.member.1=c')).toEqual(
      {
        Matrix: [['a', 'b'], ['c']],
      },
    );
  });

  it('reads a flattened list as Name.N', () => {
    expect(parse('Flat.1=x&Flat.2=y')).toEqual({ Flat: ['x', 'y'] });
  });

  it('reads a flattened list whose member has a locationName under that name (Entry.N)', () => {
    expect(parse('Entry.1=x&Entry.2=y')).toEqual({ FlatNamed: ['x', 'y'] });
  });

  it('reads a map as Name.entry.N.key / .value', () => {
    expect(
      parse(
        'Attributes.entry.1.key=color&Attributes.entry.1.value=blue&Attributes.entry.2.key=size&Attributes.entry.2.value=L',
      ),
    ).toEqual({ Attributes: { color: 'blue', size: 'L' } });
  });

  it('reads a flattened map with key and value locationNames (Name.N.Name / .Amount)', () => {
    expect(parse('FlatMap.1.Name=a&FlatMap.1.Amount=1&FlatMap.2.Name=b&FlatMap.2.Amount=2')).toEqual({
      FlatMap: { a: 1, b: 2 },
    });
  });

  it('uses a member locationName as the parameter name', () => {
    expect(parse('Alias=known-as&Renamed=ignored')).toEqual({ Renamed: 'known-as' });
  });

  it('reads nested structures with lists and maps inside', () => {
    expect(
      parse(
        'Nested.Label=top&Nested.Inner.Values.member.1=v1&Nested.Inner.Values.member.2=v2' +
          '&Nested.Inner.Deep.entry.1.key=k&Nested.Inner.Deep.entry.1.value=v',
      ),
    ).toEqual({ Nested: { Label: 'top', Inner: { Values: ['v1', 'v2'], Deep: { k: 'v' } } } });
  });

  it('leaves out members that were not sent and ignores unknown parameters', () => {
    expect(parse('Name=n&Unknown=1')).toEqual({ Name: 'n' });
  });

  it('gives an operation without input an empty object', () => {
    const request = formRequest('Action=Ping&Version=2020-01-01');
    expect(queryProtocol.parse(model, queryProtocol.resolve(model, request), request)).toEqual({});
  });
});

describe('query protocol: resolving the operation', () => {
  it('recognizes form-encoded bodies and Action in the query string', () => {
    expect(queryProtocol.recognizes(formRequest(''))).toBe(true);
    expect(
      queryProtocol.recognizes({
        method: 'GET',
        path: '/',
        query: { Action: ['Ping'] },
        headers: {},
        body: Buffer.alloc(0),
      }),
    ).toBe(true);
    expect(
      queryProtocol.recognizes({
        method: 'POST',
        path: '/',
        query: {},
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: Buffer.alloc(0),
      }),
    ).toBe(false);
  });

  it('finds the operation named by Action, in the body or the query string', () => {
    expect(queryProtocol.resolve(model, formRequest('Action=PutThing')).operation.name).toBe('PutThing');
    expect(queryProtocol.resolve(model, formRequest('', { Action: ['Ping'] })).operation.name).toBe('Ping');
  });

  it('answers an unknown Action with InvalidAction', () => {
    expect(() => queryProtocol.resolve(model, formRequest('Action=Nope'))).toThrow(
      expect.objectContaining({ code: 'InvalidAction', status: 400 }),
    );
  });

  it('answers a request without Action with MissingAction', () => {
    expect(() => queryProtocol.resolve(model, formRequest('Version=2020-01-01'))).toThrow(
      expect.objectContaining({ code: 'MissingAction', status: 400 }),
    );
  });
});

describe('query protocol: XML responses', () => {
  const operation = model.operations['PutThing']!;

  function serialize(output: unknown): string {
    const response = queryProtocol.serialize(model, operation, output, { requestId: 'req-1' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/xml');
    expect(response.headers['x-amzn-requestid']).toBe('req-1');
    return String(response.body);
  }

  it('wraps the result in <OperationResponse xmlns=…><OperationResult> with ResponseMetadata', () => {
    expect(serialize({ Id: 'abc' })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<PutThingResponse xmlns="https://demo.amazonaws.com/doc/2020-01-01/">' +
        '<PutThingResult><Id>abc</Id></PutThingResult>' +
        '<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></PutThingResponse>',
    );
  });

  it('writes scalars: integers, booleans, ISO 8601 timestamps, base64 blobs; leaves out absent members', () => {
    const xml = serialize({
      Count: 3,
      Enabled: false,
      When: new Date('2024-01-02T03:04:05.000Z'),
      Payload: Buffer.from('hi'),
      Nothing: undefined,
    });
    expect(xml).toContain(
      '<PutThingResult><Count>3</Count><Enabled>false</Enabled><When>2024-01-02T03:04:05.000Z</When>' +
        '<Payload>aGk=</Payload></PutThingResult>',
    );
    expect(xml).not.toContain('Nothing');
  });

  it('wraps list items in <member> and map entries in <entry><key/><value/></entry>', () => {
    const xml = serialize({
      Names: ['a', 'b'],
      Tags: [{ Key: 'env', Value: 'prod' }],
      Attributes: { color: 'blue' },
    });
    expect(xml).toContain('<Names><member>a</member><member>b</member></Names>');
    expect(xml).toContain('<Tags><member><Key>env</Key><Value>prod</Value></member></Tags>');
    expect(xml).toContain('<Attributes><entry><key>color</key><value>blue</value></entry></Attributes>');
  });

  it('writes a flattened list as repeated elements without a wrapper', () => {
    expect(serialize({ Flat: ['x', 'y'] })).toContain(
      '<PutThingResult><Flat>x</Flat><Flat>y</Flat></PutThingResult>',
    );
  });

  it('writes an empty list as an empty element', () => {
    expect(serialize({ Names: [] })).toContain('<Names></Names>');
  });

  it('names elements by locationName and escapes text', () => {
    const xml = serialize({ Renamed: 'a<b>&"c"' });
    expect(xml).toContain('<Alias>a&lt;b&gt;&amp;&quot;c&quot;</Alias>');
  });

  it('writes no Result element for an operation without output', () => {
    const response = queryProtocol.serialize(model, model.operations['Ping']!, undefined, { requestId: 'r' });
    expect(String(response.body)).toContain(
      '<PingResponse xmlns="https://demo.amazonaws.com/doc/2020-01-01/"><ResponseMetadata>',
    );
  });

  it('writes errors as <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>', () => {
    const response = queryProtocol.serializeError(model, new ServiceError('ValidationError', "bad 'x' <y>"), {
      requestId: 'req-2',
    });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('text/xml');
    expect(String(response.body)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<ErrorResponse xmlns="https://demo.amazonaws.com/doc/2020-01-01/"><Error><Type>Sender</Type>' +
        '<Code>ValidationError</Code><Message>bad &apos;x&apos; &lt;y&gt;</Message></Error>' +
        '<RequestId>req-2</RequestId></ErrorResponse>',
    );
  });

  it('marks server-side errors Receiver and keeps their status and headers', () => {
    const error = new ServiceError('ServiceUnavailable', 'later', {
      status: 503,
      headers: { 'retry-after': '1' },
    });
    const response = queryProtocol.serializeError(model, error, { requestId: 'r' });
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(String(response.body)).toContain('<Type>Receiver</Type><Code>ServiceUnavailable</Code>');
  });

  it("takes the wire code and status of a modelled error from the model's error trait", () => {
    const withError: ServiceModel = {
      ...model,
      shapes: {
        ...model.shapes,
        NoSuchThingException: {
          type: 'structure',
          members: {},
          exception: true,
          error: { code: 'NoSuchThing', httpStatusCode: 404, senderFault: true },
        },
      },
    };
    const response = queryProtocol.serializeError(
      withError,
      new ServiceError('NoSuchThingException', 'gone'),
      {
        requestId: 'r',
      },
    );
    expect(response.status).toBe(404);
    expect(String(response.body)).toContain('<Code>NoSuchThing</Code>');
  });

  it('defaults the namespace to https://<endpointPrefix>.amazonaws.com/doc/<apiVersion>/', () => {
    const { xmlNamespace: _omit, ...metadata } = model.metadata;
    const response = queryProtocol.serialize({ ...model, metadata }, operation, {}, { requestId: 'r' });
    expect(String(response.body)).toContain('xmlns="https://demo.amazonaws.com/doc/2020-01-01/"');
  });
});
