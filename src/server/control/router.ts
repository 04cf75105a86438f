/**
 * Stratus's own endpoints under `/_stratus/`: health, reset, snapshots, and the routes services
 * serve (Lambda's code downloads and usage, SES's outbox …). Each route says who may call it:
 *
 * - `open`: anyone — health, and what AWS itself publishes (SNS's signing certificate).
 * - `signed`: with `--require-auth`, only requests signed with a configured key (SigV4, in a
 *   header or a presigned URL), as AWS requests are; anyone on an open loopback server.
 *
 * A route reads its body whole (within `--max-request-bytes`) or, with `body: 'stream'`, as it
 * arrives (a snapshot upload, signed `UNSIGNED-PAYLOAD`). Adding an endpoint is adding a route.
 */
import type { Readable } from 'node:stream';
import { isServiceError } from '../../protocol/errors.js';
import { readSigV4Claim } from '../../protocol/sigv4.js';
import { jsonResponse, type WireRequest } from '../../protocol/wire.js';
import type { InternalRoute } from '../../services/service.js';
import type { Authenticator } from '../auth.js';
import { BodyTooLarge, tooLargeResponse, type InternalResponse, type RequestBody } from '../http-server.js';

export interface ControlRoute {
  method: string;
  /** Matched against the whole path; capture groups reach the handler. */
  path: RegExp;
  access: 'open' | 'signed';
  /** `whole` (default): `request.body` holds the body. `stream`: the handler reads `body` itself. */
  body?: 'whole' | 'stream';
  handle(match: RegExpExecArray, request: WireRequest, body: Readable): Promise<InternalResponse>;
}

/** A service's route as a control route (signed unless it says otherwise). */
export function serviceRoute(route: InternalRoute): ControlRoute {
  return {
    method: route.method,
    path: route.path,
    access: route.access ?? 'signed',
    handle: (match, request) => route.handle(match, request),
  };
}

export class ControlRouter {
  private readonly routes: ControlRoute[] = [];

  constructor(
    private readonly authenticator: Authenticator,
    private readonly maxRequestBytes: number,
  ) {}

  add(...routes: ControlRoute[]): void {
    this.routes.push(...routes);
  }

  async handle(request: WireRequest, body: RequestBody): Promise<InternalResponse> {
    for (const route of this.routes) {
      const match = route.method === request.method ? route.path.exec(request.path) : null;
      if (match) return this.serve(route, match, request, body);
    }
    const otherMethod = this.routes.some((r) => r.path.test(request.path));
    return jsonResponse(otherMethod ? 405 : 404, {
      message: `No Stratus endpoint at ${request.method} ${request.path}`,
    });
  }

  private async serve(
    route: ControlRoute,
    match: RegExpExecArray,
    request: WireRequest,
    body: RequestBody,
  ): Promise<InternalResponse> {
    const streamed = route.body === 'stream';
    if (!streamed) {
      try {
        request.body = await body.read();
      } catch (err) {
        if (err instanceof BodyTooLarge) return tooLargeResponse(this.maxRequestBytes);
        throw err;
      }
    }
    if (route.access === 'signed') {
      const refused = await this.refusal(request, streamed);
      // Closing saves reading the rest of an upload nobody will take.
      if (refused)
        return streamed ? { ...refused, headers: { ...refused.headers, connection: 'close' } } : refused;
    }
    return route.handle(match, request, body.stream);
  }

  /** Why a request may not call a signed route, as AWS answers it (403, `__type`), or undefined. */
  private async refusal(request: WireRequest, streamedBody: boolean): Promise<InternalResponse | undefined> {
    try {
      await this.authenticator.authenticate(
        request,
        readSigV4Claim(request),
        'rest-json',
        true,
        streamedBody ? 'unsigned-stream' : 'buffered',
      );
      return undefined;
    } catch (err) {
      if (!isServiceError(err)) throw err;
      return {
        ...jsonResponse(err.status, { __type: err.code, message: err.message }),
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': err.code },
      };
    }
  }
}
