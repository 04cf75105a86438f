import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand as DocQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { startTestStratus, type TestStratus } from './support/stratus.js';

describe('DynamoDB items', () => {
  let stratus: TestStratus;
  let dynamodb: DynamoDBClient;
  let documents: DynamoDBDocumentClient;

  beforeAll(async () => {
    stratus = await startTestStratus();
    dynamodb = new DynamoDBClient(stratus.clientConfig);
    documents = DynamoDBDocumentClient.from(dynamodb);
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'Music',
        AttributeDefinitions: [
          { AttributeName: 'Artist', AttributeType: 'S' },
          { AttributeName: 'Song', AttributeType: 'S' },
          { AttributeName: 'Year', AttributeType: 'N' },
          { AttributeName: 'Genre', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'Artist', KeyType: 'HASH' },
          { AttributeName: 'Song', KeyType: 'RANGE' },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'ByYear',
            KeySchema: [
              { AttributeName: 'Artist', KeyType: 'HASH' },
              { AttributeName: 'Year', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'ByGenre',
            KeySchema: [
              { AttributeName: 'Genre', KeyType: 'HASH' },
              { AttributeName: 'Year', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['Plays'] },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'Counters',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  afterAll(async () => {
    dynamodb?.destroy();
    await stratus?.stop();
  });

  const song = (artist: string, title: string, year: number, genre: string, plays = 0) => ({
    Artist: { S: artist },
    Song: { S: title },
    Year: { N: String(year) },
    Genre: { S: genre },
    Plays: { N: String(plays) },
    Lyrics: { S: `${title} lyrics` },
  });

  it('puts, gets and deletes an item with every attribute type', async () => {
    const item = {
      Artist: { S: 'Types' },
      Song: { S: 'All of them' },
      n: { N: '0012.50' },
      b: { B: new Uint8Array([0, 1, 255]) },
      t: { BOOL: true },
      z: { NULL: true },
      m: { M: { inner: { L: [{ S: 'x' }, { N: '1' }] } } },
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['1', '2.5'] },
      bs: { BS: [new Uint8Array([1]), new Uint8Array([2])] },
    };
    await dynamodb.send(new PutItemCommand({ TableName: 'Music', Item: item }));
    const { Item } = await dynamodb.send(
      new GetItemCommand({ TableName: 'Music', Key: { Artist: { S: 'Types' }, Song: { S: 'All of them' } } }),
    );
    expect(Item).toEqual({ ...item, n: { N: '12.5' } });
    const deleted = await dynamodb.send(
      new DeleteItemCommand({
        TableName: 'Music',
        Key: { Artist: { S: 'Types' }, Song: { S: 'All of them' } },
        ReturnValues: 'ALL_OLD',
      }),
    );
    expect(deleted.Attributes?.n).toEqual({ N: '12.5' });
    const after = await dynamodb.send(
      new GetItemCommand({ TableName: 'Music', Key: { Artist: { S: 'Types' }, Song: { S: 'All of them' } } }),
    );
    expect(after.Item).toBeUndefined();
  });

  it('honours conditions, and returns the old item on a failed one when asked', async () => {
    const key = { Artist: { S: 'Cond' }, Song: { S: 'Once' } };
    const put = (condition?: string) =>
      dynamodb.send(
        new PutItemCommand({
          TableName: 'Music',
          Item: { ...key, v: { N: '1' } },
          ...(condition ? { ConditionExpression: condition } : {}),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    await put('attribute_not_exists(Artist)');
    const failure = await put('attribute_not_exists(Artist)').catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ConditionalCheckFailedException);
    expect((failure as ConditionalCheckFailedException).message).toBe('The conditional request failed');
    expect((failure as ConditionalCheckFailedException).Item).toEqual({ ...key, v: { N: '1' } });
  });

  it('updates with SET, REMOVE, ADD and DELETE and returns what changed', async () => {
    const key = { id: { N: '1' } };
    const created = await dynamodb.send(
      new UpdateItemCommand({
        TableName: 'Counters',
        Key: key,
        UpdateExpression: 'SET #c = if_not_exists(#c, :zero) + :one, tags = :tags, gone = :one ADD hits :one',
        ExpressionAttributeNames: { '#c': 'count' },
        ExpressionAttributeValues: {
          ':zero': { N: '0' },
          ':one': { N: '1' },
          ':tags': { SS: ['a', 'b', 'c'] },
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(created.Attributes).toEqual({
      id: { N: '1' },
      count: { N: '1' },
      tags: { SS: ['a', 'b', 'c'] },
      gone: { N: '1' },
      hits: { N: '1' },
    });
    const updated = await dynamodb.send(
      new UpdateItemCommand({
        TableName: 'Counters',
        Key: key,
        UpdateExpression: 'SET #c = #c + :one REMOVE gone DELETE tags :b',
        ConditionExpression: '#c = :one',
        ExpressionAttributeNames: { '#c': 'count' },
        ExpressionAttributeValues: { ':one': { N: '1' }, ':b': { SS: ['b'] } },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    expect(updated.Attributes).toEqual({ count: { N: '2' }, tags: { SS: ['a', 'c'] } });
    await expect(
      dynamodb.send(
        new UpdateItemCommand({
          TableName: 'Counters',
          Key: key,
          UpdateExpression: 'SET id = :one',
          ExpressionAttributeValues: { ':one': { N: '1' } },
        }),
      ),
    ).rejects.toThrow('Cannot update attribute id. This attribute is part of the key');
  });

  it('queries a partition by sort key range, in both directions, in pages', async () => {
    const titles = ['a1', 'a2', 'b1', 'b2', 'b3', 'c1'];
    for (const [i, title] of titles.entries()) {
      await dynamodb.send(
        new PutItemCommand({ TableName: 'Music', Item: song('Queen', title, 1970 + i, 'rock', i) }),
      );
    }
    await dynamodb.send(new PutItemCommand({ TableName: 'Music', Item: song('Abba', 'b9', 1975, 'pop') }));
    const query = (extra: object) =>
      dynamodb.send(
        new QueryCommand({
          TableName: 'Music',
          KeyConditionExpression: 'Artist = :a AND begins_with(Song, :p)',
          ExpressionAttributeValues: { ':a': { S: 'Queen' }, ':p': { S: 'b' } },
          ...extra,
        }),
      );
    const all = await query({});
    expect(all.Items?.map((i) => i.Song?.S)).toEqual(['b1', 'b2', 'b3']);
    expect(all.Count).toBe(3);
    const backwards = await query({ ScanIndexForward: false });
    expect(backwards.Items?.map((i) => i.Song?.S)).toEqual(['b3', 'b2', 'b1']);
    const first = await query({ Limit: 2 });
    expect(first.Items?.map((i) => i.Song?.S)).toEqual(['b1', 'b2']);
    expect(first.LastEvaluatedKey).toEqual({ Artist: { S: 'Queen' }, Song: { S: 'b2' } });
    const rest = await query({ Limit: 2, ExclusiveStartKey: first.LastEvaluatedKey });
    expect(rest.Items?.map((i) => i.Song?.S)).toEqual(['b3']);
    const between = await dynamodb.send(
      new QueryCommand({
        TableName: 'Music',
        KeyConditionExpression: 'Artist = :a AND Song BETWEEN :lo AND :hi',
        FilterExpression: 'Plays >= :min',
        ExpressionAttributeValues: {
          ':a': { S: 'Queen' },
          ':lo': { S: 'a2' },
          ':hi': { S: 'b3' },
          ':min': { N: '2' },
        },
        Select: 'COUNT',
      }),
    );
    expect(between).toMatchObject({ Count: 3, ScannedCount: 4 });
    expect(between.Items).toBeUndefined();
  });

  it('queries a GSI and an LSI, fetching what the LSI does not project', async () => {
    const rock = await dynamodb.send(
      new QueryCommand({
        TableName: 'Music',
        IndexName: 'ByGenre',
        KeyConditionExpression: 'Genre = :g AND #y > :y',
        ExpressionAttributeNames: { '#y': 'Year' },
        ExpressionAttributeValues: { ':g': { S: 'rock' }, ':y': { N: '1972' } },
      }),
    );
    expect(rock.Items?.map((i) => i.Year?.N)).toEqual(['1973', '1974', '1975']);
    expect(Object.keys(rock.Items![0]!).sort()).toEqual(['Artist', 'Genre', 'Plays', 'Song', 'Year']);
    const local = await dynamodb.send(
      new QueryCommand({
        TableName: 'Music',
        IndexName: 'ByYear',
        KeyConditionExpression: 'Artist = :a AND #y <= :y',
        ExpressionAttributeNames: { '#y': 'Year' },
        ExpressionAttributeValues: { ':a': { S: 'Queen' }, ':y': { N: '1971' } },
        Select: 'ALL_ATTRIBUTES',
      }),
    );
    expect(local.Items?.map((i) => i.Lyrics?.S)).toEqual(['a1 lyrics', 'a2 lyrics']);
    await expect(
      dynamodb.send(
        new QueryCommand({
          TableName: 'Music',
          IndexName: 'ByGenre',
          ConsistentRead: true,
          KeyConditionExpression: 'Genre = :g',
          ExpressionAttributeValues: { ':g': { S: 'rock' } },
        }),
      ),
    ).rejects.toThrow('Consistent reads are not supported on global secondary indexes');
  });

  it('scans in parallel segments that together cover the table once', async () => {
    for (let i = 0; i < 40; i++) {
      await dynamodb.send(
        new PutItemCommand({ TableName: 'Counters', Item: { id: { N: String(100 + i) } } }),
      );
    }
    const seen: string[] = [];
    for (let segment = 0; segment < 4; segment++) {
      let start: Record<string, never> | undefined;
      do {
        const page = await dynamodb.send(
          new ScanCommand({
            TableName: 'Counters',
            Segment: segment,
            TotalSegments: 4,
            Limit: 7,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        seen.push(...page.Items!.map((i) => i.id!.N!));
        start = page.LastEvaluatedKey as typeof start;
      } while (start);
    }
    expect(seen.filter((id) => Number(id) >= 100).sort()).toEqual(
      Array.from({ length: 40 }, (_, i) => String(100 + i)).sort(),
    );
    await expect(
      dynamodb.send(new ScanCommand({ TableName: 'Counters', Segment: 4, TotalSegments: 4 })),
    ).rejects.toThrow(
      'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is not less than TotalSegments: 4',
    );
  });

  it('ends a Scan page once it has read 1 MB', async () => {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'Blobs',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const big = 'x'.repeat(300 * 1024);
    for (let id = 0; id < 5; id++) {
      await dynamodb.send(
        new PutItemCommand({ TableName: 'Blobs', Item: { id: { N: String(id) }, big: { S: big } } }),
      );
    }
    const first = await dynamodb.send(new ScanCommand({ TableName: 'Blobs', ProjectionExpression: 'id' }));
    expect(first.Count).toBe(4);
    expect(first.LastEvaluatedKey).toBeDefined();
    const rest = await dynamodb.send(
      new ScanCommand({
        TableName: 'Blobs',
        ProjectionExpression: 'id',
        ExclusiveStartKey: first.LastEvaluatedKey,
      }),
    );
    expect(rest.Count).toBe(1);
    expect(rest.LastEvaluatedKey).toBeUndefined();
  });

  it('writes and reads in batches', async () => {
    await dynamodb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          Counters: [
            { PutRequest: { Item: { id: { N: '500' }, v: { S: 'x' } } } },
            { PutRequest: { Item: { id: { N: '501' } } } },
            { DeleteRequest: { Key: { id: { N: '100' } } } },
          ],
        },
      }),
    );
    const read = await dynamodb.send(
      new BatchGetItemCommand({
        RequestItems: {
          Counters: {
            Keys: [{ id: { N: '500' } }, { id: { N: '100' } }, { id: { N: '501' } }],
            ProjectionExpression: 'id',
          },
        },
      }),
    );
    expect(read.Responses?.Counters?.map((i) => i.id?.N).sort()).toEqual(['500', '501']);
    expect(read.UnprocessedKeys).toEqual({});
    await expect(
      dynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            Counters: [
              { PutRequest: { Item: { id: { N: '7' } } } },
              { DeleteRequest: { Key: { id: { N: '7' } } } },
            ],
          },
        }),
      ),
    ).rejects.toThrow('Provided list of item keys contains duplicates');
  });

  it('commits concurrent batches together, each answered with its own consumed capacity', async () => {
    const batches = Array.from({ length: 8 }, (_, b) =>
      dynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            Counters: Array.from({ length: 25 }, (_, i) => ({
              PutRequest: {
                Item: { id: { N: String(10_000 + b * 100 + i) }, v: { S: 'x'.repeat(b * 1000) } },
              },
            })),
          },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      ),
    );
    const answers = await Promise.all(batches);
    // An item of b KB costs b + 1 write units (1 KB each, rounded up): the answers are not mixed up.
    expect(answers.map((a) => a.ConsumedCapacity?.[0]?.CapacityUnits)).toEqual(
      Array.from({ length: 8 }, (_, b) => 25 * (b === 0 ? 1 : Math.ceil((b * 1000 + 10) / 1024))),
    );
    const scanned = await dynamodb.send(
      new ScanCommand({
        TableName: 'Counters',
        FilterExpression: 'id >= :from',
        ExpressionAttributeValues: { ':from': { N: '10000' } },
        Select: 'COUNT',
      }),
    );
    expect(scanned.Count).toBe(200);
  });

  it('reports consumed capacity per index and the item collection size', async () => {
    const out = await dynamodb.send(
      new PutItemCommand({
        TableName: 'Music',
        Item: song('Capacity', 'c', 2000, 'pop'),
        ReturnConsumedCapacity: 'INDEXES',
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    );
    expect(out.ConsumedCapacity).toMatchObject({
      TableName: 'Music',
      CapacityUnits: 3,
      Table: { CapacityUnits: 1 },
      LocalSecondaryIndexes: { ByYear: { CapacityUnits: 1 } },
      GlobalSecondaryIndexes: { ByGenre: { CapacityUnits: 1 } },
    });
    expect(out.ItemCollectionMetrics).toEqual({
      ItemCollectionKey: { Artist: { S: 'Capacity' } },
      SizeEstimateRangeGB: [0, 1],
    });
    const read = await dynamodb.send(
      new GetItemCommand({
        TableName: 'Music',
        Key: { Artist: { S: 'Capacity' }, Song: { S: 'c' } },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(read.ConsumedCapacity).toEqual({ TableName: 'Music', CapacityUnits: 0.5, ReadCapacityUnits: 0.5 });
  });

  it('answers bad keys and missing tables with DynamoDB’s errors', async () => {
    await expect(
      dynamodb.send(new GetItemCommand({ TableName: 'Counters', Key: { id: { S: '1' } } })),
    ).rejects.toThrow('The provided key element does not match the schema');
    await expect(
      dynamodb.send(new PutItemCommand({ TableName: 'Counters', Item: { other: { S: 'x' } } })),
    ).rejects.toThrow('One or more parameter values were invalid: Missing the key id in the item');
    await expect(
      dynamodb.send(new GetItemCommand({ TableName: 'Missing', Key: { id: { N: '1' } } })),
    ).rejects.toThrow(ResourceNotFoundException);
    await expect(
      dynamodb.send(
        new QueryCommand({
          TableName: 'Music',
          KeyConditionExpression: 'Song = :s',
          ExpressionAttributeValues: { ':s': { S: 'x' } },
        }),
      ),
    ).rejects.toThrow('Query condition missed key schema element: Artist');
  });

  it('works through the document client', async () => {
    await documents.send(
      new PutCommand({
        TableName: 'Music',
        Item: { Artist: 'Doc', Song: 'One', Year: 2001, Genre: 'jazz', meta: { a: [1, 'b'] } },
      }),
    );
    await documents.send(
      new UpdateCommand({
        TableName: 'Music',
        Key: { Artist: 'Doc', Song: 'One' },
        UpdateExpression: 'SET meta.a[2] = :c',
        ExpressionAttributeValues: { ':c': true },
      }),
    );
    const { Item } = await documents.send(
      new GetCommand({ TableName: 'Music', Key: { Artist: 'Doc', Song: 'One' } }),
    );
    expect(Item).toEqual({
      Artist: 'Doc',
      Song: 'One',
      Year: 2001,
      Genre: 'jazz',
      meta: { a: [1, 'b', true] },
    });
    const { Items } = await documents.send(
      new DocQuery({
        TableName: 'Music',
        IndexName: 'ByGenre',
        KeyConditionExpression: 'Genre = :g',
        ExpressionAttributeValues: { ':g': 'jazz' },
      }),
    );
    expect(Items).toEqual([{ Artist: 'Doc', Song: 'One', Year: 2001, Genre: 'jazz' }]);
  });
});
