/** A process's CPU time, for benches that report a server's CPU per operation. */
import { readFileSync } from 'node:fs';

/** CPU seconds (user + system, all threads) the process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  // utime and stime are fields 14 and 15 of the line, counted from the pid; in clock ticks (100/s).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
