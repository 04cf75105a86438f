/**
 * Scenario 8 — a change stream, end to end through the AWS SDK: a DynamoDB table with a stream
 * (NEW_AND_OLD_IMAGES) triggers a function on its INSERT records, in order per partition key, and
 * the function (using @aws-sdk/client-dynamodb inside, which reaches Stratus through
 * AWS_ENDPOINT_URL) writes a summary item per customer to a second table. An item whose TTL has
 * passed is deleted by DynamoDB itself and reaches a second function as a REMOVE record whose
 * userIdentity names the service.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateEventSourceMappingCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { ManualClock } from '../src/engine/clock.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import { createFunction, eventually } from './support/lambda.js';

const t0 = Date.UTC(2026, 10, 3, 8, 0, 0);

/** Appends each new order to its customer's summary: the list of order ids, in order, and the total. */
const summarize = `
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
const dynamodb = new DynamoDBClient({});
export const handler = async (event) => {
  for (const record of event.Records) {
    const order = record.dynamodb.NewImage;
    await dynamodb.send(new UpdateItemCommand({
      TableName: 'OrderSummaries',
      Key: { customer: order.customer },
      // TOTAL is a reserved word.
      UpdateExpression: 'SET orders = list_append(if_not_exists(orders, :none), :order), #total = if_not_exists(#total, :zero) + :amount',
      ExpressionAttributeNames: { '#total': 'total' },
      ExpressionAttributeValues: {
        ':none': { L: [] },
        ':order': { L: [order.orderId] },
        ':zero': { N: '0' },
        ':amount': order.amount,
      },
    }));
  }
};`;

/** Records each expired order it is told of, with who deleted it. */
const auditExpiry = `
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
const dynamodb = new DynamoDBClient({});
export const handler = async (event) => {
  for (const record of event.Records) {
    const order = record.dynamodb.OldImage;
    await dynamodb.send(new PutItemCommand({
      TableName: 'OrderSummaries',
      Item: {
        customer: { S: 'expired#' + order.customer.S + '#' + order.orderId.S },
        eventName: { S: record.eventName },
        userIdentity: { S: JSON.stringify(record.userIdentity) },
        amount: order.amount,
      },
    }));
  }
};`;

describe('scenario 8: change stream', () => {
  const clock = new ManualClock(t0);
  let stratus: TestStratus;
  let lambda: LambdaClient;
  let dynamodb: DynamoDBClient;

  beforeAll(async () => {
    stratus = await startTestStratus({ clock });
    lambda = new LambdaClient(stratus.clientConfig);
    dynamodb = new DynamoDBClient(stratus.clientConfig);
  });
  afterAll(async () => {
    lambda?.destroy();
    dynamodb?.destroy();
    await stratus?.close();
  });

  const summary = async (customer: string) =>
    (
      await dynamodb.send(
        new GetItemCommand({ TableName: 'OrderSummaries', Key: { customer: { S: customer } } }),
      )
    ).Item;

  it('summarizes INSERTs in order per customer, and reports an order whose TTL passed as deleted by the service', async () => {
    const { TableDescription } = await dynamodb.send(
      new CreateTableCommand({
        TableName: 'Orders',
        AttributeDefinitions: [
          { AttributeName: 'customer', AttributeType: 'S' },
          { AttributeName: 'orderId', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'customer', KeyType: 'HASH' },
          { AttributeName: 'orderId', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    const streamArn = TableDescription!.LatestStreamArn!;
    await dynamodb.send(
      new UpdateTimeToLiveCommand({
        TableName: 'Orders',
        TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' },
      }),
    );
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'OrderSummaries',
        AttributeDefinitions: [{ AttributeName: 'customer', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );

    await createFunction(
      lambda,
      'summarize-orders',
      { 'index.mjs': summarize },
      { handler: 'index.handler' },
    );
    await createFunction(lambda, 'audit-expiry', { 'index.mjs': auditExpiry }, { handler: 'index.handler' });
    await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'summarize-orders',
        EventSourceArn: streamArn,
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 2,
        ParallelizationFactor: 3,
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'] }) }] },
      }),
    );
    await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'audit-expiry',
        EventSourceArn: streamArn,
        StartingPosition: 'TRIM_HORIZON',
        FilterCriteria: {
          Filters: [
            { Pattern: JSON.stringify({ eventName: ['REMOVE'], userIdentity: { type: ['Service'] } }) },
          ],
        },
      }),
    );

    const order = (customer: string, orderId: string, amount: number, expiresAt?: number) =>
      dynamodb.send(
        new PutItemCommand({
          TableName: 'Orders',
          Item: {
            customer: { S: customer },
            orderId: { S: orderId },
            amount: { N: String(amount) },
            ...(expiresAt !== undefined ? { expiresAt: { N: String(expiresAt) } } : {}),
          },
        }),
      );
    const inAMinute = Math.floor(t0 / 1000) + 60;
    await order('ana', 'o1', 10);
    await order('ben', 'o1', 7);
    await order('ana', 'o2', 20);
    await order('cleo', 'quote', 99, inAMinute);
    await order('ben', 'o2', 3);
    await order('ana', 'o3', 5);
    // A change and a user's delete: neither is an INSERT, nor a delete by the service.
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: 'Orders',
        Key: { customer: { S: 'ana' }, orderId: { S: 'o1' } },
        UpdateExpression: 'SET amount = :a',
        ExpressionAttributeValues: { ':a': { N: '11' } },
      }),
    );
    await dynamodb.send(
      new DeleteItemCommand({ TableName: 'Orders', Key: { customer: { S: 'ben' }, orderId: { S: 'o2' } } }),
    );

    const ana = await eventually(
      () => summary('ana'),
      (item) => item?.orders?.L?.length === 3,
    );
    expect(ana).toEqual({
      customer: { S: 'ana' },
      orders: { L: [{ S: 'o1' }, { S: 'o2' }, { S: 'o3' }] },
      total: { N: '35' },
    });
    const ben = await eventually(
      () => summary('ben'),
      (item) => item?.orders?.L?.length === 2,
    );
    expect(ben).toMatchObject({ orders: { L: [{ S: 'o1' }, { S: 'o2' }] }, total: { N: '10' } });
    const cleo = await eventually(
      () => summary('cleo'),
      (item) => item !== undefined,
    );
    expect(cleo).toMatchObject({ orders: { L: [{ S: 'quote' }] }, total: { N: '99' } });

    // The quote's TTL passes: DynamoDB deletes it, and its REMOVE record names the service.
    clock.advance(61_000);
    const expired = await eventually(
      () => summary('expired#cleo#quote'),
      (item) => item !== undefined,
    );
    expect(expired).toEqual({
      customer: { S: 'expired#cleo#quote' },
      eventName: { S: 'REMOVE' },
      userIdentity: { S: JSON.stringify({ type: 'Service', principalId: 'dynamodb.amazonaws.com' }) },
      amount: { N: '99' },
    });
    // Records of one shard are read in order: the user's delete came before and was filtered out.
    expect(await summary('expired#ben#o2')).toBeUndefined();
    const quote = await dynamodb.send(
      new GetItemCommand({ TableName: 'Orders', Key: { customer: { S: 'cleo' }, orderId: { S: 'quote' } } }),
    );
    expect(quote.Item).toBeUndefined();
  });
});
