import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateAliasCommand,
  GetAccountSettingsCommand,
  InvokeCommand,
  LambdaClient,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutProvisionedConcurrencyConfigCommand,
  InvokeAsyncCommand,
  PutFunctionEventInvokeConfigCommand,
  TooManyRequestsException,
  InvalidRequestContentException,
  UpdateFunctionCodeCommand,
  type Runtime,
} from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import {
  createFunction as createTestFunction,
  type FunctionOptions,
  logMessages as readLogMessages,
} from './support/lambda.js';
import { zipOf, type ZipEntry } from './support/zip.js';

const decode = (payload: Uint8Array | undefined) => JSON.parse(Buffer.from(payload ?? []).toString('utf8'));
const encode = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('Lambda Invoke', () => {
  let stratus: TestStratus;
  let lambda: LambdaClient;
  let logs: CloudWatchLogsClient;

  beforeAll(async () => {
    stratus = await startTestStratus();
    lambda = new LambdaClient(stratus.clientConfig);
    logs = new CloudWatchLogsClient(stratus.clientConfig);
  });
  afterAll(async () => {
    lambda?.destroy();
    logs?.destroy();
    await stratus?.close();
  });

  const createFunction = (
    name: string,
    runtime: Runtime,
    handler: string,
    files: Record<string, ZipEntry>,
    options: FunctionOptions = {},
  ) => createTestFunction(lambda, name, files, { runtime, handler, ...options });

  const logMessages = (name: string, pattern?: string) => readLogMessages(logs, name, pattern);

  it('scenario 1: a Python function squares a number, and its REPORT line reaches CloudWatch Logs', async () => {
    await createFunction('square', 'python3.12', 'lambda_function.lambda_handler', {
      'lambda_function.py': [
        'import json',
        'def lambda_handler(event, context):',
        '    print("squaring", event["my_number"])',
        '    return {"statusCode": 200, "body": json.dumps(event["my_number"] ** 2)}',
      ].join('\n'),
    });
    const cold = await lambda.send(
      new InvokeCommand({ FunctionName: 'square', Payload: encode({ my_number: 5 }) }),
    );
    expect(cold.StatusCode).toBe(200);
    expect(cold.FunctionError).toBeUndefined();
    expect(cold.ExecutedVersion).toBe('$LATEST');
    expect(decode(cold.Payload)).toEqual({ statusCode: 200, body: '25' });
    const warm = await lambda.send(
      new InvokeCommand({ FunctionName: 'square', Payload: encode({ my_number: 7 }) }),
    );
    expect(decode(warm.Payload)).toEqual({ statusCode: 200, body: '49' });

    const messages = await logMessages('square');
    const reports = messages.filter((m) => m.startsWith('REPORT RequestId: '));
    expect(reports).toHaveLength(2);
    expect(reports[0]).toMatch(
      /^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d{2} ms/,
    );
    expect(reports[1]).not.toContain('Init Duration');
    expect(messages.some((m) => m.startsWith('START RequestId: ') && m.includes('Version: $LATEST'))).toBe(
      true,
    );
    expect(messages.some((m) => m.includes('squaring 5'))).toBe(true);
  });

  it('runs a Node.js ESM handler with the full context and returns the log tail', async () => {
    await createFunction(
      'node-context',
      'nodejs20.x',
      'index.handler',
      {
        'index.mjs': [
          'export const handler = async (event, context) => {',
          '  console.log("hello from node");',
          '  return { echo: event, name: context.functionName, arn: context.invokedFunctionArn,',
          '    memory: context.memoryLimitInMB, remaining: context.getRemainingTimeInMillis(), greeting: process.env.GREETING };',
          '};',
        ].join('\n'),
      },
      { Environment: { GREETING: 'hi' } },
    );
    const result = await lambda.send(
      new InvokeCommand({ FunctionName: 'node-context', Payload: encode({ a: 1 }), LogType: 'Tail' }),
    );
    const body = decode(result.Payload);
    expect(body).toMatchObject({
      echo: { a: 1 },
      name: 'node-context',
      arn: 'arn:aws:lambda:us-east-1:000000000000:function:node-context',
      memory: '128',
      greeting: 'hi',
    });
    expect(body.remaining).toBeGreaterThan(8000);
    const tail = Buffer.from(result.LogResult!, 'base64').toString('utf8');
    expect(tail).toContain('hello from node');
    expect(tail).toContain('REPORT RequestId:');
  });

  it('reports a handler exception as FunctionError Unhandled with errorType and errorMessage', async () => {
    await createFunction('thrower', 'nodejs20.x', 'index.handler', {
      'index.js': 'exports.handler = async () => { const e = new TypeError("bad input"); throw e; };',
    });
    const result = await lambda.send(new InvokeCommand({ FunctionName: 'thrower', Payload: encode({}) }));
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBe('Unhandled');
    expect(decode(result.Payload)).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad input' });
  });

  it('kills a function at its timeout and reports Task timed out', async () => {
    await createFunction(
      'sleeper',
      'nodejs20.x',
      'index.handler',
      { 'index.js': 'exports.handler = () => new Promise((resolve) => setTimeout(resolve, 30_000));' },
      { Timeout: 1 },
    );
    const result = await lambda.send(new InvokeCommand({ FunctionName: 'sleeper', Payload: encode({}) }));
    expect(result.FunctionError).toBe('Unhandled');
    expect(decode(result.Payload).errorMessage).toMatch(/Task timed out after 1\.\d\d seconds/);
  });

  it('lets the AWS SDK inside a function reach Stratus through AWS_ENDPOINT_URL', async () => {
    await createFunction('sdk-caller', 'nodejs20.x', 'index.handler', {
      'index.mjs': [
        "import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';",
        'export const handler = async () => (await new STSClient({}).send(new GetCallerIdentityCommand({}))).Account;',
      ].join('\n'),
    });
    const result = await lambda.send(new InvokeCommand({ FunctionName: 'sdk-caller', Payload: encode({}) }));
    expect(result.FunctionError, Buffer.from(result.Payload ?? []).toString()).toBeUndefined();
    expect(decode(result.Payload)).toBe('000000000000');
  });

  it('routes an alias to its version and reports ExecutedVersion', async () => {
    const files = (v: string) => ({ 'index.js': `exports.handler = async () => "${v}";` });
    await createFunction('versioned', 'nodejs20.x', 'index.handler', files('one'));
    await lambda.send(new PublishVersionCommand({ FunctionName: 'versioned' }));
    await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'versioned', ZipFile: await zipOf(files('two')) }),
    );
    await lambda.send(
      new CreateAliasCommand({ FunctionName: 'versioned', Name: 'live', FunctionVersion: '1' }),
    );
    const viaAlias = await lambda.send(new InvokeCommand({ FunctionName: 'versioned', Qualifier: 'live' }));
    expect(decode(viaAlias.Payload)).toBe('one');
    expect(viaAlias.ExecutedVersion).toBe('1');
    const latest = await lambda.send(new InvokeCommand({ FunctionName: 'versioned' }));
    expect(decode(latest.Payload)).toBe('two');
  });

  it('serves a version from its provisioned environment, initialized ahead of the invoke', async () => {
    await createFunction('provisioned', 'nodejs20.x', 'index.handler', {
      'index.js': 'exports.handler = async () => process.env.AWS_LAMBDA_INITIALIZATION_TYPE;',
    });
    await lambda.send(new PublishVersionCommand({ FunctionName: 'provisioned' }));
    await lambda.send(
      new PutProvisionedConcurrencyConfigCommand({
        FunctionName: 'provisioned',
        Qualifier: '1',
        ProvisionedConcurrentExecutions: 1,
      }),
    );
    // Provisioning runs in the background; give it a bounded moment to start the environment.
    let initType = '';
    for (let i = 0; i < 50 && initType !== 'provisioned-concurrency'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const result = await lambda.send(new InvokeCommand({ FunctionName: 'provisioned', Qualifier: '1' }));
      initType = decode(result.Payload);
    }
    expect(initType).toBe('provisioned-concurrency');
    // The invoke served by the provisioned environment paid no init: its REPORT has no Init Duration.
    const reports = await logMessages('provisioned', 'REPORT');
    expect(reports.at(-1)).not.toContain('Init Duration');
  });

  it('accepts the deprecated InvokeAsync as an Event invocation', async () => {
    const result = await lambda.send(
      new InvokeAsyncCommand({ FunctionName: 'node-context', InvokeArgs: encode({ via: 'InvokeAsync' }) }),
    );
    expect(result.Status).toBe(202);
  });

  it('throttles a function whose reserved concurrency is 0 with TooManyRequestsException', async () => {
    await createFunction('reserved-zero', 'nodejs20.x', 'index.handler', {
      'index.js': 'exports.handler = async () => 1;',
    });
    await lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: 'reserved-zero', ReservedConcurrentExecutions: 0 }),
    );
    const error = await lambda
      .send(new InvokeCommand({ FunctionName: 'reserved-zero' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooManyRequestsException);
    expect((error as TooManyRequestsException).Reason).toBe(
      'ReservedFunctionConcurrentInvocationLimitExceeded',
    );
  });

  it('refuses a payload that is not JSON', async () => {
    await expect(
      lambda.send(new InvokeCommand({ FunctionName: 'square', Payload: Buffer.from('not json') })),
    ).rejects.toBeInstanceOf(InvalidRequestContentException);
  });

  it('runs Event invocations asynchronously and sends failures to the OnFailure destination', async () => {
    await createFunction('collector', 'nodejs20.x', 'index.handler', {
      'index.js': 'exports.handler = async (event) => { console.log("RECORD " + JSON.stringify(event)); };',
    });
    await createFunction('always-fails', 'nodejs20.x', 'index.handler', {
      'index.js': 'exports.handler = async () => { throw new Error("nope"); };',
    });
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'always-fails',
        MaximumRetryAttempts: 0,
        DestinationConfig: {
          OnFailure: { Destination: 'arn:aws:lambda:us-east-1:000000000000:function:collector' },
        },
      }),
    );
    const queued = await lambda.send(
      new InvokeCommand({
        FunctionName: 'always-fails',
        InvocationType: 'Event',
        Payload: encode({ order: 42 }),
      }),
    );
    expect(queued.StatusCode).toBe(202);
    let records: string[] = [];
    for (let i = 0; i < 100 && records.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      records = await logMessages('collector', 'RECORD').catch(() => []);
    }
    expect(records).toHaveLength(1);
    const record = JSON.parse(records[0]!.slice(records[0]!.indexOf('RECORD ') + 7));
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 1 },
      requestPayload: { order: 42 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorMessage: 'nope' },
    });
  });

  it('publishes Invocations and Errors to AWS/Lambda', async () => {
    const cloudwatch = new CloudWatchClient(stratus.clientConfig);
    const now = Date.now();
    let sum = 0;
    for (let i = 0; i < 20 && sum < 2; i++) {
      const stats = await cloudwatch.send(
        new GetMetricStatisticsCommand({
          Namespace: 'AWS/Lambda',
          MetricName: 'Invocations',
          Dimensions: [{ Name: 'FunctionName', Value: 'square' }],
          StartTime: new Date(now - 3600_000),
          EndTime: new Date(now + 60_000),
          Period: 3600,
          Statistics: ['Sum'],
        }),
      );
      sum = stats.Datapoints?.reduce((s, d) => s + (d.Sum ?? 0), 0) ?? 0;
      if (sum < 2) await new Promise((r) => setTimeout(r, 100));
    }
    expect(sum).toBe(2);
    cloudwatch.destroy();
  });
});

describe('Lambda settings from the Stratus configuration', () => {
  it('reports the configured account concurrency limit in GetAccountSettings', async () => {
    const stratus = await startTestStratus({ lambdaConcurrency: 150 });
    const lambda = new LambdaClient(stratus.clientConfig);
    try {
      const settings = await lambda.send(new GetAccountSettingsCommand({}));
      expect(settings.AccountLimit?.ConcurrentExecutions).toBe(150);
      expect(settings.AccountLimit?.UnreservedConcurrentExecutions).toBe(150);
    } finally {
      lambda.destroy();
      await stratus.close();
    }
  });
});
