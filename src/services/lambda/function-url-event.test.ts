import { describe, expect, it } from 'vitest';
import { functionUrlEvent, newTraceHeader, type FunctionUrlCall } from './function-url-event.js';

const urlId = 'abcdefghijklmnopqrstuvwxyz012345';
const call = (fields: Partial<FunctionUrlCall> = {}): FunctionUrlCall => ({
  urlId,
  accountId: '123456789012',
  region: 'us-east-1',
  requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  method: 'POST',
  rawPath: '/my/path',
  rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
  headers: [
    ['Host', `${urlId}.lambda-url.us-east-1.localhost:4566`],
    ['Header2', 'value1'],
    ['header2', 'value2'],
    ['Cookie', 'cookie1; cookie2'],
    ['User-Agent', 'agent'],
    ['Content-Type', 'text/plain'],
  ],
  body: Buffer.from('Hello from client!'),
  sourceIp: '123.123.123.123',
  domainName: `${urlId}.lambda-url.us-east-1.localhost:4566`,
  receivedAt: Date.UTC(2020, 2, 12, 19, 3, 58, 390),
  protocol: 'HTTP/1.1',
  port: '4566',
  traceId: 'Root=1-5e6a8a3e-0123456789abcdef01234567',
  ...fields,
});

describe('functionUrlEvent', () => {
  it('is the payload 2.0 event of Lambda’s documentation', () => {
    expect(functionUrlEvent(call())).toEqual({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/my/path',
      rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
      cookies: ['cookie1', 'cookie2'],
      headers: {
        host: `${urlId}.lambda-url.us-east-1.localhost:4566`,
        header2: 'value1,value2',
        'user-agent': 'agent',
        'content-type': 'text/plain',
        'x-amzn-trace-id': 'Root=1-5e6a8a3e-0123456789abcdef01234567',
        'x-forwarded-for': '123.123.123.123',
        'x-forwarded-proto': 'http',
        'x-forwarded-port': '4566',
      },
      queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
      requestContext: {
        accountId: 'anonymous',
        apiId: urlId,
        domainName: `${urlId}.lambda-url.us-east-1.localhost:4566`,
        domainPrefix: urlId,
        http: {
          method: 'POST',
          path: '/my/path',
          protocol: 'HTTP/1.1',
          sourceIp: '123.123.123.123',
          userAgent: 'agent',
        },
        requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
        routeKey: '$default',
        stage: '$default',
        time: '12/Mar/2020:19:03:58 +0000',
        timeEpoch: 1584039838390,
      },
      body: 'Hello from client!',
      isBase64Encoded: false,
    });
  });

  it('names the signer of an AWS_IAM call and the owner’s account', () => {
    const event = functionUrlEvent(call(), { accessKeyId: 'AKIDEXAMPLE', accountId: '111122223333' });
    expect(event.requestContext.accountId).toBe('123456789012');
    expect(event.requestContext.authorizer).toEqual({
      iam: {
        accessKey: 'AKIDEXAMPLE',
        accountId: '111122223333',
        callerId: '111122223333',
        cognitoIdentity: null,
        principalOrgId: null,
        userArn: 'arn:aws:iam::111122223333:root',
        userId: '111122223333',
      },
    });
  });

  it('appends the client’s address to x-forwarded-for and replaces the headers Lambda sets', () => {
    const event = functionUrlEvent(
      call({
        headers: [
          ['X-Forwarded-For', '10.0.0.1'],
          ['X-Forwarded-Proto', 'https'],
          ['X-Amzn-Trace-Id', 'Root=forged'],
        ],
      }),
    );
    expect(event.headers).toEqual({
      'x-amzn-trace-id': 'Root=1-5e6a8a3e-0123456789abcdef01234567',
      'x-forwarded-for': '10.0.0.1, 123.123.123.123',
      'x-forwarded-proto': 'http',
      'x-forwarded-port': '4566',
    });
  });

  it('base64-encodes a binary body and leaves out an empty one', () => {
    const binary = functionUrlEvent(
      call({ headers: [['Content-Type', 'application/octet-stream']], body: Buffer.from([0, 255]) }),
    );
    expect(binary).toMatchObject({ body: 'AP8=', isBase64Encoded: true });
    const empty = functionUrlEvent(call({ body: Buffer.alloc(0) }));
    expect(empty).not.toHaveProperty('body');
    expect(empty.isBase64Encoded).toBe(false);
  });

  it('makes X-Ray trace headers of the time and 96 random bits', () => {
    expect(newTraceHeader(1_584_039_838_390, (size) => Buffer.alloc(size, 0xab))).toBe(
      'Root=1-5e6a879e-abababababababababababab',
    );
  });
});
