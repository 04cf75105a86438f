/**
 * Time to live: deletes items whose TTL attribute (epoch seconds) has passed on Stratus's
 * clock, looking every second and whenever the clock jumps. Each delete re-reads the item under
 * lock, so an item rewritten meanwhile with a later TTL stays; the delete writes a `REMOVE`
 * stream record from DynamoDB's service identity. Until deleted, expired items still read, as on
 * DynamoDB. Values more than five years in the past are ignored, as DynamoDB ignores them.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock.js';
import { Poller } from '../../engine/poller.js';
import type { Store } from '../../storage/store.js';
import type { TableCatalog } from './catalog.js';
import type { ChangeRecorder } from './changes.js';
import { expiresAt, keyOf, type ItemRows } from './item-store.js';

const SWEEP_MS = 1000;
const BATCH = 100;
const IGNORED_AFTER_MS = 5 * 365 * 24 * 3600 * 1000;

export class TtlDeleter {
  private readonly poller: Poller;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      catalog: TableCatalog;
      rows: ItemRows;
      changes: ChangeRecorder;
      logger: Logger;
    },
  ) {
    this.poller = new Poller(
      async () => void (await this.sweep()),
      SWEEP_MS,
      (err) => deps.logger.warn({ err }, 'TTL sweep failed'),
    );
  }

  start(): void {
    this.poller.start();
    this.unsubscribe = this.deps.clock.onJump(() => this.kick());
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.poller.stop();
  }

  /** Sweeps now, or once more after the sweep under way. */
  kick(): void {
    this.poller.runAgain().catch((err: unknown) => this.deps.logger.warn({ err }, 'TTL sweep failed'));
  }

  /** Deletes every item due now, in batches. */
  async sweep(): Promise<number> {
    let deleted = 0;
    for (;;) {
      const now = this.deps.clock.now();
      const due = await this.deps.store.all<{ table_id: number; hash: number; pk: Buffer; sk: Buffer }>(
        `SELECT table_id, hash, pk, sk FROM dynamodb_items WHERE expires_at IS NOT NULL AND expires_at <= ? AND expires_at > ?
         ORDER BY expires_at LIMIT ${BATCH}`,
        [now, now - IGNORED_AFTER_MS],
      );
      let batch = 0;
      for (const row of due) if (await this.expire(row, now)) batch++;
      deleted += batch;
      // A full batch of rows nothing could be done with (their table is being purged) ends the sweep too.
      if (due.length < BATCH || batch === 0) return deleted;
    }
  }

  private async expire(
    row: { table_id: number; hash: number; pk: Buffer; sk: Buffer },
    now: number,
  ): Promise<boolean> {
    const { store, catalog, rows, changes } = this.deps;
    return store.transaction(async (tx) => {
      const table = await catalog.byId(tx, row.table_id);
      if (!table) return false;
      const stored = await rows.get(tx, table, row, true);
      const due = stored && expiresAt(table, stored.item);
      if (!stored || due === null || due === undefined || due > now) return false;
      await rows.delete(tx, table, row, stored.item);
      await changes.record(tx, table, {
        keys: keyOf(table.definition.key, stored.item),
        old: stored.item,
        new: undefined,
        byService: true,
      });
      return true;
    });
  }
}
