/**
 * The Lambda commands of `stratus` (functions, invoke, logs, cost) as a user runs them: a real
 * child process against a Stratus started in this test, whose functions are created with the SDK.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatUsd, priceUsage, type Pricing } from '../src/cli/cost.js';
import { parseSince } from '../src/cli/logs.js';
import { humanBytes } from '../src/cli/functions.js';
import type { UsageReport } from '../src/services/lambda/metering.js';
import pricing from '../src/services/lambda/pricing.json' with { type: 'json' };
import { startTestStratus, type TestStratus } from './support/stratus.js';
import { eventually, spawnStratus } from './support/stratus-cli.js';
import { zipOf } from './support/zip.js';

const role = 'arn:aws:iam::000000000000:role/lambda-role';

/** Cells of the table row that starts with `first`. */
function rowOf(table: string, first: string): string[] | undefined {
  return table
    .split('\n')
    .map((line) => line.split(/ {2,}/))
    .find((cells) => cells[0] === first);
}

describe('stratus functions, invoke, logs and cost', () => {
  let stratus: TestStratus;
  let lambda: LambdaClient;
  let dir: string;
  const run = async (...args: string[]) => {
    const r = spawnStratus(args, { AWS_ENDPOINT_URL: stratus.url });
    const code = await r.exit;
    return { code, stdout: r.stdout(), stderr: r.stderr() };
  };

  beforeAll(async () => {
    stratus = await startTestStratus();
    lambda = new LambdaClient(stratus.clientConfig);
    dir = mkdtempSync(join(tmpdir(), 'stratus-cli-lambda-'));
    const create = async (name: string, source: string, memory = 128) =>
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: role,
          Code: { ZipFile: await zipOf({ 'index.js': source }) },
          MemorySize: memory,
          Timeout: 10,
        }),
      );
    await create(
      'echo',
      'exports.handler = async (event) => { console.log("echoing", JSON.stringify(event)); return { echo: event }; };',
      256,
    );
    await create('thrower', 'exports.handler = async () => { throw new TypeError("bad input"); };');
  });
  afterAll(async () => {
    lambda?.destroy();
    await stratus?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('functions lists each function with its runtime, code size and memory', async () => {
    const { code, stdout, stderr } = await run('functions');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(
      /^Function name\s+Runtime\s+Code size\s+Memory \(MB\)\s+Last modified$/,
    );
    const echo = rowOf(stdout, 'echo');
    expect(echo).toEqual([
      'echo',
      'nodejs20.x',
      expect.stringMatching(/^\d+ bytes$/),
      '256',
      expect.stringMatching(/^(just now|\d+ seconds? ago)$/),
    ]);
    expect(rowOf(stdout, 'thrower')?.[3]).toBe('128');
  });

  it('functions says so when a region has none', async () => {
    const { code, stdout } = await run('functions', '--region', 'eu-west-1');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^No functions in eu-west-1 at http:\/\/127\.0\.0\.1:\d+ yet/);
  });

  it('invoke prints the response payload as pretty JSON, the event read from --payload or @file', async () => {
    const inline = await run('invoke', 'echo', '--payload', '{"n":1}');
    expect(inline.code).toBe(0);
    expect(inline.stdout).toBe('{\n  "echo": {\n    "n": 1\n  }\n}\n');

    const file = join(dir, 'event.json');
    writeFileSync(file, '{"from":"file"}');
    const fromFile = await run('invoke', '--payload', `@${file}`, 'echo');
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toEqual({ echo: { from: 'file' } });
  });

  it('invoke exits 1 with errorType and errorMessage when the function fails', async () => {
    const { code, stdout, stderr } = await run('invoke', 'thrower');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^stratus invoke: thrower failed: TypeError: bad input\n/);
    expect(stderr).toMatch(/\n {4}at .*index\.js/);
  });

  it('invoke --async queues the event (202), and --log prints the log tail on stderr', async () => {
    const queued = await run('invoke', 'echo', '--async', '--payload', '{"async":true}');
    expect(queued).toMatchObject({ code: 0, stdout: 'queued (202)\n' });

    const logged = await run('invoke', 'echo', '--log', '--payload', '{"tail":1}');
    expect(logged.code).toBe(0);
    expect(logged.stderr).toContain('echoing {"tail":1}');
    expect(logged.stderr).toMatch(/^REPORT RequestId: [0-9a-f-]{36}\tDuration: /m);
    expect(JSON.parse(logged.stdout)).toEqual({ echo: { tail: 1 } });
  });

  it('invoke reports an unknown function and bad flags', async () => {
    const missing = await run('invoke', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^stratus invoke: ResourceNotFoundException: Function not found: /);

    const notJson = await run('invoke', 'echo', '--payload', '{nope');
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/^stratus: --payload is not JSON/);

    const noFunction = await run('invoke', '--payload', '{}');
    expect(noFunction.code).toBe(2);
    expect(noFunction.stderr).toMatch(/^stratus: Missing FUNCTION/);
  });

  it("logs prints the function's output and its REPORT line as timestamp, stream and message", async () => {
    await lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{"logs":1}') }));
    const { code, stdout } = await run('logs', 'echo', '--since', '1h');
    expect(code).toBe(0);
    const stream = /\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}/.source;
    expect(stdout).toMatch(new RegExp(`^\\S+Z  ${stream}  .*echoing \\{"logs":1\\}$`, 'm'));
    expect(stdout).toMatch(new RegExp(`^\\S+Z  ${stream}  REPORT RequestId: `, 'm'));

    const filtered = await run('logs', 'echo', '--since', '1h', '--filter', 'REPORT');
    expect(
      filtered.stdout
        .trim()
        .split('\n')
        .every((line) => line.includes('REPORT RequestId')),
    ).toBe(true);

    const never = await run('logs', 'thrower-never-ran');
    expect(never.code).toBe(1);
    expect(never.stderr).toContain('no log group /aws/lambda/thrower-never-ran');
  });

  it('logs --follow prints events as they arrive until interrupted', async () => {
    const follow = spawnStratus(['logs', 'echo', '--follow', '--since', '1s'], {
      AWS_ENDPOINT_URL: stratus.url,
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{"followed":1}') }));
    await eventually(() => follow.stdout().includes('echoing {"followed":1}'), 'the followed line');
    await lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{"followed":2}') }));
    await eventually(() => follow.stdout().includes('echoing {"followed":2}'), 'the second followed line');
    follow.child.kill('SIGINT');
    expect(await follow.exit).toBe(0);
    expect(follow.stdout().match(/echoing \{"followed":1\}/g)).toHaveLength(1);
  });

  it('cost shows requests, GB-seconds and their price per function, with a total', async () => {
    const before = await run('cost', '--function', 'echo');
    const beforeRequests = Number(rowOf(before.stdout, 'echo')?.[2] ?? 0);
    for (let i = 0; i < 3; i++) {
      await lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{}') }));
    }
    const { code, stdout, stderr } = await run('cost');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const echo = rowOf(stdout, 'echo')!;
    expect(echo[1]).toBe('x86_64');
    expect(Number(echo[2])).toBeGreaterThanOrEqual(beforeRequests + 3);
    expect(Number(echo[3])).toBeGreaterThan(0);
    expect(echo[4]).toMatch(/^\$0\.\d+$/);
    expect(Number(rowOf(stdout, 'thrower')?.[2])).toBeGreaterThanOrEqual(1);
    const total = rowOf(stdout, 'Total')!;
    expect(Number(total[1])).toBeGreaterThanOrEqual(Number(echo[2]) + 1);
    expect(stdout).toContain('https://aws.amazon.com/lambda/pricing/');

    const [free, elsewhere] = await Promise.all([
      run('cost', '--free-tier'),
      run('cost', '--region', 'eu-west-1'),
    ]);
    expect(rowOf(free.stdout, 'Free tier')?.[1]).toMatch(/^-\$/);
    expect(rowOf(free.stdout, 'Total')?.[3]).toBe('$0.00');
    expect(elsewhere.stdout).toMatch(/^No Lambda usage in eu-west-1 since /);
  });

  it('the usage endpoint counts an invocation as soon as it has returned', async () => {
    const usage = async () => {
      const response = await fetch(`${stratus.url}/_stratus/lambda/usage?function=thrower`);
      return (await response.json()) as UsageReport;
    };
    const before = (await usage()).functions[0]?.requests ?? 0;
    await lambda.send(new InvokeCommand({ FunctionName: 'thrower' }));
    const after = await usage();
    expect(after.functions).toEqual([
      {
        functionName: 'thrower',
        requests: before + 1,
        gbSeconds: expect.any(Number),
        architectures: { x86_64: { requests: before + 1, gbSeconds: expect.any(Number) } },
      },
    ]);
    expect(after.functions[0]!.gbSeconds).toBeGreaterThan(0);
  });

  it('exits 1 with a clear message when nothing answers', async () => {
    const r = spawnStratus(['functions', '--endpoint', 'http://127.0.0.1:1'], {});
    expect(await r.exit).toBe(1);
    expect(r.stderr()).toMatch(
      /^stratus functions: no Stratus answers at http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/,
    );
  });
});

