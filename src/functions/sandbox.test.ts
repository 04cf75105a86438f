/**
 * What a function can do of the host in the sandbox mode in force: in bubblewrap, not see the
 * host's files, Stratus's data or other functions, write its code or exceed its /tmp; as a plain
 * process, what Stratus can. In both, not exceed its memory or process limits, nor talk to another
 * environment's Runtime API. The limit tests need cgroups, and skip where the host has none.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { detectCgroups } from './cgroups.js';
import { esmResolution, Sandbox } from './sandbox.js';
import { ExecutionEngine } from './engine.js';
import { HOST_PYTHON } from './runtimes.js';
import { FunctionFiles, payloadOf, request, testSpec } from './testing/functions.js';
import type { FunctionSpec } from './types.js';

const files = new FunctionFiles();
const workDir = mkdtempSync(join(tmpdir(), 'stratus-sandbox-'));
const engine = new ExecutionEngine({ logger: pino({ level: 'silent' }), workDir });
const mode = engine.sandboxMode;
const sandboxed = mode === 'bwrap';
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

/** What Stratus itself (running the test) gets listing `path`: 'ok' or the error code. */
function hostAttempt(path: string): string {
  try {
    readdirSync(path);
    return 'ok';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? String(e);
  }
}

/** What docs/functions.md promises in the mode in force; the tests' names say which. */
describe(`what a function sees of the host (sandbox: ${mode})`, () => {
  it(
    sandboxed
      ? "shows none of the host's private files, Stratus's data or other functions' code"
      : "sees what Stratus sees: the host's files, Stratus's data and other functions' code",
    async () => {
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
      for (const path of paths) {
        expect([path, seen[path]]).toEqual([path, sandboxed ? 'ENOENT' : hostAttempt(path)]);
      }
    },
  );

  it(
    sandboxed
      ? 'mounts the code read-only and gives a private /tmp of EphemeralStorage size'
      : "leaves the code writable and gives a private TMPDIR, without EphemeralStorage's limit",
    async () => {
      // Unsandboxed, writing to / would write the host's: only tried in the sandbox.
      const spec = nodeFunction(
        `${tryFs} const tmp = require('node:os').tmpdir(); return {
        tmp,
        writeCode: attempt(() => fs.writeFileSync(process.env.LAMBDA_TASK_ROOT + '/x', 'x')),
        writeRoot: event.sandboxed ? attempt(() => fs.writeFileSync('/evil', 'x')) : 'not tried',
        writeTmp: attempt(() => fs.writeFileSync(tmp + '/mine', 'x')),
        tooBig: attempt(() => fs.writeFileSync(tmp + '/big', Buffer.alloc(2 * 1024 * 1024))),
      };`,
        { ephemeralStorageMb: 1 },
      );
      const seen = payloadOf(await invoke(spec, { sandboxed })) as Record<string, string>;
      expect(seen).toEqual(
        sandboxed
          ? { tmp: '/tmp', writeCode: 'EROFS', writeRoot: 'EROFS', writeTmp: 'ok', tooBig: 'ENOSPC' }
          : {
              tmp: expect.stringMatching(new RegExp(`^${workDir}/environments/[0-9a-f]+/tmp$`)),
              writeCode: 'ok',
              writeRoot: 'not tried',
              writeTmp: 'ok',
              tooBig: 'ok',
            },
      );
      const neighbour = nodeFunction(
        `const tmp = require('node:os').tmpdir(); return { tmp, files: fs.readdirSync(tmp) };`,
      );
      const next = payloadOf(await invoke(neighbour)) as { tmp: string; files: string[] };
      expect(next.files).toEqual([]);
      if (!sandboxed) expect(next.tmp).not.toBe(seen.tmp);
    },
  );

  it(
    sandboxed
      ? 'runs as sbx_user1051 (993:990) without capabilities, seeing only its own processes'
      : "runs as Stratus's own user, with its capabilities, seeing the host's processes",
    async () => {
      // Unsandboxed, a sysctl write would change the host's: only tried in the sandbox.
      const spec = nodeFunction(
        `${tryFs} const status = fs.readFileSync('/proc/self/status', 'utf8');
       return {
         uid: process.getuid(), gid: process.getgid(),
         user: require('node:os').userInfo().username,
         capabilities: /CapEff:\\s+(\\w+)/.exec(status)[1],
         processes: fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p)).length,
         sysctl: event.sandboxed ? attempt(() => fs.writeFileSync('/proc/sys/vm/swappiness', fs.readFileSync('/proc/sys/vm/swappiness'))) : 'not tried',
       };`,
      );
      const seen = payloadOf(await invoke(spec, { sandboxed })) as Record<string, unknown>;
      if (sandboxed) {
        expect(seen).toMatchObject({
          uid: 993,
          gid: 990,
          user: 'sbx_user1051',
          capabilities: '0000000000000000',
        });
        expect(seen.processes).toBeLessThanOrEqual(4);
        expect(['EACCES', 'EROFS', 'EPERM']).toContain(seen.sysctl);
      } else {
        expect(seen).toMatchObject({
          uid: process.getuid?.(),
          gid: process.getgid?.(),
          user: userInfo().username,
          capabilities: /CapEff:\s+(\w+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1],
          sysctl: 'not tried',
        });
        expect(seen.processes).toBeGreaterThan(4);
      }
    },
  );
});

describe('Sandbox.create', () => {
  const missing = join(workDir, 'no-bwrap-here');

  it("refuses 'bwrap' without bubblewrap, naming the command that installs it", () => {
    expect(() => Sandbox.create('bwrap', workDir, missing)).toThrow(
      expect.objectContaining({
        name: 'SandboxUnavailable',
        message: `${missing} is not installed; on Debian or Ubuntu: sudo apt-get install bubblewrap util-linux`,
      }),
    );
  });

  it("falls back to plain processes for 'auto' without bubblewrap, saying why", () => {
    const { sandbox, reason } = Sandbox.create('auto', workDir, missing);
    expect(sandbox.mode).toBe('process');
    expect(reason).toMatch(/ is not installed; on Debian or Ubuntu: sudo apt-get install bubblewrap/);
  });

  it("runs plain processes for 'process' without trying bubblewrap, and without a reason to warn of", () => {
    expect(Sandbox.create('process', workDir)).toEqual({
      sandbox: expect.objectContaining({ mode: 'process' }),
    });
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
