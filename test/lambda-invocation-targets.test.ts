/**
 * Invoke caches what a function name resolves to (invocation-targets.ts); every change made on
 * the node is seen by the very next Invoke, and a change made through another node sharing the
 * store within a second.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  InvokeCommand,
  LambdaClient,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  ResourceNotFoundException,
  TooManyRequestsException,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import { zipOf } from './support/zip.js';

const role = 'arn:aws:iam::000000000000:role/lambda-role';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const source = (label: string) =>
  `exports.handler = async () => ({ label: ${JSON.stringify(label)}, colour: process.env.COLOUR ?? null });`;

describe('Invoke sees every change at once', () => {
  let stratus: TestStratus;
  let lambda: LambdaClient;

  beforeAll(async () => {
    stratus = await startTestStratus();
    lambda = new LambdaClient(stratus.clientConfig);
  });
  afterAll(async () => {
    lambda?.destroy();
    await stratus?.close();
  });

  const create = async (name: string, label: string) =>
    lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: role,
        Code: { ZipFile: await zipOf({ 'index.js': source(label) }) },
      }),
    );
  const invoke = async (name: string, qualifier?: string) => {
    const result = await lambda.send(
      new InvokeCommand({ FunctionName: name, ...(qualifier ? { Qualifier: qualifier } : {}) }),
    );
    return JSON.parse(Buffer.from(result.Payload!).toString('utf8')) as {
      label: string;
      colour: string | null;
    };
  };

  it('new code, configuration, aliases, concurrency and a re-created function', async () => {
    await create('cached', 'v1');
    expect(await invoke('cached')).toEqual({ label: 'v1', colour: null });

    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'cached',
        Environment: { Variables: { COLOUR: 'red' } },
      }),
    );
    expect(await invoke('cached')).toEqual({ label: 'v1', colour: 'red' });

    await lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: 'cached',
        ZipFile: await zipOf({ 'index.js': source('v2') }),
      }),
    );
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'cached' });
    expect(await invoke('cached')).toEqual({ label: 'v2', colour: 'red' });
    const one = await lambda.send(new PublishVersionCommand({ FunctionName: 'cached' }));

    await lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: 'cached',
        ZipFile: await zipOf({ 'index.js': source('v3') }),
      }),
    );
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'cached' });
    const two = await lambda.send(new PublishVersionCommand({ FunctionName: 'cached' }));

    await lambda.send(
      new CreateAliasCommand({ FunctionName: 'cached', Name: 'live', FunctionVersion: one.Version }),
    );
    expect((await invoke('cached', 'live')).label).toBe('v2');
    await lambda.send(
      new UpdateAliasCommand({ FunctionName: 'cached', Name: 'live', FunctionVersion: two.Version }),
    );
    expect((await invoke('cached', 'live')).label).toBe('v3');
    await lambda.send(new DeleteAliasCommand({ FunctionName: 'cached', Name: 'live' }));
    await expect(invoke('cached', 'live')).rejects.toBeInstanceOf(ResourceNotFoundException);

    await lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: 'cached', ReservedConcurrentExecutions: 0 }),
    );
    await expect(invoke('cached')).rejects.toBeInstanceOf(TooManyRequestsException);
    await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'cached' }));
    expect((await invoke('cached')).label).toBe('v3');

    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'cached' }));
    const gone = await invoke('cached').catch((err: unknown) => err);
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    expect((gone as Error).message).toBe(
      'Function not found: arn:aws:lambda:us-east-1:000000000000:function:cached',
    );
    await create('cached', 'reborn');
    expect(await invoke('cached')).toEqual({ label: 'reborn', colour: null });
  });

  it('sees a change made through another node sharing the store within a second', async () => {
    const other = await startTestStratus({ dataDir: stratus.dataDir, storeUrl: stratus.config.storeUrl });
    const otherLambda = new LambdaClient(other.clientConfig);
    try {
      await create('shared', 'before');
      expect((await invoke('shared')).label).toBe('before');
      await otherLambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: 'shared',
          Environment: { Variables: { COLOUR: 'blue' } },
        }),
      );
      const changedAt = performance.now();
      let seen = await invoke('shared');
      while (seen.colour !== 'blue' && performance.now() - changedAt < 5000) {
        await sleep(50);
        seen = await invoke('shared');
      }
      expect(seen.colour).toBe('blue');
      expect(performance.now() - changedAt).toBeLessThan(1500);
    } finally {
      otherLambda.destroy();
      await other.stop();
    }
  });
});
