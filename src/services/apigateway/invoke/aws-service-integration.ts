/**
 * REST API `AWS` integrations with services other than Lambda: the integration URI
 * `arn:aws:apigateway:{region}:{service}:path/{path}` (an HTTP request to the service) or
 * `…:{service}:action/{Action}` (the operation, named as the service's protocol names it), with
 * the mapped body, headers and query string — SQS's `SendMessage` from a form body, SNS's
 * `Publish` from query parameters, DynamoDB's `PutItem` from JSON. The service's answer goes
 * through the integration responses like any other.
 */
import type { WireResponse } from '../../../protocol/wire.js';
import type { ServiceCaller, WireCall } from '../../service.js';
import { fillPath } from './http-forward.js';

/** The service call an integration URI names, before the mapped parts are added. */
export interface ServiceTarget {
  service: string;
  region: string;
  kind: 'path' | 'action';
  /** The path after `path/`, or the action (with `&name=value` parameters after it, if any). */
  rest: string;
}

export function serviceTargetOf(uri: string): ServiceTarget | undefined {
  const match = /^arn:aws[\w-]*:apigateway:([^:]+):([^:]+):(path|action)\/(.+)$/.exec(uri);
  if (!match) return undefined;
  return { region: match[1]!, service: match[2]!, kind: match[3] as 'path' | 'action', rest: match[4]! };
}

export interface MappedIntegrationRequest {
  method: string;
  headers: Record<string, string>;
  querystring: Record<string, string>;
  path: Record<string, string>;
  body: Buffer;
}

export function callService(
  services: ServiceCaller,
  target: ServiceTarget,
  request: MappedIntegrationRequest,
  accountId: string,
): Promise<WireResponse | undefined> {
  const query: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(request.querystring)) query[name] = [value];
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  let call: WireCall;
  if (target.kind === 'path') {
    call = {
      service: target.service,
      method: request.method,
      path: `/${fillPath(target.rest, request.path)}`,
      query,
      headers,
      body: request.body,
    };
  } else {
    const [action, ...parameters] = target.rest.split('&');
    for (const parameter of parameters) {
      const [name, value = ''] = parameter.split('=');
      if (name) query[decodeURIComponent(name)] = [decodeURIComponent(value)];
    }
    call = {
      service: target.service,
      method: request.method,
      path: '/',
      query,
      headers,
      body: request.body,
      action,
    };
  }
  return services.callWire(call, { accountId, region: target.region });
}
