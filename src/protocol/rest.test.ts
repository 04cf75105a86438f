import { describe, it, expect } from 'vitest';
import type { Operation, ServiceModel } from './model.js';
import { matchRestOperation, readBoundMembers, writeBoundMembers } from './rest.js';
import { parseQueryString } from '../server/http-server.js';
import type { WireRequest } from './wire.js';

function op(name: string, method: string, requestUri: string, input?: string): Operation {
  return { name, http: { method, requestUri }, ...(input ? { input: { shape: input } } : {}) };
}

/** S3- and Lambda-like routes: labels, greedy labels, required query literals, overlapping templates. */
const model: ServiceModel = {
  metadata: {
    apiVersion: '2020-01-01',
    endpointPrefix: 'demo',
    protocol: 'rest-json',
    serviceId: 'Demo',
    serviceFullName: 'Demo Service',
  },
  operations: {
    ListBuckets: op('ListBuckets', 'GET', '/'),
    GetBucket: op('GetBucket', 'GET', '/{Bucket}'),
    ListObjectsV2: op('ListObjectsV2', 'GET', '/{Bucket}?list-type=2'),
    GetBucketTagging: op('GetBucketTagging', 'GET', '/{Bucket}?tagging'),
    GetObject: op('GetObject', 'GET', '/{Bucket}/{Key+}'),
    GetObjectAcl: op('GetObjectAcl', 'GET', '/{Bucket}/{Key+}?acl'),
    CreateMultipartUpload: op('CreateMultipartUpload', 'POST', '/{Bucket}/{Key+}?uploads'),
    CompleteMultipartUpload: op('CompleteMultipartUpload', 'POST', '/{Bucket}/{Key+}'),
    PutObject: op('PutObject', 'PUT', '/{Bucket}/{Key+}?x-id=PutObject'),
    UploadPart: op('UploadPart', 'PUT', '/{Bucket}/{Key+}?x-id=UploadPart'),
    GetFunction: op('GetFunction', 'GET', '/2015-03-31/functions/{FunctionName}', 'GetFunctionRequest'),
    GetFunctionConfiguration: op(
      'GetFunctionConfiguration',
      'GET',
      '/2015-03-31/functions/{FunctionName}/configuration',
    ),
    Invoke: op('Invoke', 'POST', '/2015-03-31/functions/{FunctionName}/invocations'),
    ListFunctions: op('ListFunctions', 'GET', '/2015-03-31/functions/'),
    GetLatestThing: op('GetLatestThing', 'GET', '/things/latest'),
    GetThing: op('GetThing', 'GET', '/things/{ThingId}'),
  },
  shapes: {
    GetFunctionRequest: {
      type: 'structure',
      required: ['FunctionName'],
      members: {
        FunctionName: { shape: 'String', location: 'uri', locationName: 'FunctionName' },
        Qualifier: { shape: 'String', location: 'querystring', locationName: 'Qualifier' },
        MaxItems: { shape: 'Integer', location: 'querystring', locationName: 'MaxItems' },
        Tags: { shape: 'StringList', location: 'querystring', locationName: 'tag' },
        Sizes: { shape: 'IntegerList', location: 'querystring', locationName: 'size' },
        Extra: { shape: 'StringMap', location: 'querystring' },
        IfMatch: { shape: 'String', location: 'header', locationName: 'If-Match' },
        Since: { shape: 'Timestamp', location: 'header', locationName: 'If-Modified-Since' },
        Enabled: { shape: 'Boolean', location: 'header', locationName: 'X-Amz-Enabled' },
        Count: { shape: 'Integer', location: 'header', locationName: 'X-Amz-Count' },
        Modes: { shape: 'StringList', location: 'header', locationName: 'X-Amz-Modes' },
        Context: {
          shape: 'String',
          location: 'header',
          locationName: 'X-Amz-Client-Context',
          jsonvalue: true,
        },
        Metadata: { shape: 'StringMap', location: 'headers', locationName: 'x-amz-meta-' },
        Body: { shape: 'String' },
      },
    },
    Output: {
      type: 'structure',
      members: {
        Status: { shape: 'Integer', location: 'statusCode' },
        ETag: { shape: 'String', location: 'header', locationName: 'ETag' },
        LastModified: { shape: 'Timestamp', location: 'header', locationName: 'Last-Modified' },
        Expires: {
          shape: 'Timestamp',
          location: 'header',
          locationName: 'X-Amz-Expires-At',
          timestampFormat: 'iso8601',
        },
        Length: { shape: 'Integer', location: 'header', locationName: 'Content-Length' },
        Checksum: { shape: 'Blob', location: 'header', locationName: 'X-Amz-Checksum' },
        Modes: { shape: 'StringList', location: 'header', locationName: 'X-Amz-Modes' },
        Log: { shape: 'String', location: 'header', locationName: 'X-Amz-Log-Result', jsonvalue: true },
        Metadata: { shape: 'StringMap', location: 'headers', locationName: 'x-amz-meta-' },
        Body: { shape: 'String' },
      },
    },
    String: { type: 'string' },
    Integer: { type: 'integer' },
    Boolean: { type: 'boolean' },
    Timestamp: { type: 'timestamp' },
    Blob: { type: 'blob' },
    StringList: { type: 'list', member: { shape: 'String' } },
    IntegerList: { type: 'list', member: { shape: 'Integer' } },
    StringMap: { type: 'map', key: { shape: 'String' }, value: { shape: 'String' } },
  },
};

