/**
 * The runtimes through the Lambda API, end to end: Node.js (CommonJS in a subdirectory, callback
 * handlers), Python (its context object), a custom runtime (provided.al2023) whose own `bootstrap`
 * speaks the Runtime API, Node.js and Python layers, the variables Lambda sets inside a function,
 * warm reuse, versions and a weighted alias. Paths are what the sandbox mode in force promises
 * (docs/functions.md): Lambda's in bubblewrap, the host's without; the tests' names say which.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateAliasCommand,
  InvokeCommand,
  LambdaClient,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  type Runtime,
} from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { startTestStratus, testSandboxMode, type TestStratus } from './support/stratus.js';
import {
  createFunction as createTestFunction,
  type FunctionOptions,
  logEvents as readLogEvents,
  seenPaths,
} from './support/lambda.js';
import { zipOf, type ZipEntry } from './support/zip.js';

const decode = (payload: Uint8Array | undefined) => JSON.parse(Buffer.from(payload ?? []).toString('utf8'));
const encode = (value: unknown) => Buffer.from(JSON.stringify(value));
/** Lambda's log stream names: `YYYY/MM/DD/[<version>]<32 hex>`. */
const logStreamPattern = (version: string) =>
  new RegExp(`^\\d{4}/\\d{2}/\\d{2}/\\[${version.replace('$', '\\$')}\\][0-9a-f]{32}$`);

const sandbox = testSandboxMode();
const inSandbox = sandbox === 'bwrap';

