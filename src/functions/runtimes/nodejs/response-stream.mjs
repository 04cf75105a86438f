/**
 * Response streaming for Node.js handlers, as Lambda's Node.js runtime offers it: the global
 * `awslambda.streamifyResponse(handler)` marks a handler `(event, responseStream, context)`, and
 * `awslambda.HttpResponseStream.from(responseStream, { statusCode, headers, cookies })` makes what
 * it writes an HTTP response for function URLs — a JSON prelude and 8 NUL bytes before the body,
 * under the content type `application/vnd.awslambda.http-integration-response`.
 *
 * The response goes to the Runtime API as a chunked POST with
 * `Lambda-Runtime-Function-Response-Mode: streaming`, opened at the first write (or at the end),
 * so a handler that fails before it wrote anything fails the ordinary way (`/error`), and one that
 * fails later ends the stream with its error in the trailers.
 */
import { Writable } from 'node:stream';

const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const HTTP_INTEGRATION_TYPE = 'application/vnd.awslambda.http-integration-response';
const PRELUDE_DELIMITER = Buffer.alloc(8);

/** Defines the `awslambda` global handlers use to stream. */
export function installAwsLambdaGlobal() {
  globalThis.awslambda = {
    streamifyResponse(handler, options) {
      handler[STREAMING] = 'response';
      if (options?.highWaterMark !== undefined) handler[HIGH_WATER_MARK] = options.highWaterMark;
      return handler;
    },
    HttpResponseStream: class HttpResponseStream {
      static from(stream, prelude) {
        stream.setContentType(HTTP_INTEGRATION_TYPE);
        stream.beforeFirstWrite = (write) => {
          write(Buffer.from(JSON.stringify(prelude ?? {})));
          write(PRELUDE_DELIMITER);
        };
        return stream;
      }
    },
  };
}

export const isStreamingHandler = (handler) => handler[STREAMING] === 'response';
export const streamHighWaterMark = (handler) => handler[HIGH_WATER_MARK];

/**
 * The `responseStream` a streaming handler writes to. `open(contentType)` starts the upload: an
 * object with `write(chunk, callback)`, `end(trailers, callback)` and `response`.
 */
export class ResponseStream extends Writable {
  #open;
  #upload;
  #contentType = 'application/octet-stream';
  #failure;

  constructor(open, highWaterMark) {
    super(highWaterMark === undefined ? {} : { highWaterMark });
    this.#open = open;
    /** Called with a write function before the first bytes (HttpResponseStream's prelude). */
    this.beforeFirstWrite = undefined;
  }

  setContentType(contentType) {
    if (this.#upload) throw new Error('The content type cannot change once the response has started');
    this.#contentType = contentType;
  }

  /** Whether the response has started (its first bytes, or its end, went out). */
  get started() {
    return this.#upload !== undefined;
  }

  /** The Runtime API's answer to the response, once it started. */
  get answered() {
    return this.#upload?.response;
  }

  /**
   * Ends a started response with the handler's error (`{ errorType, errorMessage, trace }`) in its
   * trailers. False when it never started (the error then goes to `/error`) or already ended.
   */
  fail(errorDocument) {
    if (!this.#upload || this.writableFinished || this.destroyed) return false;
    this.#failure = errorDocument;
    if (!this.writableEnded) this.end();
    return true;
  }

  #start() {
    if (!this.#upload) {
      this.#upload = this.#open(this.#contentType);
      this.beforeFirstWrite?.((bytes) => this.#upload.write(bytes, () => {}));
    }
    return this.#upload;
  }

  _write(chunk, _encoding, callback) {
    this.#start().write(chunk, callback);
  }

  _final(callback) {
    const failure = this.#failure;
    const trailers = failure
      ? {
          'Lambda-Runtime-Function-Error-Type': failure.errorType,
          'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(failure)).toString('base64'),
        }
      : {};
    this.#start().end(trailers, callback);
  }
}
