/**
 * kill -9 while clients write BatchWriteItem batches of 25 and TransactWriteItems transfers
 * between accounts. After a restart on the same store: every acknowledged batch item is there
 * (with its GSI entry), and the accounts' balances still add up — no transaction is half-applied.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  paginateScan,
} from '@aws-sdk/client-dynamodb';
import { PostgresStore } from '../src/storage/postgres.js';
import { startServer } from './support/processes.js';
import { startTestStratus, testStoreUrl } from './support/stratus.js';

const accounts = 10;
const startingBalance = 1000;
const killAfterItems = 2_000;

const client = (endpoint: string) =>
  new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });

describe('DynamoDB durability', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratus-dynamodb-durable-'));
  const storeUrl = testStoreUrl();
  afterAll(async () => {
    if (storeUrl) await (await PostgresStore.open({ url: storeUrl })).close({ dropSchema: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'kill -9 during batch writes and transactions loses no acknowledged write and leaves no half transaction',
    { timeout: 120_000 },
    async () => {
      const { child, url } = await startServer('test/support/serve.ts', [dataDir, storeUrl ?? '']);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const dynamodb = client(url);
      await dynamodb.send(
        new CreateTableCommand({
          TableName: 'Events',
          AttributeDefinitions: [
            { AttributeName: 'id', AttributeType: 'S' },
            { AttributeName: 'batch', AttributeType: 'N' },
          ],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          GlobalSecondaryIndexes: [
            {
              IndexName: 'byBatch',
              KeySchema: [{ AttributeName: 'batch', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'KEYS_ONLY' },
            },
          ],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await dynamodb.send(
        new CreateTableCommand({
          TableName: 'Accounts',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      for (let id = 0; id < accounts; id++) {
        await dynamodb.send(
          new PutItemCommand({
            TableName: 'Accounts',
            Item: { id: { N: String(id) }, balance: { N: String(startingBalance) } },
          }),
        );
      }

      const acknowledged: string[] = [];
      let killed = false;
      let batch = 0;
      const writeBatches = async () => {
        while (!killed) {
          const ids = Array.from({ length: 25 }, (_, n) => `b${batch}-${n}`);
          const number = batch++;
          try {
            await dynamodb.send(
              new BatchWriteItemCommand({
                RequestItems: {
                  Events: ids.map((id) => ({
                    PutRequest: { Item: { id: { S: id }, batch: { N: String(number) } } },
                  })),
                },
              }),
            );
          } catch (err) {
            if (killed) return;
            throw err;
          }
          acknowledged.push(...ids);
          if (acknowledged.length >= killAfterItems && !killed) {
            killed = true;
            child.kill('SIGKILL');
          }
        }
      };
      let transfer = 0;
      const transfers = async () => {
        while (!killed) {
          const from = transfer % accounts;
          const to = (transfer * 7 + 3) % accounts;
          transfer++;
          if (from === to) continue;
          try {
            await dynamodb.send(
              new TransactWriteItemsCommand({
                TransactItems: [
                  {
                    Update: {
                      TableName: 'Accounts',
                      Key: { id: { N: String(from) } },
                      UpdateExpression: 'SET balance = balance - :one',
                      ExpressionAttributeValues: { ':one': { N: '1' } },
                    },
                  },
                  {
                    Update: {
                      TableName: 'Accounts',
                      Key: { id: { N: String(to) } },
                      UpdateExpression: 'SET balance = balance + :one',
                      ExpressionAttributeValues: { ':one': { N: '1' } },
                    },
                  },
                ],
              }),
            );
          } catch (err) {
            if (killed) return;
            throw err;
          }
        }
      };
      await Promise.all([writeBatches(), writeBatches(), transfers(), transfers()]);
      await exited;
      dynamodb.destroy();

      const restarted = await startTestStratus({ dataDir, storeUrl });
      const after = new DynamoDBClient(restarted.clientConfig);
      try {
        const stored = new Set<string>();
        for await (const page of paginateScan({ client: after }, { TableName: 'Events' })) {
          for (const item of page.Items!) stored.add(item.id!.S!);
        }
        expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
        const indexed = await after.send(
          new QueryCommand({
            TableName: 'Events',
            IndexName: 'byBatch',
            KeyConditionExpression: '#b = :b',
            ExpressionAttributeNames: { '#b': 'batch' },
            ExpressionAttributeValues: { ':b': { N: '0' } },
          }),
        );
        expect(indexed.Count).toBe(25);
        const balances = await after.send(new ScanCommand({ TableName: 'Accounts' }));
        const total = balances.Items!.reduce((sum, item) => sum + Number(item.balance!.N), 0);
        expect(total).toBe(accounts * startingBalance);
        expect(transfer).toBeGreaterThan(10);
      } finally {
        after.destroy();
        await restarted.stop();
      }
    },
  );
});
