/**
 * The WebSocket connections one node holds, and the registry every node shares. A connection's
 * socket lives in the process that accepted it; its row in `apigateway_connections` names that
 * node, so the `@connections` API works from any node:
 * - on the owning node, PostToConnection and DeleteConnection act on the socket at once;
 * - elsewhere they write a row to `apigateway_connection_posts` for the owning node, which drains
 *   its rows every 100 ms while it holds connections (a poll: taking a row is delivering it, as no
 *   other node can, so work-queue leases would buy nothing). Delivery from another node is
 *   therefore asynchronous: PostToConnection answers once the post is recorded.
 *
 * The invoke edge (gateway.ts) and the `@connections` API are two service definitions of one
 * Stratus; they share this object through the store they are both given.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { hostClock, type Clock } from '../../../engine/clock.js';
import type { Store } from '../../../storage/store.js';
import { connectionPostQueries, connectionQueries, type ConnectionRow } from './tables.js';
import { GoneException } from './errors.js';
import { MAX_CONNECTION_MS } from './limits.js';

/** A connection as its node holds it. */
export interface LiveConnection {
  /** Sends what was posted to it. */
  send(data: Buffer): void;
  /** Closes it (DeleteConnection); `$disconnect` follows. */
  close(code: number, reason: string): void;
  /** Closes it without `$disconnect`: its API is gone (a reset) or the node stops. */
  drop(): void;
}

const POLL_MS = 100;
/**
 * Posts a node has not taken by then (host time: it is about nodes being alive, which moving
 * Stratus's clock does not change) are for a node that is gone.
 */
const FORGET_POSTS_AFTER_MS = 60_000;

const hubs = new WeakMap<Store, NodeConnections>();

/** The connections of the Stratus that `store` belongs to: one object per running Stratus. */
export function nodeConnectionsOf(deps: { store: Store; clock: Clock; logger: Logger }): NodeConnections {
  let hub = hubs.get(deps.store);
  if (!hub) {
    hub = new NodeConnections(deps.store, deps.clock, deps.logger);
    hubs.set(deps.store, hub);
  }
  return hub;
}

export class NodeConnections {
  /** Process-unique: which node holds a connection. */
  readonly node = `node-${randomUUID()}`;
  private readonly live = new Map<string, LiveConnection>();
  private poller: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private lastForget = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** A connection accepted here: from now on the `@connections` API finds it. */
  async open(row: Omit<ConnectionRow, 'node'>, live: LiveConnection): Promise<void> {
    await connectionQueries.insert(this.store, { ...row, node: this.node });
    this.live.set(row.id, live);
    this.poller ??= setInterval(() => this.poll(), POLL_MS);
  }

  /** A connection closed here: the `@connections` API answers `GoneException` from now on. */
  async closed(connectionId: string): Promise<void> {
    this.live.delete(connectionId);
    if (this.live.size === 0) this.stopPolling();
    await connectionQueries.delete(this.store, connectionId);
  }

  /** Records activity (GetConnection's LastActiveAt); failures only cost that. */
  touch(connectionId: string, at: number): void {
    connectionQueries.touch(this.store, connectionId, at).catch((err: unknown) => {
      this.logger.debug({ err, connectionId }, 'could not record WebSocket activity');
    });
  }

  /** The open connection of that account, or `GoneException`. */
  async find(connectionId: string, accountId: string): Promise<ConnectionRow> {
    const row = await connectionQueries.find(this.store, connectionId);
    if (!row || row.account_id !== accountId) throw new GoneException('');
    const heldHereNoMore = row.node === this.node && !this.live.has(connectionId);
    // A row older than any connection may live was left by a node that died.
    const leftByDeadNode = row.connected_at + MAX_CONNECTION_MS + FORGET_POSTS_AFTER_MS < this.clock.now();
    if (heldHereNoMore || leftByDeadNode) {
      await connectionQueries.delete(this.store, connectionId);
      throw new GoneException('');
    }
    return row;
  }

  async post(connectionId: string, accountId: string, data: Buffer): Promise<void> {
    const row = await this.find(connectionId, accountId);
    const live = row.node === this.node ? this.live.get(connectionId) : undefined;
    if (live) return live.send(data);
    await connectionPostQueries.insert(this.store, {
      node: row.node,
      connection_id: connectionId,
      kind: 'post',
      data,
      posted_at: hostClock.now(),
    });
  }

  async delete(connectionId: string, accountId: string): Promise<void> {
    const row = await this.find(connectionId, accountId);
    // Gone for the `@connections` API at once, though the socket closes a moment later.
    await connectionQueries.delete(this.store, connectionId);
    const live = row.node === this.node ? this.live.get(connectionId) : undefined;
    if (live) return live.close(1000, '');
    await connectionPostQueries.insert(this.store, {
      node: row.node,
      connection_id: connectionId,
      kind: 'delete',
      data: null,
      posted_at: hostClock.now(),
    });
  }

  /** Drops every connection without `$disconnect`: their rows were wiped (a reset) or the node stops. */
  dropAll(): void {
    const live = [...this.live.values()];
    this.live.clear();
    this.stopPolling();
    for (const connection of live) connection.drop();
  }

  /**
   * After a reset or a snapshot load: this node's connections are dropped, and rows naming it
   * (a snapshot's, from when it held them) are stale.
   */
  async reset(): Promise<void> {
    this.dropAll();
    await connectionQueries.deleteOfNode(this.store, this.node);
  }

  async stop(): Promise<void> {
    this.dropAll();
    await this.polling;
  }

  private poll(): void {
    if (this.polling) return;
    this.polling = this.deliverPosts()
      .catch((err: unknown) => this.logger.warn({ err }, 'could not take WebSocket posts from other nodes'))
      .finally(() => (this.polling = undefined));
  }

  private async deliverPosts(): Promise<void> {
    const now = hostClock.now();
    if (now - this.lastForget > FORGET_POSTS_AFTER_MS) {
      this.lastForget = now;
      await connectionPostQueries.dropOlderThan(this.store, now - FORGET_POSTS_AFTER_MS);
    }
    const posts = await connectionPostQueries.take(this.store, this.node);
    for (const post of posts.sort((a, b) => a.id - b.id)) {
      const live = this.live.get(post.connection_id);
      if (!live) continue;
      if (post.kind === 'delete') live.close(1000, '');
      else live.send(Buffer.from(post.data ?? Buffer.alloc(0)));
    }
  }

  private stopPolling(): void {
    clearInterval(this.poller);
    this.poller = undefined;
  }
}
