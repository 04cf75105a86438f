/**
 * The measuring client, in its own process: PutLogEvents + GetLogEvents pairs through the AWS SDK
 * at a given concurrency for a given time. Prints one JSON line of results.
 *   node --import tsx bench/support/client.ts <endpoint> <concurrency> <seconds>
 */
import {
  CloudWatchLogsClient,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { benchClientConfig } from './client-config.js';
import { percentile } from './stats.js';

const [endpoint, concurrencyText = '8', secondsText = '5'] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const durationMs = Number(secondsText) * 1000;

const client = new CloudWatchLogsClient(benchClientConfig(endpoint, concurrency));

const latencies: number[] = [];
let requests = 0;
const deadline = performance.now() + durationMs;

async function worker(id: number): Promise<void> {
  let i = 0;
  while (performance.now() < deadline) {
    const logEvents = Array.from({ length: 10 }, (_, n) => ({
      timestamp: Date.now(),
      message: `worker ${id} request ${i} event ${n}: GET /api/orders 200 12ms`,
    }));
    let start = performance.now();
    await client.send(
      new PutLogEventsCommand({ logGroupName: 'bench', logStreamName: `s${id % 4}`, logEvents }),
    );
    latencies.push(performance.now() - start);
    start = performance.now();
    await client.send(
      new GetLogEventsCommand({ logGroupName: 'bench', logStreamName: `s${id % 4}`, limit: 20 }),
    );
    latencies.push(performance.now() - start);
    requests += 2;
    i++;
  }
}

const began = performance.now();
await Promise.all(Array.from({ length: concurrency }, (_, id) => worker(id)));
const seconds = (performance.now() - began) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) => percentile(latencies, p);
process.stdout.write(
  JSON.stringify({ requests, seconds, rps: requests / seconds, p50: pct(50), p99: pct(99) }) + '\n',
);
client.destroy();
