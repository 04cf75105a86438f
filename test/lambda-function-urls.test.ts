/**
 * Lambda function URLs: their configuration through the AWS SDK (and its errors), and calls to
 * them over plain HTTP, by Host name and by path — the event a function gets, the response it
 * makes, CORS, auth type AWS_IAM, the ways a call fails, and responses streamed as written.
 * Stratus runs with `--require-auth`, so AWS_IAM signatures are checked for real.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateAliasCommand,
  CreateFunctionUrlConfigCommand,
  DeleteAliasCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  LambdaClient,
  ListFunctionUrlConfigsCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  UpdateFunctionUrlConfigCommand,
  type CreateFunctionUrlConfigCommandInput,
} from '@aws-sdk/client-lambda';
import { sigV4Signer } from '../src/protocol/sigv4.js';
import { createFunction } from './support/lambda.js';
import { httpCall, type HttpAnswer } from './support/http.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

/** Answers with the event it got, and misbehaves on request (`?mode=`). */
const echo = `
export const handler = async (event) => {
  const mode = event.queryStringParameters?.mode;
  if (mode === 'throw') throw new Error('boom');
  if (mode === 'malformed') return { statusCode: 'not a status' };
  if (mode === 'plain') return { hello: 'world' };
  if (mode === 'cookies') {
    return { statusCode: 201, headers: { 'X-Made': 'yes' }, cookies: ['a=1; Path=/', 'b=2'], body: 'made' };
  }
  if (mode === 'binary') {
    return { statusCode: 200, headers: { 'Content-Type': 'image/png' }, isBase64Encoded: true, body: Buffer.from([0, 255, 128]).toString('base64') };
  }
  return { statusCode: 200, headers: { 'Content-Type': 'application/json', 'X-Echo': 'yes', 'Access-Control-Allow-Origin': 'https://function.example' }, body: JSON.stringify(event) };
};`;

/** Streams an HTTP response in three parts, 300 ms apart. */
const streamer = `
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const http = awslambda.HttpResponseStream.from(responseStream, {
    statusCode: 201,
    headers: { 'Content-Type': 'text/plain', 'X-Streamed': 'yes' },
    cookies: ['s=1'],
  });
  http.write('one,');
  await sleep(300);
  http.write('two,');
  await sleep(300);
  http.end('three');
});`;

interface Event {
  version: string;
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  requestContext: Record<string, unknown> & { http: Record<string, string> };
  body?: string;
  isBase64Encoded: boolean;
}

