/**
 * The data bench:dynamodb works on, shared by the bench, its bulk loader and its measuring
 * clients: tables keyed by a partition `pk` (S) and a sort key `sk` (N), partitions of
 * PARTITION_SIZE items, and one item shape of about 200 bytes.
 */
import type { AttributeValue, CreateTableInput } from '@aws-sdk/client-dynamodb';
import type { KeySchema } from '../../src/services/dynamodb/table-schema.js';

/** Items per partition on every table Query reads: a page of 100 is always within one partition. */
export const PARTITION_SIZE = 1000;

/** The Limit of a Query page. */
export const QUERY_PAGE = 100;

/** BatchWriteItem's maximum, as the measured batches carry. */
export const BATCH_SIZE = 25;

/** The attributes of an item in DynamoDB's wire form. */
export type WireItem = Record<string, AttributeValue>;

export function partitionName(partition: number): string {
  return `p${partition}`;
}

/** The item at `sk` of partition `pk`: keys, a name, a status, a count and a text body. */
export function benchItem(pk: string, sk: number): WireItem {
  return {
    pk: { S: pk },
    sk: { N: String(sk) },
    name: { S: `customer ${pk}/${sk}` },
    status: { S: sk % 7 === 0 ? 'CANCELLED' : 'SHIPPED' },
    count: { N: String((sk * 37) % 101) },
    body: {
      S: `order ${sk} of ${pk}: 3 lines, 99.50 EUR, shipped to 42 Example Street, Springfield, via ground`,
    },
  };
}

/**
 * The key of every bench table, in the service's own form (the bulk loader encodes keys with it);
 * CreateTable's key schema and attribute definitions are made from it.
 */
export const benchKey: KeySchema = { hash: { name: 'pk', type: 'S' }, range: { name: 'sk', type: 'N' } };

export function tableInput(name: string): CreateTableInput {
  const keys = [
    { ...benchKey.hash, KeyType: 'HASH' as const },
    { ...benchKey.range!, KeyType: 'RANGE' as const },
  ];
  return {
    TableName: name,
    AttributeDefinitions: keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type })),
    KeySchema: keys.map((key) => ({ AttributeName: key.name, KeyType: key.KeyType })),
    BillingMode: 'PAY_PER_REQUEST',
  };
}
