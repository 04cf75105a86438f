/**
 * How each way a function can fail reaches the caller of Invoke, end to end: out of memory, a fork
 * bomb, a crash at init, a runtime that exits, a syntax error, a timeout, a response over 6 MB —
 * and what a function can read of the host: nothing of its files, Stratus's data or another
 * function's code in the sandbox; what Stratus can without it. The limit tests need writable
 * cgroups, as src/functions/sandbox.test.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeCommand, LambdaClient, type InvokeCommandOutput, type Runtime } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { detectCgroups } from '../src/functions/cgroups.js';
import { startTestStratus, testSandboxMode, type TestStratus } from './support/stratus.js';
import {
  createFunction as createTestFunction,
  extractedDir,
  type FunctionOptions,
  logMessages as readLogMessages,
} from './support/lambda.js';
import type { ZipEntry } from './support/zip.js';

const text = (payload: Uint8Array | undefined) => Buffer.from(payload ?? []).toString('utf8');
const decode = (payload: Uint8Array | undefined) => JSON.parse(text(payload));
const encode = (value: unknown) => Buffer.from(JSON.stringify(value));

/** Whether this host gives functions resource limits (decided as the engine does). */
function hasCgroups(): boolean {
  const cgroups = detectCgroups();
  cgroups?.close();
  return cgroups !== undefined;
}
const limited = hasCgroups();
const sandbox = testSandboxMode();

/** What Stratus itself gets reading `path` (it runs the test): `read` or the error code. */
function hostAttempt(path: string): string {
  try {
    if (statSync(path).isDirectory()) readdirSync(path);
    else readFileSync(path);
    return 'read';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? String(e);
  }
}

