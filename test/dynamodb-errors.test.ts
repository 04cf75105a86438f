/**
 * Bad input of every kind gets DynamoDB's error — the right status, `__type` and message — and
 * leaves nothing half-written; raw requests check the wire form SDKs would hide.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { startTestStratus, type TestStratus } from './support/stratus.js';

describe('DynamoDB errors', () => {
  let stratus: TestStratus;
  let dynamodb: DynamoDBClient;

  beforeAll(async () => {
    stratus = await startTestStratus();
    dynamodb = new DynamoDBClient({ ...stratus.clientConfig, maxAttempts: 1 });
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'Things',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  afterAll(async () => {
    dynamodb?.destroy();
    await stratus?.stop();
  });

  async function raw(operation: string, body: string) {
    const response = await fetch(`${stratus.url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${operation}`,
        authorization:
          'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as { __type: string; message: string } };
  }

  it('answers malformed JSON and wrongly typed members with a SerializationException', async () => {
    for (const body of [
      '{"TableName": ',
      '{"TableName": 5, "Key": {}}',
      '{"TableName":"Things","Key":{"id":{"S":1}}}',
    ]) {
      const { status, body: error } = await raw('GetItem', body);
      expect(status).toBe(400);
      expect(error.__type).toMatch(/SerializationException$/);
    }
  });

  it.each([
    [
      'an empty set',
      { id: { S: 'a' }, tags: { SS: [] } },
      'One or more parameter values were invalid: An string set  may not be empty',
    ],
    [
      'a duplicate in a set',
      { id: { S: 'a' }, tags: { NS: ['1', '1.0'] } },
      'Input collection contains duplicates',
    ],
    [
      'a number with 39 digits',
      { id: { S: 'a' }, n: { N: '1'.repeat(39) } },
      'Attempting to store more than 38 significant digits in a Number',
    ],
    ['a number too large', { id: { S: 'a' }, n: { N: '1e126' } }, 'Number overflow'],
    [
      'an empty key',
      { id: { S: '' } },
      'The AttributeValue for a key attribute cannot contain an empty string value. Key: id',
    ],
    [
      'an item over 400 KB',
      { id: { S: 'a' }, big: { S: 'x'.repeat(400 * 1024) } },
      'Item size has exceeded the maximum allowed size',
    ],
  ])('refuses %s', async (_, item, message) => {
    await expect(
      dynamodb.send(new PutItemCommand({ TableName: 'Things', Item: item as never })),
    ).rejects.toThrow(message);
    const stored = await dynamodb.send(new GetItemCommand({ TableName: 'Things', Key: { id: { S: 'a' } } }));
    expect(stored.Item).toBeUndefined();
  });

  it('names the token of a syntax error and the placeholders nobody used', async () => {
    await expect(
      dynamodb.send(
        new UpdateItemCommand({
          TableName: 'Things',
          Key: { id: { S: 'a' } },
          UpdateExpression: 'SET a = = :v',
          ExpressionAttributeValues: { ':v': { S: 'x' } },
        }),
      ),
    ).rejects.toThrow('Invalid UpdateExpression: Syntax error; token: "=", near: "= = :v"');
    await expect(
      dynamodb.send(
        new UpdateItemCommand({
          TableName: 'Things',
          Key: { id: { S: 'a' } },
          UpdateExpression: 'SET a = :v',
          ExpressionAttributeValues: { ':v': { S: 'x' }, ':w': { S: 'y' } },
        }),
      ),
    ).rejects.toThrow('Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}');
  });

  it('refuses a Query without a key condition, and a batch over 25 writes', async () => {
    await expect(dynamodb.send(new QueryCommand({ TableName: 'Things' }))).rejects.toThrow(
      'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.',
    );
    await expect(
      dynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            Things: Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { id: { S: `b${i}` } } } })),
          },
        }),
      ),
    ).rejects.toThrow(/Member must have length less than or equal to 25|Too many items requested/);
  });
});
