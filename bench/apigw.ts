/**
 * npm run bench:apigw — an HTTP API in front of a warm function.
 *
 * An HTTP API made by quick create (payload 2.0, `$default` route and stage) whose Lambda proxy
 * integration calls a Node.js 20 function answering 200 `{"ok":true}` as JSON, loaded by autocannon
 * in its own process (support/apigw-load.ts) over kept-alive connections, against (a) Stratus in
 * its own process, called at 127.0.0.1 with the API's `{apiId}.execute-api.localhost` Host;
 * (b) serverless-offline on the Serverless Framework v3 serving the same handler behind its
 * emulated HTTP API, in its own process (support/apigw-offline.ts); and (c) a bare node:http
 * server answering the same bytes (support/apigw-bare.ts): the ceiling.
 * The function has BENCH_MEMORY_MB (1769) MB, Lambda's one full vCPU, so Stratus gives its
 * environments the CPU weight any other process has. Before the rounds at a concurrency, one
 * unmeasured run starts the function environments it needs.
 * A server's CPU time per request is its process's user + system time (/proc/<pid>/stat) over every
 * request the load generator sent, warm-ups included. Stratus's function environments are processes
 * of their own, so "+ runtimes" adds theirs; serverless-offline's handlers run in its threads, so its
 * figure includes them. The load generator and the servers share the machine's cores.
 * Targets: Stratus ≥ 0.4× the bare server and ≥ 2× serverless-offline at each concurrency, without
 * a failure (a connection error, a timeout, a status other than 2xx or another body).
 * Each measurement is the best of BENCH_ROUNDS (2) rounds that alternate the servers, each of
 * BENCH_SECONDS (4) after BENCH_WARMUP_SECONDS (3) of warm-up; BENCH_OFFLINE_MODE=in-process runs
 * serverless-offline's handlers in its own thread instead of worker threads (its default);
 * STRATUS_BENCH_STORE=postgres://… for PostgreSQL; BENCH_CPU_PROFILE=<file.cpuprofile> profiles
 * Stratus's server during one more run at the highest concurrency and prints where its time went.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ApiGatewayV2Client, CreateApiCommand } from '@aws-sdk/client-apigatewayv2';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { httpCall } from '../test/support/http.js';
import { runJson, startServer } from '../test/support/processes.js';
import { zipOf } from '../test/support/zip.js';
import type { ApigwLoadResult } from './support/apigw-load.js';
import { startServerlessOffline, type OfflineMode } from './support/apigw-offline.js';
import { summarizeProfile, type SelfTime } from './support/apigw-profile.js';
import { treeCpuSeconds } from './support/apigw-tree-cpu.js';
import { cpuSeconds } from './support/process-cpu.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const memoryMb = Number(process.env.BENCH_MEMORY_MB ?? 1769);
const offlineMode = (process.env.BENCH_OFFLINE_MODE ?? 'worker-threads') as OfflineMode;
const storeUrl = process.env.STRATUS_BENCH_STORE ?? '';
const profileFile = process.env.BENCH_CPU_PROFILE ? resolve(process.env.BENCH_CPU_PROFILE) : '';
const concurrencies = [1, 32];
const targets = { ceiling: 0.4, peer: 2 };

const expectedBody = '{"ok":true}';
const handlerSource = `export const handler = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: '${expectedBody}',
});
`;

type Server = Awaited<ReturnType<typeof startServer>>;

/** A server under load: where to send requests, with which Host, and whose CPU to read. */
interface Target {
  server: Server;
  host: string;
  /** CPU seconds its process (and, for Stratus, its function environments) used so far. */
  cpu: { own: () => number; tree: () => number };
}

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  /** Server CPU ms per request, warm-ups included: its own process, and with its descendants. */
  cpuMsPerOp: number;
  treeCpuMsPerOp: number;
}

const failuresOf = (r: ApigwLoadResult) => r.errors + r.non2xx + r.mismatches;

