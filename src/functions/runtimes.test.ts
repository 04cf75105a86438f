/**
 * The runtimes other than Node.js: Stratus's Python runtime, custom runtimes (`provided*`) with a
 * `bootstrap` executable, and what `resolveRuntime` tells the control plane.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { ExecutionEngine } from './engine.js';
import { HOST_PYTHON, resolveRuntime } from './runtimes.js';
import { FunctionFiles, messages, payloadOf, request, testSpec } from './testing/functions.js';
import type { FunctionSpec } from './types.js';

const files = new FunctionFiles();
const workDir = mkdtempSync(join(tmpdir(), 'stratus-runtimes-'));
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
const python = (fields: Partial<FunctionSpec> & Pick<FunctionSpec, 'codeDir'>) =>
  testSpec({ runtime: 'python3.12', handler: 'lambda_function.lambda_handler', ...fields });

describe.skipIf(!HOST_PYTHON)('Python runtime', () => {
  it('squares a number (lambda_handler(event, context))', async () => {
    const code = files.write({
      'lambda_function.py': `def lambda_handler(event, context):\n    return {"statusCode": 200, "body": str(event["my_number"] ** 2)}\n`,
    });
    const result = await invoke(python({ codeDir: code }), { my_number: 5 });
    expect(payloadOf(result)).toEqual({ statusCode: 200, body: '25' });
    expect(result.initDurationMs).toBeGreaterThan(0);
    expect(messages(result).at(-1)).toMatch(
      /^REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms\t\n$/,
    );
  });

  it('gives the handler the context object, print output and logging records', async () => {
    const code = files.write({
      'pkg/handlers.py': [
        'import logging',
        'logger = logging.getLogger()',
        'logger.setLevel(logging.INFO)',
        'state = {"calls": 0}',
        'def handle(event, context):',
        '    state["calls"] += 1',
        '    print("printed", event["n"])',
        '    logger.info("logged\\nacross lines")',
        '    return {"calls": state["calls"], "request": context.aws_request_id, "name": context.function_name,',
        '            "version": context.function_version, "arn": context.invoked_function_arn,',
        '            "memory": context.memory_limit_in_mb, "group": context.log_group_name,',
        '            "stream": context.log_stream_name, "remaining": context.get_remaining_time_in_millis()}',
        '',
      ].join('\n'),
      'pkg/__init__.py': '',
    });
    const spec = python({ codeDir: code, handler: 'pkg/handlers.handle', functionName: 'py-context' });
    await invoke(spec, { n: 0 });
    const req = request(spec, { n: 1 });
    const result = await engine.invoke(spec, req);
    expect(payloadOf(result)).toMatchObject({
      calls: 2,
      request: req.requestId,
      name: 'py-context',
      version: '$LATEST',
      arn: spec.functionArn,
      memory: '128',
      group: '/aws/lambda/py-context',
      stream: result.logStreamName,
    });
    expect((payloadOf(result) as { remaining: number }).remaining).toBeGreaterThan(2000);
    expect(messages(result)).toContain('printed 1\n');
    expect(messages(result)).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^\\[INFO\\]\\t\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${req.requestId}\\tlogged\\nacross lines\\n$`,
        ),
      ),
    );
  });

  it("reports an exception as Lambda's Python runtime does", async () => {
    const code = files.write({
      'lambda_function.py': 'def lambda_handler(event, context):\n    raise ValueError("bad input")\n',
    });
    const result = await invoke(python({ codeDir: code }));
    expect(result.outcome).toMatchObject({
      kind: 'error',
      errorType: 'ValueError',
      errorMessage: 'bad input',
      cause: 'handler',
    });
    const doc = payloadOf(result) as { requestId: string; stackTrace: string[] };
    expect(doc).toMatchObject({ errorMessage: 'bad input', errorType: 'ValueError' });
    expect(doc.stackTrace).toEqual([
      expect.stringMatching(/File ".*lambda_function\.py", line 2, in lambda_handler\n/),
    ]);
    expect(messages(result)).toContainEqual(
      expect.stringMatching(/^\[ERROR\] ValueError: bad input\nTraceback \(most recent call last\):\n/),
    );
  });

  it.each([
    [
      'a missing module',
      {},
      'Runtime.ImportModuleError',
      "Unable to import module 'lambda_function': No module named 'lambda_function'",
    ],
    [
      'a syntax error',
      { 'lambda_function.py': 'def lambda_handler(:\n' },
      'Runtime.UserCodeSyntaxError',
      /^Syntax error in module 'lambda_function'/,
    ],
  ])('fails init for %s with %s', async (_, code, errorType, message) => {
    const result = await invoke(python({ codeDir: files.write(code) }));
    expect(result.outcome).toMatchObject({ kind: 'error', errorType, cause: 'init' });
    expect(result.outcome.kind === 'error' && result.outcome.errorMessage).toMatch(message);
  });

  it('reports a missing handler function as Runtime.HandlerNotFound', async () => {
    const result = await invoke(python({ codeDir: files.write({ 'lambda_function.py': 'x = 1\n' }) }));
    expect(result.outcome).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: "Handler 'lambda_handler' missing on module 'lambda_function'",
    });
  });

  it('serializes Decimal results and imports layer packages from /opt/python', async () => {
    const layer = files.write({
      'python/helper.py': 'from decimal import Decimal\nPRICE = Decimal("2.50")\nCOUNT = Decimal(3)\n',
    });
    const code = files.write({
      'lambda_function.py':
        'import helper\ndef lambda_handler(event, context):\n    return {"price": helper.PRICE, "count": helper.COUNT}\n',
    });
    expect(payloadOf(await invoke(python({ codeDir: code, layerDirs: [layer] })))).toEqual({
      price: 2.5,
      count: 3,
    });
  });
});

describe('custom runtimes (provided.al2023)', () => {
  it.skipIf(!existsSync('/usr/bin/curl'))(
    'runs a shell bootstrap that speaks the Runtime API with curl',
    async () => {
      const bootstrap = [
        '#!/bin/sh',
        'set -eu',
        'API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"',
        'echo "bootstrap started for $_HANDLER"',
        'while true; do',
        '  HEADERS=$(mktemp)',
        '  EVENT=$(curl -sS -D "$HEADERS" "$API/invocation/next")',
        '  ID=$(grep -i "^Lambda-Runtime-Aws-Request-Id:" "$HEADERS" | cut -d" " -f2 | tr -d "\\r")',
        '  echo "handling $ID"',
        '  curl -sS -o /dev/null -X POST "$API/invocation/$ID/response" -d "{\\"echo\\":$EVENT}"',
        'done',
        '',
      ].join('\n');
      const code = files.write({ bootstrap: { content: bootstrap, mode: 0o755 } });
      const spec = testSpec({ codeDir: code, runtime: 'provided.al2023', handler: 'function.handler' });
      const req = request(spec, { a: 1 });
      const result = await engine.invoke(spec, req);
      expect(payloadOf(result)).toEqual({ echo: { a: 1 } });
      expect(messages(result)).toContain('bootstrap started for function.handler\n');
      expect(messages(result)).toContain(`handling ${req.requestId}\n`);
    },
  );

  it('runs a bootstrap from a layer (/opt/bootstrap) written in Python', async () => {
    if (!HOST_PYTHON) return;
    const bootstrap = [
      `#!${HOST_PYTHON}`,
      'import os, urllib.request',
      'api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"',
      'while True:',
      '    with urllib.request.urlopen(api + "next") as r:',
      '        request_id = r.headers["Lambda-Runtime-Aws-Request-Id"]',
      '        body = r.read()',
      '    urllib.request.urlopen(urllib.request.Request(api + request_id + "/response", data=body[::-1], method="POST")).read()',
      '',
    ].join('\n');
    const layer = files.write({ bootstrap: { content: bootstrap, mode: 0o755 } });
    const spec = testSpec({ codeDir: files.write({}), layerDirs: [layer], runtime: 'provided.al2' });
    const result = await invoke(spec, 'abc');
    expect(result.outcome.kind === 'success' && result.outcome.payload.toString()).toBe('"cba"');
  });

  it('fails with Runtime.InvalidEntrypoint without a bootstrap', async () => {
    const result = await invoke(
      testSpec({ codeDir: files.write({ 'main.sh': '' }), runtime: 'provided.al2023' }),
    );
    expect(result.outcome).toMatchObject({
      kind: 'error',
      errorType: 'Runtime.InvalidEntrypoint',
      errorMessage: "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]",
      cause: 'init',
    });
  });
});

describe('resolveRuntime', () => {
  it.each([
    'nodejs18.x',
    'nodejs20.x',
    'nodejs22.x',
    'nodejs24.x',
    'provided.al2023',
    'provided.al2',
    'provided',
  ])('runs %s', (runtime) => {
    expect(resolveRuntime(runtime)).toHaveProperty('command');
  });

  it('runs python3.9 to python3.14 on the host Python', () => {
    for (const minor of [9, 10, 11, 12, 13, 14]) {
      const resolved = resolveRuntime(`python3.${minor}`);
      if (HOST_PYTHON) expect(resolved).toMatchObject({ family: 'python', languageVersion: `3.${minor}` });
      else expect(resolved).toHaveProperty('missing');
    }
  });

  it.each([
    ['java21', /java21 needs a Java runtime/],
    ['dotnet8', /dotnet8 needs a \.NET runtime/],
    ['ruby3.3', /ruby3\.3 needs a Ruby runtime/],
    ['cobol1.x', /cobol1\.x is not a runtime Stratus can run/],
  ])('says what %s is missing', (runtime, message) => {
    const resolved = resolveRuntime(runtime);
    expect('missing' in resolved && resolved.missing).toMatch(message);
  });
});
