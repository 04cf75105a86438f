/**
 * The command that starts one execution environment, sandboxed with bubblewrap where the host
 * allows it. Inside, the function sees what a Lambda environment sees and nothing of the host
 * beyond the system directories needed to run interpreters:
 *
 *   /usr /bin /lib* /sbin        read-only, the host's (interpreters and shared libraries)
 *   /etc/{ssl,hosts,resolv.conf,…} read-only, the host's; /etc/passwd and /etc/group synthesized
 *   /var/task                    the function's code, read-only
 *   /opt                         its layers, merged, read-only
 *   /var/runtime                 Stratus's runtime for the language (+ node_modules with the SDK)
 *   /var/lang/bin/node           the host's Node.js (nodejs runtimes only)
 *   /tmp                         private tmpfs of EphemeralStorage size
 *   /proc /dev                   its own (new PID namespace)
 *
 * Everything else — /root, /home, /work, Stratus's data, other functions — is simply not there,
 * and the root of the tree is remounted read-only. The network is shared so functions reach
 * Stratus on 127.0.0.1. The function runs as uid 993 / gid 990 (Lambda's sbx_user1051): when
 * Stratus runs as root, bubblewrap sets up the mounts as root and `setpriv` then drops to 993
 * with no capabilities and no_new_privs (a user namespace would map 993 to host root, whose files
 * and sysctls stay writable); otherwise bubblewrap runs unprivileged in a user namespace.
 *
 * Environment variables reach the sandbox as the spawned process's environment, not as
 * `--setenv` arguments, so their values never show in the host's process list.
 */
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { SANDBOX_LAYOUT, type Layout } from './environment-variables.js';
import {
  nodeMemoryFlags,
  runtimesDir,
  sdkNodeModules,
  SANDBOX_NODE,
  type ResolvedRuntime,
} from './runtimes.js';
import type { FunctionSpec } from './types.js';

export type SandboxMode = 'bwrap' | 'process';
/** `auto`: bubblewrap where it works, else plain processes; the others force a mode. */
export type SandboxRequest = 'auto' | SandboxMode;

/** What installs the sandbox's tools on Debian and Ubuntu (util-linux has `setpriv`). */
const SANDBOX_INSTALL_COMMAND = 'sudo apt-get install bubblewrap util-linux';

/**
 * `bwrap` was required but this host cannot give the sandbox: Stratus must not start, rather than
 * run functions unisolated. Recognised by its name where start-up failures are put in words.
 */
export class SandboxUnavailable extends Error {
  override readonly name = 'SandboxUnavailable';
}

export const SANDBOX_UID = 993;
export const SANDBOX_GID = 990;

/**
 * Debian's path, unless STRATUS_BWRAP names another bubblewrap (one built by hand; the tests name a
 * missing file to act as a host without it).
 */
const BWRAP = process.env.STRATUS_BWRAP || '/usr/bin/bwrap';
const SETPRIV = '/usr/bin/setpriv';
const SYSTEM_LINKS = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
const ETC = [
  'ssl',
  'ca-certificates',
  'pki',
  'crypto-policies',
  'alternatives',
  'ld.so.cache',
  'ld.so.conf',
  'ld.so.conf.d',
  'resolv.conf',
  'hosts',
  'nsswitch.conf',
  'host.conf',
  'gai.conf',
  'services',
  'protocols',
  'mime.types',
];

/** How to start one environment: the command, and where things are as the function sees them. */
export type PreparedEnvironment =
  | { kind: 'ready'; argv: string[]; layout: Layout; cwd: string }
  /** `provided` runtimes without a bootstrap: Lambda fails these before starting anything. */
  | { kind: 'invalidEntrypoint'; message: string };

/** What of a function shapes its sandbox: the code at /var/task, Node's heap flags, /tmp's size. */
export type SandboxedCode = Pick<FunctionSpec, 'codeDir' | 'memoryMb' | 'ephemeralStorageMb'>;

export interface EnvironmentPaths {
  /** The merged layers, or undefined for an empty /opt. */
  optDir: string | undefined;
  /** A private directory for this environment, used as /tmp when there is no sandbox. */
  scratchDir: string;
}

export class Sandbox {
  private readonly runtimes = runtimesDir();
  private readonly nodeModules = sdkNodeModules();

  private constructor(
    readonly mode: SandboxMode,
    private readonly bwrap: string,
    private readonly baseArgs: readonly string[],
    private readonly asRoot: boolean,
  ) {}

