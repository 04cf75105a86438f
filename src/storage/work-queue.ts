import { hostClock, type Clock } from '../engine/clock.js';
import type { Migration, Queryable, Store } from './store.js';

/**
 * Durable work items with leases: a claimer owns an item until its lease expires, after which any
 * node may claim it again. Delivery is therefore at-least-once; handlers must tolerate repeats.
 */
export interface WorkItem<P = unknown> {
  id: number;
  queue: string;
  payload: P;
  /** Claims so far, including the current one. */
  attempts: number;
  runAt: number;
}

export const workQueueMigrations: readonly Migration[] = [
  {
    id: 'storage-001-work-items',
    up: (dialect) => `
      CREATE TABLE work_items (
        id ${dialect.autoIncrementPrimaryKey},
        queue TEXT NOT NULL,
        payload TEXT NOT NULL,
        run_at BIGINT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        owner TEXT,
        lease_expires_at BIGINT
      );
      CREATE INDEX work_items_by_queue_run_at ON work_items (queue, run_at);
    `,
  },
  {
    // Items queued before this have no key, so they keep their old, unordered behaviour.
    id: 'storage-002-ordering-keys',
    up: () => `
      ALTER TABLE work_items ADD COLUMN ordering_key TEXT;
      ALTER TABLE work_items ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0;
      DROP INDEX work_items_by_queue_run_at;
      CREATE INDEX work_items_claimable ON work_items (queue, run_at) WHERE blocked = 0;
      CREATE INDEX work_items_by_ordering_key ON work_items (queue, ordering_key, id)
        WHERE ordering_key IS NOT NULL;
    `,
  },
];

interface WorkItemRow extends Record<string, unknown> {
  id: number;
  queue: string;
  payload: string;
  attempts: number;
  run_at: number;
}

/**
 * Items may carry an ordering key (SNS: one FIFO message group to one subscription). An item is
 * claimable only while it is the oldest unfinished item of its key — queued, leased or waiting
 * for a retry all count as unfinished — so the items of one key run one after another, in the
 * order they were enqueued, on any number of nodes. The store keeps that as a `blocked` flag that
 * `complete` clears on the next item, rather than asking "is there an older one?" at every claim:
 * a claim then never walks past a backlog it may not take (a long FIFO group would otherwise slow
 * every claim of its queue, and SNS's standard topics share that queue).
 */
