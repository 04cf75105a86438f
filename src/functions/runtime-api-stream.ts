/**
 * A response the runtime streams: `POST invocation/{id}/response` with
 * `Lambda-Runtime-Function-Response-Mode: streaming`, a chunked body passed on as it arrives, and
 * trailers that may report an error midway (`Lambda-Runtime-Function-Error-Type` and
 * `Lambda-Runtime-Function-Error-Body`, the error document in base64), as Lambda's Runtime API
 * takes it.
 *
 * The runtime writes at the reader's pace: the request is paused while the reader's buffer is
 * full. A reader that goes away (the HTTP client hung up) stops taking, and the rest is drained so
 * the runtime can finish and take its next event.
 */
import type { IncomingMessage } from 'node:http';
import type { PassThrough, Readable } from 'node:stream';

export const RESPONSE_MODE_HEADER = 'lambda-runtime-function-response-mode';
const ERROR_TYPE_TRAILER = 'lambda-runtime-function-error-type';
const ERROR_BODY_TRAILER = 'lambda-runtime-function-error-body';

/** How a streamed response ended: whole, or with the error the runtime reported in its trailers. */
export interface StreamEnd {
  bytes: number;
  error?: { errorType: string; body: Buffer };
}

/** Whether a request to `invocation/{id}/response` streams its response. */
export function isStreamedResponse(req: IncomingMessage): boolean {
  return req.headers[RESPONSE_MODE_HEADER]?.toString().toLowerCase() === 'streaming';
}

/**
 * Passes the request's body on into `body`, then ends it — or destroys it with the error the
 * trailers report. Resolves when the request has ended; `undefined` if its connection broke first
 * (the runtime died: the environment learns of that from its process).
 */
export function relayStreamedResponse(
  req: IncomingMessage,
  body: PassThrough,
): Promise<StreamEnd | undefined> {
  return new Promise((resolve) => {
    let bytes = 0;
    let ended = false;
    // How the stream failed reaches the environment as a message; its reader (if it has come yet)
    // sees the error too, and an error with nobody listening must not crash Stratus.
    body.on('error', () => {});
    const resumeOnDrain = () => req.resume();
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (body.destroyed) return;
      if (!body.write(chunk)) {
        req.pause();
        body.once('drain', resumeOnDrain);
      }
    });
    // A reader gone mid-way never drains: the request must not stay paused for it.
    body.once('close', () => {
      body.removeListener('drain', resumeOnDrain);
      req.resume();
    });
    req.on('end', () => {
      ended = true;
      const error = trailerError(req);
      if (error)
        body.destroy(new Error(`${error.errorType}: the function failed while streaming its response`));
      else body.end();
      resolve({ bytes, ...(error ? { error } : {}) });
    });
    req.on('close', () => {
      if (ended) return;
      body.destroy(new Error('The runtime stopped while streaming its response'));
      resolve(undefined);
    });
  });
}

function trailerError(req: IncomingMessage): StreamEnd['error'] {
  const errorType = req.trailers[ERROR_TYPE_TRAILER];
  if (!errorType) return undefined;
  const encoded = req.trailers[ERROR_BODY_TRAILER];
  const body = encoded
    ? Buffer.from(encoded, 'base64')
    : Buffer.from(JSON.stringify({ errorType, errorMessage: '' }));
  return { errorType, body };
}

/**
 * A streamed response read whole, as a buffered invocation answers it: within `limit` bytes, or
 * the size it reached (read on to the end, so the runtime can finish).
 */
export function gatherStreamedResponse(
  body: Readable,
  limit: number,
): Promise<Buffer | { tooLarge: number }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    body.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= limit) chunks.push(chunk);
    });
    const done = () => resolve(bytes <= limit ? Buffer.concat(chunks) : { tooLarge: bytes });
    body.on('end', done);
    // Failed midway: the runtime's error, or its end, answers the invocation instead.
    body.on('error', done);
  });
}
