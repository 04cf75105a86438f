/**
 * Point-in-time recovery's record of the past: while PITR is on, every change of an item keeps
 * the item as it was before (none when it did not exist), in the change's transaction, for the
 * table's recovery period (1–35 days).
 */
import type { Queryable } from '../../storage/store.js';
import type { Table } from './catalog.js';
import type { ChangeRecorder, ItemChange } from './changes.js';
import type { Clock } from '../../engine/clock.js';
import { itemToText } from './item-codec.js';
import { storageKeyOf } from './item-store.js';

const DAY_MS = 24 * 3600 * 1000;

export class ItemHistory implements ChangeRecorder {
  constructor(private readonly clock: Clock) {}

  async record(tx: Queryable, table: Table, change: ItemChange): Promise<void> {
    if (!table.definition.pointInTimeRecovery) return;
    const key = storageKeyOf(table.definition.key, change.keys);
    await tx.run(
      'INSERT INTO dynamodb_item_history (table_id, changed_at, hash, pk, sk, old_item) VALUES (?, ?, ?, ?, ?, ?)',
      [table.id, this.clock.now(), key.hash, key.pk, key.sk, change.old ? itemToText(change.old) : null],
    );
  }
}

/** Forgets changes older than the longest recovery period (35 days) and those of tables without PITR. */
export async function trimHistory(db: Queryable, now: number): Promise<void> {
  await db.run('DELETE FROM dynamodb_item_history WHERE changed_at < ?', [now - 35 * DAY_MS]);
}

/** Several recorders as one: a change goes to each, in the same transaction. */
export class ChangeRecorders implements ChangeRecorder {
  constructor(private readonly recorders: readonly ChangeRecorder[]) {}

  async record(tx: Queryable, table: Table, change: ItemChange): Promise<void> {
    for (const recorder of this.recorders) await recorder.record(tx, table, change);
  }
}

export { DAY_MS };
