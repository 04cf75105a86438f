/**
 * The bench:apigw load generator, in its own process: autocannon sends GET / over kept-alive
 * connections for a warm-up and then `seconds` measured, in one run, so no request is left
 * behind at the switch (a function's cold start in the warm-up would otherwise still be busy when
 * the measured requests arrive, and make another start). Responses before the switch count in
 * `total`, not in `requests`. Latencies are autocannon's own per-response times, kept here
 * unrounded (its histogram keeps whole milliseconds). A connection error, a timeout, a status
 * other than 2xx or a body other than the expected one is a failure. Prints one JSON line.
 *   node --import tsx bench/support/apigw-load.ts <url> <host header, or - for the URL's>
 *     <connections> <seconds> <warm-up seconds> <expected body>
 */
import { createRequire } from 'node:module';
import { percentile } from './stats.js';

export interface ApigwLoadResult {
  /** Responses in the measured window. */
  requests: number;
  /** Responses in all, warm-up included: what the server did while this client ran. */
  total: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  /** Connection errors and timeouts. */
  errors: number;
  non2xx: number;
  /** 2xx answers whose body was not the expected one. */
  mismatches: number;
}

interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
  expectBody: string;
}

interface AutocannonResult {
  /** Connection errors, timeouts included. */
  errors: number;
  non2xx: number;
  mismatches: number;
}

interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}

// autocannon is CommonJS without type declarations; this is the one call it needs.
const autocannon = createRequire(import.meta.url)('autocannon') as (
  options: AutocannonOptions,
) => AutocannonInstance;

const [url, host, connectionsText, secondsText, warmupText, expectBody = ''] = process.argv.slice(2);
const warmupSeconds = Number(warmupText);
const load = autocannon({
  url: url!,
  connections: Number(connectionsText),
  duration: warmupSeconds + Number(secondsText),
  headers: host && host !== '-' ? { host } : {},
  expectBody,
});
const measureFrom = performance.now() + warmupSeconds * 1000;
let warmup = 0;
const latencies: number[] = [];
load.on('response', (_client, _status, _bytes, ms) => {
  if (performance.now() < measureFrom) warmup++;
  else latencies.push(ms);
});
const outcome = await load;
const seconds = (performance.now() - measureFrom) / 1000;

latencies.sort((a, b) => a - b);
const result: ApigwLoadResult = {
  requests: latencies.length,
  total: warmup + latencies.length,
  seconds,
  rps: latencies.length / seconds,
  p50: percentile(latencies, 50),
  p99: percentile(latencies, 99),
  errors: outcome.errors,
  non2xx: outcome.non2xx,
  mismatches: outcome.mismatches,
};
process.stdout.write(JSON.stringify(result) + '\n');
