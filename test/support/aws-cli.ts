/**
 * The `aws` command line for end-to-end tests, as a user would run it: every binary available is
 * tried — Debian's awscli v2 at /usr/bin/aws (CI installs it) and whichever `aws` comes first on
 * PATH (locally a pyenv awscli v1). Nothing is read from ~/.aws.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const cliTimeoutMs = 60_000;

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function firstOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

export const debianAws = '/usr/bin/aws';
const pathAws = firstOnPath('aws');

export interface Variant {
  name: string;
  binary: string | undefined;
  /** Short tag for resource names, so variants sharing one server do not collide. */
  tag: string;
}

export const awsCliVariants: Variant[] = [
  {
    name: `Debian awscli v2 at ${debianAws} (skipped when not installed)`,
    binary: executable(debianAws) ? debianAws : undefined,
    tag: 'debian',
  },
  {
    name: `the aws first on PATH${pathAws ? ` (${pathAws})` : ''} (skipped when none; when it is ${debianAws} that variant covers it)`,
    binary: pathAws && !(executable(debianAws) && sameFile(pathAws, debianAws)) ? pathAws : undefined,
    tag: 'path',
  },
];

/** The environment the CLI runs in: no AWS_* from the caller, fixed test keys, no config files. */
function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('AWS_')) env[name] = value;
  }
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    AWS_PAGER: '',
    AWS_CLI_AUTO_PROMPT: 'off',
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runAws(binary: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      args,
      { env: cliEnv(), timeout: cliTimeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`${binary} ${args.join(' ')} did not finish: ${error.message}\n${stderr}`));
          return;
        }
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** Runs a command that must succeed against `endpoint` and parses its JSON output. */
export async function awsOk<T = Record<string, unknown>>(
  binary: string,
  endpoint: string,
  args: string[],
): Promise<T> {
  const result = await runAws(binary, [...args, '--endpoint-url', endpoint, '--output', 'json']);
  if (result.code !== 0) {
    throw new Error(`aws ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
  }
  return (result.stdout.trim() ? JSON.parse(result.stdout) : {}) as T;
}
