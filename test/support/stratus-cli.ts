/**
 * The `stratus` command as a child process (through tsx, so no build is needed), for tests that
 * drive it as a user would: its environment cleared of the caller's AWS_* and STRATUS_*
 * settings, its output collected, and every child killed after each test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = ['--import', 'tsx', 'src/cli/main.ts'];

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('STRATUS_') && !name.startsWith('AWS_')),
  );
  return { ...env, ...extra };
}

const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

export interface CliRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

export function spawnStratus(args: string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, [...cli, ...args], { cwd: root, env: cleanEnv(env) });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

/** Runs a command to its end. */
export async function runStratus(args: string[], env: Record<string, string> = {}) {
  const started = spawnStratus(args, env);
  const code = await started.exit;
  return { code, stdout: started.stdout(), stderr: started.stderr() };
}

/** Polls `test` until it holds (a followed output shows a line) or the time is up. */
export async function eventually(test: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Another node on `first`'s store (its data directory, and its PostgreSQL schema when it has one),
 * in a process of its own as `stratus start` runs it; `stop` sends SIGTERM and expects exit 0.
 */
export async function startNode(first: {
  dataDir: string;
  config: { storeUrl: string | undefined };
}): Promise<{ url: string; stop: () => Promise<void>; output: () => string }> {
  const node = spawnStratus([
    'start',
    '--port',
    '0',
    '--data-dir',
    first.dataDir,
    ...(first.config.storeUrl ? ['--store', first.config.storeUrl] : []),
  ]);
  const ready = /is ready at (http:\/\/\S+)/;
  await eventually(() => ready.test(node.stderr()), 'the second node to be ready', 30_000);
  return {
    url: ready.exec(node.stderr())![1]!,
    /** What it logged (JSON lines) and printed, for a failing test to show. */
    output: () => node.stdout() + node.stderr(),
    stop: async () => {
      node.child.kill('SIGTERM');
      if ((await node.exit) !== 0) throw new Error(`the node exited badly: ${node.stderr()}`);
    },
  };
}
