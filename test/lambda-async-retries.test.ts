/**
 * Only function errors consume an Event invocation's retries (MaximumRetryAttempts): a run lost
 * to a crash of Stratus, or a throttled attempt, does not; and `approximateInvokeCount` in the
 * destination record counts the invocations whose outcome Lambda saw.
 *
 * The function asks a small HTTP server in this test what to do on each run (hang or fail), so
 * the test knows exactly how often it ran, and when it is mid-run.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CreateFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  InvokeCommand,
  LambdaClient,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { ManualClock } from '../src/engine/clock.js';
import { PostgresStore } from '../src/storage/postgres.js';
import { startServer } from './support/processes.js';
import { startTestStratus, testStoreUrl } from './support/stratus.js';
import { zipOf } from './support/zip.js';

const role = 'arn:aws:iam::000000000000:role/lambda-role';
const collectorArn = 'arn:aws:lambda:us-east-1:000000000000:function:collector';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Answers each run of the function with the next of `plan` (the last one repeats). */
class RunCoordinator {
  runs = 0;
  private server: Server | undefined;
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  constructor(private readonly plan: ('hang' | 'fail')[]) {}

  async start(): Promise<string> {
    this.server = createServer((_req, res) => {
      const answer = this.plan[Math.min(this.runs, this.plan.length - 1)]!;
      this.runs++;
      res.end(answer);
      for (const waiter of this.waiters.filter((w) => this.runs >= w.count)) waiter.resolve();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  /** Resolves once the function has asked `count` times; fails after `ms`. */
  until(count: number, ms = 20_000): Promise<void> {
    if (this.runs >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.runs} of ${count} runs`)), ms);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const flakySource = (url: string) =>
  `exports.handler = async (event) => {
     const answer = await (await fetch(${JSON.stringify(url)})).text();
     if (answer === 'hang') await new Promise(() => {});
     throw new Error('failing on purpose ' + event.id);
   };`;

async function createFunctions(lambda: LambdaClient, url: string, timeout: number): Promise<void> {
  for (const [name, source] of [
    ['flaky', flakySource(url)],
    ['collector', 'exports.handler = async (event) => { console.log("RECORD " + JSON.stringify(event)); };'],
  ] as const) {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: role,
        Timeout: timeout,
        Code: { ZipFile: await zipOf({ 'index.js': source }) },
      }),
    );
  }
  await lambda.send(
    new PutFunctionEventInvokeConfigCommand({
      FunctionName: 'flaky',
      MaximumRetryAttempts: 1,
      DestinationConfig: { OnFailure: { Destination: collectorArn } },
    }),
  );
}

/** The records the collector received (polled: destinations are delivered asynchronously). */
async function records(logs: CloudWatchLogsClient, wanted: number, ms = 20_000): Promise<unknown[]> {
  let found: unknown[] = [];
  for (let waited = 0; waited <= ms; waited += 200) {
    const page = await logs
      .send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/collector', filterPattern: 'RECORD' }))
      .catch(() => ({ events: [] }));
    found = (page.events ?? []).map((e) => JSON.parse(e.message!.slice(e.message!.indexOf('RECORD ') + 7)));
    if (found.length >= wanted) break;
    await sleep(200);
  }
  return found;
}

describe('Lambda asynchronous retries count function errors only', () => {
  let coordinator: RunCoordinator;
  beforeEach(() => {
    coordinator = new RunCoordinator(['hang', 'fail']);
  });
  afterEach(() => coordinator.stop());

  const dataDir = mkdtempSync(join(tmpdir(), 'stratus-async-retries-'));
  const storeUrl = testStoreUrl();
  afterAll(async () => {
    if (storeUrl) await (await PostgresStore.open({ url: storeUrl })).close({ dropSchema: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a run lost to a crash of Stratus does not consume a retry; approximateInvokeCount counts the runs that ended', async () => {
    const url = await coordinator.start();
    const { child, url: endpoint } = await startServer('test/support/serve.ts', [dataDir, storeUrl ?? '']);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const first = new LambdaClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    let requestId: string;
    try {
      await createFunctions(first, url, 5);
      const queued = await first.send(
        new InvokeCommand({
          FunctionName: 'flaky',
          InvocationType: 'Event',
          Payload: Buffer.from('{"id":"e1"}'),
        }),
      );
      expect(queued.StatusCode).toBe(202);
      requestId = queued.$metadata.requestId!;
      // The first run hangs: Stratus dies with it in flight.
      await coordinator.until(1);
    } finally {
      child.kill('SIGKILL');
      first.destroy();
    }
    await exited;

    // The dead server's lease (timeout + 30 s) expires once the clock has moved past it.
    const clock = new ManualClock(Date.now());
    const stratus = await startTestStratus({ dataDir, storeUrl, clock, hostClock: clock });
    const logs = new CloudWatchLogsClient(stratus.clientConfig);
    try {
      clock.advance(40_000);
      await coordinator.until(2);
      // That run failed: the first of MaximumRetryAttempts 1, retried a minute later, not exhausted.
      await sleep(1500);
      expect(await records(logs, 1, 0), 'no record before the retry ran').toEqual([]);
      clock.advance(60_000);
      await coordinator.until(3);
      const [record] = await records(logs, 1);
      expect(record).toMatchObject({
        requestContext: {
          requestId,
          condition: 'RetriesExhausted',
          approximateInvokeCount: 2,
          functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:flaky:$LATEST',
        },
        requestPayload: { id: 'e1' },
        responseContext: { functionError: 'Unhandled' },
        responsePayload: { errorMessage: 'failing on purpose e1' },
      });
      await sleep(1500);
      clock.advance(180_000);
      await sleep(1500);
      expect(coordinator.runs, 'the crashed run, then 1 + MaximumRetryAttempts counted ones').toBe(3);
    } finally {
      logs.destroy();
      await stratus.stop();
    }
  }, 120_000);

  it('a throttled attempt does not consume a retry', async () => {
    coordinator = new RunCoordinator(['fail']);
    const url = await coordinator.start();
    const clock = new ManualClock(Date.now());
    const stratus = await startTestStratus({ clock });
    const lambda = new LambdaClient(stratus.clientConfig);
    const logs = new CloudWatchLogsClient(stratus.clientConfig);
    const cloudwatch = new CloudWatchClient(stratus.clientConfig);
    try {
      await createFunctions(lambda, url, 3);
      // Reserved concurrency 0: every invocation is throttled.
      await lambda.send(
        new PutFunctionConcurrencyCommand({ FunctionName: 'flaky', ReservedConcurrentExecutions: 0 }),
      );
      const queued = await lambda.send(
        new InvokeCommand({
          FunctionName: 'flaky',
          InvocationType: 'Event',
          Payload: Buffer.from('{"id":"t1"}'),
        }),
      );
      expect(queued.StatusCode).toBe(202);
      let throttles = 0;
      for (let i = 0; i < 100 && throttles === 0; i++) {
        await sleep(200);
        const stats = await cloudwatch.send(
          new GetMetricStatisticsCommand({
            Namespace: 'AWS/Lambda',
            MetricName: 'Throttles',
            Dimensions: [{ Name: 'FunctionName', Value: 'flaky' }],
            StartTime: new Date(clock.now() - 3600_000),
            EndTime: new Date(clock.now() + 3600_000),
            Period: 3600,
            Statistics: ['Sum'],
          }),
        );
        throttles = stats.Datapoints?.[0]?.Sum ?? 0;
      }
      expect(throttles).toBeGreaterThanOrEqual(1);
      expect(coordinator.runs).toBe(0);

      await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'flaky' }));
      // Throttled events are retried after 30 s; this run fails: the first failure of 1 + 1.
      clock.advance(30_000);
      await coordinator.until(1);
      await sleep(1500);
      expect(await records(logs, 1, 0), 'the throttle did not use up the retry').toEqual([]);
      clock.advance(60_000);
      await coordinator.until(2);
      const [record] = await records(logs, 1);
      expect(record).toMatchObject({
        requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 2 },
        requestPayload: { id: 't1' },
      });
    } finally {
      lambda.destroy();
      logs.destroy();
      cloudwatch.destroy();
      await stratus.close();
    }
  }, 120_000);
});
