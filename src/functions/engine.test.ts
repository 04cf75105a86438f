/**
 * The execution engine with real runtime processes: Node.js handlers of every shape, the context
 * object, logs framed by START/END/REPORT, warm reuse, the ways an invocation fails, environment
 * variables, layers, provisioned concurrency and retiring.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pino } from 'pino';
import { ExecutionEngine } from './engine.js';
import { HOST_PYTHON, runtimesDir, sdkNodeModules } from './runtimes.js';
import { FunctionFiles, messages, payloadOf, request, testSpec } from './testing/functions.js';
import type { FunctionSpec, InvocationResult } from './types.js';

const files = new FunctionFiles();
const workDir = mkdtempSync(join(tmpdir(), 'stratus-engine-'));
let engine: ExecutionEngine;

beforeAll(() => {
  engine = new ExecutionEngine({ logger: pino({ level: 'silent' }), workDir });
});

afterAll(async () => {
  await engine.close();
  files.remove();
  rmSync(workDir, { recursive: true, force: true });
});

const invoke = (spec: FunctionSpec, payload: unknown = {}) => engine.invoke(spec, request(spec, payload));
/** The request id of the invocation a result reports (from its START line). */
const requestIdOf = (result: InvocationResult) =>
  messages(result)
    .find((m) => m.startsWith('START'))
    ?.split(' ')[2];

const ECHO_MJS = `
let invocations = 0;
console.log('module loaded');
export const handler = async (event, context) => {
  invocations++;
  console.log('event', JSON.stringify(event));
  return { event, invocations };
};
`;

describe('Node.js handlers', () => {
  it('runs an ES module handler (index.mjs) and returns its JSON', async () => {
    const spec = testSpec({ codeDir: files.write({ 'index.mjs': ECHO_MJS }) });
    const result = await invoke(spec, { hello: 'world' });
    expect(result.outcome.kind).toBe('success');
    expect(payloadOf(result)).toEqual({ event: { hello: 'world' }, invocations: 1 });
  });

  it('runs a CommonJS handler in a nested directory (src/app.handler)', async () => {
    const code = files.write({
      'src/app.js': `exports.handler = async (event) => ({ cjs: typeof require === 'function', n: event.n * 2 });`,
    });
    const result = await invoke(testSpec({ codeDir: code, handler: 'src/app.handler' }), { n: 21 });
    expect(payloadOf(result)).toEqual({ cjs: true, n: 42 });
  });

  it('respects "type": "module" for .js files', async () => {
    const code = files.write({
      'package.json': '{"type":"module"}',
      'index.js': `export const handler = async () => ({ esm: typeof require === 'undefined' });`,
    });
    expect(payloadOf(await invoke(testSpec({ codeDir: code })))).toEqual({ esm: true });
  });

  it('answers through the callback of a callback-style handler', async () => {
    const code = files.write({
      'index.js': `exports.handler = (event, context, callback) => { setTimeout(() => callback(null, { via: 'callback' }), 5); };`,
    });
    expect(payloadOf(await invoke(testSpec({ codeDir: code })))).toEqual({ via: 'callback' });
  });

  it('waits for an empty event loop after the callback unless callbackWaitsForEmptyEventLoop is false', async () => {
    const code = files.write({
      'index.js': `exports.handler = (event, context, callback) => {
        context.callbackWaitsForEmptyEventLoop = event.wait;
        setTimeout(() => {}, 400);
        callback(null, 'done');
      };`,
    });
    const spec = testSpec({ codeDir: code });
    await invoke(spec, { wait: true });
    const waiting = await invoke(spec, { wait: true });
    const notWaiting = await invoke(spec, { wait: false });
    expect(payloadOf(waiting)).toBe('done');
    expect(waiting.durationMs).toBeGreaterThanOrEqual(380);
    expect(notWaiting.durationMs).toBeLessThan(300);
  });

  it('gives the handler the full context object', async () => {
    const code = files.write({
      'index.mjs': `export const handler = async (event, context) => {
        const { getRemainingTimeInMillis, done, succeed, fail, ...fields } = context;
        return { ...fields, remaining: getRemainingTimeInMillis(), legacy: [typeof done, typeof succeed, typeof fail] };
      };`,
    });
    const spec = testSpec({ codeDir: code, functionName: 'context-fn', memoryMb: 256, timeoutSeconds: 7 });
    const req = {
      ...request(spec),
      clientContext: JSON.stringify({ custom: { a: 1 } }),
      invokedFunctionArn: `${spec.functionArn}:live`,
    };
    const result = await engine.invoke(spec, req);
    const context = payloadOf(result) as Record<string, unknown>;
    expect(context).toMatchObject({
      callbackWaitsForEmptyEventLoop: true,
      functionName: 'context-fn',
      functionVersion: '$LATEST',
      invokedFunctionArn: `${spec.functionArn}:live`,
      memoryLimitInMB: '256',
      awsRequestId: req.requestId,
      logGroupName: '/aws/lambda/context-fn',
      logStreamName: result.logStreamName,
      clientContext: { custom: { a: 1 } },
      legacy: ['function', 'function', 'function'],
    });
    expect(context.remaining).toBeGreaterThan(6000);
    expect(context.remaining).toBeLessThanOrEqual(7000);
  });

  it('lets ES modules import the AWS SDK v3, as Lambda runtimes do', async () => {
    const code = files.write({
      'index.mjs': `import { STSClient } from '@aws-sdk/client-sts';
        export const handler = async () => ({ region: await new STSClient({}).config.region() });`,
    });
    expect(payloadOf(await invoke(testSpec({ codeDir: code, region: 'eu-west-3' })))).toEqual({
      region: 'eu-west-3',
    });
  });
});