  /**
   * Decides the mode: `auto` uses bubblewrap if a trial sandbox starts here, else plain processes
   * (and `reason` says why, for a loud warning); `bwrap` throws SandboxUnavailable instead.
   */
  static create(
    requested: SandboxRequest,
    workDir: string,
    bwrap = BWRAP,
  ): { sandbox: Sandbox; reason?: string } {
    const plain = new Sandbox('process', bwrap, [], false);
    if (requested === 'process') return { sandbox: plain };
    const asRoot = process.getuid?.() === 0;
    const missing =
      unusable(bwrap) ?? (asRoot ? unusable(SETPRIV, 'to drop root inside the sandbox') : undefined);
    let problem = missing && `${missing}; on Debian or Ubuntu: ${SANDBOX_INSTALL_COMMAND}`;
    if (!problem) {
      const sandbox = new Sandbox('bwrap', bwrap, baseArgs(workDir, asRoot), asRoot);
      const trial = spawnSync(
        bwrap,
        [...sandbox.baseArgs, ...sandbox.dropRoot(['/bin/sh', '-c', 'exit 0'])],
        {
          timeout: 10_000,
          encoding: 'utf8',
          env: {},
        },
      );
      if (trial.status === 0) return { sandbox };
      problem = `bubblewrap cannot create a sandbox here: ${(trial.stderr || String(trial.error ?? trial.status)).trim()}`;
    }
    if (requested === 'bwrap') throw new SandboxUnavailable(problem);
    return { sandbox: plain, reason: problem };
  }

  prepare(spec: SandboxedCode, runtime: ResolvedRuntime, paths: EnvironmentPaths): PreparedEnvironment {
    let command = runtime.command;
    if (runtime.family === 'provided') {
      const bootstrap = [
        join(spec.codeDir, 'bootstrap'),
        ...(paths.optDir ? [join(paths.optDir, 'bootstrap')] : []),
      ];
      const found = bootstrap.findIndex((file) => existsSync(file));
      if (found < 0) {
        return {
          kind: 'invalidEntrypoint',
          message: "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]",
        };
      }
      command = [found === 0 ? '/var/task/bootstrap' : '/opt/bootstrap'];
    }
    if (runtime.family === 'nodejs')
      command = [command[0] ?? '', ...nodeMemoryFlags(spec.memoryMb), ...command.slice(1)];
    return this.mode === 'bwrap'
      ? this.sandboxed(spec, runtime, paths, command)
      : this.plain(spec, runtime, paths, command);
  }

  private sandboxed(
    spec: SandboxedCode,
    runtime: ResolvedRuntime,
    paths: EnvironmentPaths,
    command: string[],
  ): PreparedEnvironment {
    const args = [...this.baseArgs, '--ro-bind', spec.codeDir, '/var/task'];
    if (paths.optDir) args.push('--ro-bind', paths.optDir, '/opt');
    else args.push('--perms', '0755', '--dir', '/opt');
    args.push('--perms', '0755', '--dir', '/var/runtime');
    if (runtime.family !== 'provided') {
      const dir = join(this.runtimes, runtime.family);
      for (const name of readdirSync(dir)) args.push('--ro-bind', join(dir, name), `/var/runtime/${name}`);
    }
    if (runtime.family === 'nodejs') {
      if (this.nodeModules) args.push('--ro-bind', this.nodeModules, '/var/runtime/node_modules');
      args.push('--perms', '0755', '--dir', '/var/lang/bin', '--ro-bind', process.execPath, SANDBOX_NODE);
      args.push(...esmResolution(paths.optDir, runtime.languageVersion, this.nodeModules));
    }
    const tmpBytes = spec.ephemeralStorageMb * 1024 * 1024;
    args.push('--perms', '1777', '--size', String(tmpBytes), '--tmpfs', '/tmp');
    args.push('--remount-ro', '/', '--chdir', '/var/task', ...this.dropRoot(command));
    return { kind: 'ready', argv: [this.bwrap, ...args], layout: SANDBOX_LAYOUT, cwd: '/' };
  }

