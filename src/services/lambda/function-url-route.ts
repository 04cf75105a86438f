/**
 * The edge route of function URLs (`{urlId}.lambda-url.{region}.localhost` hosts and
 * `/_aws/lambda-url/{urlId}/…` paths), read top to bottom:
 * find the URL → answer a CORS preflight → authenticate (AWS_IAM) → build the event → invoke the
 * function in process, as Invoke does → answer with its result (buffered), or as it streams
 * (RESPONSE_STREAM) → add the CORS headers.
 *
 * What the caller gets when it goes wrong, as Lambda's front end answers it: 404 for a URL id
 * that names no URL (Stratus's words), 403 `{"Message":"Forbidden"}` for an AWS_IAM URL called
 * without a valid SigV4 signature (service `lambda`), 413 for a request over 6 MB, 429 when the
 * function is throttled, 502 `Internal Server Error` for a function error or a malformed result.
 * A streamed response that fails midway is cut off: its status has gone out already.
 */
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock.js';
import type { StreamedResponse, InvocationResult } from '../../functions/types.js';
import type { WireRequest, WireResponse } from '../../protocol/wire.js';
import type { Authenticator } from '../../server/auth.js';
import type { Store } from '../../storage/store.js';
import type { EdgeRequest, EdgeResponse, EdgeRoute } from '../service.js';
import { functionUrlAddress, type FunctionUrlAddress } from './function-url-address.js';
import { isPreflight, preflightHeaders, responseCorsHeaders } from './function-url-cors.js';
import { functionUrlEvent, type FunctionUrlSigner } from './function-url-event.js';
import {
  bufferedResponse,
  HTTP_INTEGRATION_TYPE,
  preludeHead,
  splitPrelude,
} from './function-url-response.js';
import { functionUrlQueries, type AddressedUrlRow } from './function-url-tables.js';
import { corsOf } from './function-urls.js';
import { maxSyncPayloadBytes, type Invoker } from './invoke.js';
import { TooManyRequestsException } from './errors.js';

export interface FunctionUrlRouteDeps {
  store: Store;
  clock: Clock;
  invoker: Invoker;
  /** Checks SigV4 signatures as the AWS API does (`--require-auth` decides how strictly). */
  authenticator: Authenticator;
  endpointUrl(): string;
  logger: Logger;
  /** Invocation request ids (v4 UUIDs). */
  newRequestId(): string;
  /** X-Ray trace headers for the event's `x-amzn-trace-id`. */
  newTraceId(): string;
}

type Answer = Omit<EdgeResponse, 'headers'> & { headers: [name: string, value: string][] };

const message = (status: number, text: string, errorType?: string): Answer => ({
  status,
  headers: [
    ['Content-Type', 'application/json'],
    ...(errorType ? ([['x-amzn-ErrorType', errorType]] as [string, string][]) : []),
  ],
  body: JSON.stringify({ Message: text }),
});
const forbidden = () => message(403, 'Forbidden', 'AccessDeniedException');
const notFound = () => message(404, 'The function URL does not exist.', 'ResourceNotFoundException');
const throttled = () => message(429, 'Rate Exceeded.', 'TooManyRequestsException');
const tooLarge = () =>
  message(
    413,
    `Request must be smaller than ${maxSyncPayloadBytes} bytes for the InvokeFunction operation`,
    'RequestEntityTooLargeException',
  );
const badGateway = (): Answer => ({
  status: 502,
  headers: [['Content-Type', 'text/plain; charset=utf-8']],
  body: 'Internal Server Error',
});

export class FunctionUrlRoute implements EdgeRoute {
  readonly maxBodyBytes = maxSyncPayloadBytes;

  constructor(private readonly deps: FunctionUrlRouteDeps) {}

  accepts(request: WireRequest): boolean {
    return functionUrlAddress(request) !== undefined;
  }

  tooLarge(): WireResponse {
    const answer = tooLarge();
    return {
      status: answer.status,
      headers: Object.fromEntries(answer.headers),
      body: answer.body as string,
    };
  }

  async handle(request: EdgeRequest): Promise<EdgeResponse> {
    const requestId = this.deps.newRequestId();
    const address = functionUrlAddress(request)!;
    const url = await functionUrlQueries.byUrlId(this.deps.store, address.urlId);
    if (!url || (address.region !== undefined && address.region !== url.region)) {
      return finish(notFound(), requestId);
    }
    // A browser's preflight carries no signature: it is answered before authentication.
    const cors = corsOf(url);
    if (isPreflight(cors, request.method, request.headers)) {
      const headers = Object.entries(preflightHeaders(cors!, request.headers));
      return finish({ status: 200, headers, body: '' }, requestId);
    }
    let signer: FunctionUrlSigner | undefined;
    if (url.auth_type === 'AWS_IAM') {
      signer = await this.signer(request);
      if (!signer) return finish(forbidden(), requestId);
    }
    const event = Buffer.from(
      JSON.stringify(functionUrlEvent(this.callOf(request, url, address, requestId), signer)),
    );
    const answer = event.length > maxSyncPayloadBytes ? tooLarge() : await this.invoke(url, event, requestId);
    const corsHeaders = Object.entries(responseCorsHeaders(cors, request.headers));
    const replaced = new Set(corsHeaders.map(([name]) => name.toLowerCase()));
    answer.headers = [
      ...answer.headers.filter(([name]) => !replaced.has(name.toLowerCase())),
      ...corsHeaders,
    ];
    return finish(answer, requestId);
  }

