/**
 * The executor: one environment's runtime process, started inside the environment's cgroups and
 * sandbox. It turns the process's output into log events and its end into one typed message; it
 * knows nothing of invocations, which are the environment's business.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { CgroupDriver, EnvironmentCgroup } from './cgroups.js';
import { exitReason } from './failures.js';
import { KernelFile } from './kernel-file.js';
import { LineSplitter, TelemetryDecoder, type LogEvent } from './invocation-logs.js';
import { connectionOwnedBy, processTree, type PeerCheck } from './peer.js';

export type ProcessMessage =
  /** A line of stdout/stderr, or a record the runtime framed on the telemetry descriptor. */
  | { type: 'output'; event: LogEvent }
  /** The process is gone; `reason` in Lambda's words (`exit status 1`, `signal: killed`). */
  | { type: 'exited'; reason: string; outOfMemory: boolean };

const SETPRIV = '/usr/bin/setpriv';
/**
 * Joins the given cgroups, then becomes the sandbox: nothing of the function runs outside them.
 * It runs under `setpriv --pdeathsig KILL`, so it first checks that Stratus (its expected parent)
 * did not die before that death signal was armed.
 */
const JOIN_CGROUPS =
  'read -r _ _ _ ppid _ < /proc/$$/stat; [ "$ppid" = "$1" ] || exit 122; shift; ' +
  'while [ "$1" != -- ]; do echo $$ > "$1" || exit 121; shift; done; shift; exec "$@"';

let warnedUnknownPeer = false;

export interface ProcessOptions {
  id: string;
  memoryMb: number;
  cgroups: CgroupDriver | undefined;
  /** bubblewrap reports a signalled child as exit status 128+n. */
  viaBwrap: boolean;
  /** A spare's runtime reads its assignment from stdin (`assign`); others get no stdin. */
  awaitsAssignment?: boolean;
  /**
   * Gives the runtime a private Runtime API connection, a Unix socket pair of which it has one
   * end as descriptor 4; the host's end goes here once the process is spawned.
   */
  onRuntimeApiChannel?: (channel: Socket) => void;
  onMessage: (message: ProcessMessage) => void;
}

export class RuntimeProcess {
  private child: ChildProcess | undefined;
  private cgroup: EnvironmentCgroup | undefined;
  private peakBytes = 0;
  /** `/proc/<pid>/status` of the process tree, listed once (later forks show in the cgroup). */
  private statusFiles: KernelFile[] | undefined;
  private exited = false;

  constructor(private readonly options: ProcessOptions) {}

  get started(): boolean {
    return this.child !== undefined;
  }

  /** Spawns `argv` with exactly `env`; throws if the host refuses (the cgroup, the process). */
  start(argv: readonly string[], cwd: string, env: Record<string, string>): void {
    const { cgroups, id, memoryMb } = this.options;
    this.cgroup = cgroups?.create(id, memoryMb);
    // The kernel kills the environment if Stratus dies, even before bubblewrap's own
    // --die-with-parent is armed (a kill -9 during a cold start would otherwise orphan it).
    // It is set first thing, and survives the execs down to the runtime.
    const joined = this.cgroup
      ? [
          '/bin/sh',
          '-c',
          JOIN_CGROUPS,
          'stratus-env',
          String(process.pid),
          ...this.cgroup.procsFiles,
          '--',
          ...argv,
        ]
      : [...argv];
    const command = existsSync(SETPRIV) ? [SETPRIV, '--pdeathsig', 'KILL', '--', ...joined] : joined;
    let child: ChildProcess;
    try {
      // detached: its own process group, so a kill reaches what it forked even without cgroups.
      child = spawn(command[0] ?? '', command.slice(1), {
        cwd,
        env,
        stdio: [
          this.options.awaitsAssignment ? 'pipe' : 'ignore',
          'pipe',
          'pipe',
          'pipe',
          ...(this.options.onRuntimeApiChannel ? ['pipe' as const] : []),
        ],
        detached: true,
      });
    } catch (error) {
      void this.cgroup?.remove();
      throw error;
    }
    this.child = child;
    const output = (event: LogEvent) => this.options.onMessage({ type: 'output', event });
    const stdout = new LineSplitter(output);
    const stderr = new LineSplitter(output);
    const telemetry = new TelemetryDecoder(output);
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    (child.stdio[3] as Readable | null)?.on('data', (chunk: Buffer) => telemetry.push(chunk));
    const channel = child.stdio[4] as Socket | null | undefined;
    if (channel) this.options.onRuntimeApiChannel?.(channel);
    child.on('error', (error) => {
      if (child.pid === undefined) this.onExit(`fork/exec ${command[0]}: ${error.message}`);
    });
    child.once('exit', (code, signal) => {
      // Let the pipes drain what the process wrote last, without waiting for descendants that
      // may still hold them open.
      const settle = () => {
        stdout.flush();
        stderr.flush();
        this.onExit(exitReason(code, signal, this.options.viaBwrap));
      };
      const timer = setTimeout(settle, 100);
      child.once('close', () => {
        clearTimeout(timer);
        settle();
      });
    });
  }

