/**
 * Resource limits for execution environments through Linux control groups, v1 or v2.
 *
 * Each engine gets `<hierarchy>/stratus/<pid>-<random>/` and each environment a child of it with
 * Lambda's limits: memory = MemorySize (no swap), 1024 processes, and a CPU weight proportional to
 * memory (Lambda gives one full vCPU at 1769 MB). The environment's first process writes itself
 * into the group's `cgroup.procs` before it execs the sandbox, so nothing of the function ever runs
 * outside it. The group then answers "how much memory at most" and "was anything OOM-killed".
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KernelFile } from './kernel-file.js';
import { randomBytes } from 'node:crypto';

/** Lambda's per-environment process/thread limit. */
export const PIDS_MAX = 1024;
/** Memory at which Lambda gives a function one full vCPU. */
const MB_PER_VCPU = 1769;

export interface EnvironmentCgroup {
  /** `cgroup.procs` files the first process must join. */
  readonly procsFiles: readonly string[];
  /** Highest memory use since the group was created, in bytes. */
  maxMemoryBytes(): number;
  /** How many processes the kernel OOM-killed in this group. */
  oomKills(): number;
  /** Every process still in the group. */
  pids(): number[];
  /** SIGKILLs everything in the group. */
  killAll(): void;
  /** Removes the group once its processes are gone. */
  remove(): Promise<void>;
}

export interface CgroupDriver {
  readonly version: 1 | 2;
  create(id: string, memoryMb: number): EnvironmentCgroup;
  /** Removes this engine's parent group. */
  close(): void;
}