describe('stratus cost pricing', () => {
  const report = (functions: UsageReport['functions']): UsageReport => ({
    accountId: '000000000000',
    region: 'us-east-1',
    since: 0,
    functions,
  });

  it("prices a million requests at $0.20 and GB-seconds at each architecture's rate", () => {
    const bill = priceUsage(
      report([
        {
          functionName: 'a',
          requests: 1_000_000,
          gbSeconds: 1500,
          architectures: {
            x86_64: { requests: 600_000, gbSeconds: 1000 },
            arm64: { requests: 400_000, gbSeconds: 500 },
          },
        },
      ]),
      pricing as Pricing,
      { freeTier: false },
    );
    expect(bill.functions[0]!.cost).toBeCloseTo(0.2 + 1000 * 0.0000166667 + 500 * 0.0000133334, 10);
    expect(bill.functions[0]!.architectures).toEqual(['arm64', 'x86_64']);
    expect(bill.freeTier).toBe(0);
  });

  it('the free tier covers 1M requests and 400,000 GB-seconds a month', () => {
    const within = priceUsage(
      report([
        {
          functionName: 'a',
          requests: 999_999,
          gbSeconds: 399_999,
          architectures: { x86_64: { requests: 999_999, gbSeconds: 399_999 } },
        },
      ]),
      pricing as Pricing,
      { freeTier: true },
    );
    expect(within.total.cost).toBe(0);

    const beyond = priceUsage(
      report([
        {
          functionName: 'a',
          requests: 2_000_000,
          gbSeconds: 500_000,
          architectures: { x86_64: { requests: 2_000_000, gbSeconds: 500_000 } },
        },
      ]),
      pricing as Pricing,
      { freeTier: true },
    );
    expect(beyond.total.cost).toBeCloseTo(0.2 + 100_000 * 0.0000166667, 8);
  });

  it('formats amounts, sizes and --since values', () => {
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(1.234)).toBe('$1.23');
    expect(formatUsd(0.0000002)).toBe('$0.0000002');
    expect(formatUsd(-0.5)).toBe('-$0.50');
    expect(formatUsd(1e-12)).toBe('<$0.00000001');
    expect(humanBytes(1)).toBe('1 byte');
    expect(humanBytes(999)).toBe('999 bytes');
    expect(humanBytes(1234)).toBe('1.2 kB');
    expect(humanBytes(5_500_000)).toBe('5.5 MB');
    expect(humanBytes(999_950)).toBe('1.0 MB');
    const now = Date.UTC(2026, 0, 10);
    expect(parseSince('10m', now)).toBe(now - 600_000);
    expect(parseSince('2d', now)).toBe(now - 2 * 86_400_000);
    expect(parseSince('2026-01-01T00:00:00Z', now)).toBe(Date.UTC(2026, 0, 1));
    expect(() => parseSince('yesterday', now)).toThrow(/--since/);
  });
});
