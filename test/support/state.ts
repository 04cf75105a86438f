/**
 * A little of everything every service keeps, made through the SDKs, for the reset and snapshot
 * tests: a function with code and an event source mapping, a queue with a visible, an in-flight
 * and a delayed message, a topic with a subscription, a log group with an event, a metric, an
 * SES identity with a message in the outbox, a DynamoDB table (a GSI, a stream) with items, and a
 * deployed REST API and a quick-created HTTP API in front of the function, an S3 bucket with an
 * object. `readState` reads it all back the same way.
 */
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetRestApisCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, CreateApiCommand, GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { CloudWatchClient, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateEventSourceMappingCommand,
  InvokeCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import {
  ListIdentitiesCommand,
  SendEmailCommand,
  SESClient,
  VerifyEmailIdentityCommand,
} from '@aws-sdk/client-ses';
import {
  CreateTopicCommand,
  ListSubscriptionsCommand,
  ListTopicsCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ResetReport } from '../../src/server/control/reset.js';
import type { OutboxMessage } from '../../src/services/ses/outbox.js';
import type { LoadReport } from '../../src/server/control/snapshot-load.js';
import { createFunction } from './lambda.js';
import { outboxMessages } from './outbox.js';
import { queueArn } from './sqs.js';
import { signedStratusFetch, type TestStratus } from './stratus.js';

/** Counts its invocations in module state: `count` 1 means a fresh (cold) environment. */
export const counterCode = {
  'index.js': 'let count = 0;\nexports.handler = async () => ({ count: ++count });\n',
};

export interface Clients {
  lambda: LambdaClient;
  sqs: SQSClient;
  sns: SNSClient;
  logs: CloudWatchLogsClient;
  cloudwatch: CloudWatchClient;
  ses: SESClient;
  dynamodb: DynamoDBClient;
  apigateway: APIGatewayClient;
  apigatewayv2: ApiGatewayV2Client;
  s3: S3Client;
  destroy(): void;
}

export function clientsOf(stratus: TestStratus): Clients {
  const config = stratus.clientConfig;
  const clients = {
    lambda: new LambdaClient(config),
    sqs: new SQSClient(config),
    sns: new SNSClient(config),
    logs: new CloudWatchLogsClient(config),
    cloudwatch: new CloudWatchClient(config),
    ses: new SESClient(config),
    dynamodb: new DynamoDBClient(config),
    apigateway: new APIGatewayClient(config),
    apigatewayv2: new ApiGatewayV2Client(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
  };
  return { ...clients, destroy: () => Object.values(clients).forEach((c) => c.destroy()) };
}

/** Invokes a function; its JSON answer. */
export async function invoke(lambda: LambdaClient, name: string): Promise<{ count: number }> {
  const out = await lambda.send(new InvokeCommand({ FunctionName: name }));
  if (out.FunctionError) throw new Error(`${name} failed: ${Buffer.from(out.Payload!).toString()}`);
  return JSON.parse(Buffer.from(out.Payload!).toString('utf8')) as { count: number };
}

/**
 * Makes the fixture. The in-flight message is received with a 60 s visibility timeout; the
 * delayed one waits 120 s: with a ManualClock, advance it to see them come back.
 */
export async function populate(c: Clients, now = Date.now()): Promise<void> {
  await createFunction(c.lambda, 'counter', counterCode);
  const orders = (await c.sqs.send(new CreateQueueCommand({ QueueName: 'orders' }))).QueueUrl!;
  await c.sqs.send(new SendMessageCommand({ QueueUrl: orders, MessageBody: 'in flight' }));
  const received = await c.sqs.send(new ReceiveMessageCommand({ QueueUrl: orders, VisibilityTimeout: 60 }));
  if (received.Messages?.[0]?.Body !== 'in flight')
    throw new Error('the fixture could not receive its message');
  await c.sqs.send(new SendMessageCommand({ QueueUrl: orders, MessageBody: 'visible' }));
  await c.sqs.send(new SendMessageCommand({ QueueUrl: orders, MessageBody: 'delayed', DelaySeconds: 120 }));
  await c.sqs.send(new CreateQueueCommand({ QueueName: 'jobs' }));
  await c.lambda.send(
    new CreateEventSourceMappingCommand({
      FunctionName: 'counter',
      EventSourceArn: queueArn('jobs'),
      Enabled: false,
    }),
  );
  const topic = (await c.sns.send(new CreateTopicCommand({ Name: 'events' }))).TopicArn!;
  await c.sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: queueArn('orders') }));
  await c.logs.send(new CreateLogGroupCommand({ logGroupName: '/app/test' }));
  await c.logs.send(new CreateLogStreamCommand({ logGroupName: '/app/test', logStreamName: 'main' }));
  await c.logs.send(
    new PutLogEventsCommand({
      logGroupName: '/app/test',
      logStreamName: 'main',
      logEvents: [{ timestamp: now, message: 'hello from the fixture' }],
    }),
  );
  await c.cloudwatch.send(
    new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'Orders', Value: 3 }] }),
  );
  await c.dynamodb.send(
    new CreateTableCommand({
      TableName: 'Carts',
      AttributeDefinitions: [
        { AttributeName: 'cart', AttributeType: 'S' },
        { AttributeName: 'line', AttributeType: 'B' },
        { AttributeName: 'sku', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'cart', KeyType: 'HASH' },
        { AttributeName: 'line', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'bySku',
          KeySchema: [{ AttributeName: 'sku', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  for (const [line, sku] of [
    [1, -2.5],
    [2, 7],
  ] as const) {
    await c.dynamodb.send(
      new PutItemCommand({
        TableName: 'Carts',
        Item: { cart: { S: 'ann' }, line: { B: new Uint8Array([line]) }, sku: { N: String(sku) } },
      }),
    );
  }
  await deployApis(c);
  await c.ses.send(new VerifyEmailIdentityCommand({ EmailAddress: 'shop@example.com' }));
  await c.ses.send(
    new SendEmailCommand({
      Source: 'shop@example.com',
      Destination: { ToAddresses: ['ann@example.org'] },
      Message: { Subject: { Data: 'Your order' }, Body: { Text: { Data: 'Thanks.' } } },
    }),
  );
}

/** A REST API with `ANY /orders` on the counter function, deployed to `live`, and an HTTP API in front of it. */
async function deployApis(c: Clients): Promise<void> {
  const counterArn = 'arn:aws:lambda:us-east-1:000000000000:function:counter';
  const api = await c.apigateway.send(new CreateRestApiCommand({ name: 'shop' }));
  const restApiId = api.id!;
  const orders = await c.apigateway.send(
    new CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: 'orders' }),
  );
  await c.apigateway.send(
    new PutMethodCommand({ restApiId, resourceId: orders.id!, httpMethod: 'ANY', authorizationType: 'NONE' }),
  );
  await c.apigateway.send(
    new PutIntegrationCommand({
      restApiId,
      resourceId: orders.id!,
      httpMethod: 'ANY',
      type: 'AWS_PROXY',
      integrationHttpMethod: 'POST',
      uri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${counterArn}/invocations`,
    }),
  );
  await c.apigateway.send(new CreateDeploymentCommand({ restApiId, stageName: 'live' }));
  await c.apigatewayv2.send(
    new CreateApiCommand({ Name: 'shop-http', ProtocolType: 'HTTP', Target: counterArn }),
  );
  await c.s3.send(new CreateBucketCommand({ Bucket: 'receipts' }));
  await c.s3.send(new PutObjectCommand({ Bucket: 'receipts', Key: 'order-1.txt', Body: 'one receipt' }));
}

/** The fixture's object, read back whole (none once the bucket is gone). */
async function receipts(s3: S3Client): Promise<string[]> {
  const buckets = ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name!);
  if (!buckets.includes('receipts')) return buckets;
  const object = await s3.send(new GetObjectCommand({ Bucket: 'receipts', Key: 'order-1.txt' }));
  return [...buckets, await object.Body!.transformToString()];
}

/** The outbox's subjects; signed with `key` for a server that requires it. */
async function outboxSubjects(url: string, key?: { accessKeyId: string; secretAccessKey: string }) {
  if (!key) return (await outboxMessages(url)).map((m) => m.subject);
  const response = await signedStratusFetch(url, '/_stratus/ses/messages', { key });
  return ((await response.json()) as { messages: OutboxMessage[] }).messages.map((m) => m.subject);
}

/** What the fixture's resources look like through the APIs (empty lists after a reset). */
export async function readState(
  c: Clients,
  stratus: TestStratus,
  options: { signed?: { accessKeyId: string; secretAccessKey: string } } = {},
) {
  const logEvents = await c.logs
    .send(new FilterLogEventsCommand({ logGroupName: '/app/test' }))
    .then((out) => out.events!.map((e) => e.message))
    .catch((err: Error) => (err.name === 'ResourceNotFoundException' ? [] : Promise.reject(err)));
  const sorted = <T>(list: T[]) => [...list].sort();
  return {
    functions: sorted(
      ((await c.lambda.send(new ListFunctionsCommand({}))).Functions ?? []).map((f) => f.FunctionName),
    ),
    mappings: sorted(
      ((await c.lambda.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings ?? []).map(
        (m) => m.EventSourceArn,
      ),
    ),
    queues: sorted(
      ((await c.sqs.send(new ListQueuesCommand({}))).QueueUrls ?? []).map((url) => url.split('/').at(-1)),
    ),
    topics: sorted(
      ((await c.sns.send(new ListTopicsCommand({}))).Topics ?? []).map((t) => t.TopicArn!.split(':').at(-1)),
    ),
    subscriptions: sorted(
      ((await c.sns.send(new ListSubscriptionsCommand({}))).Subscriptions ?? []).map((s) => s.Endpoint),
    ),
    logGroups: sorted(
      ((await c.logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? []).map((g) => g.logGroupName),
    ),
    logEvents,
    metrics: sorted(
      ((await c.cloudwatch.send(new ListMetricsCommand({}))).Metrics ?? []).map(
        (m) => `${m.Namespace}/${m.MetricName}`,
      ),
    ),
    identities: sorted((await c.ses.send(new ListIdentitiesCommand({}))).Identities ?? []),
    tables: (await c.dynamodb.send(new ListTablesCommand({}))).TableNames ?? [],
    cartSkus: await cartSkus(c.dynamodb),
    outbox: await outboxSubjects(stratus.url, options.signed),
    restApis: ((await c.apigateway.send(new GetRestApisCommand({}))).items ?? []).map((a) => a.name),
    httpApis: ((await c.apigatewayv2.send(new GetApisCommand({}))).Items ?? []).map((a) => a.Name),
    receipts: await receipts(c.s3),
  };
}

/** The fixture's cart lines in key order, read through the table's GSI too (none when it is gone). */
async function cartSkus(dynamodb: DynamoDBClient): Promise<string[]> {
  try {
    const lines = await dynamodb.send(
      new QueryCommand({
        TableName: 'Carts',
        KeyConditionExpression: 'cart = :c',
        ExpressionAttributeValues: { ':c': { S: 'ann' } },
      }),
    );
    const indexed = await dynamodb.send(
      new QueryCommand({
        TableName: 'Carts',
        IndexName: 'bySku',
        KeyConditionExpression: 'sku = :s',
        ExpressionAttributeValues: { ':s': { N: '-2.5' } },
      }),
    );
    return [...lines.Items!.map((i) => i.sku!.N!), `indexed:${indexed.Count}`];
  } catch (err) {
    if ((err as Error).name === 'ResourceNotFoundException') return [];
    throw err;
  }
}

/** The fixture as `readState` shows it, before any function ran. */
export const populatedState = {
  functions: ['counter'],
  mappings: [queueArn('jobs')],
  queues: ['jobs', 'orders'],
  topics: ['events'],
  subscriptions: [queueArn('orders')],
  logGroups: ['/app/test'],
  logEvents: ['hello from the fixture'],
  metrics: ['App/Orders'],
  identities: ['shop@example.com'],
  tables: ['Carts'],
  cartSkus: ['-2.5', '7', 'indexed:1'],
  outbox: ['Your order'],
  restApis: ['shop'],
  httpApis: ['shop-http'],
  receipts: ['receipts', 'one receipt'],
};

export const emptyState = {
  functions: [],
  mappings: [],
  queues: [],
  topics: [],
  subscriptions: [],
  logGroups: [],
  logEvents: [],
  metrics: [],
  identities: [],
  tables: [],
  cartSkus: [],
  outbox: [],
  restApis: [],
  httpApis: [],
  receipts: [],
};

/** `POST /_stratus/reset`, unsigned (the test servers are open), with the services named. */
export async function resetStratus(
  url: string,
  services?: string[],
): Promise<{ status: number; body: ResetReport & { __type?: string; message?: string } }> {
  const response = await fetch(new URL('/_stratus/reset', url), {
    method: 'POST',
    ...(services ? { body: JSON.stringify({ services }) } : {}),
  });
  return { status: response.status, body: (await response.json()) as ResetReport };
}

/** `POST /_stratus/snapshot`: the snapshot file's bytes. */
export async function saveSnapshot(url: string): Promise<Buffer> {
  const response = await fetch(new URL('/_stratus/snapshot', url), { method: 'POST' });
  if (!response.ok) throw new Error(`saving answered ${response.status}: ${await response.text()}`);
  return Buffer.from(await response.arrayBuffer());
}

/** `PUT /_stratus/snapshot` with a file's bytes. */
export async function loadSnapshot(
  url: string,
  file: Buffer,
): Promise<{ status: number; body: LoadReport & { __type?: string; message?: string } }> {
  const response = await fetch(new URL('/_stratus/snapshot', url), { method: 'PUT', body: file });
  return { status: response.status, body: (await response.json()) as LoadReport };
}

/**
 * A snapshot rewritten line by line (uncompressed JSON objects), its closing line's counts and
 * checksum made right again: an edited file that Stratus accepts as whole.
 */
export function rewriteSnapshot(
  file: Buffer,
  edit: (lines: Record<string, unknown>[]) => Record<string, unknown>[],
): Buffer {
  const lines = gunzipSync(file)
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const edited = edit(lines.slice(0, -1));
  const body = edited.map((line) => `${JSON.stringify(line)}\n`).join('');
  const counts = { tables: 0, rows: 0, blobs: 0 };
  for (const line of edited) {
    if ('table' in line) counts.tables++;
    if ('rows' in line) counts.rows += (line.rows as unknown[]).length;
    if ('blob' in line) counts.blobs++;
  }
  const sha256 = createHash('sha256').update(body).digest('hex');
  return gzipSync(`${body}${JSON.stringify({ end: counts, sha256 })}\n`);
}
