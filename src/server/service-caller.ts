/**
 * Lets services call each other's public operations without HTTP. The input is trusted (it comes
 * from Stratus's own code, not the wire); errors come back as the callee's `ServiceError`s.
 */
import type { IdGenerator } from '../engine/ids.js';
import { protocolsOf } from '../protocol/model.js';
import type { WireRequest, WireResponse } from '../protocol/wire.js';
import type { RequestContext, ServiceCaller, WireCall } from '../services/service.js';
import type { Principal } from './auth.js';
import type { RunningService } from './pipeline.js';

/** Serves a trusted wire request (RequestPipeline.handleTrusted), known once the edge is built. */
export type TrustedHandler = (
  request: WireRequest,
  service: RunningService,
  principal: Principal,
) => Promise<WireResponse>;

export class InProcessServiceCaller implements ServiceCaller {
  private trusted: TrustedHandler | undefined;

  constructor(
    private readonly running: ReadonlyMap<string, RunningService>,
    private readonly ids: IdGenerator,
  ) {}

  /** Wire calls need the request pipeline, which is built after the services. */
  serveWireCallsWith(handler: TrustedHandler): void {
    this.trusted = handler;
  }

  async callWire(
    call: WireCall,
    at: { accountId: string; region: string },
  ): Promise<WireResponse | undefined> {
    const service = [...this.running.values()].find(
      (s) => s.definition.model.metadata.endpointPrefix === call.service && !s.definition.sharesStateWith,
    );
    if (!service || !this.trusted) return undefined;
    const { metadata } = service.definition.model;
    const headers: Record<string, string> = {
      ...call.headers,
      host: `${call.service}.${at.region}.amazonaws.com`,
    };
    const query = { ...call.query };
    if (call.action !== undefined) {
      if (protocolsOf(service.definition.model).includes('query')) {
        query['Action'] = [call.action];
        query['Version'] ??= [metadata.apiVersion];
        headers['content-type'] ??= 'application/x-www-form-urlencoded';
      } else if (metadata.targetPrefix) {
        headers['x-amz-target'] = `${metadata.targetPrefix}.${call.action}`;
        headers['content-type'] = `application/x-amz-json-${metadata.jsonVersion ?? '1.0'}`;
      }
    }
    const request: WireRequest = { method: call.method, path: call.path, query, headers, body: call.body };
    return this.trusted(request, service, { ...at, accessKeyId: 'stratus-internal' });
  }

  async call<T>(
    service: string,
    operation: string,
    input: object,
    at: { accountId: string; region: string },
  ): Promise<T> {
    const target = this.running.get(service);
    const handler = target && (target.provider as Record<string, unknown>)[operation];
    if (typeof handler !== 'function')
      throw new Error(`no service operation ${service}.${operation} in this server`);
    const context: RequestContext = {
      requestId: this.ids.requestId(),
      accessKeyId: 'stratus-internal',
      origin: 'service',
      accountId: at.accountId,
      region: at.region,
    };
    return (await handler.call(target!.provider, input, context)) as T;
  }
}
