/**
 * Finds the service a request is for, the way AWS tells them apart behind one endpoint:
 * `X-Amz-Target`, the RPCv2 path, the SigV4 credential scope, the Host name, then the query
 * `Action` or a REST path that only one service has.
 */
import { protocolsOf } from '../protocol/model.js';
import { matchRestOperation } from '../protocol/rest.js';
import type { SigV4Claim } from '../protocol/sigv4.js';
import type { WireRequest } from '../protocol/wire.js';
import type { ServiceDefinition } from '../services/service.js';

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export class ServiceRouter {
  private readonly byTargetPrefix = new Map<string, ServiceDefinition>();
  private readonly bySigningName = new Map<string, ServiceDefinition[]>();
  private readonly byEndpointPrefix = new Map<string, ServiceDefinition[]>();
  private readonly byQueryAction = new Map<string, ServiceDefinition[]>();
  private readonly byApiVersion = new Map<string, ServiceDefinition>();
  private readonly restServices: ServiceDefinition[] = [];

  constructor(readonly services: readonly ServiceDefinition[]) {
    for (const service of services) {
      const { metadata, operations } = service.model;
      if (metadata.targetPrefix) this.byTargetPrefix.set(metadata.targetPrefix, service);
      for (const name of service.signingNames ?? [metadata.signingName ?? metadata.endpointPrefix]) {
        push(this.bySigningName, name, service);
      }
      push(this.byEndpointPrefix, metadata.endpointPrefix, service);
      const protocols = protocolsOf(service.model);
      if (protocols.includes('query')) {
        this.byApiVersion.set(metadata.apiVersion, service);
        for (const action of Object.keys(operations)) push(this.byQueryAction, action, service);
      }
      if (protocols.includes('rest-json') || protocols.includes('rest-xml')) this.restServices.push(service);
    }
  }

  route(request: WireRequest, claim: SigV4Claim | undefined): ServiceDefinition | undefined {
    const target = request.headers['x-amz-target'];
    if (target !== undefined) {
      const service = this.byTargetPrefix.get(target.slice(0, target.lastIndexOf('.')));
      if (service) return service;
    }
    const rpc = /^\/service\/([^/]+)\/operation\//.exec(request.path);
    if (rpc) {
      const service = this.byTargetPrefix.get(rpc[1]!);
      if (service) return service;
    }
    const candidates = claim ? this.bySigningName.get(claim.service) : undefined;
    if (candidates?.length === 1) return candidates[0];
    const byHost = this.fromHost(request.headers['host']);
    if (byHost) return byHost;
    const form = queryForm(request);
    const action = form.get('Action');
    if (action) {
      // Services sharing a signing name can share operation names too (SES v1 and v2 both have
      // SendEmail): an `Action` only ever names an operation of a query-protocol service.
      const services = (candidates ?? this.byQueryAction.get(action))?.filter(
        (s) => s.model.operations[action] && protocolsOf(s.model).includes('query'),
      );
      if (services?.length) return services[0];
      // An unknown action still names its service through the API version it was written for.
      const version = form.get('Version');
      const byVersion = version ? this.byApiVersion.get(version) : undefined;
      if (byVersion) return byVersion;
    }
    // A bare `/` unsigned says nothing of its service (S3's ListBuckets is `GET /` too).
    if (!claim && request.path === '/') return undefined;
    const restCandidates = candidates?.filter((s) => this.restServices.includes(s)) ?? this.restServices;
    return restCandidates.find((s) => matchRestOperation(s.model, request));
  }

  /** `logs.us-east-1.amazonaws.com`, `sts.localhost.localstack.cloud:4566` and the like. */
  private fromHost(host: string | undefined): ServiceDefinition | undefined {
    if (!host) return undefined;
    const hostname = host.replace(/:\d+$/, '');
    const claimed = this.services.find((s) => s.claimsHost?.(hostname));
    if (claimed) return claimed;
    const first = host.split('.')[0]!;
    // `email.…` is both SES versions: the host alone does not choose between them.
    const services = host.includes('.') ? this.byEndpointPrefix.get(first) : undefined;
    return services?.length === 1 ? services[0] : undefined;
  }
}

/** `Action` and `Version` of a query-protocol request, from the query string or a form body. */
function queryForm(request: WireRequest): Map<string, string> {
  const form = new Map<string, string>();
  if ((request.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) {
    const body = new URLSearchParams(request.body.toString('utf8'));
    for (const name of ['Action', 'Version']) {
      const value = body.get(name);
      if (value !== null) form.set(name, value);
    }
  }
  for (const name of ['Action', 'Version']) {
    const value = request.query[name]?.[0];
    if (value !== undefined && !form.has(name)) form.set(name, value);
  }
  return form;
}
