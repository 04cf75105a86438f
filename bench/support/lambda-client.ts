/**
 * Warm Invoke load through the AWS SDK, in its own process. Prints one JSON line.
 *   node --import tsx bench/support/lambda-client.ts <endpoint> <function> <concurrency> <seconds>
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { benchClientConfig } from './client-config.js';
import { percentile } from './stats.js';

const [endpoint, functionName = 'hello', concurrencyText = '1', secondsText = '5'] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const client = new LambdaClient(benchClientConfig(endpoint, concurrency));
const payload = Buffer.from(JSON.stringify({ hello: 'world' }));
const latencies: number[] = [];
let failures = 0;
const deadline = performance.now() + Number(secondsText) * 1000;

async function worker(): Promise<void> {
  while (performance.now() < deadline) {
    const start = performance.now();
    const result = await client.send(new InvokeCommand({ FunctionName: functionName, Payload: payload }));
    if (result.FunctionError) failures++;
    latencies.push(performance.now() - start);
  }
}

const began = performance.now();
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (performance.now() - began) / 1000;
latencies.sort((a, b) => a - b);
process.stdout.write(
  JSON.stringify({
    requests: latencies.length,
    failures,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  }) + '\n',
);
client.destroy();