describe('warm and cold starts', () => {
  it('reuses a warm environment: same log stream, module state kept, no Init Duration', async () => {
    const spec = testSpec({ codeDir: files.write({ 'index.mjs': ECHO_MJS }) });
    const first = await invoke(spec);
    const second = await invoke(spec);
    expect(first.initDurationMs).toBeGreaterThan(0);
    expect(second.initDurationMs).toBeUndefined();
    expect(second.logStreamName).toBe(first.logStreamName);
    expect(payloadOf(second)).toMatchObject({ invocations: 2 });
  });

  it("serves the Node.js runtime's Runtime API calls on its own socket pair, not loopback TCP", async () => {
    // Counts the established TCP connections to or from the environment's Runtime API port.
    const code = files.write({
      'index.js': `
        const { readFileSync } = require('node:fs');
        exports.handler = async () => {
          const port = ':' + Number(process.env.AWS_LAMBDA_RUNTIME_API.split(':')[1]).toString(16).toUpperCase().padStart(4, '0');
          const rows = readFileSync('/proc/net/tcp', 'utf8').trim().split('\\n').slice(1).map((l) => l.trim().split(/\\s+/));
          return {
            connections: rows.filter((f) => f[3] === '01' && (f[1].endsWith(port) || f[2].endsWith(port))).length,
            fdVariable: process.env._STRATUS_RUNTIME_API_FD ?? null,
          };
        };`,
    });
    const spec = testSpec({ codeDir: code });
    await invoke(spec);
    const warm = await invoke(spec);
    expect(payloadOf(warm)).toEqual({ connections: 0, fdVariable: null });
  });

  it.runIf(HOST_PYTHON)(
    "serves the Python runtime's Runtime API calls on its own socket pair too",
    async () => {
      const code = files.write({
        'app.py': [
          'import os',
          'def handler(event, context):',
          "    port = ':%04X' % int(os.environ['AWS_LAMBDA_RUNTIME_API'].split(':')[1])",
          "    rows = [l.split() for l in open('/proc/net/tcp').read().strip().split('\\n')[1:]]",
          "    connections = [f for f in rows if f[3] == '01' and (f[1].endswith(port) or f[2].endswith(port))]",
          "    return {'connections': len(connections), 'fdVariable': os.environ.get('_STRATUS_RUNTIME_API_FD')}",
        ].join('\n'),
      });
      const spec = testSpec({ codeDir: code, runtime: 'python3.12', handler: 'app.handler' });
      await invoke(spec);
      const warm = await invoke(spec);
      expect(payloadOf(warm)).toEqual({ connections: 0, fdVariable: null });
    },
  );

  it('frames logs with START, END and REPORT; init output and Init Duration only on a cold start', async () => {
    const spec = testSpec({ codeDir: files.write({ 'index.mjs': ECHO_MJS }) });
    const cold = await invoke(spec, { n: 1 });
    const warm = await invoke(spec, { n: 2 });
    const coldId = requestIdOf(cold) ?? '';
    expect(messages(cold)[0]).toMatch(
      /^INIT_START Runtime Version: nodejs:20\.stratus\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}\n$/,
    );
    expect(messages(cold)[1]).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\tundefined\tINFO\tmodule loaded\n$/,
    );
    expect(messages(cold).slice(2)).toEqual([
      `START RequestId: ${coldId} Version: $LATEST\n`,
      expect.stringMatching(new RegExp(`^\\S+Z\\t${coldId}\\tINFO\\tevent {"n":1}\\n$`)),
      `END RequestId: ${coldId}\n`,
      expect.stringMatching(
        new RegExp(
          `^REPORT RequestId: ${coldId}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d\\d ms\\t\\n$`,
        ),
      ),
    ]);
    expect(messages(warm)).toHaveLength(4);
    expect(messages(warm)[3]).toMatch(
      /^REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\t\n$/,
    );
    expect(cold.logStreamName).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(cold.billedDurationMs).toBe(Math.ceil(cold.durationMs + (cold.initDurationMs ?? 0)));
    expect(warm.billedDurationMs).toBe(Math.ceil(warm.durationMs));
  });

  it('keeps a multi-line console.log as one log event', async () => {
    const code = files.write({
      'index.mjs': `export const handler = async () => { console.log('a\\nb', { c: 1 }); return 1; };`,
    });
    const result = await invoke(testSpec({ codeDir: code }));
    expect(messages(result).filter((m) => m.includes('INFO'))).toEqual([
      expect.stringMatching(/\tINFO\ta\nb { c: 1 }\n$/),
    ]);
  });

  it('runs concurrent invocations of one function in separate environments', async () => {
    const code = files.write({
      'index.mjs': `export const handler = async () => { await new Promise((r) => setTimeout(r, 300)); return process.env.AWS_LAMBDA_LOG_STREAM_NAME; };`,
    });
    const spec = testSpec({ codeDir: code });
    const pending = [invoke(spec), invoke(spec), invoke(spec)];
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(engine.busyCount(spec.key)).toBe(3);
    const streams = (await Promise.all(pending)).map((r) => payloadOf(r));
    expect(new Set(streams).size).toBe(3);
    expect(engine.busyCount(spec.key)).toBe(0);
  });
});

