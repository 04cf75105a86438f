/** Every wire protocol Stratus speaks, by the name the service models use. */
import type { ProtocolName, ServiceModel } from './model.js';
import { protocolsOf } from './model.js';
import { jsonProtocol } from './json.js';
import { queryProtocol } from './query.js';
import { restJsonProtocol } from './rest-json.js';
import { restXmlProtocol } from './rest-xml.js';
import { rpcV2CborProtocol } from './rpc-v2-cbor.js';
import type { Protocol, WireRequest } from './wire.js';

const protocols: Partial<Record<ProtocolName, Protocol>> = {
  json: jsonProtocol,
  query: queryProtocol,
  'rest-json': restJsonProtocol,
  'rest-xml': restXmlProtocol,
  'smithy-rpc-v2-cbor': rpcV2CborProtocol,
};

/**
 * The protocol a request is written in. A service that speaks several (CloudWatch: CBOR, JSON and
 * query) is asked in its model's order of preference; the last one is the fallback, so a request
 * that fits none still gets that protocol's error shape.
 */
export function protocolFor(model: ServiceModel, request: WireRequest): Protocol {
  const candidates = protocolsOf(model)
    .map((name) => protocols[name])
    .filter((p): p is Protocol => p !== undefined);
  if (candidates.length === 0) throw new Error(`${model.metadata.serviceId}: no supported protocol`);
  return candidates.find((p) => p.recognizes(request)) ?? candidates[candidates.length - 1]!;
}
