/**
 * The WebSocket side of the invoke edge: a handshake to `{apiId}.execute-api.localhost/{stage}`
 * (or `/_aws/execute-api/{apiId}/{stage}`) finds the WebSocket API and stage, passes `$connect`'s
 * authorization (connect-authorization.ts), runs `$connect`, and is accepted only if that answers
 * without an error and with a 2xx status (or none); a refusal is an HTTP answer to the handshake
 * with the authorizer's or the integration's status. The `ws` library speaks the protocol;
 * connection.ts serves the open connection.
 *
 * `$connect` may choose a subprotocol, as on AWS, by returning a `Sec-WebSocket-Protocol`
 * header: a client that asked for subprotocols and gets none back fails the handshake itself.
 */
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Clock } from '../../../engine/clock.js';
import type { Store } from '../../../storage/store.js';
import type { ServiceCaller } from '../../service.js';
import type { AccessLogs } from '../logging/access-logs.js';
import { invokeAddress, splitStage, type InvokeAddress } from '../invoke/invoke-address.js';
import { apiQueries } from '../tables.js';
import { logWebSocketEvent } from './access-log.js';
import { authorizeConnect, type ConnectAuthorizers } from './connect-authorization.js';
import { WebSocketConnection } from './connection.js';
import { connectEvent, webSocketId, type ConnectionFacts, type Handshake } from './events.js';
import { handshakeRequest } from './handshake-signature.js';
import { admits, runIntegration, type IntegrationOutcome } from './integration.js';
import type { WebSocketLimits } from './limits.js';
import { storedLiveParts, type LiveParts } from './live-parts.js';
import type { NodeConnections } from './node-connections.js';
import { StageTargets, type StageTarget } from './stage-target.js';

export interface WebSocketGatewayDeps {
  store: Store;
  clock: Clock;
  services: ServiceCaller;
  logger: Logger;
  connections: NodeConnections;
  limits: WebSocketLimits;
  accessLogs: AccessLogs;
  authorizers: ConnectAuthorizers;
}

/** How long closing the edge waits for clients to answer the close frame. */
const CLOSE_GRACE_MS = 1000;

export class WebSocketGateway {
  private readonly server: WebSocketServer;
  private readonly targets: StageTargets;
  private readonly live: LiveParts;
  /** The subprotocol `$connect` chose, for the handshake `ws` completes. */
  private readonly chosenProtocols = new WeakMap<IncomingMessage, string | false>();
  private readonly open = new Set<WebSocketConnection>();
  private readonly pendingHandshakes = new Set<Duplex>();
  private closing = false;

