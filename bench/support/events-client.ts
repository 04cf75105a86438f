/**
 * The EventBridge measuring client, in its own process: each worker loops PutEvents of 10 entries
 * through the AWS SDK for a given time. Prints one JSON line: events accepted, seconds, failures
 * and request latencies.
 *   node --import tsx bench/support/events-client.ts <endpoint> <concurrency> <seconds>
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { benchClientConfig } from './client-config.js';
import { percentile } from './stats.js';

export interface EventsClientResult {
  /** When the workers began (ms since the epoch), so the bench can time deliveries from then. */
  startedAt: number;
  accepted: number;
  failures: number;
  seconds: number;
  p50: number;
  p99: number;
}

const [endpoint, concurrencyText = '8', secondsText = '5'] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const durationMs = Number(secondsText) * 1000;

const client = new EventBridgeClient(benchClientConfig(endpoint, concurrency));
const latencies: number[] = [];
let accepted = 0;
let failures = 0;
let sequence = 0;
const deadline = performance.now() + durationMs;

async function worker(): Promise<void> {
  while (performance.now() < deadline) {
    const Entries = Array.from({ length: 10 }, () => ({
      Source: 'bench',
      DetailType: 'Order Placed',
      Detail: JSON.stringify({ order: { id: `o-${sequence++}`, total: 42, lines: 3 } }),
    }));
    const start = performance.now();
    try {
      const out = await client.send(new PutEventsCommand({ Entries }));
      accepted += Entries.length - (out.FailedEntryCount ?? 0);
      failures += out.FailedEntryCount ?? 0;
    } catch {
      failures += Entries.length;
    }
    latencies.push(performance.now() - start);
  }
}

const startedAt = Date.now();
const began = performance.now();
await Promise.all(Array.from({ length: concurrency }, () => worker()));
const seconds = (performance.now() - began) / 1000;
latencies.sort((a, b) => a - b);
const result: EventsClientResult = {
  startedAt,
  accepted,
  failures,
  seconds,
  p50: percentile(latencies, 50),
  p99: percentile(latencies, 99),
};
process.stdout.write(JSON.stringify(result) + '\n');
client.destroy();
