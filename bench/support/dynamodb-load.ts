/**
 * Filling bench:dynamodb's tables. Through the SDK: BatchWriteItem of 25 items from several
 * concurrent workers — how any client loads a table, and how dynalite's tables are loaded.
 * In bulk: a million items through the SDK would take most of the run, so the big table's rows
 * are inserted straight into Stratus's store (SQLite or PostgreSQL, while Stratus runs) with the
 * service's own encoding — validateItem, storageKeyOf (partition hash and order-preserving key
 * bytes), itemToText and itemSize, as PutItem writes them — in transactions of 50 000 rows. The
 * table itself is made with CreateTable, so Stratus serves it as any other: DescribeTable counts
 * its items from the same rows.
 */
import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../src/services/dynamodb/attribute-value.js';
import { itemToText } from '../../src/services/dynamodb/item-codec.js';
import { storageKeyOf } from '../../src/services/dynamodb/item-store.js';
import { itemSize } from '../../src/services/dynamodb/values/size.js';
import { validateItem } from '../../src/services/dynamodb/values/validate.js';
import { openStore } from '../../src/storage/open.js';
import type { SqlValue } from '../../src/storage/store.js';
import { benchClientConfig } from './client-config.js';
import { BATCH_SIZE, benchItem, benchKey, PARTITION_SIZE, partitionName } from './dynamodb-items.js';

/** Puts partitions `[0, partitions)` of PARTITION_SIZE items into `table` through the SDK. */
export async function loadThroughSdk(endpoint: string, table: string, partitions: number): Promise<void> {
  const concurrency = 8;
  const client = new DynamoDBClient(benchClientConfig(endpoint, concurrency));
  const batches = (partitions * PARTITION_SIZE) / BATCH_SIZE;
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let batch = next++; batch < batches; batch = next++) {
          const first = batch * BATCH_SIZE;
          const requests = Array.from({ length: BATCH_SIZE }, (_, n) => ({
            PutRequest: {
              Item: benchItem(
                partitionName(Math.floor((first + n) / PARTITION_SIZE)),
                (first + n) % PARTITION_SIZE,
              ),
            },
          }));
          const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
          if (Object.keys(out.UnprocessedItems ?? {}).length > 0)
            throw new Error(`${table}: a batch came back unprocessed`);
        }
      }),
    );
  } finally {
    client.destroy();
  }
}

const ROWS_PER_STATEMENT = 500;
const ROWS_PER_TRANSACTION = 50_000;

/**
 * Inserts partitions `[0, partitions)` of PARTITION_SIZE items into the rows of Stratus's table
 * `table` (made beforehand with CreateTable), in the order a client writing one partition after
 * another would. `storeUrl` and `dataDir` are the ones Stratus was started with.
 */
export async function loadIntoStore(
  storeUrl: string,
  dataDir: string,
  table: string,
  partitions: number,
): Promise<void> {
  const store = await openStore({ url: storeUrl || undefined, dataDir });
  try {
    const found = await store.get<{ id: number }>('SELECT id FROM dynamodb_tables WHERE name = ?', [table]);
    if (!found) throw new Error(`no table ${table} in the store`);
    const values = Array.from({ length: ROWS_PER_STATEMENT }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ');
    const total = partitions * PARTITION_SIZE;
    for (let first = 0; first < total; first += ROWS_PER_TRANSACTION) {
      await store.transaction(async (tx) => {
        const end = Math.min(total, first + ROWS_PER_TRANSACTION);
        for (let row = first; row < end; row += ROWS_PER_STATEMENT) {
          const params: SqlValue[] = [];
          for (let n = row; n < row + ROWS_PER_STATEMENT; n++) {
            const item = validateItem(
              benchItem(partitionName(Math.floor(n / PARTITION_SIZE)), n % PARTITION_SIZE) as Item,
            );
            const key = storageKeyOf(benchKey, item);
            params.push(found.id, key.hash, key.pk, key.sk, itemToText(item), itemSize(item), null);
          }
          await tx.run(
            `INSERT INTO dynamodb_items (table_id, hash, pk, sk, item, size, expires_at) VALUES ${values}`,
            params,
          );
        }
      });
    }
  } finally {
    await store.close();
  }
}
