/**
 * Starts a real Stratus for a test file: a temporary data directory, SQLite by default or
 * PostgreSQL in a schema of its own when STRATUS_TEST_STORE=postgres://… (CI runs both), and AWS
 * SDK client settings pointed at it. STRATUS_TEST_SANDBOX=process (or bwrap) forces the sandbox
 * mode, as `--sandbox` does (CI runs the Lambda runtime tests once more with `process`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Sandbox, type SandboxMode, type SandboxRequest } from '../../src/functions/sandbox.js';
import { startStratus, type RunningStratus, type StartOptions } from '../../src/server/stratus.js';
import { PostgresStore } from '../../src/storage/postgres.js';
import { signedFetch } from '../../src/cli/signed-fetch.js';

export interface TestStratus extends RunningStratus {
  /** Settings for any AWS SDK v3 client: `new XClient(stratus.clientConfig)`. */
  clientConfig: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    disableHostPrefix: true;
    maxAttempts: number;
  };
  dataDir: string;
  /** Stops the server, keeping its data (for restart tests). */
  stop(): Promise<void>;
}

/** A store URL for a fresh, isolated store: undefined (SQLite in the data dir) or a new PostgreSQL schema. */
export function testStoreUrl(): string | undefined {
  const base = process.env.STRATUS_TEST_STORE;
  if (!base) return undefined;
  const url = new URL(base);
  url.searchParams.set('schema', `t_${randomBytes(6).toString('hex')}`);
  return url.toString();
}

const sandboxRequests: readonly SandboxRequest[] = ['auto', 'bwrap', 'process'];

/** The sandbox test servers are asked for: STRATUS_TEST_SANDBOX, else `auto`. */
function testSandboxRequest(): SandboxRequest {
  const value = process.env.STRATUS_TEST_SANDBOX || 'auto';
  if (!(sandboxRequests as readonly string[]).includes(value)) {
    throw new Error(`STRATUS_TEST_SANDBOX must be one of ${sandboxRequests.join(', ')}, got '${value}'`);
  }
  return value as SandboxRequest;
}

let decidedMode: SandboxMode | undefined;

/**
 * The sandbox mode test servers run functions in, decided as their engines decide it, known
 * before any starts: tests of what a function sees name it and assert what that mode promises.
 */
export function testSandboxMode(): SandboxMode {
  if (!decidedMode) {
    const workDir = mkdtempSync(join(tmpdir(), 'stratus-sandbox-probe-'));
    try {
      decidedMode = Sandbox.create(testSandboxRequest(), workDir).sandbox.mode;
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  }
  return decidedMode;
}

export async function startTestStratus(options: StartOptions = {}): Promise<TestStratus> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'stratus-test-'));
  const storeUrl = options.storeUrl ?? testStoreUrl();
  const running = await startStratus({
    port: 0,
    logLevel: 'silent',
    sandbox: testSandboxRequest(),
    ...options,
    dataDir,
    storeUrl,
  });
  const sandbox = running.health().services.lambda?.sandbox;
  if (options.sandbox === undefined && sandbox && sandbox !== testSandboxMode()) {
    await running.close();
    throw new Error(
      `the server runs functions in sandbox mode ${sandbox}, tests expect ${testSandboxMode()}`,
    );
  }
  return {
    ...running,
    dataDir,
    clientConfig: {
      endpoint: running.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      disableHostPrefix: true,
      maxAttempts: 1,
    },
    stop: () => running.close(),
    close: async () => {
      await running.close();
      if (storeUrl?.startsWith('postgres')) {
        const store = await PostgresStore.open({ url: storeUrl });
        await store.close({ dropSchema: true });
      }
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A request to one of Stratus's own `/_stratus/` endpoints, signed as the `stratus` commands sign
 * it (with `key`, default `test`/`test`), so it also passes `--require-auth`.
 */
export function signedStratusFetch(
  url: string,
  path: string,
  options: { method?: string; key?: { accessKeyId: string; secretAccessKey: string } } = {},
): Promise<Response> {
  const credentials = options.key ?? { accessKeyId: 'test', secretAccessKey: 'test' };
  const connection = {
    endpoint: new URL(url),
    region: 'us-east-1',
    clientConfig: { endpoint: url, region: 'us-east-1', credentials, disableHostPrefix: true as const },
  };
  return signedFetch(connection, new URL(path, url), { method: options.method ?? 'GET' });
}
