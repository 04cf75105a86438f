/**
 * One open WebSocket connection: its messages go to their route (message-route.ts), what is
 * posted to it goes out in frames of at most 32 KB, and it closes — running `$disconnect` — when
 * the client leaves, DeleteConnection asks, it idles too long or it reaches the maximum duration,
 * or a frame or message is too big (1009).
 */
import { isUtf8 } from 'node:buffer';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocket, type RawData } from 'ws';
import type { Clock, Timer } from '../../../engine/clock.js';
import type { ServiceCaller } from '../../service.js';
import { closeReason, disconnectEvent, webSocketId, type ConnectionFacts } from './events.js';
import { FrameMeter } from './frame-meter.js';
import { runIntegration } from './integration.js';
import type { WebSocketLimits } from './limits.js';
import type { LiveParts } from './live-parts.js';
import { serveMessage } from './message-route.js';
import type { LiveConnection } from './node-connections.js';
import type { StageTarget } from './stage-target.js';
import type { WebSocketServed } from './access-log.js';

export interface ConnectionDeps {
  clock: Clock;
  logger: Logger;
  services: ServiceCaller;
  limits: WebSocketLimits;
  /** Where the API lives, for invoking its functions. */
  at: { accountId: string; region: string };
  /** The stage's deployment now: a redeployment reaches open connections with their next message. */
  target(): Promise<StageTarget | undefined>;
  /** What messages read of the API as it is now. */
  live: LiveParts;
  /** Activity, for GetConnection's LastActiveAt. */
  touch(at: number): void;
  /** An event served, for the stage's access log. */
  accessLog(target: StageTarget | undefined, served: WebSocketServed): void;
  /** After the socket closed: the connection is gone from the registry. */
  closed(): Promise<void>;
}

/** Frame opcodes that carry message data (continuation, text, binary). */
const DATA_OPCODES = new Set([0, 1, 2]);

export class WebSocketConnection implements LiveConnection {
  private lastActiveAt: number;
  private idleTimer: Timer;
  private readonly lifetimeTimer: Timer;
  /** Why the server closed it, for `$disconnect` (the client's echo may not say). */
  private closedBecause: { code: number; reason: string } | undefined;
  private dropped = false;
  private closeHandled: Promise<void> = Promise.resolve();
  /** Messages wait for the registry to know the connection: their functions may post to it. */
  private opened: Promise<void> = Promise.resolve();
  /** Resolves when the socket has closed. */
  readonly whenClosed: Promise<void>;

