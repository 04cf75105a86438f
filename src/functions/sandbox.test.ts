/**
 * What a function cannot do: see the host's files, Stratus's data or other functions, write its
 * code, exceed its memory, process or /tmp limits, or talk to another environment's Runtime API.
 * Tests that need bubblewrap or cgroups skip where the host has neither.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { detectCgroups } from './cgroups.js';
import { esmResolution } from './sandbox.js';
import { ExecutionEngine } from './engine.js';
import { HOST_PYTHON } from './runtimes.js';
import { FunctionFiles, payloadOf, request, testSpec } from './testing/functions.js';
import type { FunctionSpec } from './types.js';

const files = new FunctionFiles();
const workDir = mkdtempSync(join(tmpdir(), 'stratus-sandbox-'));
const engine = new ExecutionEngine({ logger: pino({ level: 'silent' }), workDir });
const sandboxed = engine.sandboxMode === 'bwrap';
const probe = detectCgroups();
const limited = probe !== undefined;
probe?.close();

afterAll(async () => {
  await engine.close();
  files.remove();
  rmSync(workDir, { recursive: true, force: true });
});

const invoke = (spec: FunctionSpec, payload: unknown = {}) => engine.invoke(spec, request(spec, payload));

/** A Node.js function whose handler body is `body` (CommonJS, with `fs` in scope). */
const nodeFunction = (body: string, fields: Partial<FunctionSpec> = {}) =>
  testSpec({
    codeDir: files.write({
      'index.js': `const fs = require('node:fs');\nexports.handler = async (event) => { ${body} };`,
    }),
    ...fields,
  });

const tryFs = `const attempt = (f) => { try { return f() ?? 'ok'; } catch (e) { return e.code; } };`;

describe.skipIf(!sandboxed)('the sandbox', () => {
  it("shows none of the host's private files, Stratus's data or other functions' code", async () => {
    const other = files.write({ 'secret.txt': 'other function' });
    const spec = nodeFunction(
      `${tryFs} return Object.fromEntries(event.paths.map((p) => [p, attempt(() => fs.readdirSync(p) && undefined)]));`,
    );
    const paths = [
      '/etc/shadow',
      '/root',
      '/home',
      '/work',
      process.cwd(),
      workDir,
      other,
      files.root,
      '/sys',
      '/run',
      '/var/lib',
    ];
    const seen = payloadOf(await invoke(spec, { paths })) as Record<string, string>;
    for (const path of paths) expect([path, seen[path]]).toEqual([path, 'ENOENT']);
  });

  it('mounts the code read-only and gives a private /tmp of EphemeralStorage size', async () => {
    const spec = nodeFunction(
      `${tryFs} return {
        writeCode: attempt(() => fs.writeFileSync('/var/task/x', 'x')),
        writeRoot: attempt(() => fs.writeFileSync('/evil', 'x')),
        writeTmp: attempt(() => fs.writeFileSync('/tmp/mine', 'x')),
        tooBig: attempt(() => fs.writeFileSync('/tmp/big', Buffer.alloc(2 * 1024 * 1024))),
      };`,
      { ephemeralStorageMb: 1 },
    );
    expect(payloadOf(await invoke(spec))).toEqual({
      writeCode: 'EROFS',
      writeRoot: 'EROFS',
      writeTmp: 'ok',
      tooBig: 'ENOSPC',
    });
    const neighbour = nodeFunction(`return fs.readdirSync('/tmp');`);
    expect(payloadOf(await invoke(neighbour))).toEqual([]);
  });

  it('runs as sbx_user1051 (993:990) without capabilities, seeing only its own processes', async () => {
    const spec = nodeFunction(
      `${tryFs} const status = fs.readFileSync('/proc/self/status', 'utf8');
       return {
         uid: process.getuid(), gid: process.getgid(),
         user: require('node:os').userInfo().username,
         capabilities: /CapEff:\\s+(\\w+)/.exec(status)[1],
         processes: fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p)).length,
         sysctl: attempt(() => fs.writeFileSync('/proc/sys/vm/swappiness', fs.readFileSync('/proc/sys/vm/swappiness'))),
       };`,
    );
    const seen = payloadOf(await invoke(spec)) as Record<string, unknown>;
    expect(seen).toMatchObject({
      uid: 993,
      gid: 990,
      user: 'sbx_user1051',
      capabilities: '0000000000000000',
    });
    expect(seen.processes).toBeLessThanOrEqual(4);
    expect(['EACCES', 'EROFS', 'EPERM']).toContain(seen.sysctl);
  });
});

