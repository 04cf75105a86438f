/**
 * DynamoDB's operations. Differences from AWS:
 * - Tables and indexes are usable at once: CreateTable answers `CREATING` (as AWS) but the table
 *   is `ACTIVE` before the answer arrives; a new GSI is `CREATING` while it is built from the
 *   table's items in the background, as on AWS.
 * - `ItemCount` and `TableSizeBytes` are exact at every DescribeTable (AWS refreshes them about
 *   every six hours).
 * - Capacity is reported (`ReturnConsumedCapacity`) but never enforced: nothing is throttled.
 * - PartiQL: a SELECT that ORs conditions across partitions or sort-key ranges is read as a Scan
 *   (or a Query per partition) filtered by its WHERE clause, not split into Queries as DynamoDB
 *   does; `ExecuteStatement` answers no `LastEvaluatedKey`; messages carry no `at line:column`.
 */
import type * as DDB from '@aws-sdk/client-dynamodb';
import type { RequestContext } from '../service.js';
import type { Backups } from './backups.js';
import type { Batches } from './batch.js';
import type { ItemOperations } from './items.js';
import type { PartiQL } from './partiql-operations.js';
import type { PartiQLTransactions } from './partiql-transaction.js';
import type { QueryScan } from './query-scan.js';
import type { TableAdmin } from './table-admin.js';
import type { Transactions } from './transactions.js';

/** What DescribeLimits answers: AWS's default quotas for an account in a region. */
const limits: DDB.DescribeLimitsOutput = {
  AccountMaxReadCapacityUnits: 80_000,
  AccountMaxWriteCapacityUnits: 80_000,
  TableMaxReadCapacityUnits: 40_000,
  TableMaxWriteCapacityUnits: 40_000,
};

export class DynamoDbProvider {
  constructor(
    private readonly tables: TableAdmin,
    private readonly items: ItemOperations,
    private readonly reads: QueryScan,
    private readonly batches: Batches,
    private readonly transactions: Transactions,
    private readonly backups: Backups,
    private readonly partiql: PartiQL,
    private readonly partiqlTransactions: PartiQLTransactions,
    private readonly endpointHost: () => string,
  ) {}

  PutItem(input: DDB.PutItemInput, at: RequestContext): Promise<DDB.PutItemOutput> {
    return this.items.put(input, at);
  }

  GetItem(input: DDB.GetItemInput, at: RequestContext): Promise<DDB.GetItemOutput> {
    return this.items.get(input, at);
  }

  UpdateItem(input: DDB.UpdateItemInput, at: RequestContext): Promise<DDB.UpdateItemOutput> {
    return this.items.update(input, at);
  }

  DeleteItem(input: DDB.DeleteItemInput, at: RequestContext): Promise<DDB.DeleteItemOutput> {
    return this.items.delete(input, at);
  }

  Query(input: DDB.QueryInput, at: RequestContext): Promise<DDB.QueryOutput> {
    return this.reads.query(input, at) as Promise<DDB.QueryOutput>;
  }

  Scan(input: DDB.ScanInput, at: RequestContext): Promise<DDB.ScanOutput> {
    return this.reads.scan(input, at) as Promise<DDB.ScanOutput>;
  }

  BatchGetItem(input: DDB.BatchGetItemInput, at: RequestContext): Promise<DDB.BatchGetItemOutput> {
    return this.batches.get(input, at);
  }

  BatchWriteItem(input: DDB.BatchWriteItemInput, at: RequestContext): Promise<DDB.BatchWriteItemOutput> {
    return this.batches.write(input, at);
  }

  TransactWriteItems(
    input: DDB.TransactWriteItemsInput,
    at: RequestContext,
  ): Promise<DDB.TransactWriteItemsOutput> {
    return this.transactions.write(input, at);
  }

  TransactGetItems(
    input: DDB.TransactGetItemsInput,
    at: RequestContext,
  ): Promise<DDB.TransactGetItemsOutput> {
    return this.transactions.get(input, at);
  }

  ExecuteStatement(
    input: DDB.ExecuteStatementInput,
    at: RequestContext,
  ): Promise<DDB.ExecuteStatementOutput> {
    return this.partiql.execute(input, at);
  }

