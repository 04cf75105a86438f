/**
 * The edge route of deployed APIs: `{apiId}.execute-api.localhost` hosts and
 * `/_aws/execute-api/{apiId}/…` paths. It turns the request into an `ApiCall` and hands it to
 * the invoker of the API's kind; WebSocket handshakes go to the WebSocket gateway. Calls to the
 * `@connections` API, which share these URLs (`/{stage}/@connections/{id}`, signed for
 * `execute-api`), are left to the AWS pipeline, which serves them as `apigatewaymanagementapi`.
 * Custom domain names reach the same invokers through their mappings (domains/domain-route.ts).
 */
import { BoundedMap } from '../../../engine/bounded-map.js';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Clock } from '../../../engine/clock.js';
import { readSigV4Claim } from '../../../protocol/sigv4.js';
import type { WireRequest, WireResponse } from '../../../protocol/wire.js';
import type { Store } from '../../../storage/store.js';
import type { EdgeRequest, EdgeResponse, EdgeRoute } from '../../service.js';
import { apiQueries, type ApiRow } from '../tables.js';
import type { ApiCall } from './api-call.js';
import type { AccessLogs } from '../logging/access-logs.js';
import { logApiCall } from './access-log.js';
import type { ApiMetrics } from './api-metrics.js';
import type { CallTrace } from './call-trace.js';
import { forbidden, notFound, requestTooLong } from './gateway-responses.js';
import type { HttpInvoker } from './http-invoker.js';
import { invokeAddress, splitStage, type InvokeAddress } from './invoke-address.js';
import type { RestInvoker } from './rest-invoker.js';
import type { WebSocketGateway } from '../websocket/gateway.js';
import type { CustomDomainRoute } from '../domains/domain-route.js';

const CACHED_APIS = 1000;

/** API Gateway's payload limit. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

function headerPairs(rawHeaders: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  return pairs;
}

/** Like API Gateway's `extendedRequestId`: 16 characters, letters, digits and `=`. */
function extendedRequestId(): string {
  return Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64').slice(0, 15) + '=';
}

/** `/{stage}/@connections/{id}` signed for `execute-api`: the `@connections` API, not the deployed one. */
function isConnectionsCall(path: string, request: WireRequest): boolean {
  if (!/^(\/[^/]+)?\/@connections(\/|$)/.test(path)) return false;
  const claim = readSigV4Claim(request);
  return typeof claim === 'object' && claim.service === 'execute-api';
}

export class ExecuteApiRoute implements EdgeRoute {
  readonly maxBodyBytes = MAX_PAYLOAD_BYTES;
  /**
   * APIs by id. An API's kind, account and region never change, and a deleted API's stages are
   * gone with it, so a row read once serves every later call (its name, for metrics, may lag a
   * rename made on another node). The name metrics carry (a REST API's name, an HTTP API's id) is
   * read from the row's document once, not per call: the document also holds the API's models.
   */
  private readonly apis = new BoundedMap<string, { row: ApiRow; metricName: string }>(CACHED_APIS);

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly rest: RestInvoker,
    private readonly http: HttpInvoker,
    private readonly metrics: ApiMetrics,
    private readonly websockets: WebSocketGateway,
    private readonly accessLogs: AccessLogs,
    private readonly domains: CustomDomainRoute,
  ) {}

  accepts(request: WireRequest): boolean {
    const address = invokeAddress(request);
    if (address) return !isConnectionsCall(address.path, request);
    return this.domains.accepts(request) && !isConnectionsCall(request.path, request);
  }

  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const host = request.headers.host ?? '';
    const path = (request.url ?? '/').split('?')[0]!;
    const onDomain = !invokeAddress({
      method: 'GET',
      path,
      query: {},
      headers: { host },
      body: Buffer.alloc(0),
    });
    this.websockets.upgrade(
      request,
      socket,
      head,
      onDomain ? () => this.domains.address(host, path) : undefined,
    );
  }

  close(): Promise<void> {
    return this.websockets.close();
  }

  tooLarge(): WireResponse {
    return requestTooLong(randomUUID());
  }

  async handle(request: EdgeRequest): Promise<EdgeResponse> {
    const began = performance.now();
    const requestId = randomUUID();
    const address =
      invokeAddress(request) ?? (await this.domains.address(request.headers['host'], request.path));
    if (!address) return forbidden(requestId);
    const known = await this.apiOf(address.apiId);
    const api = known?.row;
    const seen: CallTrace = {};
    if (api?.kind === 'HTTP') {
      const call = {
        ...this.callOf(request, api, requestId, address),
        ...(address.stage ? { stage: address.stage } : {}),
      };
      const answer = await this.http.invoke(api, address.path, call, request.headers, seen);
      this.measured(api, known!.metricName, seen.stage, answer, began);
      logApiCall(this.accessLogs, { api, call, path: address.path, trace: seen, answer, began });
      return answer;
    }
    if (api?.kind !== 'REST') return api ? notFound(requestId) : forbidden(requestId);
    // A custom domain's mapping may name the stage; else the path's first segment does.
    const { stage, rest } =
      address.stage !== undefined ? { stage: address.stage, rest: address.path } : splitStage(address.path);
    const call = { ...this.callOf(request, api, requestId, address), stage, rawPath: rest };
    const answer = await this.rest.invoke(api, call, seen);
    this.measured(api, known!.metricName, stage, answer, began);
    logApiCall(this.accessLogs, { api, call, path: address.path, trace: seen, answer, began });
    return answer;
  }

  private measured(
    api: ApiRow,
    name: string,
    stage: string | undefined,
    answer: EdgeResponse,
    began: number,
  ): void {
    this.metrics.record({
      accountId: api.account_id,
      region: api.region,
      kind: api.kind === 'REST' ? 'REST' : 'HTTP',
      api: name,
      stage,
      status: answer.status,
      latencyMs: performance.now() - began,
    });
  }

  private async apiOf(id: string): Promise<{ row: ApiRow; metricName: string } | undefined> {
    const cached = this.apis.get(id);
    if (cached) return cached;
    const row = await apiQueries.findAnywhere(this.store, id);
    if (!row) return undefined;
    const metricName =
      row.kind === 'REST' ? ((JSON.parse(row.document) as { name?: string }).name ?? row.id) : row.id;
    const known = { row, metricName };
    this.apis.set(id, known);
    return known;
  }

  /** Forgets the APIs read (a reset or a snapshot load replaced them). */
  forget(): void {
    this.apis.clear();
  }

  /** The call, but for its stage and the path after it, which the API's kind decides. */
  private callOf(
    request: EdgeRequest,
    api: ApiRow,
    requestId: string,
    address: InvokeAddress,
  ): Omit<ApiCall, 'stage' | 'rawPath'> {
    return {
      requestId,
      extendedRequestId: extendedRequestId(),
      apiId: api.id,
      accountId: api.account_id,
      region: api.region,
      method: request.method,
      ...(address.requestPath !== undefined ? { requestPath: address.requestPath } : {}),
      rawQueryString: request.rawQueryString,
      headers: headerPairs(request.rawHeaders),
      body: request.body,
      sourceIp: request.remoteAddress.replace(/^::ffff:/, ''),
      domainName: request.headers['host'] ?? '',
      receivedAt: this.clock.now(),
      protocol: `HTTP/${request.httpVersion}`,
      wire: request,
    };
  }
}