  /** Runs the function and reads its answer; streamed as it comes for a RESPONSE_STREAM URL. */
  private async invoke(url: AddressedUrlRow, payload: Buffer, requestId: string): Promise<Answer> {
    const at = { accountId: url.account_id, region: url.region };
    const target = {
      functionName: url.function_name,
      ...(url.qualifier !== '$LATEST' ? { qualifier: url.qualifier } : {}),
    };
    let onResponseStream: ((response: StreamedResponse) => void) | undefined;
    const started =
      url.invoke_mode === 'RESPONSE_STREAM'
        ? new Promise<StreamedResponse>((resolve) => (onResponseStream = resolve))
        : undefined;
    const finished = this.deps.invoker.invokeWith(at, target, {
      payload,
      requestId,
      ...(onResponseStream ? { onResponseStream } : {}),
    });
    try {
      const first = started ? await Promise.race([started, finished]) : await finished;
      if ('outcome' in first) return this.resultAnswer(url, first);
      finished.then(
        (result) => this.logFailure(url, result),
        (error: unknown) =>
          this.deps.logger.warn({ err: error, url: url.url_id }, 'a streamed function URL call failed'),
      );
      return await streamedAnswer(first);
    } catch (error) {
      if (error instanceof TooManyRequestsException) return throttled();
      this.deps.logger.warn({ err: error, url: url.url_id }, 'a function URL could not invoke its function');
      return badGateway();
    }
  }

  private resultAnswer(url: AddressedUrlRow, result: InvocationResult): Answer {
    if (result.outcome.kind === 'error') {
      this.logFailure(url, result);
      return badGateway();
    }
    const response = bufferedResponse(result.outcome.payload, result.outcome.contentType);
    if (response.malformed) {
      this.deps.logger.debug({ url: url.url_id, reason: response.reason }, 'malformed function URL response');
      return badGateway();
    }
    return { status: response.status, headers: response.headers, body: response.body };
  }

  private logFailure(url: AddressedUrlRow, result: InvocationResult): void {
    if (result.outcome.kind !== 'error') return;
    const { errorType, errorMessage } = result.outcome;
    this.deps.logger.debug({ url: url.url_id, errorType, errorMessage }, 'function URL call failed');
  }

  /** Who signed the request, if it carries a valid SigV4 signature for `lambda`. */
  private async signer(request: EdgeRequest): Promise<FunctionUrlSigner | undefined> {
    const signed = await this.deps.authenticator.signerOf(request, 'lambda');
    return 'failure' in signed ? undefined : { accessKeyId: signed.accessKeyId, accountId: signed.accountId };
  }

  private callOf(request: EdgeRequest, url: AddressedUrlRow, address: FunctionUrlAddress, requestId: string) {
    const endpoint = new URL(this.deps.endpointUrl());
    const host = request.headers['host'];
    return {
      urlId: url.url_id,
      accountId: url.account_id,
      region: url.region,
      requestId,
      method: request.method,
      rawPath: address.path,
      rawQueryString: request.rawQueryString,
      headers: headerPairs(request.rawHeaders),
      body: request.body,
      sourceIp: request.remoteAddress.replace(/^::ffff:/, ''),
      // The path form names no host of the URL: the event names the one the URL has.
      domainName:
        address.region !== undefined && host
          ? host
          : `${url.url_id}.lambda-url.${url.region}.localhost${endpoint.port ? `:${endpoint.port}` : ''}`,
      receivedAt: this.deps.clock.now(),
      protocol: `HTTP/${request.httpVersion}`,
      port: endpoint.port || '80',
      traceId: this.deps.newTraceId(),
    };
  }
}

/** The response to a streamed one: its prelude read first for an HTTP integration response. */
async function streamedAnswer(response: StreamedResponse): Promise<Answer> {
  if (response.contentType !== HTTP_INTEGRATION_TYPE) {
    return { status: 200, headers: [['Content-Type', response.contentType]], body: response.body };
  }
  const split = await splitPrelude(response.body);
  if (!split) return badGateway();
  const head = preludeHead(split.prelude);
  if (head.malformed) {
    // Nobody reads the rest: let the function finish writing it.
    split.rest.destroy();
    return badGateway();
  }
  return { status: head.status, headers: head.headers, body: split.rest as Readable };
}

function headerPairs(rawHeaders: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  return pairs;
}

/** The answer as the edge sends it: header names lower-case, a repeated one as a list. */
function finish(answer: Answer, requestId: string): EdgeResponse {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of [...answer.headers, ['x-amzn-RequestId', requestId] as const]) {
    const key = name.toLowerCase();
    const before = headers[key];
    headers[key] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
  }
  return { status: answer.status, headers, body: answer.body };
}