  constructor(private readonly deps: WebSocketGatewayDeps) {
    this.targets = new StageTargets(deps.store);
    this.live = storedLiveParts(deps.store);
    this.server = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: deps.limits.maxMessageBytes,
      handleProtocols: (_offered, request) => this.chosenProtocols.get(request) ?? false,
    });
  }

  /**
   * Takes over an upgrade request the invoke edge accepted; `locate` finds the API and stage of
   * one made to a custom domain.
   */
  upgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    locate?: () => Promise<InvokeAddress | undefined>,
  ): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    // Until `ws` takes the socket, a client that vanishes must not raise an unhandled error.
    socket.on('error', () => socket.destroy());
    this.pendingHandshakes.add(socket);
    this.handshake(request, socket, head, locate)
      .catch((err: unknown) => {
        this.deps.logger.error({ err }, 'WebSocket handshake failed');
        refuse(socket, 500, 'Internal server error');
      })
      .finally(() => this.pendingHandshakes.delete(socket));
  }

  /** When the edge closes: every connection gets a close frame (no `$disconnect` runs). */
  async close(): Promise<void> {
    this.closing = true;
    for (const socket of this.pendingHandshakes) socket.destroy();
    const open = [...this.open];
    this.deps.connections.dropAll();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled(open.map((connection) => connection.whenClosed)),
      new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS))),
    ]);
    clearTimeout(timer);
    for (const connection of open) connection.terminate();
    await Promise.allSettled(open.map((connection) => connection.settled()));
  }

  /** After a reset or a snapshot load: the APIs may be gone, and so are the connections. */
  reset(): Promise<void> {
    this.targets.forget();
    return this.deps.connections.reset();
  }

  private async handshake(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    locate: (() => Promise<InvokeAddress | undefined>) | undefined,
  ): Promise<void> {
    const { store, clock } = this.deps;
    const url = request.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const host = request.headers.host ?? '';
    const address = locate
      ? await locate()
      : invokeAddress({ method: 'GET', path, query: {}, headers: { host }, body: Buffer.alloc(0) });
    const api = address && (await apiQueries.findAnywhere(store, address.apiId));
    const { stage, rest } =
      address?.stage !== undefined
        ? { stage: address.stage, rest: address.path }
        : splitStage(address?.path ?? '/');
    const target =
      api?.kind === 'WEBSOCKET' && rest === '/' ? await this.targets.find(api.id, stage) : undefined;
    if (!api || !target) return refuse(socket, 403, 'Forbidden');
    const facts: ConnectionFacts = {
      connectionId: webSocketId(),
      apiId: api.id,
      stage,
      domainName: host,
      connectedAt: clock.now(),
      sourceIp: (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      userAgent: request.headers['user-agent'] ?? '',
    };
    const at = { accountId: api.account_id, region: api.region };
    const occasion = { requestId: webSocketId(), at: clock.now() };
    const began = performance.now();
    const outcome = await this.connect(target, facts, request, at, occasion);
    logWebSocketEvent(this.deps.accessLogs, at, facts, target, {
      eventType: 'CONNECT',
      routeKey: '$connect',
      ...occasion,
      ...(outcome.kind === 'refused'
        ? { refused: { status: outcome.status, message: outcome.message } }
        : { ran: { startedAt: began, outcome } }),
    });
    if (outcome.kind === 'refused') return refuse(socket, outcome.status, outcome.message);
    if (outcome.kind === 'failed') return refuse(socket, 500, 'Internal server error');
    if (!admits(outcome)) return refuse(socket, outcome.statusCode!, STATUS_CODES[outcome.statusCode!] ?? '');
    if (this.closing) return refuse(socket, 503, 'Service Unavailable');
    const protocol = outcome.kind === 'answered' ? outcome.headers['sec-websocket-protocol'] : undefined;
    this.chosenProtocols.set(request, protocol ?? false);
    this.server.handleUpgrade(request, socket, head, (ws) => this.accept(ws, socket, facts, at));
  }

  /**
   * `$connect`: its authorization, then its integration. What the authorizer established joins
   * `facts`, for every event of the connection.
   */
  private async connect(
    target: StageTarget,
    facts: ConnectionFacts,
    request: IncomingMessage,
    at: { accountId: string; region: string },
    occasion: { requestId: string; at: number },
  ): Promise<IntegrationOutcome | { kind: 'refused'; status: number; message: string }> {
    const route = target.routes.get('$connect');
    // Without a `$connect` route every client gets in.
    if (!route) return { kind: 'answered', statusCode: undefined, headers: {}, body: undefined };
    const url = request.url ?? '/';
    const q = url.indexOf('?');
    const handshake: Handshake = {
      headers: headerPairs(request.rawHeaders),
      rawQueryString: q === -1 ? '' : url.slice(q + 1),
    };
    const authorization = await authorizeConnect(
      { route, target, facts, handshake, request: handshakeRequest(request), occasion, at },
      this.deps.authorizers,
    );
    if (authorization.kind === 'refused') {
      if (authorization.reason) {
        this.deps.logger.warn(
          { apiId: facts.apiId, reason: authorization.reason },
          'WebSocket authorizer failed',
        );
      }
      return authorization;
    }
    Object.assign(facts, authorization.facts);
    const integration = target.integrationOf(route);
    if (!integration) return { kind: 'failed', reason: 'the $connect route has no integration' };
    return runIntegration(integration, connectEvent(facts, handshake, occasion), {
      services: this.deps.services,
      logger: this.deps.logger,
      at,
      stageVariables: target.stageVariables,
    });
  }

  private accept(
    ws: WebSocket,
    socket: Duplex,
    facts: ConnectionFacts,
    at: { accountId: string; region: string },
  ): void {
    const { connections } = this.deps;
    const connection: WebSocketConnection = new WebSocketConnection(ws, socket, facts, {
      clock: this.deps.clock,
      logger: this.deps.logger,
      services: this.deps.services,
      limits: this.deps.limits,
      at,
      target: () => this.targets.find(facts.apiId, facts.stage),
      live: this.live,
      touch: (when) => connections.touch(facts.connectionId, when),
      accessLog: (target, served) => logWebSocketEvent(this.deps.accessLogs, at, facts, target, served),
      closed: () => {
        this.open.delete(connection);
        return connections.closed(facts.connectionId);
      },
    });
    this.open.add(connection);
    const registered = connections.open(
      {
        id: facts.connectionId,
        api_id: facts.apiId,
        account_id: at.accountId,
        stage: facts.stage,
        connected_at: facts.connectedAt,
        last_active_at: facts.connectedAt,
        source_ip: facts.sourceIp,
        user_agent: facts.userAgent,
      },
      connection,
    );
    connection.waitFor(registered);
    registered.catch((err: unknown) => {
      this.deps.logger.error({ err }, 'could not register a WebSocket connection');
      connection.close(1011, 'Internal server error');
    });
  }
}

function headerPairs(rawHeaders: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  return pairs;
}

/** Refuses a handshake with an HTTP answer, as API Gateway does. */
function refuse(socket: Duplex, status: number, message: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
    () => socket.destroy(),
  );
}