function request(method: string, target: string, headers: Record<string, string> = {}): WireRequest {
  const q = target.indexOf('?');
  return {
    method,
    path: q === -1 ? target : target.slice(0, q),
    query: parseQueryString(q === -1 ? '' : target.slice(q + 1)),
    headers,
    body: Buffer.alloc(0),
  };
}

function match(method: string, target: string) {
  const found = matchRestOperation(model, request(method, target));
  return found && { operation: found.operation.name, labels: found.labels };
}

describe('REST URI template matching', () => {
  it.each([
    ['GET', '/', 'ListBuckets', {}],
    ['GET', '/my-bucket', 'GetBucket', { Bucket: 'my-bucket' }],
    ['GET', '/my-bucket/', 'GetBucket', { Bucket: 'my-bucket' }],
    ['GET', '/my-bucket/key.txt', 'GetObject', { Bucket: 'my-bucket', Key: 'key.txt' }],
    ['GET', '/2015-03-31/functions/fn', 'GetFunction', { FunctionName: 'fn' }],
    ['GET', '/2015-03-31/functions/fn/configuration', 'GetFunctionConfiguration', { FunctionName: 'fn' }],
    ['POST', '/2015-03-31/functions/fn/invocations', 'Invoke', { FunctionName: 'fn' }],
  ])('%s %s → %s', (method, target, operation, labels) => {
    expect(match(method, target)).toEqual({ operation, labels });
  });

  it('a greedy label {Key+} takes every remaining segment, slashes included', () => {
    expect(match('GET', '/b/photos/2024/01/cat.jpg')).toEqual({
      operation: 'GetObject',
      labels: { Bucket: 'b', Key: 'photos/2024/01/cat.jpg' },
    });
  });

  it('labels are percent-decoded', () => {
    expect(match('GET', '/b/a%20b/%E2%9C%93.txt')?.labels).toEqual({ Bucket: 'b', Key: 'a b/✓.txt' });
    expect(
      match('GET', '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Afn')
        ?.labels,
    ).toEqual({ FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:fn' });
  });

  it('an encoded slash stays inside a plain label', () => {
    expect(match('GET', '/2015-03-31/functions/a%2Fb')).toEqual({
      operation: 'GetFunction',
      labels: { FunctionName: 'a/b' },
    });
  });

  it('a greedy label needs at least one non-empty segment', () => {
    expect(match('GET', '/b/')?.operation).toBe('GetBucket');
  });

  it('a plain label does not take several segments (only a greedy label does)', () => {
    expect(match('GET', '/2015-03-31/functions/fn/unknown/extra')).toEqual({
      operation: 'GetObject',
      labels: { Bucket: '2015-03-31', Key: 'functions/fn/unknown/extra' },
    });
    expect(
      matchRestOperation(
        { ...model, operations: { GetThing: model.operations['GetThing']! } },
        request('GET', '/things/a/b'),
      ),
    ).toBeUndefined();
  });

  it('a required query literal (?tagging, ?acl, ?uploads) selects its operation when present', () => {
    expect(match('GET', '/b?tagging')?.operation).toBe('GetBucketTagging');
    expect(match('GET', '/b?tagging=')?.operation).toBe('GetBucketTagging');
    expect(match('GET', '/b/k?acl')?.operation).toBe('GetObjectAcl');
    expect(match('POST', '/b/k?uploads')?.operation).toBe('CreateMultipartUpload');
  });

  it('without the literal the less specific operation matches', () => {
    expect(match('GET', '/b')?.operation).toBe('GetBucket');
    expect(match('GET', '/b/k')?.operation).toBe('GetObject');
    expect(match('POST', '/b/k?uploadId=123')?.operation).toBe('CompleteMultipartUpload');
  });

  it('a required query value (?list-type=2, ?x-id=…) must match exactly', () => {
    expect(match('GET', '/b?list-type=2')?.operation).toBe('ListObjectsV2');
    expect(match('GET', '/b?list-type=1')?.operation).toBe('GetBucket');
    expect(match('PUT', '/b/k?x-id=PutObject')?.operation).toBe('PutObject');
    expect(match('PUT', '/b/k?x-id=UploadPart&partNumber=1&uploadId=u')?.operation).toBe('UploadPart');
    expect(match('PUT', '/b/k')).toBeUndefined();
  });

  it('other query parameters do not stop a match', () => {
    expect(match('GET', '/b?tagging&versionId=3')?.operation).toBe('GetBucketTagging');
    expect(match('GET', '/2015-03-31/functions/fn?Qualifier=1')?.operation).toBe('GetFunction');
  });

  it('a literal segment wins over a label in the same position', () => {
    expect(match('GET', '/things/latest')).toEqual({ operation: 'GetLatestThing', labels: {} });
    expect(match('GET', '/things/t-1')).toEqual({ operation: 'GetThing', labels: { ThingId: 't-1' } });
  });

  it('a literal path wins over a label that could take it', () => {
    // `/2015-03-31/functions/` would otherwise be GetBucket/GetObject-shaped: literals are more specific.
    expect(match('GET', '/2015-03-31/functions/')?.operation).toBe('ListFunctions');
    expect(match('GET', '/2015-03-31/functions')?.operation).toBe('ListFunctions');
  });

  it('the method must match', () => {
    expect(match('DELETE', '/b/k')).toBeUndefined();
    expect(match('PATCH', '/')).toBeUndefined();
    expect(match('POST', '/2015-03-31/functions/fn/invocations')?.operation).toBe('Invoke');
    expect(match('GET', '/2015-03-31/functions/fn/invocations')?.operation).toBe('GetObject');
  });
});

describe('REST member bindings', () => {
  const inputShape = model.shapes['GetFunctionRequest']!;
  const outputShape = model.shapes['Output']!;

  function read(target: string, headers: Record<string, string> = {}): Record<string, unknown> {
    const req = request('GET', target, headers);
    const found = matchRestOperation(model, req)!;
    expect(found.operation.name).toBe('GetFunction');
    return readBoundMembers(model, inputShape, found, req);
  }

  it('reads URI labels into their members', () => {
    expect(read('/2015-03-31/functions/my-fn')).toMatchObject({ FunctionName: 'my-fn' });
  });

  it('reads query-string members, converting by shape', () => {
    expect(read('/2015-03-31/functions/f?Qualifier=%24LATEST&MaxItems=25')).toMatchObject({
      Qualifier: '$LATEST',
      MaxItems: 25,
    });
  });

  it('reads a repeated query parameter into a list', () => {
    expect(read('/2015-03-31/functions/f?tag=a&tag=b&size=1&size=2')).toMatchObject({
      Tags: ['a', 'b'],
      Sizes: [1, 2],
    });
  });

  it('collects unbound query parameters into a map bound to the query string', () => {
    expect(read('/2015-03-31/functions/f?Qualifier=1&foo=bar&baz=')?.['Extra']).toEqual({
      foo: 'bar',
      baz: '',
    });
  });

  it('rejects a query value that does not fit the shape', () => {
    expect(() => read('/2015-03-31/functions/f?MaxItems=lots')).toThrow(/not a valid integer/);
  });

  it('reads headers case-insensitively, converting by shape', () => {
    const since = 'Wed, 21 Oct 2015 07:28:00 GMT';
    expect(
      read('/2015-03-31/functions/f', {
        'if-match': '"etag"',
        'if-modified-since': since,
        'x-amz-enabled': 'true',
        'x-amz-count': '7',
        'x-amz-modes': 'a, b,c',
      }),
    ).toMatchObject({
      IfMatch: '"etag"',
      Since: new Date(since),
      Enabled: true,
      Count: 7,
      Modes: ['a', 'b', 'c'],
    });
  });

  it('decodes a jsonvalue header from base64 JSON', () => {
    const context = Buffer.from(JSON.stringify({ custom: { a: 1 } })).toString('base64');
    expect(read('/2015-03-31/functions/f', { 'x-amz-client-context': context })['Context']).toEqual({
      custom: { a: 1 },
    });
  });

  it('collects prefixed headers into a map without the prefix', () => {
    expect(
      read('/2015-03-31/functions/f', { 'x-amz-meta-owner': 'me', 'x-amz-meta-color': 'red', other: 'x' })[
        'Metadata'
      ],
    ).toEqual({ owner: 'me', color: 'red' });
  });

  it('leaves body members alone', () => {
    expect(read('/2015-03-31/functions/f')).not.toHaveProperty('Body');
  });

  it('writes output members to the status code and headers', () => {
    const bound = writeBoundMembers(model, outputShape, {
      Status: 202,
      ETag: '"abc"',
      LastModified: new Date('2015-10-21T07:28:00Z'),
      Expires: new Date('2030-01-01T00:00:00Z'),
      Length: 12,
      Checksum: Buffer.from('hi'),
      Modes: ['a', 'b'],
      Log: { lines: 2 },
      Metadata: { Owner: 'me' },
      Body: 'not a header',
    });
    expect(bound.status).toBe(202);
    expect(bound.headers).toEqual({
      etag: '"abc"',
      'last-modified': 'Wed, 21 Oct 2015 07:28:00 GMT',
      'x-amz-expires-at': '2030-01-01T00:00:00.000Z',
      'content-length': '12',
      'x-amz-checksum': 'aGk=',
      'x-amz-modes': 'a,b',
      'x-amz-log-result': Buffer.from('{"lines":2}').toString('base64'),
      'x-amz-meta-owner': 'me',
    });
  });

  it('writes nothing for absent output members', () => {
    expect(writeBoundMembers(model, outputShape, { ETag: undefined })).toEqual({
      status: undefined,
      headers: {},
    });
  });
});
