/**
 * The official AWS Lambda runtime interface client for Node.js (`aws-lambda-ric`, with its native
 * Runtime API client) runs unchanged against Stratus's Runtime API: a `provided.al2023` function
 * whose `bootstrap` starts it as Lambda's container images do (`aws-lambda-ric index.handler`),
 * the package copied into the function's zip from this project's node_modules.
 *
 * The package is an optional dependency (its native part needs a C++ tool chain): without it the
 * tests are skipped, saying why.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import { zipOf, type ZipEntry } from './support/zip.js';

const role = 'arn:aws:iam::000000000000:role/lambda-role';
const text = (payload: Uint8Array | undefined) => Buffer.from(payload ?? []).toString('utf8');

/** The installed package's directory, or why it cannot be used. */
function ricPackage(): { dir: string } | { missing: string } {
  let dir: string;
  try {
    dir = dirname(createRequire(import.meta.url).resolve('aws-lambda-ric/package.json'));
  } catch {
    return { missing: 'aws-lambda-ric is not installed (an optional dependency)' };
  }
  if (!existsSync(join(dir, 'dist', 'rapid-client.node')))
    return { missing: 'aws-lambda-ric is installed without its native part (dist/rapid-client.node)' };
  return { dir };
}

const ric = ricPackage();
if ('missing' in ric) console.warn(`skipping the aws-lambda-ric tests: ${ric.missing}`);

/** What Lambda's container images run; `$_HANDLER` is the function's Handler. */
const bootstrap = `#!/bin/sh
cd "$LAMBDA_TASK_ROOT" || exit 1
exec node node_modules/aws-lambda-ric/bin/index.mjs "$_HANDLER"
`;

const handler = `
export const handler = async (event, context) => {
  if (event.fail) throw new TypeError('bad input: ' + event.fail);
  console.log('hello from the official client,', event.name);
  return {
    greeting: 'Hello, ' + event.name,
    context: {
      functionName: context.functionName,
      functionVersion: context.functionVersion,
      invokedFunctionArn: context.invokedFunctionArn,
      memoryLimitInMB: context.memoryLimitInMB,
      awsRequestId: context.awsRequestId,
      logGroupName: context.logGroupName,
      logStreamName: context.logStreamName,
      remaining: context.getRemainingTimeInMillis(),
      clientContext: context.clientContext,
    },
    traceId: process.env._X_AMZN_TRACE_ID,
  };
};
`;

function packageFiles(dir: string): Record<string, ZipEntry> {
  const files: Record<string, ZipEntry> = {};
  // The client needs nothing else at run time: its JavaScript is one bundle beside its addon.
  for (const [file, mode] of [
    ['package.json', 0o100644],
    ['bin/index.mjs', 0o100755],
    ['dist/index.mjs', 0o100644],
    ['dist/rapid-client.node', 0o100755],
  ] as const) {
    files[`node_modules/aws-lambda-ric/${file}`] = { content: readFileSync(join(dir, file)), mode };
  }
  return files;
}

describe.skipIf('missing' in ric)('the official runtime interface client (aws-lambda-ric)', () => {
  let stratus: TestStratus;
  let lambda: LambdaClient;
  let logs: CloudWatchLogsClient;

  beforeAll(async () => {
    stratus = await startTestStratus();
    lambda = new LambdaClient(stratus.clientConfig);
    logs = new CloudWatchLogsClient(stratus.clientConfig);
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'ric',
        Runtime: 'provided.al2023',
        Handler: 'index.handler',
        Role: role,
        Timeout: 10,
        MemorySize: 256,
        Code: {
          ZipFile: await zipOf({
            bootstrap: { content: bootstrap, mode: 0o100755 },
            'index.mjs': handler,
            ...packageFiles((ric as { dir: string }).dir),
          }),
        },
      }),
    );
  });
  afterAll(async () => {
    lambda?.destroy();
    logs?.destroy();
    await stratus?.close();
  });

  it('serves an invocation: the handler’s result, its log line, and the context the client builds from the Runtime API', async () => {
    const clientContext = { custom: { tenant: 'acme' }, env: { locale: 'en' } };
    const result = await lambda.send(
      new InvokeCommand({
        FunctionName: 'ric',
        Payload: Buffer.from(JSON.stringify({ name: 'Ada' })),
        LogType: 'Tail',
        ClientContext: Buffer.from(JSON.stringify(clientContext)).toString('base64'),
      }),
    );
    expect(result.FunctionError, text(result.Payload)).toBeUndefined();
    expect(result.StatusCode).toBe(200);
    const body = JSON.parse(text(result.Payload));
    const requestId = result.$metadata.requestId!;
    expect(body).toMatchObject({
      greeting: 'Hello, Ada',
      context: {
        functionName: 'ric',
        functionVersion: '$LATEST',
        invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:ric',
        memoryLimitInMB: '256',
        awsRequestId: requestId,
        logGroupName: '/aws/lambda/ric',
        clientContext: { custom: { tenant: 'acme' }, env: { locale: 'en' } },
      },
    });
    expect(body.context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(body.context.remaining).toBeGreaterThan(8000);
    expect(body.context.remaining).toBeLessThanOrEqual(10_000);
    expect(body.traceId).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);

    const tail = Buffer.from(result.LogResult!, 'base64').toString('utf8');
    expect(tail).toMatch(new RegExp(`\\t${requestId}\\tINFO\\thello from the official client, Ada\\n`));
    expect(tail).toContain(`END RequestId: ${requestId}\n`);
    const group = await logs.send(
      new FilterLogEventsCommand({ logGroupName: '/aws/lambda/ric', filterPattern: '"official client"' }),
    );
    expect(group.events?.map((e) => e.logStreamName)).toEqual([body.context.logStreamName]);
  });

  it('reports a handler error as FunctionError Unhandled with the error the client posted', async () => {
    const result = await lambda.send(
      new InvokeCommand({ FunctionName: 'ric', Payload: Buffer.from(JSON.stringify({ fail: 'x' })) }),
    );
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBe('Unhandled');
    const error = JSON.parse(text(result.Payload));
    expect(error).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad input: x' });
    expect(error.trace?.[0] ?? error.stackTrace?.[0]).toMatch(/^TypeError: bad input: x/);

    // The environment survives a handler error: the next invocation is warm and succeeds.
    const next = await lambda.send(
      new InvokeCommand({ FunctionName: 'ric', Payload: Buffer.from(JSON.stringify({ name: 'Grace' })) }),
    );
    expect(next.FunctionError, text(next.Payload)).toBeUndefined();
    expect(JSON.parse(text(next.Payload)).greeting).toBe('Hello, Grace');
  });
});
