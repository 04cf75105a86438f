/**
 * npm run bench:lambda — what running a function costs.
 *
 * Warm: the same AWS SDK client (own process) sends Invoke to (a) Stratus running a Node.js echo
 * function and (b) a bare node:http server in its own process that echoes the payload. Target:
 * Stratus ≥ 0.5× the bare echo's throughput.
 * Cold: Invoke of functions never run before, against (c) spawning `node` bare to import the
 * same handler and call it once. Target: ≤ 2× the bare spawn, and Init Duration < 60 ms. Most start
 * in a spare runtime process (src/functions/spares.ts); a few with a memory size of their own show
 * a start from nothing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { runJson, startServer } from '../test/support/processes.js';
import { zipOf } from '../test/support/zip.js';
import { percentile } from './support/stats.js';

interface LoadResult {
  requests: number;
  failures: number;
  rps: number;
  p50: number;
  p99: number;
}

// The SDK's clients here warn that its 2027 releases need Node 22 (as the tests' setup silences).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const coldStarts = Number(process.env.BENCH_COLD_STARTS ?? 15);
/** Each side's `seconds` are split into this many alternating rounds; the ratio is their median. */
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const handlerSource = 'export const handler = async (event) => event;\n';
/**
 * 1769 MB is one full vCPU on Lambda (CPU is proportional to memory), so the handler has the CPU
 * the bare echo has and the ratio measures Stratus's invoke path, not a function's CPU share.
 * BENCH_MEMORY_MB=512 measures a smaller function the same way.
 */
const memoryMb = Number(process.env.BENCH_MEMORY_MB ?? 1769);

const work = mkdtempSync(join(tmpdir(), 'stratus-bench-lambda-'));
const stratus = await startServer('test/support/serve.ts', [
  join(work, 'data'),
  process.env.STRATUS_BENCH_STORE ?? '',
]);
const bare = await startServer('bench/support/echo-server.ts', []);
const config = {
  endpoint: stratus.url,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
};
const lambda = new LambdaClient(config);
const logs = new CloudWatchLogsClient(config);
const zip = await zipOf({ 'index.mjs': handlerSource });
const create = (name: string, memory = memoryMb) =>
  lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/bench',
      Code: { ZipFile: zip },
      MemorySize: memory,
    }),
  );