describe('failures', () => {
  it('reports a handler exception with errorType, errorMessage and trace, and stays warm', async () => {
    const code = files.write({
      'index.mjs': `class OrderError extends Error { constructor(m) { super(m); this.name = 'OrderError'; } }
        export const handler = async (event) => { if (event.fail) throw new OrderError('out of stock'); return 'ok'; };`,
    });
    const spec = testSpec({ codeDir: code });
    const failed = await invoke(spec, { fail: true });
    expect(failed.outcome).toMatchObject({
      kind: 'error',
      errorType: 'OrderError',
      errorMessage: 'out of stock',
      cause: 'handler',
    });
    const doc = payloadOf(failed) as { trace: string[] };
    expect(doc).toMatchObject({ errorType: 'OrderError', errorMessage: 'out of stock' });
    expect(doc.trace[0]).toBe('OrderError: out of stock');
    expect(messages(failed).some((m) => /\tERROR\tInvoke Error \t\{"errorType":"OrderError"/.test(m))).toBe(
      true,
    );
    const next = await invoke(spec);
    expect(payloadOf(next)).toBe('ok');
    expect(next.initDurationMs).toBeUndefined();
  });

  it('times out with Sandbox.Timedout, and the next invocation is a cold start', async () => {
    const code = files.write({
      'index.mjs': `export const handler = async (event) => { if (event.hang) await new Promise(() => setInterval(() => {}, 1000)); return 'fine'; };`,
    });
    const spec = testSpec({ codeDir: code, timeoutSeconds: 1 });
    const timedOut = await invoke(spec, { hang: true });
    const requestId = requestIdOf(timedOut);
    expect(timedOut.outcome).toMatchObject({
      kind: 'error',
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${requestId} Error: Task timed out after 1.00 seconds`,
      cause: 'timeout',
    });
    expect(timedOut.durationMs).toBeGreaterThanOrEqual(1000);
    expect(messages(timedOut)).toContainEqual(
      expect.stringMatching(new RegExp(`Z ${requestId} Task timed out after 1\\.00 seconds\\n$`)),
    );
    expect(messages(timedOut).at(-1)).toMatch(/\tStatus: timeout\t\n$/);
    const next = await invoke(spec);
    expect(payloadOf(next)).toBe('fine');
    expect(next.initDurationMs).toBeGreaterThan(0);
  });

  it('reports a runtime that exits mid-invocation as Runtime.ExitError', async () => {
    const code = files.write({ 'index.mjs': `export const handler = async () => { process.exit(3); };` });
    const result = await invoke(testSpec({ codeDir: code }));
    expect(result.outcome).toMatchObject({
      kind: 'error',
      errorType: 'Runtime.ExitError',
      cause: 'runtimeExit',
    });
    expect(result.outcome.kind === 'error' && result.outcome.errorMessage).toMatch(
      /^RequestId: \S+ Error: Runtime exited with error: exit status 3$/,
    );
    expect(messages(result).at(-1)).toMatch(/\tStatus: error\tError Type: Runtime.ExitError\t\n$/);
  });

  it.each([
    [
      'a missing module',
      { 'other.js': '' },
      'index.handler',
      'Runtime.ImportModuleError',
      /^Error: Cannot find module 'index'/,
    ],
    [
      'a missing export',
      { 'index.js': 'exports.other = () => 1;' },
      'index.handler',
      'Runtime.HandlerNotFound',
      /^index\.handler is undefined or not exported$/,
    ],
    [
      'a syntax error',
      { 'index.mjs': 'export const handler = async () => {' },
      'index.handler',
      'Runtime.UserCodeSyntaxError',
      /^SyntaxError: /,
    ],
    [
      'a malformed handler',
      { 'index.js': '' },
      'index',
      'Runtime.MalformedHandlerName',
      /^Bad handler index$/,
    ],
  ])('fails init for %s with %s', async (_, code, handler, errorType, message) => {
    const result = await invoke(testSpec({ codeDir: files.write(code), handler }));
    expect(result.outcome).toMatchObject({ kind: 'error', errorType, cause: 'init' });
    expect(result.outcome.kind === 'error' && result.outcome.errorMessage).toMatch(message);
    expect(payloadOf(result)).toMatchObject({ errorType });
    expect(messages(result)).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^INIT_REPORT Init Duration: [\\d.]+ ms\\tPhase: init\\tStatus: error\\tError Type: ${errorType}\\n$`,
        ),
      ),
    );
  });

  it('refuses a response over 6 MB with Function.ResponseSizeTooLarge', async () => {
    const code = files.write({
      'index.mjs': `export const handler = async () => 'x'.repeat(7 * 1024 * 1024);`,
    });
    const result = await invoke(testSpec({ codeDir: code }));
    expect(result.outcome).toMatchObject({ kind: 'error', errorType: 'Function.ResponseSizeTooLarge' });
  });
});

