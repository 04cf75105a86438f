/**
 * Asynchronous invocation (InvocationType Event) is durable and retried, end to end: events
 * accepted with 202 survive a kill -9 of Stratus and all run after a restart; a failing event runs
 * MaximumRetryAttempts (default 2) more times, 1 then 2 minutes apart (moved through a ManualClock).
 */
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ManualClock } from '../src/engine/clock.js';
import { PostgresStore } from '../src/storage/postgres.js';
import { startServer } from './support/processes.js';
import { startTestStratus, testStoreUrl } from './support/stratus.js';
import { zipOf } from './support/zip.js';

const role = 'arn:aws:iam::000000000000:role/lambda-role';
const encode = (value: unknown) => Buffer.from(JSON.stringify(value));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const clientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});

async function logMessages(logs: CloudWatchLogsClient, group: string, pattern?: string): Promise<string[]> {
  const messages: string[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < 50; page++) {
    const answer = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: group,
        ...(pattern ? { filterPattern: pattern } : {}),
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    messages.push(...(answer.events ?? []).map((e) => e.message!));
    nextToken = answer.nextToken;
    if (!nextToken) break;
  }
  return messages;
}

/**
 * Processes still running an environment of Stratus's data directory `dataDir`: bubblewrap's
 * command line names the function's code under it; without the sandbox, the runtime runs in that
 * code's directory. After a kill -9 of Stratus there should be none: a death signal and
 * `--die-with-parent` are to end every environment with Stratus (docs/functions.md).
 */
function sandboxesOf(dataDir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if ([...argv, cwdOf(pid)].some((arg) => arg.startsWith(dataDir))) found.push(pid);
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** A process's working directory, or '' if it is not ours to see. */
function cwdOf(pid: number): string {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return '';
  }
}

/** A live process (zombies, already dead but not yet reaped, do not count). */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The log group's messages, or none while it does not exist yet. */
const messagesOrNone = (logs: CloudWatchLogsClient, group: string, pattern?: string) =>
  logMessages(logs, group, pattern).catch((err: { name?: string }) => {
    if (err.name === 'ResourceNotFoundException') return [] as string[];
    throw err;
  });

