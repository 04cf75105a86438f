/**
 * npm run bench:events — EventBridge end to end: PutEvents → rule → SQS target.
 *
 * (a) Stratus in its own process; AWS SDK clients in others loop PutEvents of 10 entries that one
 *     rule matches, whose target is an SQS queue. Events/s = events that reached the queue, over
 *     the time from the first PutEvents until the last of them is in the queue.
 * (b) For reading (a): the SDK's own ceiling — the same clients against a bare node:http server
 *     that replays Stratus's captured PutEvents answer, i.e. events/s the clients manage against
 *     a server that does no work.
 * (c) Stratus's CPU per event: its process's user + system time (/proc/<pid>/stat) over the run,
 *     delivery included, divided by the events delivered.
 * Clients and server share the machine's cores. BENCH_SECONDS (5) per run, BENCH_CLIENTS (2)
 * processes, BENCH_CONCURRENCY (4,8) workers each; STRATUS_BENCH_STORE=postgres://… for PostgreSQL.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { runJson, startServer } from '../test/support/processes.js';
import { benchClientConfig } from './support/client-config.js';
import type { EventsClientResult } from './support/events-client.js';
import { cpuSeconds } from './support/process-cpu.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const clients = Number(process.env.BENCH_CLIENTS ?? 2);
const concurrencies = (process.env.BENCH_CONCURRENCY ?? '4,8').split(',').map(Number);
const storeUrl = process.env.STRATUS_BENCH_STORE ?? '';
/** How long delivery may lag behind the last PutEvents before the run counts as failed. */
const drainTimeoutMs = 120_000;

type Server = Awaited<ReturnType<typeof startServer>>;

async function drive(server: Server, concurrency: number) {
  const results = await Promise.all(
    Array.from({ length: clients }, () =>
      runJson<EventsClientResult>('bench/support/events-client.ts', [
        server.url,
        String(concurrency),
        String(seconds),
      ]),
    ),
  );
  return {
    startedAt: Math.min(...results.map((r) => r.startedAt)),
    accepted: results.reduce((sum, r) => sum + r.accepted, 0),
    failures: results.reduce((sum, r) => sum + r.failures, 0),
    seconds: Math.max(...results.map((r) => r.seconds)),
    p50: Math.max(...results.map((r) => r.p50)),
    p99: Math.max(...results.map((r) => r.p99)),
  };
}

/** Waits until the queue holds `count` messages; when that happened (ms since the epoch). */
async function drained(sqs: SQSClient, queueUrl: string, count: number): Promise<number> {
  const deadline = Date.now() + drainTimeoutMs;
  for (;;) {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    if (Number(Attributes?.['ApproximateNumberOfMessages']) >= count) return Date.now();
    if (Date.now() > deadline)
      throw new Error(`only ${Attributes?.['ApproximateNumberOfMessages']} of ${count} delivered`);
    await sleep(20);
  }
}

/** Stratus's answer to a PutEvents of 10 entries, for the bare server to replay. */
async function capture(endpoint: string, file: string): Promise<void> {
  const Entries = Array.from({ length: 10 }, (_, n) => ({
    Source: 'capture',
    DetailType: 'Order Placed',
    Detail: JSON.stringify({ order: { id: `o-${n}`, total: 42, lines: 3 } }),
  }));
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'x-amz-target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify({ Entries }),
  });
  const body = await res.text();
  writeFileSync(
    file,
    JSON.stringify({
      'AWSEvents.PutEvents': {
        status: res.status,
        headers: { 'content-type': res.headers.get('content-type') ?? '', 'x-amzn-requestid': 'bench' },
        body,
      },
    }),
  );
}

const work = mkdtempSync(join(tmpdir(), 'stratus-bench-events-'));
const servers: Server[] = [];
try {
  const stratus = await startServer('test/support/serve.ts', [join(work, 'data'), storeUrl]);
  servers.push(stratus);
  const eb = new EventBridgeClient(benchClientConfig(stratus.url, 1));
  const sqs = new SQSClient(benchClientConfig(stratus.url, 1));
  await eb.send(
    new PutRuleCommand({
      Name: 'bench',
      EventPattern: '{"source": ["bench"], "detail": {"order": {"total": [{"numeric": [">", 0]}]}}}',
    }),
  );
  const capturedFile = join(work, 'captured.json');
  await capture(stratus.url, capturedFile);
  const bare = await startServer('bench/support/bare-server.ts', [capturedFile]);
  servers.push(bare);

  console.log(
    `bench:events — PutEvents (10 entries) → rule → SQS target through the AWS SDK, on ${storeUrl ? 'PostgreSQL' : 'SQLite'}`,
  );
  console.log(
    `${clients} client processes × concurrency per process; ${seconds} s each; ${availableParallelism()} cores ` +
      `shared by server and clients, load average (1 min) ${loadavg()[0]!.toFixed(2)} before`,
  );
  console.log(
    'concurrency | delivered events/s | accepted events/s | SDK ceiling events/s | of ceiling | CPU ms/event | PutEvents p50/p99 ms | delivery lag s',
  );
  for (const concurrency of concurrencies) {
    // A fresh queue per run, so its depth counts this run's deliveries alone.
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `bench-${concurrency}` }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    await eb.send(
      new PutTargetsCommand({ Rule: 'bench', Targets: [{ Id: 'queue', Arn: Attributes!['QueueArn']! }] }),
    );
    const cpuBefore = cpuSeconds(stratus.child.pid!);
    const result = await drive(stratus, concurrency);
    const sent = Date.now();
    const done = await drained(sqs, QueueUrl!, result.accepted);
    const cpu = cpuSeconds(stratus.child.pid!) - cpuBefore;
    const delivered = result.accepted / ((done - result.startedAt) / 1000);
    const ceiling = await drive(bare, concurrency);
    const ceilingRate = ceiling.accepted / ceiling.seconds;
    console.log(
      [
        String(concurrency).padStart(11),
        delivered.toFixed(0).padStart(18),
        (result.accepted / result.seconds).toFixed(0).padStart(17),
        ceilingRate.toFixed(0).padStart(20),
        (delivered / ceilingRate).toFixed(2).padStart(10),
        ((cpu * 1000) / result.accepted).toFixed(3).padStart(12),
        `${result.p50.toFixed(1)}/${result.p99.toFixed(1)}`.padStart(20),
        ((done - sent) / 1000).toFixed(2).padStart(14),
      ].join(' | '),
    );
    if (result.failures > 0) console.log(`  ${result.failures} entries failed`);
  }
  eb.destroy();
  sqs.destroy();
} finally {
  for (const server of servers) server.child.kill();
  rmSync(work, { recursive: true, force: true });
}
