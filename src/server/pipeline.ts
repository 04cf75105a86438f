/**
 * How a request travels, top to bottom:
 *
 *   route        which service (X-Amz-Target, RPC path, SigV4 scope, Host, Action, REST path)
 *   protocol     which of the service's wire protocols the request is written in
 *   authenticate who is calling (SigV4), which account and region
 *   decode       a gzipped body (SigV4 signs the compressed bytes, so after authentication)
 *   resolve      which operation
 *   parse        the operation's input, read by the model
 *   validate     the model's constraints (required, length, range, enum, pattern)
 *   authorize    (IAM policy evaluation joins here with the IAM service)
 *   dispatch     the provider's method named like the operation
 *   serialize    the output in the request's protocol
 *
 * Any failure along the way is serialized as that protocol's error, so SDKs raise the right
 * exception class. Nothing here knows a service by name.
 *
 * A service that streams payloads (S3) is told apart before its body is read: the body then
 * streams to the operation, checked as it flows (src/server/payload.ts), and a streamed output
 * payload streams to the client. Every other request is read whole first.
 */
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { IdGenerator } from '../engine/ids.js';
import { InternalFailure, NotImplemented, ServiceError, isServiceError } from '../protocol/errors.js';
import { protocolFor } from '../protocol/protocols.js';
import { readSigV4Claim, withPresignedHeaders } from '../protocol/sigv4.js';
import { validateInput, validationMessage, type Violation } from '../protocol/validate.js';
import type {
  OperationMatch,
  Protocol,
  StreamingWireResponse,
  WireRequest,
  WireResponse,
} from '../protocol/wire.js';
import type { ServiceModel, Operation } from '../protocol/model.js';
import type { SigV4Claim } from '../protocol/sigv4.js';
import type { RequestContext, ServiceDefinition, ServiceInstance } from '../services/service.js';
import type { Authenticator, Principal } from './auth.js';
import { decodeContentEncoding } from './content-encoding.js';
import type { RequestBody } from './http-server.js';
import { payloadModeOf, readPayload, RequestPayload } from './payload.js';
import type { ServiceRouter } from './routing.js';
import { unknownServiceResponse } from './unknown-service.js';

export interface RunningService {
  definition: ServiceDefinition;
  provider: object;
  answerHeaders?: ServiceInstance['answerHeaders'];
}

function defaultValidationError(service: ServiceDefinition, violations: readonly Violation[]): ServiceError {
  if (service.validationError) return service.validationError(violations);
  const code = service.model.metadata.protocol === 'query' ? 'ValidationError' : 'ValidationException';
  return new ServiceError(code, validationMessage(violations), { status: 400 });
}

/** S3 signs paths as sent; every other service's are URI-escaped once more. */
function escapesPath(model: ServiceModel): boolean {
  return model.metadata.signingName !== 's3' && model.metadata.endpointPrefix !== 's3';
}

function isForm(request: WireRequest): boolean {
  return (request.headers['content-type'] ?? '').includes('x-www-form-urlencoded');
}

function hasBody(request: WireRequest): boolean {
  const length = request.headers['content-length'];
  return length === undefined ? request.headers['transfer-encoding'] !== undefined : length !== '0';
}

/** Whether the operation's input payload is a blob the model marks `streaming`. */
function streamsInput(model: ServiceModel, operation: Operation): boolean {
  const shape = operation.input && model.shapes[operation.input.shape];
  const payload = shape?.payload && shape.members?.[shape.payload];
  return !!payload && (payload.streaming === true || model.shapes[payload.shape]?.streaming === true);
}

export class RequestPipeline {
  constructor(
    private readonly router: ServiceRouter,
    private readonly authenticator: Authenticator,
    private readonly running: ReadonlyMap<string, RunningService>,
    private readonly ids: IdGenerator,
    private readonly logger: Logger,
    /** The largest body read whole (413 beyond it; S3's `MaxMessageLengthExceeded`). */
    private readonly maxRequestBytes: number,
  ) {}

  async handle(request: WireRequest, body: RequestBody): Promise<StreamingWireResponse> {
    const requestId = this.ids.requestId();
    const claim = readSigV4Claim(request);
    const scope = typeof claim === 'object' ? claim : undefined;
    // Routing reads a body only for a form's `Action`: before it is read, a streaming service is
    // known by its signing name, Host or path.
    const early = this.router.route(request, scope);
    const streaming = early?.streamsPayloads ? this.running.get(early.name) : undefined;
    if (streaming) {
      const response = await this.handleStreaming(streaming, request, claim, body, requestId);
      return this.withAnswerHeaders(streaming, request, response);
    }
    request.body = await body.read();
    const definition = early && !isForm(request) ? early : this.router.route(request, scope);
    const service = definition && this.running.get(definition.name);
    if (!service) return unknownServiceResponse(request, requestId);
    const { model } = service.definition;
    const protocol = protocolFor(model, request);
    try {
      const principal = await this.authenticator.authenticate(
        request,
        claim,
        protocol.name,
        escapesPath(model),
      );
      return await this.serve(service, protocol, decodeContentEncoding(request), principal, requestId);
    } catch (err) {
      return protocol.serializeError(model, this.asServiceError(err, service.definition.name), { requestId });
    }
  }