describe.skipIf(!limited)('resource limits', () => {
  it('kills a function that outgrows its memory with Runtime.OutOfMemory while others keep answering', async () => {
    const hog = nodeFunction(
      `const kept = []; for (let i = 0; i < 40; i++) kept.push(Buffer.alloc(10 * 1024 * 1024, 1)); return kept.length;`,
      { memoryMb: 128, timeoutSeconds: 20 },
    );
    const neighbour = nodeFunction(`return 'still here';`);
    const [oom, other] = await Promise.all([invoke(hog), invoke(neighbour)]);
    expect(oom.outcome).toMatchObject({
      kind: 'error',
      errorType: 'Runtime.OutOfMemory',
      cause: 'outOfMemory',
    });
    expect(oom.outcome.kind === 'error' && oom.outcome.errorMessage).toMatch(
      /Error: Runtime exited with error: signal: killed$/,
    );
    expect(oom.maxMemoryUsedMb).toBeGreaterThanOrEqual(120);
    expect(payloadOf(other)).toBe('still here');
    expect(payloadOf(await invoke(neighbour))).toBe('still here');
  });

  it.skipIf(!HOST_PYTHON)(
    'contains a fork bomb within 1024 processes',
    async () => {
      const code = files.write({
        'bomb.py': [
          'import os, time',
          'def handler(event, context):',
          '    children = []',
          '    try:',
          '        while len(children) < 5000:',
          '            pid = os.fork()',
          '            if pid == 0:',
          '                time.sleep(30)',
          '                os._exit(0)',
          '            children.append(pid)',
          '    except OSError as error:',
          '        refused = error.strerror',
          '    for pid in children:',
          '        os.kill(pid, 9)',
          '        os.waitpid(pid, 0)',
          '    return {"forked": len(children), "refused": refused}',
          '',
        ].join('\n'),
      });
      const spec = testSpec({
        codeDir: code,
        runtime: 'python3.12',
        handler: 'bomb.handler',
        memoryMb: 2048,
        // Forking a thousand interpreters takes seconds, and much longer on a loaded CI machine.
        timeoutSeconds: 240,
      });
      const result = payloadOf(await invoke(spec)) as { forked: number; refused: string };
      expect(result.forked, JSON.stringify(result)).toBeGreaterThan(500);
      expect(result.forked).toBeLessThan(1024);
      expect(result.refused).toMatch(/Resource temporarily unavailable/);
    },
    300_000,
  );
});

describe('the Runtime API', () => {
  it("refuses connections from another environment's processes", async () => {
    const victim = nodeFunction(`return { api: process.env.AWS_LAMBDA_RUNTIME_API, n: event.n };`);
    const { api } = payloadOf(await invoke(victim, { n: 1 })) as { api: string };
    const thief = nodeFunction(`
      return await new Promise((resolve) => {
        const req = require('node:http').get('http://' + event.api + '/2018-06-01/runtime/invocation/next', (res) => resolve('served ' + res.statusCode));
        req.on('error', (e) => resolve(e.code));
        req.setTimeout(2000, () => { req.destroy(); resolve('timeout'); });
      });`);
    expect(payloadOf(await invoke(thief, { api }))).toMatch(/^(ECONNRESET|EPIPE)$/);
    expect(payloadOf(await invoke(victim, { n: 2 }))).toEqual({ api, n: 2 });
  });
});

describe('ES module resolution in the sandbox', () => {
  const optWith = (...dirs: string[]) =>
    files.write(Object.fromEntries(dirs.map((dir) => [`${dir}/pkg/index.js`, 'module.exports = 1;'])));

  it.each([
    {
      name: 'links /node_modules to the SDK and /var/node_modules to the layers’ nodejs/node_modules',
      opt: () => optWith('nodejs/node_modules'),
      sdk: '/host/node_modules',
      links: [
        ['/var/runtime/node_modules', '/node_modules'],
        ['/opt/nodejs/node_modules', '/var/node_modules'],
      ],
    },
    {
      name: 'prefers the runtime version’s directory, as NODE_PATH does',
      opt: () => optWith('nodejs/node_modules', 'nodejs/node20/node_modules'),
      sdk: '/host/node_modules',
      links: [
        ['/var/runtime/node_modules', '/node_modules'],
        ['/opt/nodejs/node20/node_modules', '/var/node_modules'],
      ],
    },
    {
      name: 'ignores another version’s directory',
      opt: () => optWith('nodejs/node18/node_modules'),
      sdk: '/host/node_modules',
      links: [['/var/runtime/node_modules', '/node_modules']],
    },
    { name: 'links nothing without layers or SDK', opt: () => undefined, sdk: undefined, links: [] },
  ])('$name', ({ opt, sdk, links }) => {
    expect(esmResolution(opt(), '20', sdk)).toEqual(
      links.flatMap(([target, at]) => ['--symlink', target, at]),
    );
  });
});
