/**
 * Scenario 2 — an HTTP microservice, end to end: a REST API with an `ANY` method on `/MyFunction`,
 * Lambda proxy integration, deployed to stage `default`, in front of the Node.js function of
 * AWS's "microservice-http-endpoint" blueprint (the seed exercise's function). Plain HTTP at the
 * stage's invoke URL creates, updates, lists and deletes items of a DynamoDB table; the same event
 * sent to the function with `Invoke` answers the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { createFunction } from './support/lambda.js';
import { seedFunction } from './support/seed-function.js';
import { httpCall } from './support/http.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';

interface ScanAnswer {
  Items: Record<string, unknown>[];
  Count: number;
  ScannedCount: number;
}

describe('scenario 2: HTTP microservice', () => {
  let stratus: TestStratus;
  let apigateway: APIGatewayClient;
  let lambda: LambdaClient;
  let dynamodb: DynamoDBClient;
  let invokeUrl: string;
  let hostUrl: { url: string; host: string };

  beforeAll(async () => {
    stratus = await startTestStratus();
    apigateway = new APIGatewayClient(stratus.clientConfig);
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
    const { FunctionArn } = await createFunction(lambda, 'MyFunction', { 'index.mjs': seedFunction });
    const api = await apigateway.send(new CreateRestApiCommand({ name: 'MyFunction-API' }));
    const restApiId = api.id!;
    const resource = await apigateway.send(
      new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: 'MyFunction' }),
    );
    await apigateway.send(
      new PutMethodCommand({
        restApiId,
        resourceId: resource.id!,
        httpMethod: 'ANY',
        authorizationType: 'NONE',
      }),
    );
    await apigateway.send(
      new PutIntegrationCommand({
        restApiId,
        resourceId: resource.id!,
        httpMethod: 'ANY',
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FunctionArn}/invocations`,
      }),
    );
    await apigateway.send(new CreateDeploymentCommand({ restApiId, stageName: 'default' }));
    invokeUrl = `${stratus.url}/_aws/execute-api/${restApiId}/default/MyFunction`;
    hostUrl = {
      url: `http://127.0.0.1:${stratus.port}/default/MyFunction`,
      host: `${restApiId}.execute-api.localhost:${stratus.port}`,
    };
  });
  afterAll(async () => {
    apigateway?.destroy();
    lambda?.destroy();
    dynamodb?.destroy();
    await stratus?.close();
  });

  const send = (method: string, body: unknown) =>
    httpCall(invokeUrl, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('creates, updates, lists and deletes items over plain HTTP', async () => {
    expect((await send('POST', { TableName: 'MyTable', Item: { id: '1', name: 'first' } })).status).toBe(200);
    expect((await send('POST', { TableName: 'MyTable', Item: { id: '2', name: 'second' } })).status).toBe(
      200,
    );
    const updated = await send('PUT', {
      TableName: 'MyTable',
      Key: { id: '1' },
      UpdateExpression: 'SET #n = :n',
      ExpressionAttributeNames: { '#n': 'name' },
      ExpressionAttributeValues: { ':n': 'renamed' },
    });
    expect(updated.status).toBe(200);

    // The seed exercise: the stage's URL opened as a browser would, by host name.
    const listed = await httpCall(`${hostUrl.url}?TableName=MyTable`, { headers: { host: hostUrl.host } });
    expect(listed.status).toBe(200);
    expect(listed.headers['content-type']).toBe('application/json');
    const scan = listed.json<ScanAnswer>();
    expect(scan.Count).toBe(2);
    expect(scan.ScannedCount).toBe(2);
    expect(scan.Items.sort((a, b) => String(a.id).localeCompare(String(b.id)))).toEqual([
      { id: '1', name: 'renamed' },
      { id: '2', name: 'second' },
    ]);

    expect((await send('DELETE', { TableName: 'MyTable', Key: { id: '2' } })).status).toBe(200);
    const after = (await httpCall(`${invokeUrl}?TableName=MyTable`)).json<ScanAnswer>();
    expect(after.Items).toEqual([{ id: '1', name: 'renamed' }]);

    const unsupported = await httpCall(invokeUrl, { method: 'PATCH' });
    expect(unsupported.status).toBe(400);
    expect(unsupported.json()).toBe('Unsupported method "PATCH"');
  });

  it('answers the same test event sent to the function with Invoke', async () => {
    const event = { httpMethod: 'GET', queryStringParameters: { TableName: 'MyTable' } };
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: 'MyFunction', Payload: Buffer.from(JSON.stringify(event)) }),
    );
    const answer = JSON.parse(Buffer.from(out.Payload!).toString()) as { statusCode: string; body: string };
    expect(answer.statusCode).toBe('200');
    const direct = JSON.parse(answer.body) as ScanAnswer;
    const viaApi = (await httpCall(`${invokeUrl}?TableName=MyTable`)).json<ScanAnswer>();
    expect(direct.Items).toEqual(viaApi.Items);
    expect(direct.Count).toBe(viaApi.Count);
  });
});
