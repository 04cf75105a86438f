/**
 * Lambda through the `aws` command line, as a user would drive it: every binary available is
 * tried, as in test/aws-cli.test.ts — Debian's awscli v2 at /usr/bin/aws and whichever `aws` comes
 * first on PATH (locally a pyenv awscli v1). Nothing is read from ~/.aws.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsCliVariants, awsOk, cliTimeoutMs, runAws } from './support/aws-cli.js';
import { startTestStratus, type TestStratus } from './support/stratus.js';
import { zipOf } from './support/zip.js';

/** A step runs up to three CLI commands; a loaded CI machine takes seconds to start Python. */
const stepTimeoutMs = 3 * cliTimeoutMs + 10_000;
const role = 'arn:aws:iam::000000000000:role/lambda-role';

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
for (const variant of awsCliVariants) {
  describe.concurrent(`aws lambda CLI: ${variant.name}`, () => {
    const skip = variant.binary === undefined;
    const step = (name: string, fn: () => Promise<void>) =>
      it.sequential(name, { skip, timeout: stepTimeoutMs }, fn);
    const ok = <T = Record<string, unknown>>(args: string[]) => awsOk<T>(variant.binary!, stratus.url, args);
    const name = `cli-${variant.tag}`;
    const file = (base: string) => join(workDir, `${variant.tag}-${base}`);
    /** awscli v2 reads blob arguments as base64 unless told otherwise; v1 takes them raw (and knows no such option). */
    let rawPayload: string[] = [];
    let zip: Buffer;

    step('lambda create-function --zip-file fileb://… creates the function', async () => {
      const version = await runAws(variant.binary!, ['--version']);
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
      const created = await ok<FunctionConfiguration>([
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
      const printed = await ok<{ StatusCode: number; ExecutedVersion: string; FunctionError?: string }>([
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
        const printed = await ok<{ StatusCode: number; FunctionError?: string; LogResult?: string }>([
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
        const got = await ok<{
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
      const { events } = await ok<{ events: { message: string; logStreamName: string }[] }>([
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
      const all = await ok<{ events: { message: string }[] }>([
        'logs',
        'filter-log-events',
        '--log-group-name',
        `/aws/lambda/${name}`,
      ]);
      expect(all.events.filter((e) => e.message.startsWith('REPORT RequestId: '))).toHaveLength(2);
    });
  });
}