  BatchExecuteStatement(
    input: DDB.BatchExecuteStatementInput,
    at: RequestContext,
  ): Promise<DDB.BatchExecuteStatementOutput> {
    return this.partiql.batch(input, at);
  }

  ExecuteTransaction(
    input: DDB.ExecuteTransactionInput,
    at: RequestContext,
  ): Promise<DDB.ExecuteTransactionOutput> {
    return this.partiqlTransactions.execute(input, at);
  }

  async CreateTable(input: DDB.CreateTableInput, at: RequestContext): Promise<DDB.CreateTableOutput> {
    return { TableDescription: await this.tables.create(input, at) };
  }

  async DescribeTable(input: DDB.DescribeTableInput, at: RequestContext): Promise<DDB.DescribeTableOutput> {
    return { Table: await this.tables.describe(input, at) };
  }

  async UpdateTable(input: DDB.UpdateTableInput, at: RequestContext): Promise<DDB.UpdateTableOutput> {
    return { TableDescription: await this.tables.update(input, at) };
  }

  async DeleteTable(input: DDB.DeleteTableInput, at: RequestContext): Promise<DDB.DeleteTableOutput> {
    return { TableDescription: await this.tables.delete(input, at) };
  }

  ListTables(input: DDB.ListTablesInput, at: RequestContext): Promise<DDB.ListTablesOutput> {
    return this.tables.list(input, at);
  }

  DescribeLimits(): DDB.DescribeLimitsOutput {
    return limits;
  }

  DescribeEndpoints(): DDB.DescribeEndpointsResponse {
    return { Endpoints: [{ Address: this.endpointHost(), CachePeriodInMinutes: 1440 }] };
  }

  UpdateTimeToLive(
    input: DDB.UpdateTimeToLiveInput,
    at: RequestContext,
  ): Promise<DDB.UpdateTimeToLiveOutput> {
    return this.tables.updateTimeToLive(input, at);
  }

  DescribeTimeToLive(
    input: DDB.DescribeTimeToLiveInput,
    at: RequestContext,
  ): Promise<DDB.DescribeTimeToLiveOutput> {
    return this.tables.describeTimeToLive(input, at);
  }

  async TagResource(input: DDB.TagResourceInput): Promise<object> {
    await this.tables.tag(input);
    return {};
  }

  async UntagResource(input: DDB.UntagResourceInput): Promise<object> {
    await this.tables.untag(input);
    return {};
  }

  ListTagsOfResource(input: DDB.ListTagsOfResourceInput): Promise<DDB.ListTagsOfResourceOutput> {
    return this.tables.listTags(input);
  }

  CreateBackup(input: DDB.CreateBackupInput, at: RequestContext): Promise<DDB.CreateBackupOutput> {
    return this.backups.create(input, at);
  }

  DescribeBackup(input: DDB.DescribeBackupInput): Promise<DDB.DescribeBackupOutput> {
    return this.backups.describe(input);
  }

  DeleteBackup(input: DDB.DeleteBackupInput): Promise<DDB.DeleteBackupOutput> {
    return this.backups.delete(input);
  }

  ListBackups(input: DDB.ListBackupsInput, at: RequestContext): Promise<DDB.ListBackupsOutput> {
    return this.backups.list(input, at);
  }

  async RestoreTableFromBackup(
    input: DDB.RestoreTableFromBackupInput,
    at: RequestContext,
  ): Promise<DDB.RestoreTableFromBackupOutput> {
    return { TableDescription: await this.backups.restoreFromBackup(input, at) };
  }

  async RestoreTableToPointInTime(
    input: DDB.RestoreTableToPointInTimeInput,
    at: RequestContext,
  ): Promise<DDB.RestoreTableToPointInTimeOutput> {
    return { TableDescription: await this.backups.restoreToPointInTime(input, at) };
  }

  UpdateContinuousBackups(
    input: DDB.UpdateContinuousBackupsInput,
    at: RequestContext,
  ): Promise<DDB.UpdateContinuousBackupsOutput> {
    return this.backups.updateContinuousBackups(input, at);
  }

  DescribeContinuousBackups(
    input: DDB.DescribeContinuousBackupsInput,
    at: RequestContext,
  ): Promise<DDB.DescribeContinuousBackupsOutput> {
    return this.backups.describeContinuousBackups(input, at);
  }
}