  /** Sends a spare's runtime what it is to run (one line on its stdin, which then closes). */
  assign(line: string): void {
    const stdin = this.child?.stdin;
    if (!stdin) throw new Error('This runtime process does not wait for an assignment');
    // A runtime that died meanwhile reports its exit; the broken pipe is not news.
    stdin.on('error', () => {});
    stdin.end(line.endsWith('\n') ? line : `${line}\n`);
  }

  kill(): void {
    this.cgroup?.killAll();
    const pid = this.child?.pid;
    if (!pid) return;
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }

  /**
   * Peak memory so far: the larger of the cgroup's high-water mark (what the limit applies to) and
   * the processes' peak resident size. The cgroup alone leaves out the interpreter's code, mapped
   * from the host's page cache, which a Lambda environment counts as used.
   */
  peakMemoryBytes(): number {
    if (this.exited) return this.peakBytes;
    let bytes = 0;
    try {
      bytes = this.cgroup?.maxMemoryBytes() ?? 0;
    } catch {
      // The group is gone: keep the last sample.
    }
    this.peakBytes = Math.max(this.peakBytes, bytes, this.peakRss());
    return this.peakBytes;
  }

  /** The summed VmHWM of the process tree. */
  private peakRss(): number {
    const pid = this.child?.pid;
    if (!pid) return 0;
    try {
      this.statusFiles ??= processTree(pid).map((p) => new KernelFile(`/proc/${p}/status`));
      return this.statusFiles.reduce((sum, file) => sum + vmHwm(file.read()), 0);
    } catch {
      this.closeStatusFiles();
      return 0;
    }
  }

  private closeStatusFiles(): void {
    for (const file of this.statusFiles ?? []) file.close();
    this.statusFiles = undefined;
  }

  /**
   * Whether the Runtime API may serve a new loopback connection: only one this process or its
   * descendants opened (when that cannot be told, it is allowed, with one warning per Stratus).
   */
  admits(remotePort: number, localPort: number, log: Logger): boolean {
    const owner = this.owns(remotePort, localPort);
    if (owner === 'foreign')
      log.warn({ remotePort }, 'refused a Runtime API connection from another process');
    if (owner === 'unknown' && !warnedUnknownPeer) {
      warnedUnknownPeer = true;
      log.warn('cannot tell which process opened a Runtime API connection; allowing it');
    }
    return owner !== 'foreign';
  }

  /** Whether a loopback connection from `remotePort` was opened by this process or its descendants. */
  owns(remotePort: number, localPort: number): PeerCheck {
    const pid = this.child?.pid;
    if (!pid) return 'foreign';
    const pids = this.cgroup ? [pid, ...this.cgroup.pids()] : processTree(pid);
    return connectionOwnedBy(pids, remotePort, localPort);
  }

  private onExit(reason: string): void {
    if (this.exited) return;
    this.peakMemoryBytes();
    this.closeStatusFiles();
    this.exited = true;
    let outOfMemory = false;
    try {
      outOfMemory = (this.cgroup?.oomKills() ?? 0) > 0;
    } catch {
      // No counter to read: report a plain exit.
    }
    void this.cgroup?.remove();
    this.options.onMessage({ type: 'exited', reason, outOfMemory });
  }
}

function vmHwm(status: string): number {
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
}