export class WorkQueue {
  /**
   * `clock` is Stratus's time, which decides when an item is due; `leaseClock` the host's, which
   * decides when a silent claimer is presumed dead. Moving Stratus's time forward by an hour must
   * make an hour of retries due, not expire the leases of work in flight (that would run it twice).
   */
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly leaseClock: Clock = hostClock,
  ) {}

  /**
   * Written inside the caller's transaction, so the work exists if and only if the caller commits.
   * With `orderingKey`, the item waits behind the unfinished items of its key. Transactions that
   * enqueue items of one key must not run at the same time (SNS numbers a FIFO topic's messages
   * under its topic row's lock): two of them could each see no older item and both start a chain.
   */
  async enqueue(
    tx: Queryable,
    queue: string,
    payload: unknown,
    options: { runAt?: number; orderingKey?: string } = {},
  ): Promise<number> {
    const { orderingKey = null } = options;
    const blocked = orderingKey !== null && (await this.lockNewest(tx, queue, orderingKey)) !== undefined;
    const row = await tx.get<{ id: number }>(
      `INSERT INTO work_items (queue, payload, run_at, attempts, ordering_key, blocked)
       VALUES (?, ?, ?, 0, ?, ?) RETURNING id`,
      [queue, JSON.stringify(payload ?? null), options.runAt ?? this.clock.now(), orderingKey, blocked],
    );
    if (!row) throw new Error('INSERT … RETURNING returned no row');
    return row.id;
  }

  /**
   * Leases up to `limit` due items (run_at <= now) that nobody holds, or whose lease expired.
   * Safe with several claimers: PostgreSQL skips rows another claim has locked; SQLite runs one
   * write transaction at a time.
   */
  async claim<P = unknown>(
    queue: string,
    owner: string,
    options: { leaseMs: number; limit: number },
  ): Promise<WorkItem<P>[]> {
    const now = this.clock.now();
    const leaseNow = this.leaseClock.now();
    const rows = await this.store.transaction(async (tx) => {
      const due = await tx.all<WorkItemRow>(
        `SELECT id, queue, payload, attempts, run_at FROM work_items
         WHERE queue = ? AND blocked = 0 AND run_at <= ?
           AND (lease_expires_at IS NULL OR lease_expires_at <= ?)
         ORDER BY run_at, id LIMIT ? ${this.store.dialect.forUpdateSkipLocked}`,
        [queue, now, leaseNow, options.limit],
      );
      if (due.length === 0) return due;
      const ids = due.map((row) => row.id);
      await tx.run(
        `UPDATE work_items SET owner = ?, lease_expires_at = ?, attempts = attempts + 1
         WHERE id IN (${ids.map(() => '?').join(', ')})`,
        [owner, leaseNow + options.leaseMs, ...ids],
      );
      return due;
    });
    return rows.map((row) => ({
      id: row.id,
      queue: row.queue,
      payload: JSON.parse(row.payload) as P,
      attempts: row.attempts + 1,
      runAt: row.run_at,
    }));
  }

  /**
   * Deletes a finished item, and makes the next item of its ordering key claimable. False when
   * someone else has claimed it since (our lease expired and was taken over): that claimer now
   * owns it. A late finish nobody took over still counts.
   */
  async complete(id: number, owner: string): Promise<boolean> {
    // Items without a key, nearly all of them, finish in one statement.
    const { changes } = await this.store.run(
      'DELETE FROM work_items WHERE id = ? AND owner = ? AND ordering_key IS NULL',
      [id, owner],
    );
    if (changes > 0) return true;
    // One transaction, so a crash cannot delete an item yet leave its successor blocked for good.
    return this.store.transaction(async (tx) => {
      const done = await tx.get<{ queue: string; ordering_key: string | null }>(
        'DELETE FROM work_items WHERE id = ? AND owner = ? RETURNING queue, ordering_key',
        [id, owner],
      );
      if (!done) return false;
      if (done.ordering_key !== null) {
        await tx.run(
          `UPDATE work_items SET blocked = 0 WHERE id =
           (SELECT MIN(id) FROM work_items WHERE queue = ? AND ordering_key = ?)`,
          [done.queue, done.ordering_key],
        );
      }
      return true;
    });
  }

  /**
   * Deletes finished items that have no ordering key, in one statement: for workers that finish
   * many items at once (EventBridge's deliveries), so they share one commit. Items someone else
   * has claimed since are left to their new claimer, as `complete` leaves them.
   */
  async completeMany(ids: readonly number[], owner: string): Promise<void> {
    if (ids.length === 0) return;
    await this.store.run(
      `DELETE FROM work_items WHERE owner = ? AND ordering_key IS NULL AND id IN (${ids.map(() => '?').join(', ')})`,
      [owner, ...ids],
    );
  }

  /**
   * Releases the lease and makes the item due again at `runAt`; with `payload`, the item carries
   * it from now on (what the attempt learned, e.g. a count of failures that claims cannot tell).
   */
  async retry(
    id: number,
    owner: string,
    runAt: number,
    options: { payload?: unknown } = {},
  ): Promise<boolean> {
    const { changes } =
      options.payload === undefined
        ? await this.store.run(
            'UPDATE work_items SET owner = NULL, lease_expires_at = NULL, run_at = ? WHERE id = ? AND owner = ?',
            [runAt, id, owner],
          )
        : await this.store.run(
            'UPDATE work_items SET owner = NULL, lease_expires_at = NULL, run_at = ?, payload = ? WHERE id = ? AND owner = ?',
            [runAt, JSON.stringify(options.payload), id, owner],
          );
    return changes > 0;
  }

  /** Pushes the lease to now + leaseMs, for work that outlives its first lease. */
  async extend(id: number, owner: string, leaseMs: number): Promise<boolean> {
    const { changes } = await this.store.run(
      'UPDATE work_items SET lease_expires_at = ? WHERE id = ? AND owner = ?',
      [this.leaseClock.now() + leaseMs, id, owner],
    );
    return changes > 0;
  }

  /**
   * The newest item of a key, locked until the enqueuing transaction ends (PostgreSQL; SQLite has
   * one writer). A `complete` of that item then waits for the new one, and unblocks it. A
   * `complete` that got there first has deleted it (it was the last of its key, so the new item
   * starts a chain): the lock skips a row deleted under it.
   */
  private lockNewest(tx: Queryable, queue: string, orderingKey: string) {
    return tx.get<{ id: number }>(
      `SELECT id FROM work_items WHERE queue = ? AND ordering_key = ? ORDER BY id DESC LIMIT 1 ${this.store.dialect.forUpdate}`,
      [queue, orderingKey],
    );
  }
}

/**
 * Drops every item of the named queues (all items without `queues`), leased or not, for a reset:
 * a claimer still holding one finds it gone when it completes or retries it, which it tolerates
 * as it does a lease taken over.
 */
export async function deleteWorkItems(tx: Queryable, queues?: readonly string[]): Promise<number> {
  if (queues === undefined) return (await tx.run('DELETE FROM work_items')).changes;
  if (queues.length === 0) return 0;
  return (await tx.run(`DELETE FROM work_items WHERE queue IN (${queues.map(() => '?').join(', ')})`, queues))
    .changes;
}
