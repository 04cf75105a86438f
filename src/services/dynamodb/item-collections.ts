/**
 * `ReturnItemCollectionMetrics: SIZE`: on tables with local secondary indexes, the size of the
 * written item's collection — every item of its partition key, with their LSI entries — as the
 * range in GB DynamoDB reports (`[0, 1]` for anything under a gigabyte).
 */
import type * as DDB from '@aws-sdk/client-dynamodb';
import type { Queryable } from '../../storage/store.js';
import type { Item } from './attribute-value.js';
import type { Table } from './catalog.js';
import type { StorageKey } from './item-store.js';

const GB = 1024 ** 3;

export async function itemCollectionMetrics(
  db: Queryable,
  mode: DDB.ReturnItemCollectionMetrics | undefined,
  table: Table,
  key: StorageKey,
  keyItem: Item,
): Promise<DDB.ItemCollectionMetrics | undefined> {
  if (mode !== 'SIZE' || !table.definition.indexes.some((index) => index.kind === 'local')) return undefined;
  const where = 'table_id = ? AND hash = ? AND pk = ?';
  const params = [table.id, key.hash, key.pk];
  const items = await db.get<{ size: number }>(
    `SELECT COALESCE(SUM(size), 0) AS size FROM dynamodb_items WHERE ${where}`,
    params,
  );
  const entries = await db.get<{ size: number }>(
    `SELECT COALESCE(SUM(size), 0) AS size FROM dynamodb_index_items WHERE ${where}`,
    params,
  );
  const gb = ((items?.size ?? 0) + (entries?.size ?? 0)) / GB;
  const hash = table.definition.key.hash.name;
  return {
    ItemCollectionKey: { [hash]: keyItem[hash]! } as DDB.ItemCollectionMetrics['ItemCollectionKey'],
    SizeEstimateRangeGB: [Math.floor(gb), Math.floor(gb) + 1],
  };
}