const read = (file: string) => readFileSync(file, 'utf8');
const write = (file: string, value: string) => writeFileSync(file, value);
const counter = (text: string, key: string) =>
  Number(new RegExp(`^${key} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
const engineDirName = () => `${process.pid}-${randomBytes(4).toString('hex')}`;

/** Finds a usable hierarchy (v2 with memory+pids delegated, else v1 memory+pids), or undefined. */
export function detectCgroups(): CgroupDriver | undefined {
  const mounts = read('/proc/self/mounts')
    .split('\n')
    .map((line) => line.split(' '))
    .filter((f) => f[2] === 'cgroup' || f[2] === 'cgroup2');
  for (const [, dir, type] of mounts) {
    if (type !== 'cgroup2' || !dir) continue;
    const controllers = read(join(dir, 'cgroup.controllers')).split(/\s+/);
    if (controllers.includes('memory') && controllers.includes('pids')) {
      const driver = tryCreate(() => new CgroupV2(dir, controllers.includes('cpu')));
      if (driver) return driver;
    }
  }
  const v1 = (controller: string) =>
    mounts.find((f) => f[2] === 'cgroup' && f[3]?.split(',').includes(controller))?.[1];
  const memory = v1('memory');
  const pids = v1('pids');
  if (memory && pids) return tryCreate(() => new CgroupV1(memory, pids, v1('cpu')));
  return undefined;
}

function tryCreate(make: () => CgroupDriver): CgroupDriver | undefined {
  try {
    return make();
  } catch {
    return undefined;
  }
}

/**
 * Creates `<root>/stratus/<engine>`, first clearing out engines that died: a Stratus killed with
 * SIGKILL can leave environments running that no one will ever invoke, so they are killed here.
 */
function engineParent(root: string): string {
  const stratus = join(root, 'stratus');
  mkdirSync(stratus, { recursive: true });
  for (const name of readdirSync(stratus)) {
    const pid = Number(name.split('-')[0]);
    if (pid && pid !== process.pid && !existsSync(`/proc/${pid}`)) {
      killTree(join(stratus, name));
      removeTree(join(stratus, name));
    }
  }
  const dir = join(stratus, engineDirName());
  mkdirSync(dir);
  return dir;
}

function killTree(dir: string): void {
  killPids(pidsIn(join(dir, 'cgroup.procs')));
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) killTree(join(dir, entry.name));
    }
  } catch {
    // Already gone.
  }
}

function removeTree(dir: string): void {
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) removeTree(join(dir, entry.name));
    }
    rmdirSync(dir);
  } catch {
    // Still in use, or already gone.
  }
}

function pidsIn(procsFile: string): number[] {
  try {
    return read(procsFile).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function killPids(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** rmdir fails with EBUSY while exiting tasks linger; retry briefly. */
async function removeDirs(dirs: readonly string[], killAll: () => void): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    let left = 0;
    for (const dir of dirs) {
      if (!existsSync(dir)) continue;
      try {
        rmdirSync(dir);
      } catch {
        left++;
      }
    }
    if (left === 0) return;
    killAll();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

class CgroupV1 implements CgroupDriver {
  readonly version = 1;
  private readonly parents: { memory: string; pids: string; cpu: string | undefined };

  constructor(memoryRoot: string, pidsRoot: string, cpuRoot: string | undefined) {
    let cpu: string | undefined;
    try {
      // CPU weight is a nicety: without a writable cpu hierarchy the limits still hold.
      cpu = cpuRoot ? engineParent(cpuRoot) : undefined;
    } catch {
      cpu = undefined;
    }
    this.parents = { memory: engineParent(memoryRoot), pids: engineParent(pidsRoot), cpu };
  }

  create(id: string, memoryMb: number): EnvironmentCgroup {
    const memory = join(this.parents.memory, id);
    const pids = join(this.parents.pids, id);
    const cpu = this.parents.cpu ? join(this.parents.cpu, id) : undefined;
    const dirs = [memory, pids, ...(cpu ? [cpu] : [])];
    for (const dir of dirs) mkdirSync(dir);
    const bytes = String(memoryMb * 1024 * 1024);
    write(join(memory, 'memory.limit_in_bytes'), bytes);
    // With swap accounting, also cap memory+swap so the function cannot swap past its size.
    if (existsSync(join(memory, 'memory.memsw.limit_in_bytes')))
      write(join(memory, 'memory.memsw.limit_in_bytes'), bytes);
    write(join(pids, 'pids.max'), String(PIDS_MAX));
    if (cpu) write(join(cpu, 'cpu.shares'), String(Math.max(2, Math.round((1024 * memoryMb) / MB_PER_VCPU))));
    const killAll = () =>
      killPids([...pidsIn(join(pids, 'cgroup.procs')), ...pidsIn(join(memory, 'cgroup.procs'))]);
    const maxUsage = new KernelFile(join(memory, 'memory.max_usage_in_bytes'));
    return {
      procsFiles: dirs.map((dir) => join(dir, 'cgroup.procs')),
      maxMemoryBytes: () => Number(maxUsage.read()),
      oomKills: () => counter(read(join(memory, 'memory.oom_control')), 'oom_kill'),
      pids: () => pidsIn(join(pids, 'cgroup.procs')),
      killAll,
      remove: () => {
        maxUsage.close();
        return removeDirs(dirs, killAll);
      },
    };
  }

  close(): void {
    for (const dir of Object.values(this.parents)) if (dir) removeTree(dir);
  }
}

class CgroupV2 implements CgroupDriver {
  readonly version = 2;
  private readonly parent: string;

  constructor(
    root: string,
    private readonly cpu: boolean,
  ) {
    const controllers = cpu ? '+memory +pids +cpu' : '+memory +pids';
    // Each level must hand the controllers down to the next (the root is exempt from the
    // no-internal-processes rule; our own groups hold no processes).
    write(join(root, 'cgroup.subtree_control'), controllers);
    mkdirSync(join(root, 'stratus'), { recursive: true });
    write(join(root, 'stratus', 'cgroup.subtree_control'), controllers);
    this.parent = engineParent(root);
    write(join(this.parent, 'cgroup.subtree_control'), controllers);
  }

  create(id: string, memoryMb: number): EnvironmentCgroup {
    const dir = join(this.parent, id);
    mkdirSync(dir);
    write(join(dir, 'memory.max'), String(memoryMb * 1024 * 1024));
    if (existsSync(join(dir, 'memory.swap.max'))) write(join(dir, 'memory.swap.max'), '0');
    write(join(dir, 'pids.max'), String(PIDS_MAX));
    if (this.cpu)
      write(join(dir, 'cpu.weight'), String(Math.max(1, Math.round((100 * memoryMb) / MB_PER_VCPU))));
    let peak = 0;
    // memory.peak exists from Linux 5.19; before that, sample the current use.
    const usage = new KernelFile(
      join(dir, existsSync(join(dir, 'memory.peak')) ? 'memory.peak' : 'memory.current'),
    );
    const killAll = () => {
      try {
        write(join(dir, 'cgroup.kill'), '1');
      } catch {
        killPids(pidsIn(join(dir, 'cgroup.procs')));
      }
    };
    return {
      procsFiles: [join(dir, 'cgroup.procs')],
      maxMemoryBytes: () => {
        peak = Math.max(peak, Number(usage.read()));
        return peak;
      },
      oomKills: () => counter(read(join(dir, 'memory.events')), 'oom_kill'),
      pids: () => pidsIn(join(dir, 'cgroup.procs')),
      killAll,
      remove: () => {
        usage.close();
        return removeDirs([dir], killAll);
      },
    };
  }

  close(): void {
    removeTree(this.parent);
  }
}