/** One load run against `target`; `failures` counts every failed request, warm-up included. */
async function drive(target: Target, connections: number, failures: Map<Target, number>): Promise<Measured> {
  const before = { own: target.cpu.own(), tree: target.cpu.tree() };
  const result = await runJson<ApigwLoadResult>('bench/support/apigw-load.ts', [
    target.server.url,
    target.host,
    String(connections),
    String(seconds),
    String(warmupSeconds),
    expectedBody,
  ]);
  const msPerOp = (cpu: number) => (cpu * 1000) / result.total;
  failures.set(target, (failures.get(target) ?? 0) + failuresOf(result));
  return {
    rps: result.rps,
    p50: result.p50,
    p99: result.p99,
    cpuMsPerOp: msPerOp(target.cpu.own() - before.own),
    treeCpuMsPerOp: msPerOp(target.cpu.tree() - before.tree),
  };
}

/** Of two measurements, the one with more requests per second. */
const best = (a: Measured | undefined, b: Measured) => (a && a.rps >= b.rps ? a : b);

const latency = (m: Measured | undefined) => (m ? `${m.p50.toFixed(2)}/${m.p99.toFixed(2)}` : '—');

function cpuOf(server: Server): Target['cpu'] {
  const pid = server.child.pid!;
  return { own: () => cpuSeconds(pid), tree: () => treeCpuSeconds(pid) };
}

/** Creates the function and its API on Stratus; resolves with the API's Host. */
async function deployOnStratus(url: string): Promise<string> {
  const config = {
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
  const lambda = new LambdaClient(config);
  const apigateway = new ApiGatewayV2Client(config);
  try {
    const fn = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'hello',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: 'arn:aws:iam::000000000000:role/bench',
        Code: { ZipFile: await zipOf({ 'index.mjs': handlerSource }) },
        MemorySize: memoryMb,
      }),
    );
    const api = await apigateway.send(
      new CreateApiCommand({ Name: 'bench', ProtocolType: 'HTTP', Target: fn.FunctionArn }),
    );
    const host = `${api.ApiId}.execute-api.localhost:${new URL(url).port}`;
    const answer = await httpCall(`${url}/`, { headers: { host } });
    if (answer.status !== 200 || answer.text !== expectedBody)
      throw new Error(`the API answered ${answer.status} ${answer.text}`);
    return host;
  } finally {
    lambda.destroy();
    apigateway.destroy();
  }
}