describe(`Lambda runtimes (sandbox: ${sandbox})`, () => {
  let stratus: TestStratus;
  let lambda: LambdaClient;
  let logs: CloudWatchLogsClient;

  beforeAll(async () => {
    stratus = await startTestStratus();
    lambda = new LambdaClient(stratus.clientConfig);
    logs = new CloudWatchLogsClient(stratus.clientConfig);
  });
  afterAll(async () => {
    lambda?.destroy();
    logs?.destroy();
    await stratus?.close();
  });

  const createFunction = (
    name: string,
    runtime: Runtime,
    handler: string,
    files: Record<string, ZipEntry>,
    options: FunctionOptions = {},
  ) => createTestFunction(lambda, name, files, { runtime, handler, Timeout: 15, ...options });

  async function invoke(name: string, payload: unknown = {}, qualifier?: string) {
    const result = await lambda.send(
      new InvokeCommand({
        FunctionName: name,
        Payload: encode(payload),
        ...(qualifier ? { Qualifier: qualifier } : {}),
      }),
    );
    expect(result.FunctionError, Buffer.from(result.Payload ?? []).toString('utf8')).toBeUndefined();
    expect(result.StatusCode).toBe(200);
    return { result, body: decode(result.Payload) };
  }

  const logEvents = (name: string, pattern?: string) => readLogEvents(logs, name, pattern);

  it(`runs a Node.js CommonJS handler from a subdirectory (Handler src/app.handler) of ${inSandbox ? '/var/task' : 'its code directory'}`, async () => {
    const created = await createFunction('cjs-nested', 'nodejs20.x', 'src/app.handler', {
      'src/app.js': [
        "const { helper } = require('./lib/helper');",
        'exports.handler = async (event) => ({ commonjs: typeof module === "object" && typeof require === "function",',
        '  file: __filename, taskRoot: process.env.LAMBDA_TASK_ROOT, answer: helper(event.n) });',
      ].join('\n'),
      'src/lib/helper.js': 'exports.helper = (n) => n * 3;',
    });
    const { result, body } = await invoke('cjs-nested', { n: 14 });
    expect(body, `sandbox: ${sandbox}`).toEqual({
      commonjs: true,
      file: `${body.taskRoot}/src/app.js`,
      taskRoot: seenPaths(sandbox, stratus.dataDir).taskRoot(created.CodeSha256!),
      answer: 42,
    });
    expect(result.ExecutedVersion).toBe('$LATEST');
  });

  it('answers with the value a callback-style handler passes to callback(null, …)', async () => {
    await createFunction('callback-style', 'nodejs20.x', 'index.handler', {
      'index.js': [
        'exports.handler = (event, context, callback) => {',
        '  setTimeout(() => callback(null, { sum: event.a + event.b, requestId: context.awsRequestId }), 10);',
        '};',
      ].join('\n'),
    });
    const { result, body } = await invoke('callback-style', { a: 2, b: 40 });
    expect(body.sum).toBe(42);
    expect(body.requestId).toBe(result.$metadata.requestId);
  });

  it("gives a Python handler Lambda's context: aws_request_id, function_name, memory_limit_in_mb, get_remaining_time_in_millis()", async () => {
    await createFunction(
      'py-context',
      'python3.12',
      'handler.main',
      {
        'handler.py': [
          'import time',
          'def main(event, context):',
          '    before = context.get_remaining_time_in_millis()',
          '    time.sleep(0.05)',
          '    return {',
          '        "request_id": context.aws_request_id,',
          '        "function_name": context.function_name,',
          '        "function_version": context.function_version,',
          '        "invoked_function_arn": context.invoked_function_arn,',
          '        "memory": context.memory_limit_in_mb,',
          '        "log_group": context.log_group_name,',
          '        "log_stream": context.log_stream_name,',
          '        "before": before,',
          '        "after": context.get_remaining_time_in_millis(),',
          '    }',
        ].join('\n'),
      },
      { MemorySize: 256 },
    );
    const { result, body } = await invoke('py-context');
    expect(body).toMatchObject({
      request_id: result.$metadata.requestId,
      function_name: 'py-context',
      function_version: '$LATEST',
      invoked_function_arn: 'arn:aws:lambda:us-east-1:000000000000:function:py-context',
      // The awslambdaric context reads it from AWS_LAMBDA_FUNCTION_MEMORY_SIZE: a string.
      memory: '256',
      log_group: '/aws/lambda/py-context',
    });
    expect(body.log_stream).toMatch(logStreamPattern('$LATEST'));
    expect(body.before).toBeGreaterThan(13_000);
    expect(body.before).toBeLessThanOrEqual(15_000);
    expect(body.after).toBeLessThanOrEqual(body.before - 50);
  });

  it('runs a provided.al2023 function whose own shell bootstrap serves the Runtime API', async () => {
    // The bootstrap is a shell script, as custom runtimes often are; it hands the loop to whatever
    // interpreter the environment has (the sandbox sees the host's /usr: python3 or node).
    const bootstrap = [
      '#!/bin/sh',
      'set -eu',
      'echo "custom runtime starting: handler=$_HANDLER api=${AWS_LAMBDA_RUNTIME_API%%:*}"',
      'if command -v python3 >/dev/null 2>&1; then exec python3 -u "$LAMBDA_TASK_ROOT/loop.py"; fi',
      'exec node "$LAMBDA_TASK_ROOT/loop.js"',
      '',
    ].join('\n');
    const pythonLoop = [
      'import json, os, urllib.request',
      'api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"',
      'def post(path, doc, headers=None):',
      '    body = json.dumps(doc).encode()',
      '    request = urllib.request.Request(api + path, data=body, method="POST", headers=headers or {})',
      '    urllib.request.urlopen(request).read()',
      'while True:',
      '    with urllib.request.urlopen(api + "next") as r:',
      '        request_id = r.headers["Lambda-Runtime-Aws-Request-Id"]',
      '        arn = r.headers["Lambda-Runtime-Invoked-Function-Arn"]',
      '        deadline = int(r.headers["Lambda-Runtime-Deadline-Ms"])',
      '        event = json.loads(r.read() or b"null")',
      '    print("handling " + request_id, flush=True)',
      '    if event.get("fail"):',
      '        post(request_id + "/error", {"errorType": "Custom.Failure", "errorMessage": event["fail"]},',
      '             {"Lambda-Runtime-Function-Error-Type": "Custom.Failure"})',
      '        continue',
      '    post(request_id + "/response", {"interpreter": "python", "echo": event, "requestId": request_id,',
      '        "arn": arn, "deadline": deadline, "handler": os.environ["_HANDLER"],',
      '        "function": os.environ["AWS_LAMBDA_FUNCTION_NAME"]})',
      '',
    ].join('\n');
    const nodeLoop = [
      "const http = require('node:http');",
      "const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');",
      'const call = (method, path, body, headers = {}) => new Promise((resolve, reject) => {',
      "  const req = http.request({ host, port, method, path: '/2018-06-01/runtime/invocation/' + path, headers }, (res) => {",
      "    const chunks = []; res.on('data', (c) => chunks.push(c));",
      "    res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks).toString() }));",
      "  }); req.on('error', reject); req.end(body);",
      '});',
      '(async () => { for (;;) {',
      "  const next = await call('GET', 'next');",
      "  const id = next.headers['lambda-runtime-aws-request-id'];",
      "  const event = JSON.parse(next.body || 'null');",
      "  console.log('handling ' + id);",
      '  if (event && event.fail) {',
      "    await call('POST', id + '/error', JSON.stringify({ errorType: 'Custom.Failure', errorMessage: event.fail }),",
      "      { 'Lambda-Runtime-Function-Error-Type': 'Custom.Failure' });",
      '    continue;',
      '  }',
      "  await call('POST', id + '/response', JSON.stringify({ interpreter: 'node', echo: event, requestId: id,",
      "    arn: next.headers['lambda-runtime-invoked-function-arn'], deadline: Number(next.headers['lambda-runtime-deadline-ms']),",
      '    handler: process.env._HANDLER, function: process.env.AWS_LAMBDA_FUNCTION_NAME }));',
      '} })();',
      '',
    ].join('\n');
    await createFunction('custom-runtime', 'provided.al2023', 'function.handler', {
      bootstrap: { content: bootstrap, mode: 0o755 },
      'loop.py': pythonLoop,
      'loop.js': nodeLoop,
    });
    const before = Date.now();
    const { result, body } = await invoke('custom-runtime', { order: 7 });
    expect(body).toMatchObject({
      echo: { order: 7 },
      requestId: result.$metadata.requestId,
      arn: 'arn:aws:lambda:us-east-1:000000000000:function:custom-runtime',
      handler: 'function.handler',
      function: 'custom-runtime',
    });
    expect(['python', 'node']).toContain(body.interpreter);
    expect(body.deadline).toBeGreaterThan(before + 10_000);
    expect(body.deadline).toBeLessThan(Date.now() + 16_000);

    // Through /invocation/{id}/error, the custom runtime's own error type reaches the caller.
    const failed = await lambda.send(
      new InvokeCommand({ FunctionName: 'custom-runtime', Payload: encode({ fail: 'no stock' }) }),
    );
    expect(failed.FunctionError).toBe('Unhandled');
    expect(decode(failed.Payload)).toEqual({ errorType: 'Custom.Failure', errorMessage: 'no stock' });

    const messages = (await logEvents('custom-runtime')).map((e) => e.message);
    expect(messages).toContain('custom runtime starting: handler=function.handler api=127.0.0.1\n');
    expect(messages).toContain(`handling ${result.$metadata.requestId}\n`);
    expect(messages.filter((m) => m.startsWith('REPORT RequestId: '))).toHaveLength(2);
  });

  it(`imports a Node.js layer package from nodejs/node_modules in ${inSandbox ? '/opt' : "the layer's directory"}, by require and by import`, async () => {
    const layer = await lambda.send(
      new PublishLayerVersionCommand({
        LayerName: 'greeting',
        CompatibleRuntimes: ['nodejs20.x'],
        Content: {
          ZipFile: await zipOf({
            'nodejs/node_modules/greeting/package.json': JSON.stringify({
              name: 'greeting',
              main: 'index.js',
            }),
            'nodejs/node_modules/greeting/index.js':
              'exports.greet = (name) => `Hello, ${name}, from a layer`;',
          }),
        },
      }),
    );
    expect(layer.LayerVersionArn).toBe('arn:aws:lambda:us-east-1:000000000000:layer:greeting:1');
    await createFunction(
      'uses-layer',
      'nodejs20.x',
      'index.handler',
      {
        'index.mjs': [
          "import { createRequire } from 'node:module';",
          "import { greet } from 'greeting';",
          'const require = createRequire(import.meta.url);',
          'export const handler = async (event) => ({',
          '  imported: greet(event.name),',
          "  required: require('greeting').greet(event.name),",
          "  resolved: require.resolve('greeting'),",
          '});',
        ].join('\n'),
      },
      { Layers: [layer.LayerVersionArn!] },
    );
    const { body } = await invoke('uses-layer', { name: 'Ada' });
    const opt = seenPaths(sandbox, stratus.dataDir).opt(layer.Content!.CodeSha256!);
    expect(body, `sandbox: ${sandbox}`).toEqual({
      imported: 'Hello, Ada, from a layer',
      required: 'Hello, Ada, from a layer',
      // Through NODE_PATH, which names /opt's directories.
      resolved: `${opt}/nodejs/node_modules/greeting/index.js`,
    });
  });

  it(`imports a Python layer module from ${inSandbox ? '/opt/python' : "the layer's directory"}`, async () => {
    const layer = await lambda.send(
      new PublishLayerVersionCommand({
        LayerName: 'shouting',
        CompatibleRuntimes: ['python3.12'],
        Content: {
          ZipFile: await zipOf({ 'python/shouting.py': 'def shout(s):\n    return s.upper() + "!"\n' }),
        },
      }),
    );
    await createFunction(
      'py-uses-layer',
      'python3.12',
      'app.handler',
      {
        'app.py': [
          'import shouting',
          'def handler(event, context):',
          '    return {"said": shouting.shout(event["text"]), "from": shouting.__file__}',
        ].join('\n'),
      },
      { Layers: [layer.LayerVersionArn!] },
    );
    const { body } = await invoke('py-uses-layer', { text: 'quiet please' });
    const opt = seenPaths(sandbox, stratus.dataDir).opt(layer.Content!.CodeSha256!);
    expect(body, `sandbox: ${sandbox}`).toEqual({ said: 'QUIET PLEASE!', from: `${opt}/python/shouting.py` });
  });

  const envProbe = {
    'index.js': [
      'let invocations = 0;',
      'const names = ["AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",',
      '  "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "LAMBDA_TASK_ROOT", "AWS_REGION", "AWS_ENDPOINT_URL"];',
      'exports.handler = async (event, context) => {',
      '  invocations += 1;',
      '  console.log("invocation " + invocations);',
      '  return { invocations, logStream: context.logStreamName,',
      '    env: Object.fromEntries(names.map((n) => [n, process.env[n]])) };',
      '};',
    ].join('\n'),
  };

  it(`sets Lambda's variables inside the function: name, version, memory, log group and stream, task root (${inSandbox ? '/var/task' : 'the code directory'}), region, endpoint`, async () => {
    const created = await createFunction('env-probe', 'nodejs20.x', 'index.handler', envProbe, {
      MemorySize: 192,
    });
    const { body } = await invoke('env-probe');
    expect(body.env, `sandbox: ${sandbox}`).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'env-probe',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '192',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/env-probe',
      LAMBDA_TASK_ROOT: seenPaths(sandbox, stratus.dataDir).taskRoot(created.CodeSha256!),
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: `http://127.0.0.1:${stratus.port}`,
    });
    const stream = body.env.AWS_LAMBDA_LOG_STREAM_NAME as string;
    expect(stream).toMatch(logStreamPattern('$LATEST'));
    expect(body.logStream).toBe(stream);
    const today = new Date();
    const datePart = stream.slice(0, 10);
    const allowed = [today, new Date(today.getTime() - 60_000)].map((d) => d.toISOString().slice(0, 10));
    expect(allowed.map((d) => d.replaceAll('-', '/'))).toContain(datePart);
    // The stream the function names is the one its logs land in.
    const events = await logEvents('env-probe', '"invocation 1"');
    expect(events.map((e) => e.logStreamName)).toEqual([stream]);
  });

  it('reuses a warm environment (module state kept, same log stream); a version invoked by qualifier runs as version 1', async () => {
    // env-probe has run once above, in one environment.
    const second = await invoke('env-probe');
    const third = await invoke('env-probe');
    expect(second.body.invocations).toBe(2);
    expect(third.body.invocations).toBe(3);
    expect(third.body.logStream).toBe(second.body.logStream);
    const reports = (await logEvents('env-probe', 'REPORT')).map((e) => e.message);
    expect(reports).toHaveLength(3);
    expect(reports.filter((m) => m.includes('Init Duration'))).toHaveLength(1);

    const published = await lambda.send(new PublishVersionCommand({ FunctionName: 'env-probe' }));
    expect(published.Version).toBe('1');
    const v1 = await invoke('env-probe', {}, '1');
    expect(v1.result.ExecutedVersion).toBe('1');
    expect(v1.body.env.AWS_LAMBDA_FUNCTION_VERSION).toBe('1');
    expect(v1.body.invocations).toBe(1);
    expect(v1.body.logStream).toMatch(logStreamPattern('1'));
    const latest = await invoke('env-probe');
    expect(latest.result.ExecutedVersion).toBe('$LATEST');
    expect(latest.body.invocations).toBe(4);
  });

  it('routes a weighted alias (AdditionalVersionWeights {"2": 0.5}) to both versions, reporting ExecutedVersion', async () => {
    const code = (label: string) => ({
      'index.js': `exports.handler = async () => ({ label: "${label}", version: process.env.AWS_LAMBDA_FUNCTION_VERSION });`,
    });
    await createFunction('canary', 'nodejs20.x', 'index.handler', code('one'));
    expect((await lambda.send(new PublishVersionCommand({ FunctionName: 'canary' }))).Version).toBe('1');
    await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'canary', ZipFile: await zipOf(code('two')) }),
    );
    expect((await lambda.send(new PublishVersionCommand({ FunctionName: 'canary' }))).Version).toBe('2');
    await lambda.send(
      new CreateAliasCommand({
        FunctionName: 'canary',
        Name: 'live',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } },
      }),
    );
    const seen = new Map<string, number>();
    // At 50/50 the chance that 40 invocations all pick one version is 2^-39.
    for (let i = 0; i < 40 && seen.size < 2; i++) {
      const { result, body } = await invoke('canary', {}, 'live');
      expect(body.version).toBe(result.ExecutedVersion);
      expect(body.label).toBe(result.ExecutedVersion === '1' ? 'one' : 'two');
      seen.set(result.ExecutedVersion!, (seen.get(result.ExecutedVersion!) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual(['1', '2']);
  });
});