  /** A browser's request: the headers its service adds (CORS), which a failure to read leaves out. */
  private async withAnswerHeaders(
    service: RunningService,
    request: WireRequest,
    response: StreamingWireResponse,
  ): Promise<StreamingWireResponse> {
    if (request.headers['origin'] === undefined || !service.answerHeaders) return response;
    try {
      return { ...response, headers: { ...response.headers, ...(await service.answerHeaders(request)) } };
    } catch (err) {
      this.logger.warn({ err, service: service.definition.name }, 'could not read the headers of an answer');
      return response;
    }
  }

  /**
   * A request to a service that streams payloads. Its body is not read until the operation reads
   * it (a streamed payload) or its input is parsed (any other operation), and never decoded by
   * `Content-Encoding`, which names the encoding of an object's bytes as stored.
   */
  private async handleStreaming(
    service: RunningService,
    request: WireRequest,
    claim: SigV4Claim | 'malformed' | undefined,
    body: RequestBody,
    requestId: string,
  ): Promise<StreamingWireResponse> {
    const { definition } = service;
    const protocol = protocolFor(definition.model, request);
    try {
      const principal = await this.authenticator.authenticate(
        request,
        claim,
        protocol.name,
        escapesPath(definition.model),
        'checked-as-streamed',
      );
      const presented = withPresignedHeaders(request, claim);
      const mode = payloadModeOf(presented.headers);
      const decodedLength = presented.headers['x-amz-decoded-content-length'];
      const payload = new RequestPayload(
        () => body.stream,
        mode,
        mode.kind === 'chunked' && decodedLength !== undefined ? Number(decodedLength) : undefined,
        this.authenticator.chunkSigning(request, claim),
        (presented.headers['x-amz-trailer'] ?? '')
          .split(',')
          .map((name) => name.trim().toLowerCase())
          .filter(Boolean),
      );
      const addressed = definition.pathStyle?.(presented) ?? presented;
      const match = protocol.resolve(definition.model, addressed);
      if (streamsInput(definition.model, match.operation)) addressed.bodyStream = payload;
      else if (hasBody(presented)) addressed.body = await readPayload(payload, this.maxRequestBytes);
      return await this.serve(service, protocol, addressed, principal, requestId, match);
    } catch (err) {
      return protocol.serializeError(definition.model, this.asServiceError(err, definition.name), {
        requestId,
      });
    }
  }

  /**
   * A request Stratus makes itself in a service's wire protocol — an API Gateway integration
   * calling SQS's `SendMessage` — served as `principal` without a signature, from decoding on. It
   * is a client's request (the integration acts with its role's rights, not AWS's own).
   */
  async handleTrusted(
    request: WireRequest,
    service: RunningService,
    principal: Principal,
  ): Promise<WireResponse> {
    const requestId = this.ids.requestId();
    const { definition } = service;
    const protocol = protocolFor(definition.model, request);
    try {
      const decoded = decodeContentEncoding(definition.pathStyle?.(request) ?? request);
      const response = await this.serve(service, protocol, decoded, principal, requestId);
      // Who calls in process reads the answer whole (an API Gateway integration's response).
      if (!(response.body instanceof Readable)) return { ...response, body: response.body };
      return { ...response, body: await readPayload(response.body, Number.POSITIVE_INFINITY) };
    } catch (err) {
      return protocol.serializeError(
        service.definition.model,
        this.asServiceError(err, service.definition.name),
        {
          requestId,
        },
      );
    }
  }

  /** From resolving the operation (unless `match` has) on: parse, validate, dispatch, serialize. */
  private async serve(
    service: RunningService,
    protocol: Protocol,
    request: WireRequest,
    principal: Principal,
    requestId: string,
    match: OperationMatch = protocol.resolve(service.definition.model, request),
  ): Promise<StreamingWireResponse> {
    const { model } = service.definition;
    const input = protocol.parse(model, match, request);
    const implied = service.definition.inputFromRequest?.(match.operation.name, request);
    if (implied) for (const [name, value] of Object.entries(implied)) input[name] ??= value;
    const violations = validateInput(model, match.operation.input, input);
    if (violations.length > 0) throw defaultValidationError(service.definition, violations);
    const context: RequestContext = {
      requestId,
      accountId: principal.accountId,
      region: principal.region,
      accessKeyId: principal.accessKeyId,
      origin: 'client',
    };
    const output = await this.dispatch(service, match.operation.name, input, context);
    return protocol.serialize(model, match.operation, output, { requestId });
  }

  private async dispatch(
    service: RunningService,
    operationName: string,
    input: unknown,
    context: RequestContext,
  ): Promise<unknown> {
    const handler = (service.provider as Record<string, unknown>)[operationName];
    if (typeof handler !== 'function') {
      throw new NotImplemented(
        `Stratus does not implement ${service.definition.model.metadata.serviceId}.${operationName} yet.`,
      );
    }
    return handler.call(service.provider, input, context);
  }

  private asServiceError(err: unknown, serviceName: string): ServiceError {
    if (isServiceError(err)) return err;
    this.logger.error({ err, service: serviceName }, 'unexpected error while handling a request');
    return new InternalFailure(
      'The request processing has failed because of an unknown error, exception or failure.',
    );
  }
}