  /** No sandbox: the same runtime, with host paths, as Stratus's own user. */
  private plain(
    spec: SandboxedCode,
    runtime: ResolvedRuntime,
    paths: EnvironmentPaths,
    command: string[],
  ): PreparedEnvironment {
    const runtimeDir = runtime.family === 'provided' ? paths.scratchDir : join(this.runtimes, runtime.family);
    const tmpDir = join(paths.scratchDir, 'tmp');
    mkdirSync(tmpDir, { recursive: true });
    const optDir = paths.optDir ?? join(paths.scratchDir, 'opt');
    const nodeModules = this.nodeModules ?? join(runtimeDir, 'node_modules');
    const layout: Layout = { taskRoot: spec.codeDir, optDir, runtimeDir, nodeModules, tmpDir };
    const host = (arg: string) =>
      arg === SANDBOX_NODE
        ? process.execPath
        : arg.startsWith('/var/runtime/')
          ? join(runtimeDir, arg.slice('/var/runtime/'.length))
          : arg.startsWith('/var/task/')
            ? join(spec.codeDir, arg.slice('/var/task/'.length))
            : arg.startsWith('/opt/')
              ? join(optDir, arg.slice('/opt/'.length))
              : arg;
    return { kind: 'ready', argv: command.map(host), layout, cwd: spec.codeDir };
  }

  private dropRoot(command: string[]): string[] {
    if (!this.asRoot) return command;
    return [
      SETPRIV,
      `--reuid=${SANDBOX_UID}`,
      `--regid=${SANDBOX_GID}`,
      '--clear-groups',
      '--bounding-set=-all',
      '--inh-caps=-all',
      '--no-new-privs',
      '--',
      ...command,
    ];
  }
}

/** The part of every bwrap command that does not depend on the function. */
function baseArgs(workDir: string, asRoot: boolean): string[] {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const path of SYSTEM_LINKS) {
    const stat = lstatOrUndefined(path);
    if (stat?.isSymbolicLink()) args.push('--symlink', readlinkSync(path), path);
    else if (stat?.isDirectory()) args.push('--ro-bind', path, path);
  }
  args.push('--perms', '0755', '--dir', '/etc');
  for (const name of ETC)
    if (existsSync(`/etc/${name}`)) args.push('--ro-bind', `/etc/${name}`, `/etc/${name}`);
  const etc = join(workDir, 'etc');
  mkdirSync(etc, { recursive: true, mode: 0o755 });
  writeFileSync(
    join(etc, 'passwd'),
    `root:x:0:0:root:/root:/sbin/nologin\nsbx_user1051:x:${SANDBOX_UID}:${SANDBOX_GID}::/home/sbx_user1051:/sbin/nologin\n`,
  );
  writeFileSync(join(etc, 'group'), `root:x:0:\nsbx_user1051:x:${SANDBOX_GID}:\n`);
  args.push('--ro-bind', join(etc, 'passwd'), '/etc/passwd', '--ro-bind', join(etc, 'group'), '/etc/group');
  args.push('--proc', '/proc', '--dev', '/dev', '--perms', '0755', '--dir', '/var');
  args.push('--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try');
  args.push('--die-with-parent', '--new-session');
  if (!asRoot) {
    args.push(
      '--unshare-user',
      '--uid',
      String(SANDBOX_UID),
      '--gid',
      String(SANDBOX_GID),
      '--disable-userns',
    );
  }
  return args;
}

/**
 * Lambda's Node.js runtimes let ES modules import bare specifiers from NODE_PATH (the SDK, layers);
 * Node itself does not. ES module resolution walks up from the importing file, so symbolic links
 * where that walk looks lead to them: /var/node_modules (reached from /var/task) to the first
 * layer directory, /node_modules (reached from everywhere) to the SDK. Node resolves a module to
 * its real path, so an import and a `require` of a package load one module from
 * /opt/nodejs/…/node_modules, as on Lambda. The runtime resolves what these cannot reach (both
 * layer directories) through NODE_PATH (runtimes/nodejs/node-path.mjs).
 */
export function esmResolution(
  optDir: string | undefined,
  nodeVersion: string,
  sdk: string | undefined,
): string[] {
  const args = sdk ? ['--symlink', '/var/runtime/node_modules', '/node_modules'] : [];
  const layer = [`nodejs/node${nodeVersion}/node_modules`, 'nodejs/node_modules'].find(
    (dir) => optDir && existsSync(join(optDir, dir)),
  );
  if (layer) args.push('--symlink', `/opt/${layer}`, '/var/node_modules');
  return args;
}

/** Why the tool at `path` cannot be run, if it cannot. */
function unusable(path: string, neededFor?: string): string | undefined {
  const why = !existsSync(path) ? 'is not installed' : !isExecutable(path) ? 'is not executable' : undefined;
  return why && `${path} ${why}${neededFor ? ` (needed ${neededFor})` : ''}`;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
