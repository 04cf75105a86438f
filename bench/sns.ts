/**
 * node --import tsx bench/sns.ts — what a durable Publish costs, and how fast deliveries flow.
 *
 * Stratus runs in its own process. (1) Publish to a topic without subscribers against
 * GetTopicAttributes on the same topic (a read of the same row): the ratio is what writing the
 * message durably costs. (2) Publish to a topic with three HTTP subscriptions, a node:http endpoint
 * in this process receiving: deliveries per second, and publish-to-arrival latency.
 * BENCH_SECONDS (default 5) per measurement; STRATUS_BENCH_STORE=postgres://… for PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { startServer } from '../test/support/processes.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrency = 8;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function measure(call: () => Promise<unknown>): Promise<{ rps: number; p50: number; p99: number }> {
  for (let i = 0; i < 50; i++) await call(); // warm up: JIT, connections, statement caches
  const latencies: number[] = [];
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const start = performance.now();
        await call();
        latencies.push(performance.now() - start);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}

const work = mkdtempSync(join(tmpdir(), 'stratus-bench-sns-'));
const stratus = await startServer('test/support/serve.ts', [
  join(work, 'data'),
  process.env.STRATUS_BENCH_STORE ?? '',
]);
const sns = new SNSClient({
  endpoint: stratus.url,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const arrivals = new Map<string, number[]>();
const endpoint = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString()) as {
      Type: string;
      Message: string;
      SubscribeURL?: string;
    };
    if (body.Type === 'SubscriptionConfirmation') void fetch(body.SubscribeURL!);
    else
      (arrivals.get(body.Message) ?? arrivals.set(body.Message, []).get(body.Message)!).push(
        performance.now(),
      );
    res.end();
  });
});
await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
const hook = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;

try {
  const quiet = (await sns.send(new CreateTopicCommand({ Name: 'quiet' }))).TopicArn!;
  const read = await measure(() => sns.send(new GetTopicAttributesCommand({ TopicArn: quiet })));
  const write = await measure(() =>
    sns.send(new PublishCommand({ TopicArn: quiet, Message: 'x'.repeat(256) })),
  );
  console.log(
    `GetTopicAttributes: ${read.rps.toFixed(0)} req/s (p50 ${read.p50.toFixed(1)} ms, p99 ${read.p99.toFixed(1)} ms)`,
  );
  console.log(
    `Publish, no subscribers: ${write.rps.toFixed(0)} req/s (p50 ${write.p50.toFixed(1)} ms, p99 ${write.p99.toFixed(1)} ms)`,
  );
  console.log(`Publish / GetTopicAttributes: ${(write.rps / read.rps).toFixed(2)}×`);

  const fanout = (await sns.send(new CreateTopicCommand({ Name: 'fanout' }))).TopicArn!;
  for (const path of ['a', 'b', 'c']) {
    await sns.send(new SubscribeCommand({ TopicArn: fanout, Protocol: 'http', Endpoint: `${hook}/${path}` }));
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const published = new Map<string, number>();
  let n = 0;
  const start = performance.now();
  const sent = await measure(async () => {
    const message = `m${n++}`;
    published.set(message, performance.now());
    await sns.send(new PublishCommand({ TopicArn: fanout, Message: message }));
  });
  const expected = published.size * 3;
  const deadline = Date.now() + 60_000;
  const delivered = () => [...arrivals.values()].reduce((sum, a) => sum + a.length, 0);
  while (delivered() < expected && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const lastArrival = Math.max(...[...arrivals.values()].flat());
  const latencies = [...published]
    .flatMap(([m, at]) => (arrivals.get(m) ?? []).map((t) => t - at))
    .sort((a, b) => a - b);
  console.log(
    `Fan-out to 3 HTTP subscribers: ${sent.rps.toFixed(0)} publishes/s; ${delivered()}/${expected} deliveries, ` +
      `${(delivered() / ((lastArrival - start) / 1000)).toFixed(0)} deliveries/s; ` +
      `publish→arrival p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms`,
  );
} finally {
  sns.destroy();
  stratus.child.kill();
  endpoint.close();
  rmSync(work, { recursive: true, force: true });
}
