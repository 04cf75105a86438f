import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateBackupCommand,
  CreateTableCommand,
  DeleteBackupCommand,
  DeleteItemCommand,
  DescribeBackupCommand,
  DescribeContinuousBackupsCommand,
  DynamoDBClient,
  ListBackupsCommand,
  PointInTimeRecoveryUnavailableException,
  PutItemCommand,
  QueryCommand,
  RestoreTableFromBackupCommand,
  RestoreTableToPointInTimeCommand,
  ScanCommand,
  UpdateContinuousBackupsCommand,
  BackupNotFoundException,
  InvalidRestoreTimeException,
} from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../src/engine/clock.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const t0 = Date.UTC(2026, 10, 1, 12, 0, 0);

describe('DynamoDB backups and point-in-time recovery', () => {
  let stratus: TestStratus;
  let dynamodb: DynamoDBClient;
  const clock = new ManualClock(t0);

  beforeAll(async () => {
    stratus = await startTestStratus({ clock });
    dynamodb = new DynamoDBClient(stratus.clientConfig);
  });
  afterAll(async () => {
    dynamodb?.destroy();
    await stratus?.stop();
  });

  async function createTable(name: string) {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'kind', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byKind',
            KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  }
  const put = (table: string, id: string, v: string) =>
    dynamodb.send(
      new PutItemCommand({ TableName: table, Item: { id: { S: id }, kind: { S: 'k' }, v: { S: v } } }),
    );
  const contents = async (table: string) =>
    (await dynamodb.send(new ScanCommand({ TableName: table })))
      .Items!.map((i) => `${i.id!.S}=${i.v!.S}`)
      .sort();

  it('backs a table up and restores it, indexes included, as it was at the backup', async () => {
    await createTable('Ledger');
    await put('Ledger', 'a', '1');
    await put('Ledger', 'b', '1');
    const { BackupDetails } = await dynamodb.send(
      new CreateBackupCommand({ TableName: 'Ledger', BackupName: 'nightly' }),
    );
    await put('Ledger', 'c', '1');
    const described = await dynamodb.send(new DescribeBackupCommand({ BackupArn: BackupDetails!.BackupArn }));
    expect(described.BackupDescription).toMatchObject({
      BackupDetails: { BackupName: 'nightly', BackupStatus: 'AVAILABLE', BackupType: 'USER' },
      SourceTableDetails: { TableName: 'Ledger', ItemCount: 2 },
    });
    const listed = await dynamodb.send(new ListBackupsCommand({ TableName: 'Ledger' }));
    expect(listed.BackupSummaries?.map((b) => b.BackupName)).toEqual(['nightly']);

    await dynamodb.send(
      new RestoreTableFromBackupCommand({
        TargetTableName: 'LedgerRestored',
        BackupArn: BackupDetails!.BackupArn,
      }),
    );
    expect(await contents('LedgerRestored')).toEqual(['a=1', 'b=1']);
    const byKind = await dynamodb.send(
      new QueryCommand({
        TableName: 'LedgerRestored',
        IndexName: 'byKind',
        KeyConditionExpression: 'kind = :k',
        ExpressionAttributeValues: { ':k': { S: 'k' } },
      }),
    );
    expect(byKind.Count).toBe(2);

    await dynamodb.send(new DeleteBackupCommand({ BackupArn: BackupDetails!.BackupArn }));
    await expect(
      dynamodb.send(new DescribeBackupCommand({ BackupArn: BackupDetails!.BackupArn })),
    ).rejects.toThrow(BackupNotFoundException);
  });

  it('restores a table to any second within the recovery window', async () => {
    await createTable('Accounts');
    await expect(
      dynamodb.send(
        new RestoreTableToPointInTimeCommand({
          SourceTableName: 'Accounts',
          TargetTableName: 'Never',
          UseLatestRestorableTime: true,
        }),
      ),
    ).rejects.toThrow(PointInTimeRecoveryUnavailableException);
    await dynamodb.send(
      new UpdateContinuousBackupsCommand({
        TableName: 'Accounts',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 },
      }),
    );
    const described = await dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: 'Accounts' }));
    expect(described.ContinuousBackupsDescription?.PointInTimeRecoveryDescription).toMatchObject({
      PointInTimeRecoveryStatus: 'ENABLED',
      RecoveryPeriodInDays: 7,
    });
    await put('Accounts', 'a', 'v1');
    await put('Accounts', 'b', 'v1');
    clock.advance(10_000);
    const checkpoint = new Date(clock.now());
    clock.advance(5_000);
    await put('Accounts', 'a', 'v2');
    await put('Accounts', 'c', 'v1');
    await dynamodb.send(new DeleteItemCommand({ TableName: 'Accounts', Key: { id: { S: 'b' } } }));
    await put('Accounts', 'a', 'v3');

    await dynamodb.send(
      new RestoreTableToPointInTimeCommand({
        SourceTableName: 'Accounts',
        TargetTableName: 'AccountsThen',
        RestoreDateTime: checkpoint,
      }),
    );
    expect(await contents('AccountsThen')).toEqual(['a=v1', 'b=v1']);
    expect(await contents('Accounts')).toEqual(['a=v3', 'c=v1']);
    const byKind = await dynamodb.send(
      new QueryCommand({
        TableName: 'AccountsThen',
        IndexName: 'byKind',
        KeyConditionExpression: 'kind = :k',
        ExpressionAttributeValues: { ':k': { S: 'k' } },
      }),
    );
    expect(byKind.Items?.map((i) => `${i.id!.S}=${i.v!.S}`).sort()).toEqual(['a=v1', 'b=v1']);

    await expect(
      dynamodb.send(
        new RestoreTableToPointInTimeCommand({
          SourceTableName: 'Accounts',
          TargetTableName: 'TooEarly',
          RestoreDateTime: new Date(t0 - 8 * 24 * 3600 * 1000),
        }),
      ),
    ).rejects.toThrow(InvalidRestoreTimeException);
  });
});
