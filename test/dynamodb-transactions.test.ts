import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  IdempotentParameterMismatchException,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { startTestStratus, type TestStratus } from './support/stratus.js';

describe('DynamoDB transactions', () => {
  let stratus: TestStratus;
  let dynamodb: DynamoDBClient;

  beforeAll(async () => {
    stratus = await startTestStratus();
    dynamodb = new DynamoDBClient({ ...stratus.clientConfig, maxAttempts: 1 });
    for (const name of ['Orders', 'Stock']) {
      await dynamodb.send(
        new CreateTableCommand({
          TableName: name,
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    }
    await dynamodb.send(
      new PutItemCommand({ TableName: 'Stock', Item: { id: { S: 'widget' }, left: { N: '1' } } }),
    );
  });
  afterAll(async () => {
    dynamodb?.destroy();
    await stratus?.stop();
  });

  const order = (id: string, token?: string) =>
    new TransactWriteItemsCommand({
      ...(token ? { ClientRequestToken: token } : {}),
      TransactItems: [
        {
          Put: {
            TableName: 'Orders',
            Item: { id: { S: id }, product: { S: 'widget' } },
            ConditionExpression: 'attribute_not_exists(id)',
          },
        },
        {
          Update: {
            TableName: 'Stock',
            Key: { id: { S: 'widget' } },
            UpdateExpression: 'SET #left = #left - :one',
            ConditionExpression: '#left >= :one',
            ExpressionAttributeNames: { '#left': 'left' },
            ExpressionAttributeValues: { ':one': { N: '1' } },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
      ],
    });

  it('applies every action or none, naming the reason per action', async () => {
    await dynamodb.send(order('o1'));
    const failure = await dynamodb.send(order('o2')).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(TransactionCanceledException);
    const cancelled = failure as TransactionCanceledException;
    expect(cancelled.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
    );
    expect(cancelled.CancellationReasons).toEqual([
      { Code: 'None' },
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { id: { S: 'widget' }, left: { N: '0' } },
      },
    ]);
    const o2 = await dynamodb.send(new GetItemCommand({ TableName: 'Orders', Key: { id: { S: 'o2' } } }));
    expect(o2.Item).toBeUndefined();
  });

  it('reads several items as of one instant', async () => {
    const { Responses } = await dynamodb.send(
      new TransactGetItemsCommand({
        TransactItems: [
          { Get: { TableName: 'Orders', Key: { id: { S: 'o1' } }, ProjectionExpression: 'product' } },
          { Get: { TableName: 'Stock', Key: { id: { S: 'widget' } } } },
          { Get: { TableName: 'Orders', Key: { id: { S: 'none' } } } },
        ],
      }),
    );
    expect(Responses).toEqual([
      { Item: { product: { S: 'widget' } } },
      { Item: { id: { S: 'widget' }, left: { N: '0' } } },
      {},
    ]);
  });

  it('treats a repeated ClientRequestToken as the same transaction, and refuses it for another one', async () => {
    await dynamodb.send(
      new PutItemCommand({ TableName: 'Stock', Item: { id: { S: 'widget' }, left: { N: '5' } } }),
    );
    await dynamodb.send(order('o3', 'token-1'));
    await dynamodb.send(order('o3', 'token-1'));
    const stock = await dynamodb.send(
      new GetItemCommand({ TableName: 'Stock', Key: { id: { S: 'widget' } } }),
    );
    expect(stock.Item?.left).toEqual({ N: '4' });
    await expect(dynamodb.send(order('o4', 'token-1'))).rejects.toThrow(IdempotentParameterMismatchException);
  });

  it('refuses two actions on one item', async () => {
    await expect(
      dynamodb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: 'Orders', Item: { id: { S: 'x' } } } },
            { Delete: { TableName: 'Orders', Key: { id: { S: 'x' } } } },
          ],
        }),
      ),
    ).rejects.toThrow('Transaction request cannot include multiple operations on one item');
  });

  it('lets exactly one of many concurrent transactions claim the same new item', async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        dynamodb.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Put: {
                  TableName: 'Orders',
                  Item: { id: { S: 'contested' }, by: { N: String(i) } },
                  ConditionExpression: 'attribute_not_exists(id)',
                },
              },
              {
                Update: {
                  TableName: 'Stock',
                  Key: { id: { S: 'claims' } },
                  UpdateExpression: 'ADD claims :one',
                  ExpressionAttributeValues: { ':one': { N: '1' } },
                },
              },
            ],
          }),
        ),
      ),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    for (const attempt of attempts.filter((a) => a.status === 'rejected')) {
      expect((attempt as PromiseRejectedResult).reason).toBeInstanceOf(TransactionCanceledException);
    }
    const claims = await dynamodb.send(
      new GetItemCommand({ TableName: 'Stock', Key: { id: { S: 'claims' } } }),
    );
    expect(claims.Item?.claims).toEqual({ N: '1' });
  });

  it('keeps concurrent increments exact', async () => {
    await Promise.all(
      Array.from({ length: 20 }, () =>
        dynamodb.send(
          new TransactWriteItemsCommand({
            TransactItems: ['a', 'b'].map((id) => ({
              Update: {
                TableName: 'Stock',
                Key: { id: { S: `counter-${id}` } },
                UpdateExpression: 'ADD n :one',
                ExpressionAttributeValues: { ':one': { N: '1' } },
              },
            })),
          }),
        ),
      ),
    );
    for (const id of ['a', 'b']) {
      const item = await dynamodb.send(
        new GetItemCommand({ TableName: 'Stock', Key: { id: { S: `counter-${id}` } } }),
      );
      expect(item.Item?.n).toEqual({ N: '20' });
    }
  });
});
