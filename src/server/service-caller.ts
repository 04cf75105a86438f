/**
 * Lets services call each other's public operations without HTTP. The input is trusted (it comes
 * from Stratus's own code, not the wire); errors come back as the callee's `ServiceError`s.
 */
import type { IdGenerator } from '../engine/ids.js';
import type { RequestContext, ServiceCaller } from '../services/service.js';
import type { RunningService } from './pipeline.js';

export class InProcessServiceCaller implements ServiceCaller {
  constructor(
    private readonly running: ReadonlyMap<string, RunningService>,
    private readonly ids: IdGenerator,
  ) {}

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
