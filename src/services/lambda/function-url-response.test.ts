import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  bufferedResponse,
  HTTP_INTEGRATION_TYPE,
  preludeHead,
  splitPrelude,
} from './function-url-response.js';

const withPrelude = (prelude: unknown, body: string) =>
  Buffer.concat([Buffer.from(JSON.stringify(prelude)), Buffer.alloc(8), Buffer.from(body)]);

describe('bufferedResponse', () => {
  it('reads a returned result by payload format 2.0', () => {
    expect(bufferedResponse(Buffer.from('{"statusCode":204,"cookies":["a=1"]}'), undefined)).toEqual({
      malformed: false,
      status: 204,
      headers: [
        ['Content-Type', 'application/json'],
        ['Set-Cookie', 'a=1'],
      ],
      body: Buffer.alloc(0),
    });
    expect(bufferedResponse(Buffer.from('"hello"'), undefined)).toMatchObject({
      status: 200,
      body: Buffer.from('hello'),
    });
  });

  it('reads a gathered HTTP integration response: prelude, delimiter, body', () => {
    const payload = withPrelude(
      { statusCode: 201, headers: { 'x-a': 'b' }, cookies: ['c=1'] },
      'body\0bytes',
    );
    expect(bufferedResponse(payload, HTTP_INTEGRATION_TYPE)).toEqual({
      malformed: false,
      status: 201,
      headers: [
        ['x-a', 'b'],
        ['Content-Type', 'application/octet-stream'],
        ['Set-Cookie', 'c=1'],
      ],
      body: Buffer.from('body\0bytes'),
    });
  });

  it('passes any other streamed response on with the type the function declared', () => {
    expect(bufferedResponse(Buffer.from('a,b'), 'text/csv')).toEqual({
      malformed: false,
      status: 200,
      headers: [['Content-Type', 'text/csv']],
      body: Buffer.from('a,b'),
    });
  });

  it.each([
    ['no delimiter', Buffer.from('{"statusCode":200}')],
    ['a prelude that is not JSON', withPrelude('x', '').subarray(1)],
    ['a prelude that is not an object', withPrelude([1], '')],
    ['a status that is no HTTP status', withPrelude({ statusCode: 99 }, '')],
  ])('finds a streamed response with %s malformed', (_case, payload) => {
    expect(bufferedResponse(payload, HTTP_INTEGRATION_TYPE).malformed).toBe(true);
  });
});

describe('preludeHead', () => {
  it('defaults to 200 and application/octet-stream, and keeps a declared Content-Type', () => {
    expect(preludeHead(Buffer.from('{}'))).toEqual({
      malformed: false,
      status: 200,
      headers: [['Content-Type', 'application/octet-stream']],
    });
    expect(preludeHead(Buffer.from('{"headers":{"content-type":"text/html"}}'))).toMatchObject({
      headers: [['content-type', 'text/html']],
    });
  });
});

describe('splitPrelude', () => {
  const read = async (stream: Readable) => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString();
  };

  it('finds the delimiter across chunks and streams the rest', async () => {
    const bytes = withPrelude({ statusCode: 200 }, 'the body');
    const chunks = [bytes.subarray(0, 5), bytes.subarray(5, 20), bytes.subarray(20, 24), bytes.subarray(24)];
    const split = await splitPrelude(Readable.from(chunks, { objectMode: false }));
    expect(split?.prelude.toString()).toBe('{"statusCode":200}');
    expect(await read(split!.rest)).toBe('the body');
  });

  it('gives nothing for a stream that ends before its delimiter', async () => {
    expect(await splitPrelude(Readable.from([Buffer.from('{"statusCode":200}')]))).toBeUndefined();
  });
});
