/**
 * npm run bench:edge — what the edge, protocol layer and store cost.
 *
 * The same AWS SDK client (in its own process) sends PutLogEvents + GetLogEvents pairs to
 * (a) Stratus and (b) a bare node:http server in its own process that answers the same bytes.
 * The ratio of (a) to (b) is Stratus's overhead; the target is ≥ 0.5×.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { runJson, startServer } from '../test/support/processes.js';

interface ClientResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
}

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const concurrencies = [1, 8];
const target = 0.5;

const work = mkdtempSync(join(tmpdir(), 'stratus-bench-'));
const stratus = await startServer('test/support/serve.ts', [
  join(work, 'data'),
  process.env.STRATUS_BENCH_STORE ?? '',
]);
try {
  const setup = new CloudWatchLogsClient({
    endpoint: stratus.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await setup.send(new CreateLogGroupCommand({ logGroupName: 'bench' }));
  for (let s = 0; s < 4; s++) {
    await setup.send(new CreateLogStreamCommand({ logGroupName: 'bench', logStreamName: `s${s}` }));
    const logEvents = Array.from({ length: 20 }, (_, n) => ({
      timestamp: Date.now(),
      message: `seed ${n}: GET /api/orders 200 12ms`,
    }));
    await setup.send(new PutLogEventsCommand({ logGroupName: 'bench', logStreamName: `s${s}`, logEvents }));
  }
  setup.destroy();

  // Capture Stratus's own answers so the bare server returns identical bytes.
  const captured: Record<string, { status: number; headers: Record<string, string>; body: string }> = {};
  for (const [operation, body] of [
    [
      'PutLogEvents',
      { logGroupName: 'bench', logStreamName: 's0', logEvents: [{ timestamp: Date.now(), message: 'x' }] },
    ],
    ['GetLogEvents', { logGroupName: 'bench', logStreamName: 's0', limit: 20 }],
  ] as const) {
    const target = `Logs_20140328.${operation}`;
    const res = await fetch(stratus.url, {
      method: 'POST',
      headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify(body),
    });
    captured[target] = {
      status: res.status,
      headers: { 'content-type': res.headers.get('content-type') ?? '', 'x-amzn-requestid': 'bench' },
      body: await res.text(),
    };
  }
  const capturedFile = join(work, 'captured.json');
  writeFileSync(capturedFile, JSON.stringify(captured));
  const bare = await startServer('bench/support/bare-server.ts', [capturedFile]);

  try {
    console.log(
      `bench:edge — PutLogEvents + GetLogEvents through the AWS SDK, ${seconds}s × ${rounds} rounds each`,
    );
    console.log('concurrency | bare req/s | stratus req/s | ratio | bare p50/p99 ms | stratus p50/p99 ms');
    let worst = Infinity;
    for (const concurrency of concurrencies) {
      const best = {
        bare: undefined as ClientResult | undefined,
        stratus: undefined as ClientResult | undefined,
      };
      for (let round = 0; round < rounds; round++) {
        for (const [name, url] of [
          ['bare', bare.url],
          ['stratus', stratus.url],
        ] as const) {
          const result = await runJson<ClientResult>('bench/support/client.ts', [
            url,
            String(concurrency),
            String(seconds),
          ]);
          if (!best[name] || result.rps > best[name]!.rps) best[name] = result;
        }
      }
      const ratio = best.stratus!.rps / best.bare!.rps;
      worst = Math.min(worst, ratio);
      console.log(
        `${String(concurrency).padStart(11)} | ${best.bare!.rps.toFixed(0).padStart(10)} | ${best
          .stratus!.rps.toFixed(0)
          .padStart(
            13,
          )} | ${ratio.toFixed(2).padStart(5)} | ${best.bare!.p50.toFixed(2)}/${best.bare!.p99.toFixed(2)} | ${best.stratus!.p50.toFixed(
          2,
        )}/${best.stratus!.p99.toFixed(2)}`,
      );
    }
    console.log(
      `worst ratio ${worst.toFixed(2)}× (target ≥ ${target}×): ${worst >= target ? 'met' : 'NOT met'}`,
    );
  } finally {
    bare.child.kill();
  }
} finally {
  stratus.child.kill();
  rmSync(work, { recursive: true, force: true });
}
