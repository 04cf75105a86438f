/**
 * CPU time of a process with all its descendants: Stratus runs each function environment in
 * processes of its own (under bubblewrap where it is installed), whose time its own /proc stat
 * leaves out, while serverless-offline runs handlers in threads of its process. A descendant that
 * exits is no longer counted, so this suits warm environments, which stay.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpuSeconds } from './process-cpu.js';

/** What `read` returns, or `fallback` if the process exited meanwhile. */
function whileAlive<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/** A process's children, as each of its threads lists those it started. */
function childrenOf(pid: number): number[] {
  const threads = whileAlive(() => readdirSync(`/proc/${pid}/task`), []);
  return threads.flatMap((tid) =>
    whileAlive(
      () => readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
      [],
    ),
  );
}

/** CPU seconds (user + system) used so far by `pid` and every process under it. */
export function treeCpuSeconds(pid: number): number {
  return (
    whileAlive(() => cpuSeconds(pid), 0) +
    childrenOf(pid).reduce((sum, child) => sum + treeCpuSeconds(child), 0)
  );
}
