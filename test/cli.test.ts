/**
 * The `stratus` command as a user runs it: a real child process (through tsx, so no build is
 * needed), its exit codes, and what it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = ['--import', 'tsx', 'src/cli/main.ts'];
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

/** The caller's STRATUS_* settings and endpoint must not leak into what these tests expect. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('STRATUS_') && name !== 'AWS_ENDPOINT_URL',
    ),
  );
  return { ...env, ...extra };
}

/** Runs one `stratus` command to completion. */
function stratus(args: string[], extraEnv: Record<string, string> = {}) {
  const child = spawn(process.execPath, [...cli, ...args], { cwd: root, env: cleanEnv(extraEnv) });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stratus-cli-'));
  dirs.push(dir);
  return dir;
}

/** Starts `stratus start` and resolves once its banner names the URL it listens on. */
function startStratus(
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string; banner: () => string; logs: () => string }> {
  const child = spawn(process.execPath, [...cli, 'start', ...args], { cwd: root, env: cleanEnv(extraEnv) });
  children.push(child);
  let stderr = '';
  let stdout = '';
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const url = /is ready at (http:\/\/\S+)/.exec(stderr)?.[1];
      if (url) resolve({ child, url, banner: () => stderr, logs: () => stdout });
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.once('exit', (code) =>
      reject(new Error(`stratus start exited with ${code} before ready:\n${stderr}`)),
    );
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/** A port nothing listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('stratus', () => {
  it('prints the package version with --version, on the top level and on each command', async () => {
    const runs = [['--version'], ['-v'], ['start', '--version'], ['status', '--version']].map((args) =>
      stratus(args),
    );
    for (const result of await Promise.all(runs)) {
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout.trim()).toBe(version);
    }
  });

  it('lists its commands with --help', async () => {
    const result = await stratus(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}start\s+\S/m);
    expect(result.stdout).toMatch(/^ {2}status\s+\S/m);
  });

  it('lists every flag of a command, with its environment variable, under <command> --help', async () => {
    const start = (await stratus(['start', '--help'])).stdout;
    for (const flag of [
      '--host',
      '--port',
      '--data-dir',
      '--store',
      '--log-level',
      '--account-id',
      '--region',
    ]) {
      expect(start).toContain(flag);
    }
    expect(start).toContain('--require-auth');
    expect(start).toContain('--durability');
    expect(start).toContain('env STRATUS_PORT');
    expect((await stratus(['status', '-h'])).stdout).toContain('--endpoint URL');
  });

  it.each([
    [['start', '--bogus'], {}, "Unknown option '--bogus'"],
    [['start', '--port', '70000'], {}, '--port must be a port number'],
    [['start', '--log-level', 'loud'], {}, '--log-level must be one of'],
    [['start'], { STRATUS_PORT: 'http' }, 'STRATUS_PORT must be a port number'],
    [['start', '--region', 'mars'], {}, "'mars' is not a region name"],
    [['start', '--sandbox', 'maybe'], {}, "--sandbox must be one of auto, bwrap, process, got 'maybe'"],
    [['start'], { STRATUS_CREDENTIALS: 'only-a-key' }, 'must be ACCESS_KEY_ID:SECRET_ACCESS_KEY'],
    [['start', '--cognito-url', 'idp.local'], {}, '--cognito-url must be http://… or https://…'],
    [['launch'], {}, "Unknown command 'launch'"],
  ])('rejects %j with exit code 2 and a hint to --help', async (args, env, message) => {
    const result = await stratus(args, env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr).toMatch(/Run 'stratus (start )?--help' for usage/);
  });

  it('starts on a free port, reports its services through status, and stops cleanly on SIGTERM', async () => {
    const dataDir = tempDir();
    const { child, url, banner } = await startStratus([
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--log-level',
      'warn',
    ]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toMatch(/:0$/);
    expect(banner()).toContain(`export AWS_ENDPOINT_URL=${url}`);
    expect(banner()).toContain(dataDir);
    expect(banner()).toMatch(/auth\s+open/);

    const status = await stratus(['status', '--endpoint', url]);
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Stratus ${version} at ${url}`);
    expect(status.stdout).toMatch(/store\s+sqlite/);
    expect(status.stdout).toMatch(/^ {4}sts\s+query \(API version 2011-06-15\)$/m);
    expect(status.stdout).toMatch(/^ {4}sns\s+query \(API version 2010-03-31\)$/m);
    // The sandbox mode in force (`auto`: whatever this host gives), as the banner said.
    const sandbox = /^ {2}sandbox {3}(bwrap|process): /m.exec(status.stdout)?.[1];
    expect(sandbox, status.stdout).toBeDefined();
    expect(banner()).toMatch(new RegExp(`^ {2}sandbox {3}${sandbox}: `, 'm'));

    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
    expect(existsSync(join(dataDir, 'stratus.db'))).toBe(true);
  });

  it('refuses to start with --sandbox bwrap where bubblewrap is missing: exit 1, the reason and the install command, never listening', async () => {
    // STRATUS_BWRAP points at a file that is not there: a host without bubblewrap.
    const missing = join(tempDir(), 'bwrap');
    const result = await stratus(['start', '--sandbox', 'bwrap', '--port', '0', '--data-dir', tempDir()], {
      STRATUS_BWRAP: missing,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `stratus start: functions must be sandboxed (--sandbox bwrap), but ${missing} is not installed; ` +
        'on Debian or Ubuntu: sudo apt-get install bubblewrap util-linux\n',
    );
    expect(result.stdout).not.toContain('Stratus is ready');
  });

  it('runs functions unsandboxed on purpose with STRATUS_SANDBOX=process, says so once, and reports it in the banner, status and health', async () => {
    const { child, url, banner, logs } = await startStratus(['--port', '0', '--data-dir', tempDir()], {
      STRATUS_SANDBOX: 'process',
    });
    expect(banner()).toMatch(
      /^ {2}sandbox {3}process: FUNCTIONS ARE NOT SANDBOXED, .* \(--sandbox process\)$/m,
    );
    const warnings = logs()
      .split('\n')
      .filter((line) => /not sandboxed/i.test(line));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!)).toMatchObject({
      level: 40,
      msg: expect.stringMatching(/^Functions are not sandboxed \(sandbox: process\)\. /),
    });
    const health = (await (await fetch(`${url}/_stratus/health`)).json()) as {
      services: Record<string, { sandbox?: string }>;
    };
    expect(health.services.lambda?.sandbox).toBe('process');
    const status = await stratus(['status', '--endpoint', url]);
    expect(status.stdout).toMatch(/^ {2}sandbox {3}process: FUNCTIONS ARE NOT SANDBOXED/m);
    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
  });

  it('requires auth when bound to a non-loopback address, and says so', async () => {
    const { child, banner } = await startStratus([
      '--host',
      '0.0.0.0',
      '--port',
      '0',
      '--data-dir',
      tempDir(),
    ]);
    expect(banner()).toMatch(/auth\s+required/);
    expect(banner()).toContain('0.0.0.0 is not a loopback address');
    child.kill('SIGINT');
    expect(await exitOf(child)).toBe(0);
  });

  it('exits 1 from status with a clear message when nothing answers', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const result = await stratus(['status', '--endpoint', endpoint]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no Stratus answers at ${endpoint}`);
  });
});
