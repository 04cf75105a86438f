import { describe, expect, it } from 'vitest';
import {
  httpProxyResponseV1,
  httpProxyResponseV2,
  restProxyResponse,
  type HttpResult,
} from './proxy-response.js';

const payload = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const pngBytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const pngBase64 = pngBytes.toString('base64');

/** A well-formed result, its body as text for the comparison. */
function ok(status: number, headers: [string, string][], body: string | Buffer) {
  return { malformed: false, status, headers, body: typeof body === 'string' ? Buffer.from(body) : body };
}
const json: [string, string] = ['Content-Type', 'application/json'];

describe('restProxyResponse', () => {
  const options = { binaryMediaTypes: ['image/*'], accept: 'application/json' };
  const cases: [name: string, result: Buffer, expected: ReturnType<typeof ok>][] = [
    [
      'a text response with its own Content-Type',
      payload({ statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'hello' }),
      ok(200, [['Content-Type', 'text/plain']], 'hello'),
    ],
    [
      'a JSON body, Content-Type defaulting to application/json',
      payload({ statusCode: 201, body: '{"id":7}', isBase64Encoded: false }),
      ok(201, [json], '{"id":7}'),
    ],
    ['a numeric string statusCode', payload({ statusCode: '404', body: 'nope' }), ok(404, [json], 'nope')],
    ['no field at all, a 200 with no body', payload({}), ok(200, [json], '')],
    ['a null body', payload({ statusCode: 204, body: null }), ok(204, [json], '')],
    ['a number body, taken as text', payload({ statusCode: 200, body: 42 }), ok(200, [json], '42')],
    [
      'headers and multiValueHeaders merged, a pair in both given once',
      payload({
        statusCode: 200,
        headers: { 'X-Request': 'r-1', 'Set-Cookie': 'a=1' },
        multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'], Vary: ['Accept', 'Origin'] },
      }),
      ok(
        200,
        [
          ['X-Request', 'r-1'],
          ['Set-Cookie', 'a=1'],
          ['Set-Cookie', 'b=2'],
          ['Vary', 'Accept'],
          ['Vary', 'Origin'],
          json,
        ],
        '',
      ),
    ],
    [
      'the same header with different values in both maps, all of them kept',
      payload({ statusCode: 200, headers: { 'X-Id': '1' }, multiValueHeaders: { 'x-id': ['2'] } }),
      ok(200, [['X-Id', '1'], ['x-id', '2'], json], ''),
    ],
    [
      'a null Content-Type, which keeps the default away',
      payload({ statusCode: 204, headers: { 'Content-Type': null } }),
      ok(204, [], ''),
    ],
    [
      'a boolean header value, written as text',
      payload({ statusCode: 200, headers: { 'X-Cache': true, 'Content-Type': 'text/plain' } }),
      ok(
        200,
        [
          ['X-Cache', 'true'],
          ['Content-Type', 'text/plain'],
        ],
        '',
      ),
    ],
  ];
  it.each(cases)('answers %s', (_name, result, expected) => {
    expect(restProxyResponse(result, options)).toEqual(expected);
  });

  const malformed: [name: string, result: Buffer][] = [
    ['text that is not JSON', payload('Internal error: boom')],
    ['an empty payload', Buffer.alloc(0)],
    ['a JSON array', payload([{ statusCode: 200 }])],
    ['JSON null (a handler that returned nothing)', payload('null')],
    ['a bare JSON string', payload('"hello"')],
    ['an unknown top-level key', payload({ statusCode: 200, body: 'x', ok: true })],
    ['a body that is an object', payload({ statusCode: 200, body: { message: 'hi' } })],
    ['a body that is a list', payload({ statusCode: 200, body: ['a'] })],
    ['a statusCode that is not a number', payload({ statusCode: 'OK', body: '' })],
    ['a statusCode out of range', payload({ statusCode: 99 })],
    ['a fractional statusCode', payload({ statusCode: 200.5 })],
    ['headers that are a list', payload({ statusCode: 200, headers: [['a', 'b']] })],
    ['a header value that is a number', payload({ statusCode: 200, headers: { 'Content-Length': 5 } })],
    ['multiValueHeaders with a value that is not a list', payload({ multiValueHeaders: { Vary: 'Accept' } })],
    ['an isBase64Encoded that is not a boolean', payload({ body: 'aGk=', isBase64Encoded: 'yes' })],
    ['a function error payload without FunctionError', payload({ errorMessage: 'boom', errorType: 'Error' })],
  ];
  it.each(malformed)('finds %s malformed', (_name, result) => {
    const answer = restProxyResponse(result, options);
    expect(answer.malformed).toBe(true);
    expect((answer as HttpResult & { malformed: true }).reason).not.toBe('');
  });

  const base64Cases: [accept: string | undefined, binaryMediaTypes: string[], decoded: boolean][] = [
    ['image/png', ['image/*'], true],
    ['image/png', ['image/png'], true],
    ['image/webp,image/*,*/*;q=0.8', ['image/webp'], true],
    ['image/webp,image/*,*/*;q=0.8', ['image/png'], false],
    ['*/*', ['image/png'], false],
    ['*/*', ['*/*'], true],
    [undefined, ['*/*'], true],
    [undefined, ['image/png'], false],
    ['image/png', [], false],
  ];
  it.each(base64Cases)(
    'decodes a base64 body for Accept %s and binaryMediaTypes %j: %s',
    (accept, binaryMediaTypes, decoded) => {
      const result = payload({
        statusCode: 200,
        headers: { 'Content-Type': 'image/png' },
        body: pngBase64,
        isBase64Encoded: true,
      });
      const answer = restProxyResponse(result, { binaryMediaTypes, ...(accept ? { accept } : {}) });
      expect(answer).toEqual(ok(200, [['Content-Type', 'image/png']], decoded ? pngBytes : pngBase64));
    },
  );

  it('reads base64Encoded, which some Lambda libraries send, before isBase64Encoded', () => {
    const result = payload({ statusCode: 200, body: pngBase64, base64Encoded: true, isBase64Encoded: false });
    expect(restProxyResponse(result, { binaryMediaTypes: ['*/*'] })).toEqual(ok(200, [json], pngBytes));
  });

  it('never decodes a body whose isBase64Encoded is false', () => {
    const result = payload({ statusCode: 200, body: pngBase64, isBase64Encoded: false });
    expect(restProxyResponse(result, { binaryMediaTypes: ['*/*'], accept: 'image/png' })).toEqual(
      ok(200, [json], pngBase64),
    );
  });
});

