/**
 * Reading and writing item rows: the storage key of an item, its row, and the rows of its
 * secondary-index entries, which every write keeps in step in the item's own transaction.
 */
import type { Queryable, SqlDialect } from '../../storage/store.js';
import type { AttributeValue, Item } from './attribute-value.js';
import type { Table } from './catalog.js';
import { invalidParameters } from './errors.js';
import { itemFromText, itemToText } from './item-codec.js';
import type { IndexDefinition, KeySchema } from './table-schema.js';
import type { IndexItemRow, ItemRow } from './tables.js';
import { encodeKey } from './values/key-encoding.js';
import { checkItemSize, ITEM_TOO_LARGE, itemSize } from './values/size.js';
import { validateItemKey } from './values/validate-key.js';

export interface StorageKey {
  hash: number;
  pk: Buffer;
  sk: Buffer;
}

const EMPTY = Buffer.alloc(0);

/**
 * The 32-bit hash that orders partitions for Scan and splits them into segments: FNV-1a over the
 * encoded key with a final mix (MurmurHash3's), so keys that differ in one byte land far apart.
 * Computed in JavaScript: a crypto digest per item costs more than the rest of the key.
 */
export function partitionHash(pk: Buffer): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < pk.length; i++) h = Math.imul(h ^ pk[i]!, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The storage key of an item or key whose key attributes were checked against `key`. */
export function storageKeyOf(key: KeySchema, item: Item): StorageKey {
  const pk = encodeKey(item[key.hash.name]!);
  return { hash: partitionHash(pk), pk, sk: key.range ? encodeKey(item[key.range.name]!) : EMPTY };
}

/**
 * Checks an item about to be written: its keys and index keys, and its size (UpdateItem's result
 * is refused with UpdateItem's own wording).
 */
export function checkWrittenItem(table: Table, item: Item, tooLarge = ITEM_TOO_LARGE): void {
  validateItemKey(
    item,
    table.definition.key,
    table.definition.indexes.map((index) => ({ name: index.name, key: index.key })),
  );
  checkItemSize(item, tooLarge);
}

/** The item's entry in `index`, or undefined when it lacks the index's key (a sparse index). */
export function indexEntryOf(table: Table, index: IndexDefinition, item: Item): Item | undefined {
  const { hash, range } = index.key;
  for (const attribute of range ? [hash, range] : [hash]) {
    const value = item[attribute.name];
    if (value === undefined) return undefined;
    const actual = Object.keys(value)[0];
    if (actual !== attribute.type) {
      throw invalidParameters(
        `Type mismatch for Index Key ${attribute.name} Expected: ${attribute.type} Actual: ${actual} IndexName: ${index.name}`,
      );
    }
  }
  if (index.projection.type === 'ALL') return item;
  const projected: Item = {};
  const names = [...keyNames(table.definition.key), ...keyNames(index.key)];
  if (index.projection.type === 'INCLUDE') names.push(...index.projection.nonKeyAttributes);
  for (const name of names) {
    const value = item[name];
    if (value !== undefined) projected[name] = value;
  }
  return projected;
}

export function keyNames(key: KeySchema): string[] {
  return key.range ? [key.hash.name, key.range.name] : [key.hash.name];
}

/** The key attributes of an item. */
export function keyOf(key: KeySchema, item: Item): Item {
  const out: Item = { [key.hash.name]: item[key.hash.name]! };
  if (key.range) out[key.range.name] = item[key.range.name]!;
  return out;
}

/** When TTL deletes the item: its TTL attribute, a Number of epoch seconds, in ms. */
export function expiresAt(table: Table, item: Item): number | null {
  const attribute = table.definition.ttlAttribute;
  const value: AttributeValue | undefined = attribute === undefined ? undefined : item[attribute];
  if (!value || !('N' in value)) return null;
  const ms = Math.floor(Number(value.N) * 1000);
  return Number.isSafeInteger(ms) ? ms : null;
}

/**
 * Whether a write must read the item it replaces for the table's sake: to remove its index
 * entries, or to record it in the stream or the point-in-time history.
 */
export function keepsOldItems(table: Table): boolean {
  const { indexes, stream, pointInTimeRecovery } = table.definition;
  return indexes.length > 0 || stream.enabled || pointInTimeRecovery !== undefined;
}

export interface WriteSizes {
  /** The item's size after the write (before it, for a delete). */
  size: number;
  /** Index name → the larger of its old and new entry, for the indexes the write changed. */
  indexes: Map<string, number>;
}

export interface StoredItem {
  item: Item;
  size: number;
}

export class ItemRows {
  constructor(private readonly dialect: SqlDialect) {}

  async get(db: Queryable, table: Table, key: StorageKey, lock = false): Promise<StoredItem | undefined> {
    const row = await db.get<ItemRow>(
      `SELECT item, size FROM dynamodb_items WHERE table_id = ? AND hash = ? AND pk = ? AND sk = ?${
        lock ? ` ${this.dialect.forUpdate}` : ''
      }`,
      [table.id, key.hash, key.pk, key.sk],
    );
    return row && { item: itemFromText(row.item), size: row.size };
  }

  /**
   * Writes `item` under `key` (replacing `old`, which the caller read under lock). A new item is a
   * plain INSERT, so a concurrent writer of the same key on PostgreSQL fails with a unique
   * violation and the caller runs again, seeing the other's item.
   */
  /** Returns what the write touched: the item's size, and the size of each index entry written or removed. */
  async put(
    tx: Queryable,
    table: Table,
    key: StorageKey,
    item: Item,
    old: Item | undefined,
  ): Promise<WriteSizes> {
    const size = itemSize(item);
    const text = itemToText(item);
    if (old) {
      await tx.run(
        'UPDATE dynamodb_items SET item = ?, size = ?, expires_at = ? WHERE table_id = ? AND hash = ? AND pk = ? AND sk = ?',
        [text, size, expiresAt(table, item), table.id, key.hash, key.pk, key.sk],
      );
    } else {
      await tx.run(
        'INSERT INTO dynamodb_items (table_id, hash, pk, sk, item, size, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [table.id, key.hash, key.pk, key.sk, text, size, expiresAt(table, item)],
      );
    }
    return { size, indexes: await this.writeIndexes(tx, table, key, old, item) };
  }

  /**
   * Writes an item without reading the one it replaces: for tables that keep nothing of old items
   * (see `keepsOldItems`) when the caller needs nothing of it either. One statement, no read.
   */
  async overwrite(tx: Queryable, table: Table, key: StorageKey, item: Item): Promise<void> {
    await tx.run(
      `INSERT INTO dynamodb_items (table_id, hash, pk, sk, item, size, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (table_id, hash, pk, sk) DO UPDATE
         SET item = excluded.item, size = excluded.size, expires_at = excluded.expires_at`,
      [table.id, key.hash, key.pk, key.sk, itemToText(item), itemSize(item), expiresAt(table, item)],
    );
  }

  /** Deletes an item without reading it, under the same terms as `overwrite`. */
  async erase(tx: Queryable, table: Table, key: StorageKey): Promise<void> {
    await tx.run('DELETE FROM dynamodb_items WHERE table_id = ? AND hash = ? AND pk = ? AND sk = ?', [
      table.id,
      key.hash,
      key.pk,
      key.sk,
    ]);
  }

  async delete(tx: Queryable, table: Table, key: StorageKey, old: Item): Promise<WriteSizes> {
    await tx.run('DELETE FROM dynamodb_items WHERE table_id = ? AND hash = ? AND pk = ? AND sk = ?', [
      table.id,
      key.hash,
      key.pk,
      key.sk,
    ]);
    return { size: itemSize(old), indexes: await this.writeIndexes(tx, table, key, old, undefined) };
  }

  /** Replaces the item's entries in every index being kept (building, or active). */
  async writeIndexes(
    tx: Queryable,
    table: Table,
    key: StorageKey,
    old: Item | undefined,
    item: Item | undefined,
  ): Promise<Map<string, number>> {
    const touched = new Map<string, number>();
    for (const index of table.definition.indexes) {
      if (index.status === 'DELETING') continue;
      const before = old && indexEntryOf(table, index, old);
      const after = item && indexEntryOf(table, index, item);
      if (before) {
        const at = storageKeyOf(index.key, before);
        await tx.run(
          `DELETE FROM dynamodb_index_items WHERE table_id = ? AND index_no = ? AND hash = ? AND pk = ? AND sk = ?
             AND table_pk = ? AND table_sk = ?`,
          [table.id, index.no, at.hash, at.pk, at.sk, key.pk, key.sk],
        );
      }
      if (after) await this.insertIndexEntry(tx, table, index, key, after);
      if (before || after) {
        touched.set(index.name, Math.max(before ? itemSize(before) : 0, after ? itemSize(after) : 0));
      }
    }
    return touched;
  }

  async insertIndexEntry(tx: Queryable, table: Table, index: IndexDefinition, key: StorageKey, entry: Item) {
    const at = storageKeyOf(index.key, entry);
    await tx.run(
      `INSERT INTO dynamodb_index_items (table_id, index_no, hash, pk, sk, table_pk, table_sk, item, size)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (table_id, index_no, hash, pk, sk, table_pk, table_sk) DO UPDATE SET item = excluded.item, size = excluded.size`,
      [table.id, index.no, at.hash, at.pk, at.sk, key.pk, key.sk, itemToText(entry), itemSize(entry)],
    );
  }
}

export function rowItem(row: Pick<ItemRow, 'item'>): Item {
  return itemFromText(row.item);
}

export type { IndexItemRow };