describe('environment variables and layers', () => {
  it("sets Lambda's variables, then the function's, which cannot replace reserved ones", async () => {
    const code = files.write({ 'index.mjs': `export const handler = async () => process.env;` });
    const spec = testSpec({
      codeDir: code,
      functionName: 'env-fn',
      region: 'eu-central-1',
      environment: { GREETING: 'hi', AWS_REGION: 'mars-1', TZ: 'Europe/Paris' },
    });
    const result = await invoke(spec);
    const env = payloadOf(result) as Record<string, string>;
    expect(env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'env-fn',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/env-fn',
      AWS_LAMBDA_LOG_STREAM_NAME: result.logStreamName,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_REGION: 'eu-central-1',
      AWS_DEFAULT_REGION: 'eu-central-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
      AWS_ACCESS_KEY_ID: 'AKIDTEST',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      _HANDLER: 'index.handler',
      LANG: 'en_US.UTF-8',
      GREETING: 'hi',
      TZ: 'Europe/Paris',
    });
    expect(env.AWS_LAMBDA_RUNTIME_API).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(env._X_AMZN_TRACE_ID).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    expect(env._LAMBDA_TELEMETRY_LOG_FD).toBeUndefined();
    // Lambda's paths in the sandbox; without it, the host's (docs/functions.md).
    if (engine.sandboxMode === 'bwrap') {
      expect(env).toMatchObject({ LAMBDA_TASK_ROOT: '/var/task', LAMBDA_RUNTIME_DIR: '/var/runtime' });
      expect(env.NODE_PATH).toBe(
        '/opt/nodejs/node20/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task',
      );
      expect(env.TMPDIR).toBeUndefined();
    } else {
      // A directory of the environment's own holds TMPDIR and the empty /opt; the code is where
      // it was written, or, in a spare environment, copied into that directory.
      const scratch = dirname(env.TMPDIR!);
      expect(dirname(scratch), 'sandbox: process').toBe(join(workDir, 'environments'));
      expect([code, join(scratch, 'task')]).toContain(env.LAMBDA_TASK_ROOT);
      const runtimeDir = join(runtimesDir(), 'nodejs');
      const opt = join(scratch, 'opt');
      expect(env.LAMBDA_RUNTIME_DIR).toBe(runtimeDir);
      expect(env.NODE_PATH).toBe(
        `${opt}/nodejs/node20/node_modules:${opt}/nodejs/node_modules:${sdkNodeModules()}:${runtimeDir}:${env.LAMBDA_TASK_ROOT}`,
      );
    }
  });

  it('merges layers at /opt in order, later layers winning, and resolves their packages', async () => {
    const first = files.write({
      'nodejs/node_modules/greeter/index.js': `exports.greet = () => 'hello from layer 1';`,
      'nodejs/node_modules/shared/index.js': `module.exports = 'first';`,
    });
    const second = files.write({ 'nodejs/node_modules/shared/index.js': `module.exports = 'second';` });
    const code = files.write({
      'index.js': `exports.handler = async () => ({ greeting: require('greeter').greet(), shared: require('shared') });`,
      'esm.mjs': `import greeter from 'greeter'; export const handler = async () => greeter.greet();`,
    });
    const spec = testSpec({ codeDir: code, layerDirs: [first, second] });
    expect(payloadOf(await invoke(spec))).toEqual({ greeting: 'hello from layer 1', shared: 'second' });
    const esm = testSpec({ codeDir: code, handler: 'esm.handler', layerDirs: [first, second] });
    expect(payloadOf(await invoke(esm))).toBe('hello from layer 1');
  });
});