describe('Lambda asynchronous invocation durability', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratus-async-durable-'));
  const storeUrl = testStoreUrl();

  afterAll(async () => {
    if (storeUrl) await (await PostgresStore.open({ url: storeUrl })).close({ dropSchema: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs every Event invocation accepted with 202 after Stratus is killed with SIGKILL and restarted', async () => {
    const { child, url } = await startServer('test/support/serve.ts', [dataDir, storeUrl ?? '']);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const lambda = new LambdaClient(clientConfig(url));
    try {
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'marker',
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: role,
          Timeout: 3,
          Code: {
            ZipFile: await zipOf({
              'index.js':
                'exports.handler = async (event) => { console.log("MARKER " + event.n); return event.n; };',
            }),
          },
        }),
      );
      const queued = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          lambda.send(
            new InvokeCommand({ FunctionName: 'marker', InvocationType: 'Event', Payload: encode({ n }) }),
          ),
        ),
      );
      expect(queued.map((q) => q.StatusCode)).toEqual(Array(20).fill(202));
    } finally {
      child.kill('SIGKILL');
      lambda.destroy();
    }
    await exited;
    // Environments die with the server (a death signal armed before the sandbox starts). One
    // caught mid-start can outlive it, idle; the next start of Stratus kills such leftovers.
    let survivors = sandboxesOf(dataDir);
    for (let i = 0; i < 20 && survivors.length > 0; i++) {
      await sleep(100);
      survivors = sandboxesOf(dataDir);
    }
    const orphans = survivors;

    const restarted = await startTestStratus({ dataDir, storeUrl });
    const logs = new CloudWatchLogsClient(restarted.clientConfig);
    try {
      let left = orphans.filter(isRunning);
      for (let i = 0; i < 20 && left.length > 0; i++) {
        await sleep(100);
        left = orphans.filter(isRunning);
      }
      expect(left, 'sandboxes of the killed server still running after the restart').toEqual([]);
      const expected = Array.from({ length: 20 }, (_, n) => `MARKER ${n}`);
      let ran = new Set<string>();
      // Events the killed server had leased run once their lease (timeout + 30 s) expires.
      for (let i = 0; i < 240 && ran.size < expected.length; i++) {
        const messages = await messagesOrNone(logs, '/aws/lambda/marker', 'MARKER');
        ran = new Set(messages.map((m) => /MARKER \d+/.exec(m)?.[0]).filter((m) => m !== undefined));
        if (ran.size < expected.length) await sleep(500);
      }
      expect([...ran].sort()).toEqual([...expected].sort());
    } finally {
      logs.destroy();
      await restarted.stop();
    }
  }, 180_000);

  it('retries a failing Event invocation twice (MaximumRetryAttempts 2), after 1 and then 2 more minutes, with the same request id', async () => {
    // The clock starts now so SigV4 signatures stay valid; the test moves it 6 minutes at most.
    const clock = new ManualClock(Date.now());
    const stratus = await startTestStratus({ clock });
    const lambda = new LambdaClient(stratus.clientConfig);
    const logs = new CloudWatchLogsClient(stratus.clientConfig);
    const group = '/aws/lambda/always-fails';
    const starts = async () =>
      (await messagesOrNone(logs, group)).filter((m) => m.startsWith('START RequestId: '));
    /** Waits (bounded) until `count` attempts have started; returns the START lines. */
    const waitForStarts = async (count: number, ms: number) => {
      let lines = await starts();
      for (let waited = 0; waited < ms && lines.length < count; waited += 200) {
        await sleep(200);
        lines = await starts();
      }
      return lines;
    };
    try {
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'always-fails',
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: role,
          Timeout: 3,
          Code: {
            ZipFile: await zipOf({
              'index.js':
                'exports.handler = async (event) => { console.log("ATTEMPT " + event.id); throw new Error("failing on purpose"); };',
            }),
          },
        }),
      );
      const queued = await lambda.send(
        new InvokeCommand({
          FunctionName: 'always-fails',
          InvocationType: 'Event',
          Payload: encode({ id: 'x1' }),
        }),
      );
      expect(queued.StatusCode).toBe(202);
      const requestId = queued.$metadata.requestId!;

      expect(await waitForStarts(1, 20_000)).toHaveLength(1);
      // The worker polls every 500 ms: give it time to record the retry and to (not) run it early.
      await sleep(1500);
      clock.advance(30_000);
      await sleep(1500);
      expect(await starts(), 'no retry before 1 minute').toHaveLength(1);
      clock.advance(30_000);
      expect(await waitForStarts(2, 20_000)).toHaveLength(2);

      await sleep(1500);
      clock.advance(60_000);
      await sleep(1500);
      expect(await starts(), 'the second retry waits 2 minutes').toHaveLength(2);
      clock.advance(60_000);
      expect(await waitForStarts(3, 20_000)).toHaveLength(3);

      // Retries are exhausted: nothing runs again, however long we wait.
      await sleep(1500);
      clock.advance(180_000);
      await sleep(2500);
      const lines = await starts();
      expect(lines).toHaveLength(3);
      for (const line of lines) expect(line).toBe(`START RequestId: ${requestId} Version: $LATEST\n`);
      const attempts = await messagesOrNone(logs, group, 'ATTEMPT');
      expect(attempts.filter((m) => m.includes('ATTEMPT x1'))).toHaveLength(3);
      const errors = (await messagesOrNone(logs, group)).filter((m) => m.includes('failing on purpose'));
      expect(errors.length).toBeGreaterThanOrEqual(3);
    } finally {
      lambda.destroy();
      logs.destroy();
      await stratus.close();
    }
  }, 120_000);
});
