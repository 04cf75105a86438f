/** DescribeTable's `TableDescription`, built from a table's definition and its row counts. */
import type * as DDB from '@aws-sdk/client-dynamodb';
import type { Queryable } from '../../storage/store.js';
import type { Table } from './catalog.js';
import type { IndexDefinition, KeySchema, Projection } from './table-schema.js';

export function keySchemaElements(key: KeySchema): DDB.KeySchemaElement[] {
  const elements: DDB.KeySchemaElement[] = [{ AttributeName: key.hash.name, KeyType: 'HASH' }];
  if (key.range) elements.push({ AttributeName: key.range.name, KeyType: 'RANGE' });
  return elements;
}

function projection(p: Projection): DDB.Projection {
  return {
    ProjectionType: p.type,
    ...(p.type === 'INCLUDE' ? { NonKeyAttributes: p.nonKeyAttributes } : {}),
  };
}

function throughput(units: { ReadCapacityUnits: number; WriteCapacityUnits: number } | undefined) {
  return {
    NumberOfDecreasesToday: 0,
    ReadCapacityUnits: units?.ReadCapacityUnits ?? 0,
    WriteCapacityUnits: units?.WriteCapacityUnits ?? 0,
  };
}

export interface TableStats {
  itemCount: number;
  sizeBytes: number;
  /** Per index number. */
  indexes: Map<number, { itemCount: number; sizeBytes: number }>;
}

/** Exact counts, read from the rows (DynamoDB refreshes its own about every six hours). */
export async function tableStats(db: Queryable, table: Table): Promise<TableStats> {
  const totals = await db.get<{ n: number; size: number }>(
    'SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS size FROM dynamodb_items WHERE table_id = ?',
    [table.id],
  );
  const indexes = new Map<number, { itemCount: number; sizeBytes: number }>();
  if (table.definition.indexes.length > 0) {
    const rows = await db.all<{ index_no: number; n: number; size: number }>(
      `SELECT index_no, COUNT(*) AS n, COALESCE(SUM(size), 0) AS size FROM dynamodb_index_items
       WHERE table_id = ? GROUP BY index_no`,
      [table.id],
    );
    for (const row of rows) indexes.set(row.index_no, { itemCount: row.n, sizeBytes: row.size });
  }
  return { itemCount: totals?.n ?? 0, sizeBytes: totals?.size ?? 0, indexes };
}

export function streamArn(table: Table): string | undefined {
  const label = table.definition.stream.label;
  return label === undefined ? undefined : `${table.arn}/stream/${label}`;
}

function indexDescription(table: Table, index: IndexDefinition, stats: TableStats | undefined) {
  const counts = stats?.indexes.get(index.no);
  const common = {
    IndexName: index.name,
    KeySchema: keySchemaElements(index.key),
    Projection: projection(index.projection),
    IndexSizeBytes: counts?.sizeBytes ?? 0,
    ItemCount: counts?.itemCount ?? 0,
    IndexArn: `${table.arn}/index/${index.name}`,
  };
  if (index.kind === 'local') return common;
  return {
    ...common,
    IndexStatus: index.status,
    ...(index.status === 'CREATING' ? { Backfilling: index.backfilling ?? false } : {}),
    ProvisionedThroughput: throughput(index.provisionedThroughput),
    ...(table.definition.billingMode === 'PAY_PER_REQUEST'
      ? { OnDemandThroughput: { MaxReadRequestUnits: -1, MaxWriteRequestUnits: -1 } }
      : {}),
  };
}

export function tableDescription(
  table: Table,
  stats?: TableStats,
  status: DDB.TableStatus = table.status,
): DDB.TableDescription {
  const d = table.definition;
  const locals = d.indexes.filter((index) => index.kind === 'local');
  const globals = d.indexes.filter((index) => index.kind === 'global');
  const latestStream = streamArn(table);
  return {
    AttributeDefinitions: d.attributeDefinitions.map((a) => ({
      AttributeName: a.name,
      AttributeType: a.type,
    })),
    TableName: table.name,
    KeySchema: keySchemaElements(d.key),
    TableStatus: status,
    CreationDateTime: new Date(table.createdAt),
    ProvisionedThroughput: throughput(d.provisionedThroughput),
    TableSizeBytes: stats?.sizeBytes ?? 0,
    ItemCount: stats?.itemCount ?? 0,
    TableArn: table.arn,
    TableId: d.tableId,
    ...(d.billingMode === 'PAY_PER_REQUEST'
      ? {
          BillingModeSummary: {
            BillingMode: 'PAY_PER_REQUEST',
            LastUpdateToPayPerRequestDateTime: new Date(table.createdAt),
          },
          OnDemandThroughput: { MaxReadRequestUnits: -1, MaxWriteRequestUnits: -1 },
        }
      : {}),
    ...(locals.length > 0
      ? { LocalSecondaryIndexes: locals.map((i) => indexDescription(table, i, stats)) }
      : {}),
    ...(globals.length > 0
      ? { GlobalSecondaryIndexes: globals.map((i) => indexDescription(table, i, stats)) }
      : {}),
    ...(d.stream.enabled
      ? { StreamSpecification: { StreamEnabled: true, StreamViewType: d.stream.viewType } }
      : {}),
    ...(latestStream ? { LatestStreamLabel: d.stream.label, LatestStreamArn: latestStream } : {}),
    ...(d.tableClass !== 'STANDARD' ? { TableClassSummary: { TableClass: d.tableClass } } : {}),
    DeletionProtectionEnabled: d.deletionProtection,
    ...(d.sse?.Enabled
      ? {
          SSEDescription: {
            Status: 'ENABLED',
            SSEType: 'KMS',
            KMSMasterKeyArn: `arn:aws:kms:${table.region}:${table.accountId}:key/${d.sse.KMSMasterKeyId ?? 'aws/dynamodb'}`,
          },
        }
      : {}),
  } as DDB.TableDescription;
}
