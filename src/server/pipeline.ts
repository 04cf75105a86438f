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
 */
import type { Logger } from 'pino';
import type { IdGenerator } from '../engine/ids.js';
import { InternalFailure, NotImplemented, ServiceError, isServiceError } from '../protocol/errors.js';
import { protocolFor } from '../protocol/protocols.js';
import { readSigV4Claim } from '../protocol/sigv4.js';
import { validateInput, validationMessage, type Violation } from '../protocol/validate.js';
import type { Protocol, WireRequest, WireResponse } from '../protocol/wire.js';
import type { RequestContext, ServiceDefinition } from '../services/service.js';
import type { Authenticator, Principal } from './auth.js';
import { decodeContentEncoding } from './content-encoding.js';
import type { ServiceRouter } from './routing.js';
import { unknownServiceResponse } from './unknown-service.js';

export interface RunningService {
  definition: ServiceDefinition;
  provider: object;
}

function defaultValidationError(service: ServiceDefinition, violations: readonly Violation[]): ServiceError {
  if (service.validationError) return service.validationError(violations);
  const code = service.model.metadata.protocol === 'query' ? 'ValidationError' : 'ValidationException';
  return new ServiceError(code, validationMessage(violations), { status: 400 });
}

export class RequestPipeline {
  constructor(
    private readonly router: ServiceRouter,
    private readonly authenticator: Authenticator,
    private readonly running: ReadonlyMap<string, RunningService>,
    private readonly ids: IdGenerator,
    private readonly logger: Logger,
  ) {}

  async handle(request: WireRequest): Promise<WireResponse> {
    const requestId = this.ids.requestId();
    const claim = readSigV4Claim(request);
    const definition = this.router.route(request, typeof claim === 'object' ? claim : undefined);
    const service = definition && this.running.get(definition.name);
    if (!service) return unknownServiceResponse(request, requestId);
    const { model } = service.definition;
    const protocol = protocolFor(model, request);
    try {
      const principal = await this.authenticator.authenticate(
        request,
        claim,
        protocol.name,
        model.metadata.signingName !== 's3' && model.metadata.endpointPrefix !== 's3',
      );
      return await this.serve(service, protocol, request, principal, requestId);
    } catch (err) {
      return protocol.serializeError(model, this.asServiceError(err, service.definition.name), { requestId });
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
    const protocol = protocolFor(service.definition.model, request);
    try {
      return await this.serve(service, protocol, request, principal, requestId);
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

  private async serve(
    service: RunningService,
    protocol: Protocol,
    request: WireRequest,
    principal: Principal,
    requestId: string,
  ): Promise<WireResponse> {
    const { model } = service.definition;
    const decoded = decodeContentEncoding(request);
    const match = protocol.resolve(model, decoded);
    const input = protocol.parse(model, match, decoded);
    const implied = service.definition.inputFromRequest?.(match.operation.name, decoded);
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
