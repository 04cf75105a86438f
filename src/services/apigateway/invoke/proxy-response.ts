/**
 * How API Gateway turns what a Lambda proxy integration's function returned (the Invoke payload,
 * raw JSON) into the HTTP response. Pure; a function error (Invoke answered with FunctionError)
 * never reaches here — the caller answers it itself.
 *
 * Payload format 1.0 (REST APIs, and HTTP APIs that ask for it): the result must be a JSON object
 * `{ statusCode, headers, multiValueHeaders, body, isBase64Encoded }`. As AWS applies it:
 * - REST APIs require none of the fields (`{}` is a 200 with no body) but refuse any other key —
 *   `{"statusCode": 200, "ok": true}` is malformed. They also read `base64Encoded`, which some
 *   Lambda libraries send, before `isBase64Encoded`.
 * - HTTP APIs require `statusCode` and ignore keys they do not know.
 * - `statusCode` may be a number or a string of digits; `body` a string, or a number or boolean
 *   taken as text — an object or list is malformed, as is a result that is not a JSON object.
 * - Without a Content-Type header the response carries `Content-Type: application/json`.
 * - A base64 body is decoded by HTTP APIs always, by REST APIs only when the first media type of
 *   the request's Accept is one of the API's binaryMediaTypes; otherwise the base64 text is the body.
 *
 * Payload format 2.0 (HTTP APIs): an object with a `statusCode` key is read as above, plus
 * `cookies` (each a Set-Cookie header). Any other valid JSON is the body itself: status 200,
 * `content-type: application/json`, the body the function's JSON as it sent it — except a JSON
 * string, whose text is the body (`"hello"` answers `hello`).
 *
 * A malformed result is `{ malformed: true }`: the caller answers `502 {"message": "Internal
 * server error"}`.
 */
import { firstAcceptedType, isBinaryMediaType } from './media-types.js';
import {
  base64Flag,
  bodyBytes,
  bodyText,
  type HeaderValues,
  isPlainObject,
  MalformedResult,
  mergedHeaders,
  statusCode,
} from './response-fields.js';

export type HttpResult =
  | { malformed: false; status: number; headers: [name: string, value: string][]; body: Buffer }
  | { malformed: true; reason: string };

export interface RestResponseOptions {
  /** The REST API's binaryMediaTypes. */
  binaryMediaTypes: readonly string[];
  /** The request's Accept header, which decides whether a base64 body is decoded. */
  accept?: string;
}

const restResultKeys = new Set([
  'statusCode',
  'headers',
  'multiValueHeaders',
  'body',
  'isBase64Encoded',
  'base64Encoded',
]);

/** A REST API's response from its Lambda proxy integration's result. */
export function restProxyResponse(result: Buffer, options: RestResponseOptions): HttpResult {
  return answer(() => {
    const fields = resultObject(parseResult(result));
    const unknown = Object.keys(fields).find((key) => !restResultKeys.has(key));
    if (unknown !== undefined) throw new MalformedResult(`the result has the unknown key ${unknown}`);
    const base64 = base64Flag(fields.base64Encoded ?? fields.isBase64Encoded);
    const decode = base64 && isBinaryMediaType(firstAcceptedType(options.accept), options.binaryMediaTypes);
    return response(fields, { statusRequired: false, headerValues: 'rest', decode });
  });
}

/** An HTTP API's response from a Lambda proxy integration with payload format 1.0. */
export function httpProxyResponseV1(result: Buffer): HttpResult {
  return answer(() => {
    const fields = resultObject(parseResult(result));
    return response(fields, {
      statusRequired: true,
      headerValues: 'http',
      decode: base64Flag(fields.isBase64Encoded),
    });
  });
}

/** An HTTP API's response from a Lambda proxy integration with payload format 2.0. */
export function httpProxyResponseV2(result: Buffer): HttpResult {
  return answer(() => {
    const value = parseResult(result);
    if (isPlainObject(value) && 'statusCode' in value) {
      const decode = base64Flag(value.isBase64Encoded);
      const structured = response(value, { statusRequired: false, headerValues: 'http', decode });
      return { ...structured, headers: [...structured.headers, ...setCookies(value.cookies)] };
    }
    const body = typeof value === 'string' ? value : value === null ? '' : result.toString('utf8').trim();
    return {
      malformed: false,
      status: 200,
      headers: [['content-type', 'application/json']],
      body: Buffer.from(body, 'utf8'),
    };
  });
}

function answer(read: () => HttpResult): HttpResult {
  try {
    return read();
  } catch (error) {
    if (error instanceof MalformedResult) return { malformed: true, reason: error.message };
    throw error;
  }
}

function parseResult(result: Buffer): unknown {
  try {
    return JSON.parse(result.toString('utf8'));
  } catch {
    throw new MalformedResult('the result is not JSON');
  }
}

function resultObject(value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) throw new MalformedResult('the result is not a JSON object');
  return value;
}

function response(
  fields: Record<string, unknown>,
  rules: { statusRequired: boolean; headerValues: HeaderValues; decode: boolean },
): HttpResult & { malformed: false } {
  const status = statusCode(fields.statusCode, rules.statusRequired);
  const { headers, contentTypeNulled } = mergedHeaders(
    fields.headers,
    fields.multiValueHeaders,
    rules.headerValues,
  );
  const body = bodyBytes(bodyText(fields.body), rules.decode);
  const hasContentType = headers.some(([name]) => name.toLowerCase() === 'content-type');
  if (!hasContentType && !contentTypeNulled) headers.push(['Content-Type', 'application/json']);
  return { malformed: false, status, headers, body };
}

/** Payload 2.0's `cookies`: each becomes a Set-Cookie header; anything but a list of strings is ignored. */
function setCookies(cookies: unknown): [string, string][] {
  if (!Array.isArray(cookies)) return [];
  return cookies.filter((cookie) => typeof cookie === 'string').map((cookie) => ['Set-Cookie', cookie]);
}