  constructor(
    private readonly ws: WebSocket,
    socket: Duplex,
    readonly facts: ConnectionFacts,
    private readonly deps: ConnectionDeps,
  ) {
    this.lastActiveAt = facts.connectedAt;
    const { clock, limits } = deps;
    this.idleTimer = clock.at(this.lastActiveAt + limits.idleTimeoutMs, () => this.checkIdle());
    this.lifetimeTimer = clock.at(facts.connectedAt + limits.maxConnectionMs, () =>
      this.closeWith(1001, 'Going away'),
    );
    // Before `ws` reads the same bytes: a frame too big is refused before its message is seen.
    const meter = new FrameMeter((bytes, opcode) => {
      if (DATA_OPCODES.has(opcode) && bytes > limits.maxFrameBytes) this.closeWith(1009, 'Message too big');
    });
    socket.prependListener('data', (chunk: Buffer) => meter.write(chunk));
    ws.on('message', (data, binary) => this.track(this.onMessage(data, binary)));
    ws.on('ping', () => this.active());
    // `ws` closes with 1009 itself when a message passes maxPayload; the error is only reported.
    ws.on('error', (err) => deps.logger.debug({ err, connectionId: facts.connectionId }, 'WebSocket error'));
    this.whenClosed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        resolve();
        this.closeHandled = this.onClose(code, reason.toString('utf8'));
      });
    });
  }

  get connectionId(): string {
    return this.facts.connectionId;
  }

  /** Holds messages until `registered` settles. */
  waitFor(registered: Promise<void>): void {
    this.opened = registered.catch(() => undefined);
  }

  /** Sends posted data: as text when it is UTF-8, as binary otherwise, unless told. */
  send(data: Buffer, binary = !isUtf8(data)): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.active();
    const frame = this.deps.limits.maxFrameBytes;
    if (data.length <= frame) {
      this.ws.send(data, { binary });
      return;
    }
    for (let offset = 0; offset < data.length; offset += frame) {
      this.ws.send(data.subarray(offset, offset + frame), { binary, fin: offset + frame >= data.length });
    }
  }

  close(code: number, reason: string): void {
    this.closeWith(code, reason);
  }

  drop(): void {
    this.dropped = true;
    this.closeWith(1001, 'Going away');
  }

  /** Ends the socket now: a client that does not answer the close frame is not waited for. */
  terminate(): void {
    this.ws.terminate();
  }

  /**
   * Settles once the registry has forgotten it (and `$disconnect` ran, if it does). Messages
   * still being served are not waited for: the edge is stopping.
   */
  async settled(): Promise<void> {
    await this.whenClosed;
    await this.closeHandled;
  }

  private closeWith(code: number, reason: string): void {
    if (this.ws.readyState !== WebSocket.OPEN && this.ws.readyState !== WebSocket.CONNECTING) return;
    this.closedBecause ??= { code, reason };
    this.ws.close(code, reason);
  }

  private active(): void {
    const now = this.deps.clock.now();
    if (now <= this.lastActiveAt) return;
    this.lastActiveAt = now;
    this.deps.touch(now);
  }

  /** The idle timer fires at the first due time; activity since only moves it on. */
  private checkIdle(): void {
    const due = this.lastActiveAt + this.deps.limits.idleTimeoutMs;
    if (due <= this.deps.clock.now()) this.closeWith(1001, 'Going away');
    else this.idleTimer = this.deps.clock.at(due, () => this.checkIdle());
  }

  private async onMessage(data: RawData, binary: boolean): Promise<void> {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.active();
    await this.opened;
    const body = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    const target = await this.deps.target();
    const { answer, served } = await serveMessage(this.facts, target, { data: body, binary }, this.deps);
    this.deps.accessLog(target, served);
    if (answer.kind === 'error') this.sendError(answer.message, answer.requestId);
    else if (answer.kind === 'send') this.send(answer.data, answer.binary);
  }

  /** What API Gateway tells a client whose message it could not serve. */
  private sendError(message: string, requestId: string): void {
    this.send(Buffer.from(JSON.stringify({ message, connectionId: this.connectionId, requestId })), false);
  }

  private async onClose(code: number, sentReason: string): Promise<void> {
    this.idleTimer.cancel();
    this.lifetimeTimer.cancel();
    const because = this.closedBecause ?? { code, reason: closeReason(code, sentReason) };
    try {
      await this.opened;
      await this.deps.closed();
      // Dropped: its API is gone (a reset) or the node stops; nothing runs for it any more.
      if (this.dropped) return;
      const target = await this.deps.target();
      const route = target?.routes.get('$disconnect');
      const integration = target && route && target.integrationOf(route);
      const occasion = { requestId: webSocketId(), at: this.deps.clock.now() };
      const served = { eventType: 'DISCONNECT', routeKey: '$disconnect', ...occasion } as const;
      if (!target || !integration) return this.deps.accessLog(target, served);
      const event = disconnectEvent(
        this.facts,
        { statusCode: because.code, reason: because.reason || closeReason(because.code, '') },
        occasion,
      );
      const startedAt = performance.now();
      const outcome = await runIntegration(integration, event, {
        services: this.deps.services,
        logger: this.deps.logger,
        at: this.deps.at,
        stageVariables: target.stageVariables,
      });
      this.deps.accessLog(target, {
        ...served,
        ran: { startedAt, outcome },
      });
    } catch (err) {
      this.deps.logger.warn({ err, connectionId: this.connectionId }, 'WebSocket $disconnect failed');
    }
  }

  /** Messages are served side by side, as on AWS; a failure is only logged. */
  private track(work: Promise<void>): void {
    work.catch((err: unknown) =>
      this.deps.logger.warn({ err, connectionId: this.connectionId }, 'WebSocket message failed'),
    );
  }
}
