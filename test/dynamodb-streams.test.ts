import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
  UpdateTableCommand,
  ConditionalCheckFailedException,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { ManualClock } from '../src/engine/clock.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

const t0 = Date.UTC(2026, 10, 1, 12, 0, 0);

describe('DynamoDB Streams and TTL', () => {
  let stratus: TestStratus;
  let dynamodb: DynamoDBClient;
  let streams: DynamoDBStreamsClient;
  const clock = new ManualClock(t0);

  beforeAll(async () => {
    stratus = await startTestStratus({ clock });
    dynamodb = new DynamoDBClient(stratus.clientConfig);
    streams = new DynamoDBStreamsClient(stratus.clientConfig);
  });
  afterAll(async () => {
    dynamodb?.destroy();
    streams?.destroy();
    await stratus?.stop();
  });

  async function streamTable(
    name: string,
    viewType: 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY' = 'NEW_AND_OLD_IMAGES',
  ) {
    const created = await dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: viewType },
      }),
    );
    return created.TableDescription!.LatestStreamArn!;
  }

  async function allRecords(streamArn: string): Promise<_Record[]> {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const records: _Record[] = [];
    for (const shard of StreamDescription!.Shards!) {
      let { ShardIterator: iterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      while (iterator) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 2 }));
        records.push(...page.Records!);
        if (page.Records!.length === 0) break;
        iterator = page.NextShardIterator;
      }
    }
    return records;
  }

  it('records INSERT, MODIFY and REMOVE in order with old and new images, and nothing for failed or no-op writes', async () => {
    const arn = await streamTable('Changes');
    const key = { id: { S: 'a' } };
    await dynamodb.send(new PutItemCommand({ TableName: 'Changes', Item: { ...key, v: { N: '1' } } }));
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: 'Changes',
        Key: key,
        UpdateExpression: 'SET v = :v',
        ExpressionAttributeValues: { ':v': { N: '2' } },
      }),
    );
    // A write whose condition fails, and one that changes nothing, leave no record.
    await expect(
      dynamodb.send(
        new PutItemCommand({
          TableName: 'Changes',
          Item: key,
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      ),
    ).rejects.toThrow(ConditionalCheckFailedException);
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: 'Changes',
        Key: key,
        UpdateExpression: 'SET v = :v',
        ExpressionAttributeValues: { ':v': { N: '2' } },
      }),
    );
    await dynamodb.send(new DeleteItemCommand({ TableName: 'Changes', Key: key }));

    const records = await allRecords(arn);
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    expect(records[1]?.dynamodb).toMatchObject({
      Keys: key,
      OldImage: { ...key, v: { N: '1' } },
      NewImage: { ...key, v: { N: '2' } },
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
    expect(records[2]?.dynamodb?.NewImage).toBeUndefined();
    const numbers = records.map((r) => r.dynamodb!.SequenceNumber!);
    expect([...numbers].sort()).toEqual(numbers);
    expect(records[0]?.dynamodb?.ApproximateCreationDateTime?.getTime()).toBe(
      Math.floor(clock.now() / 1000) * 1000,
    );
    expect(records[0]).toMatchObject({
      eventSource: 'aws:dynamodb',
      eventVersion: '1.1',
      awsRegion: 'us-east-1',
    });
  });

  it('lists streams by table and reads from LATEST onwards', async () => {
    const arn = await streamTable('Latest', 'KEYS_ONLY');
    const listed = await streams.send(new ListStreamsCommand({ TableName: 'Latest' }));
    expect(listed.Streams).toEqual([expect.objectContaining({ StreamArn: arn, TableName: 'Latest' })]);
    await dynamodb.send(new PutItemCommand({ TableName: 'Latest', Item: { id: { S: 'before' } } }));
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: arn,
        ShardId: StreamDescription!.Shards![0]!.ShardId,
        ShardIteratorType: 'LATEST',
      }),
    );
    await dynamodb.send(
      new PutItemCommand({ TableName: 'Latest', Item: { id: { S: 'after' }, x: { S: 'y' } } }),
    );
    const page = await streams.send(new GetRecordsCommand({ ShardIterator }));
    expect(page.Records?.map((r) => r.dynamodb?.Keys)).toEqual([{ id: { S: 'after' } }]);
    expect(page.Records?.[0]?.dynamodb?.NewImage).toBeUndefined();
  });

  it('rolls shards over after four hours, keeping the parent readable', async () => {
    const arn = await streamTable('Rolling');
    await dynamodb.send(new PutItemCommand({ TableName: 'Rolling', Item: { id: { S: '1' } } }));
    clock.advance(4 * 3600 * 1000 + 1);
    await dynamodb.send(new PutItemCommand({ TableName: 'Rolling', Item: { id: { S: '2' } } }));
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    const [parent, child] = StreamDescription!.Shards!;
    expect(child?.ParentShardId).toBe(parent?.ShardId);
    expect(parent?.SequenceNumberRange?.EndingSequenceNumber).toBeDefined();
    expect((await allRecords(arn)).map((r) => r.dynamodb?.Keys?.id?.S)).toEqual(['1', '2']);
  });

  it('deletes items past their TTL as the service, with a REMOVE record', async () => {
    const arn = await streamTable('Sessions');
    await dynamodb.send(
      new UpdateTimeToLiveCommand({
        TableName: 'Sessions',
        TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
      }),
    );
    const inAMinute = Math.floor(clock.now() / 1000) + 60;
    await dynamodb.send(
      new PutItemCommand({
        TableName: 'Sessions',
        Item: { id: { S: 'old' }, expiresAt: { N: String(inAMinute) } },
      }),
    );
    await dynamodb.send(
      new PutItemCommand({
        TableName: 'Sessions',
        Item: { id: { S: 'young' }, expiresAt: { N: String(inAMinute + 3600) } },
      }),
    );
    clock.advance(61_000);
    const gone = async () =>
      (await dynamodb.send(new GetItemCommand({ TableName: 'Sessions', Key: { id: { S: 'old' } } }))).Item ===
      undefined;
    for (let i = 0; i < 100 && !(await gone()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await gone()).toBe(true);
    const young = await dynamodb.send(
      new GetItemCommand({ TableName: 'Sessions', Key: { id: { S: 'young' } } }),
    );
    expect(young.Item).toBeDefined();
    const removal = (await allRecords(arn)).find((r) => r.eventName === 'REMOVE');
    // The Streams API names the members as its model does; Lambda's event has them in lower camel case.
    expect(removal?.userIdentity).toEqual({ Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' });
    expect(removal?.dynamodb?.Keys).toEqual({ id: { S: 'old' } });
  });

  it('starts a new stream when the stream is enabled again', async () => {
    const first = await streamTable('Toggled');
    await dynamodb.send(
      new UpdateTableCommand({ TableName: 'Toggled', StreamSpecification: { StreamEnabled: false } }),
    );
    const again = await dynamodb.send(
      new UpdateTableCommand({
        TableName: 'Toggled',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    expect(again.TableDescription?.LatestStreamArn).not.toBe(first);
    const described = await streams.send(new DescribeStreamCommand({ StreamArn: first }));
    expect(described.StreamDescription?.StreamStatus).toBe('DISABLED');
  });
});