try {
  await create('hello');
  await lambda.send(new InvokeCommand({ FunctionName: 'hello', Payload: Buffer.from('{}') }));

  console.log(
    `bench:lambda — warm Invoke through the AWS SDK, ${seconds}s per side in ${rounds} alternating rounds (medians), ${memoryMb} MB function`,
  );
  console.log(
    'concurrency | bare echo req/s | stratus req/s | ratio | ratio range | bare p50/p99 ms | stratus p50/p99 ms',
  );
  for (const concurrency of [1, 16]) {
    const args = (url: string) => [url, 'hello', String(concurrency), String(seconds / rounds)];
    // Warm: start as many environments as the concurrency needs before measuring.
    await runJson<LoadResult>('bench/support/lambda-client.ts', [
      stratus.url,
      'hello',
      String(concurrency),
      '2',
    ]);
    // Short rounds, alternating bare and Stratus, so a change in the machine's speed during the
    // run (other tenants, CPU boost) weighs on both sides alike.
    const baseline: LoadResult[] = [];
    const measured: LoadResult[] = [];
    for (let round = 0; round < rounds; round++) {
      baseline.push(await runJson<LoadResult>('bench/support/lambda-client.ts', args(bare.url)));
      measured.push(await runJson<LoadResult>('bench/support/lambda-client.ts', args(stratus.url)));
    }
    const failures = measured.reduce((sum, r) => sum + r.failures, 0);
    if (failures > 0) console.log(`  (${failures} invocations failed)`);
    const ratios = measured.map((r, i) => r.rps / baseline[i]!.rps).sort((a, b) => a - b);
    const median = (results: LoadResult[], field: 'rps' | 'p50' | 'p99') =>
      percentile(
        results.map((r) => r[field]).sort((a, b) => a - b),
        50,
      );
    console.log(
      [
        String(concurrency).padStart(11),
        median(baseline, 'rps').toFixed(0).padStart(15),
        median(measured, 'rps').toFixed(0).padStart(13),
        percentile(ratios, 50).toFixed(2).padStart(5),
        `${ratios[0]!.toFixed(2)}–${ratios[ratios.length - 1]!.toFixed(2)}`.padStart(11),
        `${median(baseline, 'p50').toFixed(2)}/${median(baseline, 'p99').toFixed(2)}`.padStart(15),
        `${median(measured, 'p50').toFixed(2)}/${median(measured, 'p99').toFixed(2)}`.padStart(18),
      ].join(' | '),
    );
  }

  // Cold starts: each function runs for the first time. Stratus keeps a spare runtime process for
  // each recently cold-started profile (runtime, memory, /tmp), so these start in spares; a memory
  // size of their own gives each of the `scratch` ones a new profile: no spare, a start from nothing.
  const coldStart = async (name: string, memory = memoryMb) => {
    await create(name, memory);
    const start = performance.now();
    await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}') }));
    const elapsed = performance.now() - start;
    const report = await logs.send(
      new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${name}`, filterPattern: '"Init Duration"' }),
    );
    const init = /Init Duration: ([\d.]+) ms/.exec(report.events?.[0]?.message ?? '');
    return { elapsed, initMs: init ? Number(init[1]) : NaN };
  };
  const cold: number[] = [];
  const initDurations: number[] = [];
  for (let i = 0; i < coldStarts; i++) {
    const { elapsed, initMs } = await coldStart(`cold-${i}`);
    cold.push(elapsed);
    initDurations.push(initMs);
  }
  const scratch: number[] = [];
  const scratchInit: number[] = [];
  for (let i = 0; i < Math.ceil(coldStarts / 3); i++) {
    const { elapsed, initMs } = await coldStart(`scratch-${i}`, memoryMb + 1 + i);
    scratch.push(elapsed);
    scratchInit.push(initMs);
  }
  // Baseline: the same handler imported and called by a bare `node` process.
  const handlerFile = join(work, 'index.mjs');
  writeFileSync(handlerFile, handlerSource);
  const script = `import(${JSON.stringify(handlerFile)}).then((m) => m.handler({})).then((r) => process.stdout.write(JSON.stringify(r)))`;
  const spawned: number[] = [];
  for (let i = 0; i < coldStarts; i++) {
    const start = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      child.stdout.once('data', () => resolve());
      child.once('error', reject);
    });
    spawned.push(performance.now() - start);
  }
  for (const list of [cold, spawned, initDurations, scratch, scratchInit]) list.sort((a, b) => a - b);
  const ratio = percentile(cold, 50) / percentile(spawned, 50);
  console.log(`\ncold start (${coldStarts} first invocations) | p50 ms | p99 ms`);
  console.log(
    `bare node spawn + handler           | ${percentile(spawned, 50).toFixed(1)} | ${percentile(spawned, 99).toFixed(1)}`,
  );
  console.log(
    `stratus Invoke, cold                | ${percentile(cold, 50).toFixed(1)} | ${percentile(cold, 99).toFixed(1)}`,
  );
  console.log(
    `stratus Init Duration (REPORT)      | ${percentile(initDurations, 50).toFixed(1)} | ${percentile(initDurations, 99).toFixed(1)}`,
  );
  console.log(
    `  without a spare (${scratch.length}): Invoke     | ${percentile(scratch, 50).toFixed(1)} | ${percentile(scratch, 99).toFixed(1)}`,
  );
  console.log(
    `  without a spare: Init Duration   | ${percentile(scratchInit, 50).toFixed(1)} | ${percentile(scratchInit, 99).toFixed(1)}`,
  );
  console.log(
    `cold/bare ratio ${ratio.toFixed(2)}× (target ≤ 2×); Init Duration p50 ${percentile(initDurations, 50).toFixed(1)} ms (target < 60 ms)`,
  );
} finally {
  lambda.destroy();
  logs.destroy();
  stratus.child.kill();
  bare.child.kill();
  rmSync(work, { recursive: true, force: true });
}
