/**
 * Lambda through the `aws` command line, as a user would drive it: every binary available is
 * tried, as in test/aws-cli.test.ts — Debian's awscli v2 at /usr/bin/aws and whichever `aws` comes
 * first on PATH (locally a pyenv awscli v1). Nothing is read from ~/.aws.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  accessSync,
  constants,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import { zipOf } from './support/zip.js';

const cliTimeoutMs = 60_000;
/** A step runs up to three CLI commands; a loaded CI machine takes seconds to start Python. */
const stepTimeoutMs = 3 * cliTimeoutMs + 10_000;
const role = 'arn:aws:iam::000000000000:role/lambda-role';

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

const debianAws = '/usr/bin/aws';
const pathAws = firstOnPath('aws');

interface Variant {
  name: string;
  binary: string | undefined;
  /** Short tag for resource names, so variants sharing one server do not collide. */
  tag: string;
}

const variants: Variant[] = [
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

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(binary: string, args: string[]): Promise<CliResult> {
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
async function ok<T = Record<string, unknown>>(binary: string, endpoint: string, args: string[]): Promise<T> {
  const result = await run(binary, [...args, '--endpoint-url', endpoint, '--output', 'json']);
  if (result.code !== 0) {
    throw new Error(`aws ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
  }
  return (result.stdout.trim() ? JSON.parse(result.stdout) : {}) as T;
}

interface FunctionConfiguration {
  FunctionName: string;
  FunctionArn: string;
  Runtime: string;
  Handler: string;
  CodeSha256: string;
  CodeSize: number;
  State?: string;
}

let stratus: TestStratus;
let workDir: string;
beforeAll(async () => {
  stratus = await startTestStratus();
  workDir = mkdtempSync(join(tmpdir(), 'stratus-lambda-cli-'));
});
afterAll(async () => {
  await stratus?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

// The variants run side by side (each CLI start costs about a second); the steps inside one run in order.
for (const variant of variants) {
  describe.concurrent(`aws lambda CLI: ${variant.name}`, () => {
    const skip = variant.binary === undefined;
    const step = (name: string, fn: () => Promise<void>) =>
      it.sequential(name, { skip, timeout: stepTimeoutMs }, fn);
    const awsOk = <T = Record<string, unknown>>(args: string[]) => ok<T>(variant.binary!, stratus.url, args);
    const name = `cli-${variant.tag}`;
    const file = (base: string) => join(workDir, `${variant.tag}-${base}`);
    /** awscli v2 reads blob arguments as base64 unless told otherwise; v1 takes them raw (and knows no such option). */
    let rawPayload: string[] = [];
    let zip: Buffer;

    step('lambda create-function --zip-file fileb://… creates the function', async () => {
      const version = await run(variant.binary!, ['--version']);
      const major = /aws-cli\/(\d+)\./.exec(`${version.stdout}${version.stderr}`)?.[1];
      expect(major, `${version.stdout}${version.stderr}`).toMatch(/^[12]$/);
      rawPayload = major === '2' ? ['--cli-binary-format', 'raw-in-base64-out'] : [];
      zip = await zipOf({
        'index.js': [
          'exports.handler = async (event, context) => {',
          '  console.log("hello from cli " + event.name);',
          '  if (event.fail) throw new RangeError("asked to fail");',
          '  return { greeting: "Hello, " + event.name, fn: context.functionName };',
          '};',
        ].join('\n'),
      });
      writeFileSync(file('function.zip'), zip);
      const created = await awsOk<FunctionConfiguration>([
        'lambda',
        'create-function',
        '--function-name',
        name,
        '--runtime',
        'nodejs20.x',
        '--handler',
        'index.handler',
        '--role',
        role,
        '--timeout',
        '10',
        '--zip-file',
        `fileb://${file('function.zip')}`,
      ]);
      expect(created).toMatchObject({
        FunctionName: name,
        FunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        CodeSize: zip.length,
        CodeSha256: createHash('sha256').update(zip).digest('base64'),
      });
    });

    step('lambda invoke --payload … writes the answer to the outfile and prints StatusCode', async () => {
      const out = file('out.json');
      const printed = await awsOk<{ StatusCode: number; ExecutedVersion: string; FunctionError?: string }>([
        'lambda',
        'invoke',
        '--function-name',
        name,
        ...rawPayload,
        '--payload',
        JSON.stringify({ name: variant.tag }),
        out,
      ]);
      expect(printed).toEqual({ StatusCode: 200, ExecutedVersion: '$LATEST' });
      expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ greeting: `Hello, ${variant.tag}`, fn: name });
    });

    step(
      'lambda invoke --log-type Tail returns the log tail; a failing handler sets FunctionError',
      async () => {
        const out = file('failed.json');
        const printed = await awsOk<{ StatusCode: number; FunctionError?: string; LogResult?: string }>([
          'lambda',
          'invoke',
          '--function-name',
          name,
          ...rawPayload,
          '--payload',
          JSON.stringify({ name: 'tail', fail: true }),
          '--log-type',
          'Tail',
          out,
        ]);
        expect(printed).toMatchObject({ StatusCode: 200, FunctionError: 'Unhandled' });
        expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({
          errorType: 'RangeError',
          errorMessage: 'asked to fail',
        });
        const tail = Buffer.from(printed.LogResult ?? '', 'base64').toString('utf8');
        expect(tail).toContain('hello from cli tail');
        expect(tail).toMatch(/REPORT RequestId: [0-9a-f-]{36}\tDuration: /);
      },
    );

    step(
      'lambda get-function returns the configuration and a Code.Location serving the package',
      async () => {
        const got = await awsOk<{
          Configuration: FunctionConfiguration;
          Code: { RepositoryType: string; Location: string };
        }>(['lambda', 'get-function', '--function-name', name]);
        expect(got.Configuration).toMatchObject({
          FunctionName: name,
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          CodeSha256: createHash('sha256').update(zip).digest('base64'),
        });
        expect(got.Code.RepositoryType).toBe('S3');
        const download = await fetch(got.Code.Location);
        expect(download.status).toBe(200);
        expect(Buffer.from(await download.arrayBuffer()).equals(zip)).toBe(true);
      },
    );

    step('logs filter-log-events on /aws/lambda/<name> finds what the function logged', async () => {
      const { events } = await awsOk<{ events: { message: string; logStreamName: string }[] }>([
        'logs',
        'filter-log-events',
        '--log-group-name',
        `/aws/lambda/${name}`,
        '--filter-pattern',
        '"hello from cli"',
      ]);
      const messages = events.map((e) => e.message);
      expect(messages).toHaveLength(2);
      expect(messages[0]).toMatch(
        new RegExp(
          `^\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z\\t[0-9a-f-]{36}\\tINFO\\thello from cli ${variant.tag}\\n$`,
        ),
      );
      expect(messages[1]).toContain('hello from cli tail');
      for (const e of events)
        expect(e.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
      const all = await awsOk<{ events: { message: string }[] }>([
        'logs',
        'filter-log-events',
        '--log-group-name',
        `/aws/lambda/${name}`,
      ]);
      expect(all.events.filter((e) => e.message.startsWith('REPORT RequestId: '))).toHaveLength(2);
    });
  });
}
