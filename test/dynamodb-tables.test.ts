import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeLimitsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  paginateListTables,
} from '@aws-sdk/client-dynamodb';
import { startTestStratus, type TestStratus } from './support/stratus.js';

describe('DynamoDB tables', () => {
  let stratus: TestStratus;
  let dynamodb: DynamoDBClient;

  beforeAll(async () => {
    stratus = await startTestStratus();
    dynamodb = new DynamoDBClient(stratus.clientConfig);
  });
  afterAll(async () => {
    dynamodb?.destroy();
    await stratus?.stop();
  });

  const keyed = (name: string) =>
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });

  it('creates a table that DescribeTable shows ACTIVE with its keys, indexes and stream', async () => {
    const created = await dynamodb.send(
      new CreateTableCommand({
        TableName: 'Orders',
        AttributeDefinitions: [
          { AttributeName: 'customer', AttributeType: 'S' },
          { AttributeName: 'orderId', AttributeType: 'S' },
          { AttributeName: 'placedAt', AttributeType: 'N' },
          { AttributeName: 'status', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'customer', KeyType: 'HASH' },
          { AttributeName: 'orderId', KeyType: 'RANGE' },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'byPlacedAt',
            KeySchema: [
              { AttributeName: 'customer', KeyType: 'HASH' },
              { AttributeName: 'placedAt', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byStatus',
            KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] },
            ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
          },
        ],
        ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 5 },
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        Tags: [{ Key: 'team', Value: 'shop' }],
      }),
    );
    expect(created.TableDescription?.TableStatus).toBe('CREATING');
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: 'Orders' }));
    expect(Table).toMatchObject({
      TableName: 'Orders',
      TableStatus: 'ACTIVE',
      TableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders',
      KeySchema: [
        { AttributeName: 'customer', KeyType: 'HASH' },
        { AttributeName: 'orderId', KeyType: 'RANGE' },
      ],
      ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 5 },
      ItemCount: 0,
      TableSizeBytes: 0,
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      LocalSecondaryIndexes: [{ IndexName: 'byPlacedAt', Projection: { ProjectionType: 'KEYS_ONLY' } }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byStatus',
          IndexStatus: 'ACTIVE',
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] },
        },
      ],
    });
    expect(Table?.LatestStreamArn).toBe(`${Table?.TableArn}/stream/${Table?.LatestStreamLabel}`);
    expect(Table?.CreationDateTime).toBeInstanceOf(Date);
    const tags = await dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: Table!.TableArn }));
    expect(tags.Tags).toEqual([{ Key: 'team', Value: 'shop' }]);
  });

  it('refuses a second table of the same name and a table that does not exist', async () => {
    await dynamodb.send(keyed('Twice'));
    await expect(dynamodb.send(keyed('Twice'))).rejects.toThrow(ResourceInUseException);
    await expect(dynamodb.send(keyed('Twice'))).rejects.toThrow('Table already exists: Twice');
    const missing = dynamodb.send(new DescribeTableCommand({ TableName: 'Nope' }));
    await expect(missing).rejects.toThrow(ResourceNotFoundException);
    await expect(dynamodb.send(new DescribeTableCommand({ TableName: 'Nope' }))).rejects.toThrow(
      'Requested resource not found',
    );
  });

  it('lets one of several concurrent creates of a name win, and refuses the others as AWS does', async () => {
    const attempts = await Promise.allSettled(Array.from({ length: 5 }, () => dynamodb.send(keyed('Raced'))));
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    for (const attempt of attempts.filter((a) => a.status === 'rejected')) {
      expect((attempt as PromiseRejectedResult).reason).toBeInstanceOf(ResourceInUseException);
    }
  });

  it.each([
    [
      'a key attribute without a definition',
      {
        AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'b', KeyType: 'HASH' }],
      },
      'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [b], AttributeDefinitions: [a]',
    ],
    [
      'a definition no key uses',
      {
        AttributeDefinitions: [
          { AttributeName: 'a', AttributeType: 'S' },
          { AttributeName: 'b', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }],
      },
      'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    ],
    [
      'a RANGE key first',
      {
        AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'a', KeyType: 'RANGE' }],
      },
      'Invalid KeySchema: The first KeySchemaElement is not a HASH key type',
    ],
    [
      'provisioned mode without throughput',
      {
        AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }],
        BillingMode: 'PROVISIONED',
      },
      'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
    ],
    [
      'an LSI on a table without a sort key',
      {
        AttributeDefinitions: [
          { AttributeName: 'a', AttributeType: 'S' },
          { AttributeName: 'b', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }],
        LocalSecondaryIndexes: [
          {
            IndexName: 'local',
            KeySchema: [
              { AttributeName: 'a', KeyType: 'HASH' },
              { AttributeName: 'b', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      },
      'One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex',
    ],
  ] as const)('refuses %s with DynamoDB’s message', async (_, shape, message) => {
    await expect(
      dynamodb.send(
        new CreateTableCommand({
          TableName: 'Bad',
          BillingMode: 'PAY_PER_REQUEST',
          ...(shape as object),
        } as never),
      ),
    ).rejects.toThrow(message);
  });

  it('checks table names: length and characters', async () => {
    await expect(dynamodb.send(keyed('ab'))).rejects.toThrow(
      'TableName must be at least 3 characters long and at most 255 characters long',
    );
    await expect(dynamodb.send(keyed('a b c'))).rejects.toThrow('Invalid table/index name.');
  });

  it('lists tables in pages', async () => {
    for (const name of ['Page1', 'Page2', 'Page3']) await dynamodb.send(keyed(name));
    const first = await dynamodb.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: 'Page' }));
    expect(first).toMatchObject({ TableNames: ['Page1', 'Page2'], LastEvaluatedTableName: 'Page2' });
    const names: string[] = [];
    for await (const page of paginateListTables({ client: dynamodb, pageSize: 2 }, {}))
      names.push(...page.TableNames!);
    expect(names).toEqual(expect.arrayContaining(['Orders', 'Page1', 'Page2', 'Page3', 'Twice']));
    expect(names).toEqual([...names].sort());
  });

  it('updates billing, adds and removes a GSI, and toggles the stream', async () => {
    await dynamodb.send(keyed('Evolving'));
    await dynamodb.send(
      new UpdateTableCommand({
        TableName: 'Evolving',
        AttributeDefinitions: [{ AttributeName: 'email', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'byEmail',
              KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      }),
    );
    let table = (await dynamodb.send(new DescribeTableCommand({ TableName: 'Evolving' }))).Table!;
    for (let i = 0; i < 100 && table.GlobalSecondaryIndexes?.[0]?.IndexStatus !== 'ACTIVE'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      table = (await dynamodb.send(new DescribeTableCommand({ TableName: 'Evolving' }))).Table!;
    }
    expect(table.GlobalSecondaryIndexes?.[0]).toMatchObject({ IndexName: 'byEmail', IndexStatus: 'ACTIVE' });
    expect(table.AttributeDefinitions).toContainEqual({ AttributeName: 'email', AttributeType: 'S' });
    expect(table.LatestStreamArn).toBeDefined();

    await dynamodb.send(
      new UpdateTableCommand({
        TableName: 'Evolving',
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byEmail' } }],
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 },
      }),
    );
    table = (await dynamodb.send(new DescribeTableCommand({ TableName: 'Evolving' }))).Table!;
    expect(table.GlobalSecondaryIndexes).toBeUndefined();
    expect(table.AttributeDefinitions?.map((a) => a.AttributeName)).toEqual(['pk', 'sk']);
    expect(table.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 3, WriteCapacityUnits: 4 });
    await expect(
      dynamodb.send(
        new UpdateTableCommand({
          TableName: 'Evolving',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
        }),
      ),
    ).rejects.toThrow('Table already has an enabled stream: TableName: Evolving');
  });

  it('keeps TTL settings and tags', async () => {
    await dynamodb.send(keyed('Expiring'));
    const before = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: 'Expiring' }));
    expect(before.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'DISABLED' });
    await dynamodb.send(
      new UpdateTimeToLiveCommand({
        TableName: 'Expiring',
        TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
      }),
    );
    const after = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: 'Expiring' }));
    expect(after.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    await expect(
      dynamodb.send(
        new UpdateTimeToLiveCommand({
          TableName: 'Expiring',
          TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
        }),
      ),
    ).rejects.toThrow('TimeToLive is already enabled');

    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/Expiring';
    await dynamodb.send(
      new TagResourceCommand({
        ResourceArn: arn,
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
    );
    await dynamodb.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] }));
    expect((await dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags).toEqual([
      { Key: 'b', Value: '2' },
    ]);
    await expect(
      dynamodb.send(new ListTagsOfResourceCommand({ ResourceArn: `${arn}-missing` })),
    ).rejects.toThrow(ResourceNotFoundException);
  });

  it('deletes a table unless deletion protection is on', async () => {
    await dynamodb.send(keyed('Doomed'));
    const deleted = await dynamodb.send(new DeleteTableCommand({ TableName: 'Doomed' }));
    expect(deleted.TableDescription?.TableStatus).toBe('DELETING');
    await expect(dynamodb.send(new DescribeTableCommand({ TableName: 'Doomed' }))).rejects.toThrow(
      ResourceNotFoundException,
    );
    await dynamodb.send(keyed('Doomed'));
    await dynamodb.send(new UpdateTableCommand({ TableName: 'Doomed', DeletionProtectionEnabled: true }));
    await expect(dynamodb.send(new DeleteTableCommand({ TableName: 'Doomed' }))).rejects.toThrow(
      'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
    );
  });

  it('answers DescribeLimits', async () => {
    const limits = await dynamodb.send(new DescribeLimitsCommand({}));
    expect(limits.TableMaxReadCapacityUnits).toBe(40_000);
  });
});