describe('Lambda function failures', () => {
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
  ) => createTestFunction(lambda, name, files, { runtime, handler, ...options });

  const invoke = (name: string, payload: unknown = {}): Promise<InvokeCommandOutput> =>
    lambda.send(new InvokeCommand({ FunctionName: name, Payload: encode(payload) }));

  /** Invokes and expects a function error: returns the error document. */
  async function invokeFailing(name: string, payload: unknown = {}) {
    const result = await invoke(name, payload);
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError, text(result.Payload)).toBe('Unhandled');
    return { result, error: decode(result.Payload) as { errorType: string; errorMessage: string } };
  }

  const logMessages = (name: string, pattern?: string) => readLogMessages(logs, name, pattern);

  beforeAll(async () => {
    await createFunction('neighbour', 'nodejs20.x', 'index.handler', {
      'index.js': 'exports.handler = async (event) => ({ alive: true, n: event.n });',
    });
  });

  it.skipIf(!limited)(
    'ends a function that outgrows MemorySize with Runtime.OutOfMemory while another function keeps answering',
    async () => {
      await createFunction(
        'memory-hog',
        'nodejs20.x',
        'index.handler',
        {
          // Buffers live outside V8's heap: only the memory limit stops ~400 MB of them.
          'index.js': [
            'exports.handler = async () => {',
            '  const kept = [];',
            '  for (let i = 0; i < 40; i++) kept.push(Buffer.alloc(10 * 1024 * 1024, 1));',
            '  return kept.length;',
            '};',
          ].join('\n'),
        },
        { MemorySize: 128, Timeout: 30 },
      );
      const [hog, other] = await Promise.all([invokeFailing('memory-hog'), invoke('neighbour', { n: 1 })]);
      expect(hog.error.errorType).toBe('Runtime.OutOfMemory');
      expect(hog.error.errorMessage).toBe(
        `RequestId: ${hog.result.$metadata.requestId} Error: Runtime exited with error: signal: killed`,
      );
      expect(decode(other.Payload)).toEqual({ alive: true, n: 1 });
      const report = (await logMessages('memory-hog', 'REPORT')).at(-1);
      expect(report).toMatch(/Memory Size: 128 MB\tMax Memory Used: 1[2-9]\d MB/);
      expect(report).toContain('Status: error\tError Type: Runtime.OutOfMemory');
      // The environment is gone; the next invocation starts a new one (and runs out of memory again).
      const again = await invokeFailing('memory-hog');
      expect(again.error.errorType).toBe('Runtime.OutOfMemory');
      expect(decode((await invoke('neighbour', { n: 2 })).Payload)).toEqual({ alive: true, n: 2 });
    },
    90_000,
  );

  it.skipIf(!limited)(
    'contains a fork bomb within its own 1024 processes while another function keeps answering',
    async () => {
      await createFunction(
        'fork-bomb',
        'python3.12',
        'bomb.handler',
        {
          'bomb.py': [
            'import os, time',
            'def handler(event, context):',
            '    children = []',
            '    refused = None',
            '    try:',
            '        while len(children) < 5000:',
            '            pid = os.fork()',
            '            if pid == 0:',
            '                time.sleep(30)',
            '                os._exit(0)',
            '            children.append(pid)',
            '    except OSError as error:',
            '        refused = error.strerror',
            '    time.sleep(3)  # hold every process while the neighbour is invoked',
            '    for pid in children:',
            '        os.kill(pid, 9)',
            '        os.waitpid(pid, 0)',
            '    return {"forked": len(children), "refused": refused}',
          ].join('\n'),
        },
        { MemorySize: 2048, Timeout: 60 },
      );
      let bombDone = false;
      const bomb = invoke('fork-bomb').finally(() => (bombDone = true));
      const answers: unknown[] = [];
      // Bounded: the bomb holds its processes for 3 s and has a 60 s timeout.
      for (let n = 0; n < 600 && !bombDone; n++) {
        answers.push(decode((await invoke('neighbour', { n })).Payload));
        await new Promise((r) => setTimeout(r, 50));
      }
      const result = await bomb;
      expect(result.FunctionError, text(result.Payload)).toBeUndefined();
      const { forked, refused } = decode(result.Payload) as { forked: number; refused: string };
      expect(forked).toBeGreaterThan(500);
      expect(forked).toBeLessThan(1024);
      expect(refused).toMatch(/Resource temporarily unavailable/);
      expect(answers.length).toBeGreaterThan(5);
      answers.forEach((answer, n) => expect(answer).toEqual({ alive: true, n }));
      expect(decode((await invoke('neighbour', { n: -1 })).Payload)).toEqual({ alive: true, n: -1 });
    },
    // Forking ~1000 Pythons takes half a minute on a small VM.
    180_000,
  );

  it('reports a module that throws at import as the invocation error, and the next invoke is a fresh cold start', async () => {
    await createFunction('init-crash', 'nodejs20.x', 'index.handler', {
      'index.js': [
        'console.log("initializing");',
        'throw new Error("configuration missing");',
        'exports.handler = async () => "unreachable";',
      ].join('\n'),
    });
    const first = await invokeFailing('init-crash');
    // Lambda's Node.js runtime passes an error thrown at init through with its own type.
    expect(first.error).toMatchObject({ errorType: 'Error', errorMessage: 'configuration missing' });
    const second = await invokeFailing('init-crash');
    expect(second.error).toMatchObject({ errorType: 'Error', errorMessage: 'configuration missing' });

    const messages = await logMessages('init-crash');
    expect(messages.filter((m) => m.startsWith('INIT_START '))).toHaveLength(2);
    const initReports = messages.filter((m) => m.startsWith('INIT_REPORT '));
    expect(initReports).toHaveLength(2);
    for (const line of initReports)
      expect(line).toMatch(/^INIT_REPORT Init Duration: \d+\.\d{2} ms\tPhase: init\tStatus: error/);
    const reports = messages.filter((m) => m.startsWith('REPORT RequestId: '));
    expect(reports).toHaveLength(2);
    for (const line of reports) expect(line).toMatch(/Init Duration: \d+\.\d{2} ms/);
    expect(reports[0]).toContain(`REPORT RequestId: ${first.result.$metadata.requestId}\t`);
    expect(reports[1]).toContain(`REPORT RequestId: ${second.result.$metadata.requestId}\t`);
    expect(messages.filter((m) => m.includes('\tINFO\tinitializing'))).toHaveLength(2);
  });

  it('reports an import that cannot be resolved at init as Runtime.ImportModuleError, and the next invoke is a fresh cold start', async () => {
    await createFunction('import-crash', 'nodejs20.x', 'index.handler', {
      'index.js':
        "const missing = require('left-pad-that-is-not-there');\nexports.handler = async () => missing;",
    });
    const first = await invokeFailing('import-crash');
    expect(first.error.errorType).toBe('Runtime.ImportModuleError');
    expect(first.error.errorMessage).toContain("Cannot find module 'left-pad-that-is-not-there'");
    const second = await invokeFailing('import-crash');
    expect(second.error.errorType).toBe('Runtime.ImportModuleError');
    const reports = await logMessages('import-crash', 'REPORT');
    const invocationReports = reports.filter((m) => m.startsWith('REPORT RequestId: '));
    expect(invocationReports).toHaveLength(2);
    for (const line of invocationReports) {
      expect(line).toMatch(/Init Duration: \d+\.\d{2} ms/);
      expect(line).toContain('Status: error\tError Type: Runtime.ImportModuleError');
    }
  });

  it('reports process.exit(3) in a handler as Runtime.ExitError', async () => {
    await createFunction('exits', 'nodejs20.x', 'index.handler', {
      'index.js': 'exports.handler = async (event) => { if (event.exit) process.exit(3); return "fine"; };',
    });
    expect(decode((await invoke('exits', { exit: false })).Payload)).toBe('fine');
    const { result, error } = await invokeFailing('exits', { exit: true });
    expect(error).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${result.$metadata.requestId} Error: Runtime exited with error: exit status 3`,
    });
    const messages = await logMessages('exits');
    expect(messages).toContain(
      `RequestId: ${result.$metadata.requestId} Error: Runtime exited with error: exit status 3\nRuntime.ExitError\n`,
    );
    // The environment is gone: the next invocation is a cold start again.
    expect(decode((await invoke('exits', { exit: false })).Payload)).toBe('fine');
    const reports = (await logMessages('exits', 'REPORT')).filter((m) => m.startsWith('REPORT'));
    expect(reports).toHaveLength(3);
    expect(reports[1]).toContain('Status: error\tError Type: Runtime.ExitError');
    expect(reports[2]).toMatch(/Init Duration: /);
  });

  it(`${sandbox === 'bwrap' ? 'cannot read' : 'unsandboxed, reads as Stratus does'} /etc/shadow, /work, Stratus's data directory and another function's code (sandbox: ${sandbox})`, async () => {
    const other = await createFunction('other-function', 'nodejs20.x', 'index.handler', {
      'index.js': 'exports.handler = async () => "secret code";',
    });
    const otherCodeDir = extractedDir(stratus.dataDir, other.CodeSha256!);
    // On the host, that directory holds the other function's code (extracted by its first run).
    expect(decode((await invoke('other-function')).Payload)).toBe('secret code');
    expect(readFileSync(join(otherCodeDir, 'index.js'), 'utf8')).toContain('secret code');
    await createFunction(
      'snoop',
      'nodejs20.x',
      'index.handler',
      {
        'index.js': [
          "const fs = require('node:fs');",
          'const attempt = (path) => {',
          '  try {',
          '    const stat = fs.statSync(path);',
          "    if (stat.isDirectory()) return 'read: ' + fs.readdirSync(path).join(',');",
          "    return 'read: ' + fs.readFileSync(path, 'utf8').slice(0, 60);",
          '  } catch (e) { return e.code; }',
          '};',
          'exports.handler = async () => {',
          "  const paths = ['/etc/shadow', '/work', process.env.STRATUS_DATA_DIR, process.env.OTHER_CODE_DIR,",
          "    process.env.OTHER_CODE_DIR + '/index.js'];",
          '  return Object.fromEntries(paths.map((p) => [p, attempt(p)]));',
          '};',
        ].join('\n'),
      },
      { Environment: { STRATUS_DATA_DIR: stratus.dataDir, OTHER_CODE_DIR: otherCodeDir } },
    );
    const result = await invoke('snoop');
    expect(result.FunctionError, text(result.Payload)).toBeUndefined();
    const seen = decode(result.Payload) as Record<string, string>;
    const paths = ['/etc/shadow', '/work', stratus.dataDir, otherCodeDir, `${otherCodeDir}/index.js`];
    expect(Object.keys(seen).sort()).toEqual([...paths].sort());
    for (const path of paths) {
      if (sandbox === 'bwrap') {
        // Absent (ENOENT) as docs/functions.md says; a denial would do as well, a read would not.
        expect(['ENOENT', 'EACCES', 'EPERM'], `${path}: ${seen[path]}`).toContain(seen[path]);
      } else {
        // Plain processes with Stratus's user: whatever Stratus reads, the function reads.
        const outcome = (answer: string | undefined) => (answer?.startsWith('read: ') ? 'read' : answer);
        expect(outcome(seen[path]), path).toBe(hostAttempt(path));
      }
    }
    if (sandbox === 'process') expect(seen[`${otherCodeDir}/index.js`]).toContain('secret code');
  });

  it('reports a Python syntax error as Runtime.UserCodeSyntaxError', async () => {
    await createFunction('py-syntax', 'python3.12', 'broken.handler', {
      'broken.py': 'def handler(event, context)\n    return 1\n',
    });
    const { error } = await invokeFailing('py-syntax');
    expect(error.errorType).toBe('Runtime.UserCodeSyntaxError');
    expect(error.errorMessage).toMatch(/^Syntax error in module 'broken': /);
    const messages = await logMessages('py-syntax');
    expect(messages.some((m) => m.includes('Runtime.UserCodeSyntaxError'))).toBe(true);
  });

  it('times out a Python function with Sandbox.Timedout and Status: timeout', async () => {
    await createFunction(
      'py-slow',
      'python3.12',
      'slow.handler',
      { 'slow.py': 'import time\ndef handler(event, context):\n    time.sleep(30)\n    return "late"\n' },
      { Timeout: 1 },
    );
    const started = Date.now();
    const { result, error } = await invokeFailing('py-slow');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(error).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${result.$metadata.requestId} Error: Task timed out after 1.00 seconds`,
    });
    const messages = await logMessages('py-slow');
    expect(messages.some((m) => /Task timed out after 1\.00 seconds/.test(m))).toBe(true);
    expect(messages.find((m) => m.startsWith('REPORT'))).toMatch(
      /Duration: 1\d{3}\.\d{2} ms.*Status: timeout/,
    );
  });

  it('fails a response over 6 MB with Function.ResponseSizeTooLarge, and the environment stays warm', async () => {
    await createFunction(
      'too-large',
      'nodejs20.x',
      'index.handler',
      {
        'index.js': [
          'let calls = 0;',
          "exports.handler = async (event) => { calls += 1; return event.big ? 'x'.repeat(7 * 1024 * 1024) : calls; };",
        ].join('\n'),
      },
      { MemorySize: 512 },
    );
    const { error } = await invokeFailing('too-large', { big: true });
    expect(error.errorType).toBe('Function.ResponseSizeTooLarge');
    expect(error.errorMessage).toMatch(
      /^Response payload size \(\d+ bytes\) exceeded maximum allowed payload size \(6291556 bytes\)\.$/,
    );
    const after = await invoke('too-large', { big: false });
    expect(decode(after.Payload)).toBe(2);
  });
});
