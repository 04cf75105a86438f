/**
 * Work a table change leaves behind, done in chunks on the work queue so a table of any size
 * never needs one long transaction: building a new GSI from the table's items (the index is
 * `CREATING`/backfilling until the last chunk), deleting a dropped table's or index's rows, and
 * stamping TTL due times on existing items when TTL is switched on or off.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock.js';
import { WorkLoop } from '../../engine/work-loop.js';
import type { Queryable, Store } from '../../storage/store.js';
import type { WorkItem, WorkQueue } from '../../storage/work-queue.js';
import type { TableCatalog } from './catalog.js';
import { isServiceError } from '../../protocol/errors.js';
import { expiresAt, indexEntryOf, type ItemRows } from './item-store.js';
import { itemFromText } from './item-codec.js';
import type { ItemRow } from './tables.js';

export const maintenanceQueue = 'dynamodb-maintenance';

/** Where a chunked walk over a table's items stopped: the last row done. */
interface Cursor {
  hash: number;
  pk: string;
  sk: string;
}

export type Maintenance =
  | { kind: 'purge'; tableId: number; indexNo?: number }
  | { kind: 'backfill'; tableId: number; indexNo: number; after?: Cursor }
  | { kind: 'expiry'; tableId: number; after?: Cursor };

const CHUNK = 500;
const leaseMs = 60_000;

export class MaintenanceWorker {
  private readonly owner = `dynamodb-maintenance-${randomUUID()}`;
  private readonly loop: WorkLoop<Maintenance>;

  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      workQueue: WorkQueue;
      catalog: TableCatalog;
      rows: ItemRows;
      logger: Logger;
    },
  ) {
    this.loop = new WorkLoop<Maintenance>({
      claim: () => deps.workQueue.claim<Maintenance>(maintenanceQueue, this.owner, { leaseMs, limit: 4 }),
      handle: (item) => this.process(item),
      claimFailed: (err) => deps.logger.warn({ err }, 'could not claim DynamoDB maintenance work'),
      idlePollMs: 1000,
      clock: deps.clock,
      paceBatches: true,
    });
  }

  start(): void {
    this.loop.start();
  }

  wake(): void {
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async process(item: WorkItem<Maintenance>): Promise<void> {
    const { store, workQueue, logger } = this.deps;
    try {
      // The rest of the work is queued with the chunk done; a crash before `complete` repeats a
      // chunk, which every kind tolerates (deletes, upserts and stamps are idempotent).
      const next = await store.transaction(async (tx) => {
        const rest = await this.step(tx, item.payload);
        if (rest) await workQueue.enqueue(tx, maintenanceQueue, rest);
        return rest;
      });
      await workQueue.complete(item.id, this.owner);
      if (next) this.loop.wake();
    } catch (err) {
      logger.warn({ err, work: item.payload }, 'DynamoDB maintenance step failed; retrying');
      await workQueue.retry(item.id, this.owner, this.deps.clock.now() + 5_000).catch(() => undefined);
    }
  }

  /** One chunk of the work; returns the rest of it, if any. */
  private async step(tx: Queryable, work: Maintenance): Promise<Maintenance | undefined> {
    switch (work.kind) {
      case 'purge':
        return this.purge(tx, work);
      case 'backfill':
        return this.backfill(tx, work);
      case 'expiry':
        return this.stampExpiry(tx, work);
    }
  }

  private async purge(tx: Queryable, work: Extract<Maintenance, { kind: 'purge' }>) {
    let changes = 0;
    if (work.indexNo === undefined) {
      changes += (
        await tx.run(
          `DELETE FROM dynamodb_items WHERE (table_id, hash, pk, sk) IN
             (SELECT table_id, hash, pk, sk FROM dynamodb_items WHERE table_id = ? LIMIT ${CHUNK})`,
          [work.tableId],
        )
      ).changes;
      changes += (
        await tx.run(
          `DELETE FROM dynamodb_item_history WHERE seq IN
             (SELECT seq FROM dynamodb_item_history WHERE table_id = ? LIMIT ${CHUNK})`,
          [work.tableId],
        )
      ).changes;
    }
    const index = await tx.run(
      `DELETE FROM dynamodb_index_items WHERE (table_id, index_no, hash, pk, sk, table_pk, table_sk) IN
         (SELECT table_id, index_no, hash, pk, sk, table_pk, table_sk FROM dynamodb_index_items
          WHERE table_id = ?${work.indexNo === undefined ? '' : ' AND index_no = ?'} LIMIT ${CHUNK})`,
      work.indexNo === undefined ? [work.tableId] : [work.tableId, work.indexNo],
    );
    return changes + index.changes > 0 ? work : undefined;
  }

  private async rowsAfter(tx: Queryable, tableId: number, after: Cursor | undefined): Promise<ItemRow[]> {
    return after
      ? tx.all<ItemRow>(
          `SELECT hash, pk, sk, item, size FROM dynamodb_items WHERE table_id = ? AND (hash, pk, sk) > (?, ?, ?)
           ORDER BY hash, pk, sk LIMIT ${CHUNK}`,
          [tableId, after.hash, Buffer.from(after.pk, 'base64'), Buffer.from(after.sk, 'base64')],
        )
      : tx.all<ItemRow>(
          `SELECT hash, pk, sk, item, size FROM dynamodb_items WHERE table_id = ? ORDER BY hash, pk, sk LIMIT ${CHUNK}`,
          [tableId],
        );
  }

  private async backfill(tx: Queryable, work: Extract<Maintenance, { kind: 'backfill' }>) {
    const table = await this.deps.catalog.byId(tx, work.tableId);
    const index = table?.definition.indexes.find((i) => i.no === work.indexNo);
    if (!table || !index) return undefined;
    const rows = await this.rowsAfter(tx, table.id, work.after);
    for (const row of rows) {
      let entry;
      try {
        entry = indexEntryOf(table, index, itemFromText(row.item));
      } catch (err) {
        // An item whose attribute has the wrong type for the new key is left out, as DynamoDB
        // leaves out (and reports as a violation) items it cannot index.
        if (isServiceError(err)) continue;
        throw err;
      }
      if (entry) await this.deps.rows.insertIndexEntry(tx, table, index, row, entry);
    }
    if (rows.length === CHUNK) return { ...work, after: cursorOf(rows[rows.length - 1]!) };
    const definition = structuredClone(table.definition);
    const done = definition.indexes.find((i) => i.no === index.no)!;
    done.status = 'ACTIVE';
    delete done.backfilling;
    await this.deps.catalog.save(tx, table, definition);
    return undefined;
  }

  private async stampExpiry(tx: Queryable, work: Extract<Maintenance, { kind: 'expiry' }>) {
    const table = await this.deps.catalog.byId(tx, work.tableId);
    if (!table) return undefined;
    const rows = await this.rowsAfter(tx, table.id, work.after);
    for (const row of rows) {
      await tx.run(
        'UPDATE dynamodb_items SET expires_at = ? WHERE table_id = ? AND hash = ? AND pk = ? AND sk = ?',
        [expiresAt(table, itemFromText(row.item)), table.id, row.hash, row.pk, row.sk],
      );
    }
    return rows.length === CHUNK ? { ...work, after: cursorOf(rows[rows.length - 1]!) } : undefined;
  }
}

function cursorOf(row: ItemRow): Cursor {
  return { hash: row.hash, pk: row.pk.toString('base64'), sk: row.sk.toString('base64') };
}