describe('the pool', () => {
  it('keeps provisioned environments initialized, and their invocations report no Init Duration', async () => {
    const code = files.write({
      'index.mjs': `export const handler = async () => process.env.AWS_LAMBDA_INITIALIZATION_TYPE;`,
    });
    const spec = testSpec({ codeDir: code });
    await engine.provision(spec, 2);
    const [a, b] = await Promise.all([invoke(spec), invoke(spec)]);
    expect([payloadOf(a!), payloadOf(b!)]).toEqual(['provisioned-concurrency', 'provisioned-concurrency']);
    expect(a!.initDurationMs).toBeUndefined();
    expect(a!.logStreamName).not.toBe(b!.logStreamName);
  });

  it('retires environments: the next invocation starts a new one', async () => {
    const spec = testSpec({ codeDir: files.write({ 'index.mjs': ECHO_MJS }) });
    const before = await invoke(spec);
    await engine.retire(spec.key);
    const after = await invoke(spec);
    expect(after.initDurationMs).toBeGreaterThan(0);
    expect(after.logStreamName).not.toBe(before.logStreamName);
    expect(payloadOf(after)).toMatchObject({ invocations: 1 });
  });

  it('lets a busy environment finish when its function is retired', async () => {
    const code = files.write({
      'index.mjs': `export const handler = async () => { await new Promise((r) => setTimeout(r, 300)); return 'finished'; };`,
    });
    const spec = testSpec({ codeDir: code });
    const pending = invoke(spec);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await engine.retire(spec.key);
    expect(engine.busyCount(spec.key)).toBe(1);
    expect(payloadOf(await pending)).toBe('finished');
    expect(engine.busyCount(spec.key)).toBe(0);
  });

  it('stops environments that stay idle past idleTimeoutMs', async () => {
    const reaper = new ExecutionEngine({
      logger: pino({ level: 'silent' }),
      workDir: join(workDir, 'reaper'),
      idleTimeoutMs: 200,
    });
    try {
      const spec = testSpec({ codeDir: files.write({ 'index.mjs': ECHO_MJS }) });
      await reaper.invoke(spec, request(spec));
      await new Promise((resolve) => setTimeout(resolve, 500));
      const after = await reaper.invoke(spec, request(spec));
      expect(after.initDurationMs).toBeGreaterThan(0);
    } finally {
      await reaper.close();
    }
  });

  it('starts fresh environments when a key runs a changed spec', async () => {
    const spec = testSpec({
      codeDir: files.write({ 'index.mjs': `export const handler = async () => process.env.V;` }),
      environment: { V: '1' },
    });
    expect(payloadOf(await invoke(spec))).toBe('1');
    expect(payloadOf(await invoke({ ...spec, environment: { V: '2' } }))).toBe('2');
  });

  it('refuses a runtime it cannot run, naming what is missing', async () => {
    const spec = testSpec({ codeDir: files.write({}), runtime: 'java21' });
    await expect(engine.invoke(spec, request(spec))).rejects.toThrow(/java21 needs a Java runtime/);
  });
});

