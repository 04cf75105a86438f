/**
 * How a function URL turns what its function answered into the HTTP response.
 *
 * - A result returned the ordinary way is read by payload format 2.0's rules, as an HTTP API reads
 *   it (proxy-response.ts): an object with `statusCode` gives status, headers, cookies and body;
 *   other JSON is the body itself.
 * - A streamed response of type `application/vnd.awslambda.http-integration-response` (what
 *   `awslambda.HttpResponseStream.from` writes) starts with a JSON prelude — `statusCode`,
 *   `headers`, `cookies` — and 8 NUL bytes; the rest is the body. Its Content-Type defaults to
 *   `application/octet-stream`.
 * - Any other streamed response is the body as it is, with the type the function declared.
 *
 * A result or prelude that breaks these rules is malformed: the URL answers 502.
 */
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { httpProxyResponseV2, type HttpResult } from '../apigateway/invoke/proxy-response.js';
import {
  isPlainObject,
  MalformedResult,
  mergedHeaders,
  statusCode,
} from '../apigateway/invoke/response-fields.js';

export const HTTP_INTEGRATION_TYPE = 'application/vnd.awslambda.http-integration-response';
const DELIMITER = Buffer.alloc(8);
/** A prelude longer than this (without its delimiter) is not one. */
const MAX_PRELUDE_BYTES = 64 * 1024;

export type ResponseHead =
  | { malformed: false; status: number; headers: [name: string, value: string][] }
  | { malformed: true; reason: string };

/** The response to a result read whole: returned, or streamed and gathered (`contentType` set). */
export function bufferedResponse(payload: Buffer, contentType: string | undefined): HttpResult {
  if (contentType === undefined) return httpProxyResponseV2(payload);
  if (contentType !== HTTP_INTEGRATION_TYPE) {
    return { malformed: false, status: 200, headers: [['Content-Type', contentType]], body: payload };
  }
  const at = payload.indexOf(DELIMITER);
  if (at < 0) return { malformed: true, reason: 'the streamed response has no prelude delimiter' };
  const head = preludeHead(payload.subarray(0, at));
  return head.malformed ? head : { ...head, body: payload.subarray(at + DELIMITER.length) };
}

/** The status and headers a prelude gives (cookies as Set-Cookie headers). */
export function preludeHead(prelude: Buffer): ResponseHead {
  try {
    let value: unknown;
    try {
      value = JSON.parse(prelude.toString('utf8'));
    } catch {
      throw new MalformedResult('the prelude is not JSON');
    }
    if (!isPlainObject(value)) throw new MalformedResult('the prelude is not a JSON object');
    const status = statusCode(value.statusCode, false);
    const { headers } = mergedHeaders(value.headers, undefined, 'http');
    if (!headers.some(([name]) => name.toLowerCase() === 'content-type')) {
      headers.push(['Content-Type', 'application/octet-stream']);
    }
    const cookies = Array.isArray(value.cookies) ? value.cookies : [];
    for (const cookie of cookies) if (typeof cookie === 'string') headers.push(['Set-Cookie', cookie]);
    return { malformed: false, status, headers };
  } catch (error) {
    if (error instanceof MalformedResult) return { malformed: true, reason: error.message };
    throw error;
  }
}

/**
 * Reads a streamed HTTP response up to its prelude's delimiter: the prelude, and the body after it
 * as a stream of its own (which passes on the source's failure, and stops the source if its
 * reader goes away). Undefined when the stream failed or ended before the delimiter.
 */
export function splitPrelude(body: Readable): Promise<{ prelude: Buffer; rest: Readable } | undefined> {
  return new Promise((resolve) => {
    let seen: Buffer = Buffer.alloc(0);
    const stop = (result: { prelude: Buffer; rest: Readable } | undefined) => {
      body.removeListener('data', onData);
      body.removeListener('end', onEnd);
      body.removeListener('error', onEnd);
      resolve(result);
    };
    const onEnd = () => stop(undefined);
    const onData = (chunk: Buffer) => {
      seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
      const at = seen.indexOf(DELIMITER);
      if (at < 0) {
        if (seen.length > MAX_PRELUDE_BYTES) {
          body.destroy();
          stop(undefined);
        }
        return;
      }
      body.pause();
      const rest = new PassThrough();
      const after = seen.subarray(at + DELIMITER.length);
      if (after.length > 0) rest.write(after);
      stop({ prelude: seen.subarray(0, at), rest });
      // The reader learns of a failure midway by the error; the source, of a reader gone, by its close.
      pipeline(body, rest, () => {});
    };
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onEnd);
  });
}