const work = mkdtempSync(join(tmpdir(), 'stratus-bench-apigw-'));
const servers: Server[] = [];
try {
  const began = performance.now();
  const stratusServer = profileFile
    ? await startServer('bench/support/apigw-stratus.ts', [join(work, 'data'), storeUrl, profileFile])
    : await startServer('test/support/serve.ts', [join(work, 'data'), storeUrl]);
  servers.push(stratusServer);
  const stratus: Target = {
    server: stratusServer,
    host: await deployOnStratus(stratusServer.url),
    cpu: cpuOf(stratusServer),
  };
  const bareServer = await startServer('bench/support/apigw-bare.ts', []);
  servers.push(bareServer);
  const bare: Target = { server: bareServer, host: '-', cpu: cpuOf(bareServer) };
  let offline: Target | undefined;
  let unavailable = '';
  try {
    const server = await startServerlessOffline(work, handlerSource, offlineMode);
    servers.push(server);
    offline = { server, host: '-', cpu: cpuOf(server) };
  } catch (err) {
    unavailable = err instanceof Error ? err.message : String(err);
  }

  console.log(
    `bench:apigw — GET / through an HTTP API (payload 2.0) to a warm nodejs20.x function of ${memoryMb} MB, ` +
      `on ${storeUrl ? 'PostgreSQL' : 'SQLite'}`,
  );
  console.log(
    `autocannon in its own process; ${seconds} s after ${warmupSeconds} s of warm-up, best of ${rounds} ` +
      `alternating rounds; serverless-offline ${offline ? `(${offlineMode})` : 'UNAVAILABLE'}; ` +
      `${availableParallelism()} cores shared by servers and load, load average (1 min) ${loadavg()[0]!.toFixed(2)} before`,
  );
  if (!offline) console.log(`serverless-offline could not be started: ${unavailable}`);
  console.log(
    'concurrency | stratus req/s | offline req/s | bare req/s | of bare | × offline | stratus p50/p99 ms | ' +
      'offline p50/p99 ms | bare p50/p99 ms | stratus CPU ms/req | + runtimes | offline CPU ms/req',
  );
  const misses: string[] = [];
  const failures = new Map<Target, number>();
  for (const concurrency of concurrencies) {
    let measured: Measured | undefined;
    let peer: Measured | undefined;
    let ceiling: Measured | undefined;
    // Start the environments (Stratus's processes, serverless-offline's worker threads) the
    // concurrency needs before any round, so every round measures warm functions.
    for (const target of [stratus, offline]) if (target) await drive(target, concurrency, failures);
    // Rounds alternate the servers, so a burst of other work on the machine weighs on all.
    for (let round = 0; round < rounds; round++) {
      measured = best(measured, await drive(stratus, concurrency, failures));
      if (offline) peer = best(peer, await drive(offline, concurrency, failures));
      ceiling = best(ceiling, await drive(bare, concurrency, failures));
    }
    const ofCeiling = measured!.rps / ceiling!.rps;
    const ratio = peer && measured!.rps / peer.rps;
    if (ofCeiling < targets.ceiling)
      misses.push(`c=${concurrency}: ${ofCeiling.toFixed(2)} of the bare server`);
    if (ratio !== undefined && ratio < targets.peer)
      misses.push(`c=${concurrency}: ${ratio.toFixed(2)}× serverless-offline`);
    console.log(
      [
        String(concurrency).padStart(11),
        measured!.rps.toFixed(0).padStart(13),
        (peer ? peer.rps.toFixed(0) : '—').padStart(13),
        ceiling!.rps.toFixed(0).padStart(10),
        ofCeiling.toFixed(2).padStart(7),
        (ratio !== undefined ? ratio.toFixed(2) : '—').padStart(9),
        latency(measured).padStart(18),
        latency(peer).padStart(18),
        latency(ceiling).padStart(15),
        measured!.cpuMsPerOp.toFixed(3).padStart(18),
        measured!.treeCpuMsPerOp.toFixed(3).padStart(10),
        (peer ? peer.cpuMsPerOp.toFixed(3) : '—').padStart(18),
      ].join(' | '),
    );
  }
  for (const [name, target] of [
    ['Stratus', stratus],
    ['serverless-offline', offline],
    ['the bare server', bare],
  ] as const) {
    const failed = target && failures.get(target);
    if (failed)
      console.log(`${failed} requests to ${name} failed (errors, timeouts, non-2xx or another body)`);
    if (failed && target === stratus) misses.push(`${failed} failed requests`);
  }
  console.log(`load average (1 min) at the end: ${loadavg()[0]!.toFixed(2)}`);

  if (profileFile) await profileStratus(stratus, concurrencies[concurrencies.length - 1]!);

  console.log(`\nrun took ${((performance.now() - began) / 1000).toFixed(0)} s`);
  const peerTarget = offline ? `≥ ${targets.peer}× serverless-offline, ` : '';
  console.log(
    misses.length === 0
      ? `targets (≥ ${targets.ceiling}× the bare server, ${peerTarget}no failures): met`
      : `targets NOT met:\n  ${misses.join('\n  ')}`,
  );
  if (!offline) console.log('serverless-offline unavailable: its target was not measured');
} finally {
  for (const server of servers) server.child.kill();
  rmSync(work, { recursive: true, force: true });
}

/** One more run at `concurrency` with Stratus's CPU profiler on (SIGUSR2 switches it), summarized. */
async function profileStratus(target: Target, concurrency: number): Promise<void> {
  const profiled = new Promise<void>((done) =>
    target.server.child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('PROFILED')) done();
    }),
  );
  target.server.child.kill('SIGUSR2');
  await drive(target, concurrency, new Map());
  target.server.child.kill('SIGUSR2');
  await profiled;
  const summary = summarizeProfile(profileFile, `${process.cwd()}/`, 15);
  const busy = summary.totalMs - summary.idleMs;
  const list = (title: string, times: SelfTime[]) => {
    console.log(title);
    for (const t of times)
      console.log(
        `  ${(t.share * 100).toFixed(1).padStart(5)}%  ${t.ms.toFixed(0).padStart(6)} ms  ${t.name}`,
      );
  };
  console.log(
    `\nStratus's server profiled over one more run at c=${concurrency} (${profileFile}): ` +
      `${(summary.totalMs / 1000).toFixed(1)} s sampled, ${((busy / summary.totalMs) * 100).toFixed(0)}% busy; ` +
      `shares of the busy time (node:inspector is the profiler's own)`,
  );
  list('self time by function (a native one with its caller):', summary.functions);
  list("by file or package (natives in their caller's):", summary.files);
  list("by Stratus's own function, with the Node.js and package code it called:", summary.ownCode);
}
