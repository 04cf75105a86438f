/**
 * The peer bench:apigw compares Stratus with: the Serverless Framework v3 (v4 needs a login) with
 * serverless-offline, serving the same handler behind its emulation of an HTTP API (an `httpApi`
 * event on `*`, payload 2.0) — `sls offline start` in its own process, from a service written
 * into a folder of the bench's. It needs no network and no account: dummy keys, telemetry and
 * notifications off, and HOME in that folder, so nothing it caches lands in the user's.
 * Handlers run in worker threads (its default) or in its own process (`in-process`); either way
 * a loaded handler stays loaded, as a warm function does. It prints a line per request, which
 * goes to a log file there, as it would to a terminal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export type OfflineMode = 'worker-threads' | 'in-process';

const STARTUP_MS = 90_000;

/** A port free on 127.0.0.1 right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function serviceYaml(httpPort: number, lambdaPort: number, mode: OfflineMode): string {
  return [
    'service: bench',
    "frameworkVersion: '3'",
    'provider:',
    '  name: aws',
    '  runtime: nodejs20.x',
    '  region: us-east-1',
    'plugins:',
    '  - serverless-offline',
    'custom:',
    '  serverless-offline:',
    '    host: 127.0.0.1',
    `    httpPort: ${httpPort}`,
    `    lambdaPort: ${lambdaPort}`,
    ...(mode === 'in-process' ? ['    useInProcess: true'] : []),
    'functions:',
    '  hello:',
    '    handler: handler.handler',
    '    events:',
    "      - httpApi: '*'",
    '',
  ].join('\n');
}

/** The last lines of its log, for saying why it did not start. */
const tail = (file: string) => readFileSync(file, 'utf8').trim().split('\n').slice(-8).join('\n');

/**
 * Starts serverless-offline serving `handlerSource` (an ES module exporting `handler`) from a
 * service under `work`; resolves once its API answers 200. Rejects with the reason it gave.
 */
export async function startServerlessOffline(
  work: string,
  handlerSource: string,
  mode: OfflineMode,
): Promise<{ child: ChildProcess; url: string }> {
  const service = join(work, 'serverless-offline');
  mkdirSync(service, { recursive: true });
  const require = createRequire(import.meta.url);
  const frameworkDir = dirname(require.resolve('serverless/package.json'));
  // The framework loads plugins from the service's node_modules: the project's.
  symlinkSync(dirname(frameworkDir), join(service, 'node_modules'));
  const [httpPort, lambdaPort] = [await freePort(), await freePort()];
  writeFileSync(join(service, 'serverless.yml'), serviceYaml(httpPort, lambdaPort, mode));
  writeFileSync(join(service, 'handler.mjs'), handlerSource);

  const logFile = join(service, 'offline.log');
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, [join(frameworkDir, 'bin/serverless.js'), 'offline', 'start'], {
    cwd: service,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      HOME: service,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
    },
  });
  closeSync(log);
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited with ${signal ?? code}`));

  const url = `http://127.0.0.1:${httpPort}`;
  const deadline = performance.now() + STARTUP_MS;
  while (performance.now() < deadline) {
    if (exited) throw new Error(`sls offline ${exited}:\n${tail(logFile)}`);
    const answer = await fetch(`${url}/`).catch(() => undefined);
    if (answer?.status === 200) {
      await answer.text();
      return { child, url };
    }
    await answer?.text();
    await sleep(250);
  }
  child.kill();
  throw new Error(`sls offline did not answer within ${STARTUP_MS / 1000} s:\n${tail(logFile)}`);
}