describe('without a sandbox', () => {
  it('runs Node.js and Python functions as plain processes, with host paths', async () => {
    const plain = new ExecutionEngine({
      logger: pino({ level: 'silent' }),
      workDir: join(workDir, 'plain'),
      sandbox: 'process',
    });
    try {
      expect(plain.sandboxMode).toBe('process');
      const layer = files.write({ 'nodejs/node_modules/greeter/index.js': `exports.greet = () => 'hi';` });
      const code = files.write({
        'index.js': `const os = require('node:os');
          exports.handler = async () => ({ root: process.env.LAMBDA_TASK_ROOT, cwd: process.cwd(), tmp: os.tmpdir(), greeting: require('greeter').greet() });`,
        'app.py':
          'import os, tempfile\ndef handler(event, context):\n    return {"cwd": os.getcwd(), "tmp": tempfile.gettempdir()}\n',
      });
      const node = testSpec({ codeDir: code, layerDirs: [layer] });
      const result = payloadOf(await plain.invoke(node, request(node))) as Record<string, string>;
      expect(result).toMatchObject({ root: code, cwd: code, greeting: 'hi' });
      expect(result.tmp).toContain(join(workDir, 'plain', 'environments'));
      if (HOST_PYTHON) {
        const python = testSpec({ codeDir: code, runtime: 'python3.12', handler: 'app.handler' });
        expect(payloadOf(await plain.invoke(python, request(python)))).toMatchObject({ cwd: code });
      }
    } finally {
      await plain.close();
    }
  });
});
