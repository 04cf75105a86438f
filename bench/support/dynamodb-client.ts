/**
 * The DynamoDB measuring client, in its own process: `concurrency` workers send one operation
 * through the AWS SDK in a loop — a warm-up first (counted in `total`, not in `requests`), then
 * `seconds` measured. Prints one JSON line.
 *   node --import tsx bench/support/dynamodb-client.ts <endpoint> <operation> <table> <partitions>
 *     <concurrency> <seconds> <client number>
 * Operations: PutItem and BatchWriteItem (25 puts) write new items, each worker into a partition
 * of its own; GetItem reads a random item and Query a page of 100 from a random place of a random
 * partition (of `partitions`, PARTITION_SIZE items each). A Query page short of 100 items counts
 * as a failure, so a server answering less cannot look faster.
 */
import {
  BatchWriteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { benchClientConfig } from './client-config.js';
import { BATCH_SIZE, benchItem, PARTITION_SIZE, partitionName, QUERY_PAGE } from './dynamodb-items.js';
import { percentile } from './stats.js';

export interface DynamoDbClientResult {
  /** Requests in the measured window. */
  requests: number;
  /** Requests in all, warm-up included: what the server did while this client ran. */
  total: number;
  failures: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
}

const [endpoint, operation, table, partitionsText, concurrencyText, secondsText, clientText] =
  process.argv.slice(2);
const partitions = Number(partitionsText);
const concurrency = Number(concurrencyText);
const durationMs = Number(secondsText) * 1000;
/** Long enough for the JIT of both ends and the connections to settle. */
const warmupMs = Math.min(1000, durationMs / 4);

const client = new DynamoDBClient(benchClientConfig(endpoint, concurrency));
const random = (n: number) => Math.floor(Math.random() * n);

/** One request of the operation by worker `worker`, its `i`-th; resolves false on a wrong answer. */
const requests: Record<string, (worker: number, i: number) => Promise<boolean>> = {
  PutItem: async (worker, i) => {
    await client.send(
      new PutItemCommand({ TableName: table, Item: benchItem(`w${clientText}-${worker}`, i) }),
    );
    return true;
  },
  GetItem: async () => {
    const out = await client.send(
      new GetItemCommand({
        TableName: table,
        Key: { pk: { S: partitionName(random(partitions)) }, sk: { N: String(random(PARTITION_SIZE)) } },
      }),
    );
    return out.Item !== undefined;
  },
  Query: async () => {
    const out = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND sk >= :sk',
        ExpressionAttributeValues: {
          ':pk': { S: partitionName(random(partitions)) },
          ':sk': { N: String(random(PARTITION_SIZE - QUERY_PAGE + 1)) },
        },
        Limit: QUERY_PAGE,
      }),
    );
    return out.Count === QUERY_PAGE;
  },
  BatchWriteItem: async (worker, i) => {
    const pk = `b${clientText}-${worker}`;
    const out = await client.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [table!]: Array.from({ length: BATCH_SIZE }, (_, n) => ({
            PutRequest: { Item: benchItem(pk, i * BATCH_SIZE + n) },
          })),
        },
      }),
    );
    return Object.keys(out.UnprocessedItems ?? {}).length === 0;
  },
};
const request = requests[operation!];
if (!request) throw new Error(`unknown operation ${operation}`);

const latencies: number[] = [];
let total = 0;
let failures = 0;
const measureFrom = performance.now() + warmupMs;
const deadline = measureFrom + durationMs;

async function worker(id: number): Promise<void> {
  for (let i = 0; performance.now() < deadline; i++) {
    const start = performance.now();
    const ok = await request!(id, i).catch(() => false);
    total++;
    if (start < measureFrom) continue;
    latencies.push(performance.now() - start);
    if (!ok) failures++;
  }
}

await Promise.all(Array.from({ length: concurrency }, (_, id) => worker(id)));
const seconds = (performance.now() - measureFrom) / 1000;
latencies.sort((a, b) => a - b);
const result: DynamoDbClientResult = {
  requests: latencies.length,
  total,
  failures,
  seconds,
  rps: latencies.length / seconds,
  p50: percentile(latencies, 50),
  p99: percentile(latencies, 99),
};
process.stdout.write(JSON.stringify(result) + '\n');
client.destroy();