describe('Lambda function URLs', () => {
  let stratus: TestStratus;
  let lambda: LambdaClient;
  let port: number;

  beforeAll(async () => {
    stratus = await startTestStratus({ requireAuth: true });
    lambda = new LambdaClient(stratus.clientConfig);
    port = stratus.port;
    await createFunction(lambda, 'echo', { 'index.mjs': echo });
    await createFunction(lambda, 'streamer', { 'index.mjs': streamer });
  });
  afterAll(async () => {
    lambda?.destroy();
    await stratus?.close();
  });

  const createUrl = (
    input: Omit<CreateFunctionUrlConfigCommandInput, 'AuthType'> & { AuthType?: 'NONE' | 'AWS_IAM' },
  ) => lambda.send(new CreateFunctionUrlConfigCommand({ AuthType: 'NONE', ...input }));
  const urlIdOf = (functionUrl: string) => new URL(functionUrl).hostname.split('.')[0]!;
  /** Calls a function URL by its host name, connecting to Stratus's port. */
  const callUrl = (
    functionUrl: string,
    path = '/',
    options: Parameters<typeof httpCall>[1] = {},
  ): Promise<HttpAnswer> =>
    httpCall(`http://127.0.0.1:${port}${path}`, {
      ...options,
      headers: { host: new URL(functionUrl).host, ...options.headers },
    });

  describe('configuration', () => {
    it('creates, reads, updates, lists and deletes a URL as Lambda does', async () => {
      await createFunction(lambda, 'configured', { 'index.mjs': echo });
      const created = await createUrl({
        FunctionName: 'configured',
        Cors: { AllowOrigins: ['https://example.com'], MaxAge: 60 },
      });
      expect(created.FunctionUrl).toMatch(
        new RegExp(`^http://[a-z0-9]{32}\\.lambda-url\\.us-east-1\\.localhost:${port}/$`),
      );
      expect(created).toMatchObject({
        FunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:configured',
        AuthType: 'NONE',
        Cors: { AllowOrigins: ['https://example.com'], MaxAge: 60 },
        InvokeMode: 'BUFFERED',
      });
      expect(new Date(created.CreationTime!).getTime()).toBeGreaterThan(0);

      const read = await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'configured' }));
      expect(read).toMatchObject({ FunctionUrl: created.FunctionUrl, AuthType: 'NONE' });
      expect(read.LastModifiedTime).toBeDefined();

      const updated = await lambda.send(
        new UpdateFunctionUrlConfigCommand({
          FunctionName: 'configured',
          AuthType: 'AWS_IAM',
          InvokeMode: 'RESPONSE_STREAM',
        }),
      );
      expect(updated).toMatchObject({
        FunctionUrl: created.FunctionUrl,
        AuthType: 'AWS_IAM',
        InvokeMode: 'RESPONSE_STREAM',
        Cors: { AllowOrigins: ['https://example.com'], MaxAge: 60 },
      });

      const version = await lambda.send(new PublishVersionCommand({ FunctionName: 'configured' }));
      await lambda.send(
        new CreateAliasCommand({
          FunctionName: 'configured',
          Name: 'live',
          FunctionVersion: version.Version,
        }),
      );
      const aliased = await createUrl({ FunctionName: 'configured', Qualifier: 'live' });
      expect(aliased.FunctionArn).toBe('arn:aws:lambda:us-east-1:000000000000:function:configured:live');
      expect(aliased.FunctionUrl).not.toBe(created.FunctionUrl);

      const listed = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'configured' }));
      expect(listed.FunctionUrlConfigs?.map((c) => c.FunctionUrl).sort()).toEqual(
        [created.FunctionUrl, aliased.FunctionUrl].sort(),
      );
      const paged = await lambda.send(
        new ListFunctionUrlConfigsCommand({ FunctionName: 'configured', MaxItems: 1 }),
      );
      expect(paged.FunctionUrlConfigs).toHaveLength(1);
      expect(paged.NextMarker).toBeDefined();

      await lambda.send(new DeleteAliasCommand({ FunctionName: 'configured', Name: 'live' }));
      await lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'configured' }));
      const left = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'configured' }));
      expect(left.FunctionUrlConfigs).toEqual([]);
      expect((await callUrl(created.FunctionUrl!)).status).toBe(404);
    });

    it('answers errors with Lambda’s codes and messages', async () => {
      await createFunction(lambda, 'errors', { 'index.mjs': echo });
      const fails = (promise: Promise<unknown>) =>
        promise.then(
          () => {
            throw new Error('expected a failure');
          },
          (error: Error & { $metadata?: { httpStatusCode?: number } }) => ({
            name: error.name,
            message: error.message,
            status: error.$metadata?.httpStatusCode,
          }),
        );
      expect(await fails(createUrl({ FunctionName: 'missing' }))).toEqual({
        name: 'ResourceNotFoundException',
        message: 'Function does not exist',
        status: 404,
      });
      expect(await fails(lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'errors' })))).toEqual({
        name: 'ResourceNotFoundException',
        message: 'The resource you requested does not exist.',
        status: 404,
      });
      expect(
        await fails(lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'errors' }))),
      ).toMatchObject({
        name: 'ResourceNotFoundException',
        message: 'The resource you requested does not exist.',
      });
      expect(
        await fails(
          lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'missing', AuthType: 'NONE' })),
        ),
      ).toMatchObject({ name: 'ResourceNotFoundException', message: 'Function does not exist' });
      expect(await fails(createUrl({ FunctionName: 'errors', Qualifier: 'nosuchalias' }))).toMatchObject({
        name: 'ResourceNotFoundException',
      });

      await createUrl({ FunctionName: 'errors' });
      expect(await fails(createUrl({ FunctionName: 'errors' }))).toEqual({
        name: 'ResourceConflictException',
        message:
          'Failed to create function url config for [functionArn = arn:aws:lambda:us-east-1:000000000000:function:errors]. Error message:  FunctionUrlConfig exists for this Lambda function',
        status: 409,
      });
      for (const qualifier of ['1', '$LATEST']) {
        expect(await fails(createUrl({ FunctionName: 'errors', Qualifier: qualifier }))).toMatchObject({
          name: 'ValidationException',
          status: 400,
        });
      }
      expect(await fails(createUrl({ FunctionName: 'errors:$LATEST' }))).toMatchObject({
        name: 'ValidationException',
        message: expect.stringContaining("Value '$LATEST' at 'qualifier' failed to satisfy constraint"),
      });
    });
  });

  describe('calls', () => {
    let echoUrl: string;
    beforeAll(async () => {
      echoUrl = (await createUrl({ FunctionName: 'echo' })).FunctionUrl!;
    });

    it('hands the function the payload 2.0 event of a function URL', async () => {
      const answer = await callUrl(echoUrl, '/a/b%20c?x=1&x=2&y=z', {
        headers: { cookie: 'k=v; other=1', 'x-custom': 'one', 'user-agent': 'tester' },
      });
      expect(answer.status).toBe(200);
      expect(answer.headers['x-echo']).toBe('yes');
      expect(answer.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
      const event = answer.json<Event>();
      const urlId = urlIdOf(echoUrl);
      expect(event).toMatchObject({
        version: '2.0',
        routeKey: '$default',
        rawPath: '/a/b%20c',
        rawQueryString: 'x=1&x=2&y=z',
        cookies: ['k=v', 'other=1'],
        queryStringParameters: { x: '1,2', y: 'z' },
        isBase64Encoded: false,
        requestContext: {
          accountId: 'anonymous',
          apiId: urlId,
          domainName: new URL(echoUrl).host,
          domainPrefix: urlId,
          http: {
            method: 'GET',
            path: '/a/b%20c',
            protocol: 'HTTP/1.1',
            sourceIp: '127.0.0.1',
            userAgent: 'tester',
          },
          requestId: answer.headers['x-amzn-requestid'],
          routeKey: '$default',
          stage: '$default',
        },
      });
      expect(event.headers).toMatchObject({
        'x-custom': 'one',
        'x-forwarded-for': '127.0.0.1',
        'x-forwarded-proto': 'http',
        'x-forwarded-port': String(port),
      });
      expect(event.headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
      expect(event.headers.cookie).toBeUndefined();
      expect(event.body).toBeUndefined();
      expect(event.requestContext.authorizer).toBeUndefined();
    });

    it('serves the path form /_aws/lambda-url/{urlId}/… for clients that cannot set Host', async () => {
      const urlId = urlIdOf(echoUrl);
      const answer = await httpCall(`http://127.0.0.1:${port}/_aws/lambda-url/${urlId}/deep/path?q=1`);
      expect(answer.status).toBe(200);
      expect(answer.json<Event>()).toMatchObject({
        rawPath: '/deep/path',
        rawQueryString: 'q=1',
        requestContext: { domainName: new URL(echoUrl).host, domainPrefix: urlId },
      });
    });

    it('passes a text body as text and a binary body in base64', async () => {
      const text = await callUrl(echoUrl, '/', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"a":1}',
      });
      expect(text.json<Event>()).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
      const bytes = Buffer.from([0, 1, 2, 250, 251, 255]);
      const binary = await callUrl(echoUrl, '/', {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes,
      });
      const event = binary.json<Event>();
      expect(event.isBase64Encoded).toBe(true);
      expect(Buffer.from(event.body!, 'base64')).toEqual(bytes);
    });

    it('answers with the function’s status, headers, cookies and body', async () => {
      const made = await callUrl(echoUrl, '/?mode=cookies');
      expect(made.status).toBe(201);
      expect(made.headers['x-made']).toBe('yes');
      expect(made.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2']);
      expect(made.text).toBe('made');

      const binary = await callUrl(echoUrl, '/?mode=binary');
      expect(binary.headers['content-type']).toBe('image/png');
      expect(binary.body).toEqual(Buffer.from([0, 255, 128]));

      const plain = await callUrl(echoUrl, '/?mode=plain');
      expect(plain.status).toBe(200);
      expect(plain.headers['content-type']).toBe('application/json');
      expect(plain.json()).toEqual({ hello: 'world' });
    });

    it('answers 502 for a function error or a malformed result, 404 for an unknown URL', async () => {
      for (const mode of ['throw', 'malformed']) {
        const failed = await callUrl(echoUrl, `/?mode=${mode}`);
        expect(failed.status).toBe(502);
        expect(failed.text).toBe('Internal Server Error');
      }
      const unknown = await callUrl(
        'http://0123456789abcdefghijklmnopqrstuv.lambda-url.us-east-1.localhost/',
      );
      expect(unknown.status).toBe(404);
      const otherRegion = await callUrl(echoUrl.replace('us-east-1', 'eu-west-1'));
      expect(otherRegion.status).toBe(404);
    });

    it('answers 413 for a request over 6 MB and 429 when the function is throttled', async () => {
      const large = await callUrl(echoUrl, '/', { method: 'POST', body: Buffer.alloc(6 * 1024 * 1024 + 1) });
      expect(large.status).toBe(413);
      await createFunction(lambda, 'stopped', { 'index.mjs': echo });
      await lambda.send(
        new PutFunctionConcurrencyCommand({ FunctionName: 'stopped', ReservedConcurrentExecutions: 0 }),
      );
      const stopped = await createUrl({ FunctionName: 'stopped' });
      const throttled = await callUrl(stopped.FunctionUrl!);
      expect(throttled.status).toBe(429);
      expect(throttled.json()).toEqual({ Message: 'Rate Exceeded.' });
    });
  });

  describe('CORS', () => {
    let corsUrl: string;
    beforeAll(async () => {
      await createFunction(lambda, 'cors', { 'index.mjs': echo });
      corsUrl = (
        await createUrl({
          FunctionName: 'cors',
          Cors: {
            AllowOrigins: ['https://app.example'],
            AllowMethods: ['GET', 'POST'],
            AllowHeaders: ['x-custom'],
            ExposeHeaders: ['x-echo'],
            MaxAge: 300,
            AllowCredentials: true,
          },
        })
      ).FunctionUrl!;
    });

    it('answers a preflight from the URL’s settings without invoking the function', async () => {
      const preflight = await callUrl(corsUrl, '/', {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(200);
      expect(preflight.text).toBe('');
      expect(preflight.headers).toMatchObject({
        'access-control-allow-origin': 'https://app.example',
        'access-control-allow-methods': 'GET,POST',
        'access-control-allow-headers': 'x-custom',
        'access-control-allow-credentials': 'true',
        'access-control-max-age': '300',
      });
      expect(preflight.headers['x-echo']).toBeUndefined();
      const refused = await callUrl(corsUrl, '/', {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('adds its CORS headers to responses, over the function’s own', async () => {
      const answer = await callUrl(corsUrl, '/', { headers: { origin: 'https://app.example' } });
      expect(answer.status).toBe(200);
      expect(answer.headers).toMatchObject({
        'access-control-allow-origin': 'https://app.example',
        'access-control-expose-headers': 'x-echo',
        'access-control-allow-credentials': 'true',
        'x-echo': 'yes',
      });
      const other = await callUrl(corsUrl, '/', { headers: { origin: 'https://evil.example' } });
      expect(other.headers['access-control-allow-origin']).toBe('https://function.example');
    });
  });

  describe('auth type AWS_IAM', () => {
    let iamUrl: string;
    beforeAll(async () => {
      await createFunction(lambda, 'private', { 'index.mjs': echo });
      iamUrl = (await createUrl({ FunctionName: 'private', AuthType: 'AWS_IAM' })).FunctionUrl!;
    });

    const signed = async (secretAccessKey: string, service = 'lambda') => {
      const host = new URL(iamUrl).host;
      const request = await sigV4Signer({
        credentials: { accessKeyId: 'test', secretAccessKey },
        region: 'us-east-1',
        service,
      }).sign({
        method: 'GET',
        protocol: 'http:',
        hostname: host.split(':')[0]!,
        port,
        path: '/signed',
        query: { a: 'b' },
        headers: { host },
      });
      return callUrl(iamUrl, '/signed?a=b', { headers: request.headers });
    };

    it('refuses an unsigned or badly signed call with 403 Forbidden', async () => {
      const unsigned = await callUrl(iamUrl);
      expect(unsigned.status).toBe(403);
      expect(unsigned.json()).toEqual({ Message: 'Forbidden' });
      expect((await signed('wrong-secret')).status).toBe(403);
      expect((await signed('test', 's3')).status).toBe(403);
    });

    it('runs a call signed for lambda and names the signer in the event', async () => {
      const answer = await signed('test');
      expect(answer.status).toBe(200);
      expect(answer.json<Event>().requestContext).toMatchObject({
        accountId: '000000000000',
        authorizer: {
          iam: { accessKey: 'test', accountId: '000000000000', userArn: 'arn:aws:iam::000000000000:root' },
        },
      });
    });
  });

  describe('RESPONSE_STREAM', () => {
    it('streams the response to the client as the function writes it', async () => {
      const url = await createUrl({ FunctionName: 'streamer', InvokeMode: 'RESPONSE_STREAM' });
      const host = new URL(url.FunctionUrl!).host;
      const arrivals: { at: number; text: string }[] = [];
      const start = Date.now();
      const response = await new Promise<{ status: number; headers: Record<string, unknown> }>(
        (resolve, reject) => {
          const req = httpRequest(`http://127.0.0.1:${port}/`, { headers: { host } }, (res) => {
            res.on('data', (chunk: Buffer) =>
              arrivals.push({ at: Date.now() - start, text: chunk.toString() }),
            );
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
            res.on('error', reject);
          });
          req.on('error', reject);
          req.end();
        },
      );
      expect(response.status).toBe(201);
      expect(response.headers).toMatchObject({
        'content-type': 'text/plain',
        'x-streamed': 'yes',
        'set-cookie': ['s=1'],
        'transfer-encoding': 'chunked',
      });
      expect(arrivals.map((a) => a.text).join('')).toBe('one,two,three');
      // The first part arrived well before the last was written.
      expect(arrivals.at(-1)!.at - arrivals[0]!.at).toBeGreaterThanOrEqual(400);
    });

    it('delivers a streaming function’s response whole through a BUFFERED URL', async () => {
      await createFunction(lambda, 'streamer-buffered', { 'index.mjs': streamer });
      const url = await createUrl({ FunctionName: 'streamer-buffered' });
      const answer = await callUrl(url.FunctionUrl!);
      expect(answer.status).toBe(201);
      expect(answer.headers['x-streamed']).toBe('yes');
      expect(answer.text).toBe('one,two,three');
    });
  });
});
