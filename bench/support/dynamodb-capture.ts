/**
 * Stratus's own answer to one request of each measured operation, written as the file
 * bare-server.ts replays: the SDK ceiling's clients then parse the very bytes Stratus sends
 * (a Query page of 100 items, a GetItem item, the empty UnprocessedItems of a batch).
 */
import { writeFileSync } from 'node:fs';
import { BATCH_SIZE, benchItem, partitionName, QUERY_PAGE } from './dynamodb-items.js';

interface Captured {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export async function captureAnswers(
  endpoint: string,
  tables: { writes: string; read: string },
  file: string,
): Promise<void> {
  const requests: Record<string, object> = {
    PutItem: { TableName: tables.writes, Item: benchItem('capture', 0) },
    GetItem: { TableName: tables.read, Key: { pk: { S: partitionName(0) }, sk: { N: '500' } } },
    Query: {
      TableName: tables.read,
      KeyConditionExpression: 'pk = :pk AND sk >= :sk',
      ExpressionAttributeValues: { ':pk': { S: partitionName(0) }, ':sk': { N: '500' } },
      Limit: QUERY_PAGE,
    },
    BatchWriteItem: {
      RequestItems: {
        [tables.writes]: Array.from({ length: BATCH_SIZE }, (_, n) => ({
          PutRequest: { Item: benchItem('capture', n) },
        })),
      },
    },
  };
  const captured: Record<string, Captured> = {};
  for (const [operation, body] of Object.entries(requests)) {
    const target = `DynamoDB_20120810.${operation}`;
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.0' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`capturing ${operation}: ${res.status} ${text}`);
    captured[target] = {
      status: res.status,
      headers: { 'content-type': res.headers.get('content-type') ?? '', 'x-amzn-requestid': 'bench' },
      body: text,
    };
  }
  writeFileSync(file, JSON.stringify(captured));
}
