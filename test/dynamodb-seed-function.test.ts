/**
 * The seed exercise's function, as the Lambda console's "microservice-http-endpoint" blueprint
 * writes it: a Node.js handler that switches on `event.httpMethod` and scans, puts, updates and
 * deletes items of the table named by `queryStringParameters.TableName`, through the document
 * client the runtime provides. Invoked with the console's test events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { createFunction } from './support/lambda.js';
import { seedFunction } from './support/seed-function.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

describe('the seed exercise: a function that serves a DynamoDB table', () => {
  let stratus: TestStratus;
  let lambda: LambdaClient;
  let dynamodb: DynamoDBClient;

  beforeAll(async () => {
    stratus = await startTestStratus();
    lambda = new LambdaClient(stratus.clientConfig);
    dynamodb = new DynamoDBClient(stratus.clientConfig);
    await dynamodb.send(
      new CreateTableCommand({
        TableName: 'MyTable',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await createFunction(lambda, 'MyFunction', { 'index.mjs': seedFunction }, { Timeout: 30 });
  });
  afterAll(async () => {
    lambda?.destroy();
    dynamodb?.destroy();
    await stratus?.stop();
  });

  async function invoke(event: object): Promise<{ statusCode: string; body: unknown }> {
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: 'MyFunction', Payload: Buffer.from(JSON.stringify(event)) }),
    );
    expect(out.FunctionError).toBeUndefined();
    const response = JSON.parse(Buffer.from(out.Payload!).toString()) as { statusCode: string; body: string };
    return { statusCode: response.statusCode, body: JSON.parse(response.body) };
  }

  it(
    'puts, scans, updates and deletes items, and reports a bad method as a 400',
    { timeout: 60_000 },
    async () => {
      const post = await invoke({
        httpMethod: 'POST',
        body: JSON.stringify({ TableName: 'MyTable', Item: { id: 'one', name: 'first', count: 1 } }),
      });
      expect(post.statusCode).toBe('200');
      await invoke({
        httpMethod: 'POST',
        body: JSON.stringify({ TableName: 'MyTable', Item: { id: 'two' } }),
      });
      await invoke({
        httpMethod: 'PUT',
        body: JSON.stringify({
          TableName: 'MyTable',
          Key: { id: 'one' },
          UpdateExpression: 'SET #c = #c + :inc',
          ExpressionAttributeNames: { '#c': 'count' },
          ExpressionAttributeValues: { ':inc': 41 },
        }),
      });
      const scan = await invoke({ httpMethod: 'GET', queryStringParameters: { TableName: 'MyTable' } });
      expect(scan.statusCode).toBe('200');
      expect((scan.body as { Items: object[] }).Items).toEqual(
        expect.arrayContaining([{ id: 'one', name: 'first', count: 42 }, { id: 'two' }]),
      );
      await invoke({
        httpMethod: 'DELETE',
        body: JSON.stringify({ TableName: 'MyTable', Key: { id: 'two' } }),
      });
      const after = await invoke({ httpMethod: 'GET', queryStringParameters: { TableName: 'MyTable' } });
      expect((after.body as { Count: number }).Count).toBe(1);
      const bad = await invoke({ httpMethod: 'PATCH' });
      expect(bad).toEqual({ statusCode: '400', body: 'Unsupported method "PATCH"' });
      const missing = await invoke({ httpMethod: 'GET', queryStringParameters: { TableName: 'NoTable' } });
      expect(missing).toEqual({ statusCode: '400', body: 'Requested resource not found' });
    },
  );

  it('serves a Python function that uses boto3 without naming an endpoint', { timeout: 60_000 }, async () => {
    const code = [
      'import boto3',
      'table = boto3.resource("dynamodb").Table("MyTable")',
      'def handler(event, context):',
      '    table.put_item(Item={"id": event["id"], "by": "python"})',
      '    return table.get_item(Key={"id": event["id"]})["Item"]',
      '',
    ].join('\n');
    await createFunction(
      lambda,
      'PythonTable',
      { 'app.py': code },
      { runtime: 'python3.12', handler: 'app.handler' },
    );
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: 'PythonTable', Payload: Buffer.from(JSON.stringify({ id: 'py' })) }),
    );
    expect(Buffer.from(out.Payload!).toString()).not.toContain('errorMessage');
    expect(JSON.parse(Buffer.from(out.Payload!).toString())).toEqual({ id: 'py', by: 'python' });
  });
});