describe('httpProxyResponseV1', () => {
  it('requires statusCode', () => {
    expect(httpProxyResponseV1(payload({ body: 'hello' }))).toMatchObject({ malformed: true });
  });

  it('ignores keys it does not know and takes numbers as header values', () => {
    expect(
      httpProxyResponseV1(payload({ statusCode: 200, body: 'hi', ok: true, headers: { 'X-Count': 3 } })),
    ).toEqual(ok(200, [['X-Count', '3'], json], 'hi'));
  });

  it('decodes a base64 body whatever the Accept header', () => {
    const result = payload({ statusCode: 200, body: pngBase64, isBase64Encoded: true });
    expect(httpProxyResponseV1(result)).toEqual(ok(200, [json], pngBytes));
  });

  it.each([['not JSON'], ['[]'], ['"text"']])('finds %s malformed', (text) => {
    expect(httpProxyResponseV1(payload(text)).malformed).toBe(true);
  });
});

describe('httpProxyResponseV2', () => {
  const inferred: [name: string, result: Buffer, body: string][] = [
    ['a string, whose text is the body', payload('"hello"'), 'hello'],
    [
      'an object without statusCode, as sent',
      payload('{ "message": "Hello from Lambda!" }'),
      '{ "message": "Hello from Lambda!" }',
    ],
    ['an object, compact', payload({ a: 1 }), '{"a":1}'],
    ['a number', payload('42'), '42'],
    ['a decimal number', payload('3.50'), '3.50'],
    ['a list', payload([1, 2, 3]), '[1,2,3]'],
    ['a boolean', payload('true'), 'true'],
    ['null, an empty body', payload('null'), ''],
  ];
  it.each(inferred)('infers a 200 application/json response from %s', (_name, result, body) => {
    expect(httpProxyResponseV2(result)).toEqual(ok(200, [['content-type', 'application/json']], body));
  });

  it('reads an object with statusCode as the response, cookies becoming Set-Cookie headers', () => {
    const result = payload({
      statusCode: 302,
      headers: { Location: '/login' },
      cookies: ['session=abc; HttpOnly; Secure', 'theme=dark'],
      body: '',
    });
    expect(httpProxyResponseV2(result)).toEqual(
      ok(
        302,
        [
          ['Location', '/login'],
          json,
          ['Set-Cookie', 'session=abc; HttpOnly; Secure'],
          ['Set-Cookie', 'theme=dark'],
        ],
        '',
      ),
    );
  });

  it('takes the nulls Go handlers send for fields they leave empty', () => {
    const result = payload({
      statusCode: 200,
      headers: null,
      multiValueHeaders: null,
      body: 'ok',
      cookies: null,
    });
    expect(httpProxyResponseV2(result)).toEqual(ok(200, [json], 'ok'));
  });

  it('merges multiValueHeaders as payload 1.0 does', () => {
    const result = payload({
      statusCode: 200,
      headers: { 'Content-Type': 'text/plain' },
      multiValueHeaders: { Vary: ['Origin', 'Accept'] },
    });
    expect(httpProxyResponseV2(result)).toEqual(
      ok(
        200,
        [
          ['Content-Type', 'text/plain'],
          ['Vary', 'Origin'],
          ['Vary', 'Accept'],
        ],
        '',
      ),
    );
  });

  it('decodes a base64 body whatever the Accept header', () => {
    const result = payload({
      statusCode: 200,
      headers: { 'content-type': 'image/png' },
      body: pngBase64,
      isBase64Encoded: true,
    });
    expect(httpProxyResponseV2(result)).toEqual(ok(200, [['content-type', 'image/png']], pngBytes));
  });

  it('ignores keys it does not know', () => {
    expect(httpProxyResponseV2(payload({ statusCode: '201', body: 'made', extra: 1 }))).toEqual(
      ok(201, [json], 'made'),
    );
  });

  const malformed: [name: string, result: Buffer][] = [
    ['text that is not JSON', payload('<html>oops</html>')],
    ['a body that is an object', payload({ statusCode: 200, body: { message: 'hi' } })],
    ['a statusCode that is not a number', payload({ statusCode: 'two hundred' })],
    ['a statusCode of 0', payload({ statusCode: 0, body: '' })],
  ];
  it.each(malformed)('finds %s malformed', (_name, result) => {
    expect(httpProxyResponseV2(result).malformed).toBe(true);
  });
});
