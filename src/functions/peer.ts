/**
 * Which process opened a loopback TCP connection. Functions share the host's network namespace
 * (they must reach Stratus on 127.0.0.1), so without this check one function could poll another
 * environment's Runtime API and read its events. Linux tells us through procfs: /proc/net/tcp maps
 * the client's port to a socket inode, and /proc/<pid>/fd shows which process holds that inode.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

export type PeerCheck = 'owned' | 'foreign' | 'unknown';

/**
 * The inode of the client socket `remotePort → localPort`, if listed. An IPv6 socket can reach
 * 127.0.0.1 too (as ::ffff:127.0.0.1), so both tables are searched.
 */
function socketInode(remotePort: number, localPort: number): string | undefined {
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (file.endsWith('6') && !existsSync(file)) continue;
    const table = readFileSync(file, 'latin1').split('\n');
    for (let i = 1; i < table.length; i++) {
      const fields = (table[i] ?? '').trim().split(/\s+/);
      const local = fields[1];
      const remote = fields[2];
      if (!local || !remote) continue;
      if (portOf(local) === remotePort && portOf(remote) === localPort) return fields[9];
    }
  }
  return undefined;
}

const portOf = (address: string) => parseInt(address.slice(address.indexOf(':') + 1), 16);

/** `root` and every process below it (all threads' children). */
export function processTree(root: number): number[] {
  const pids = [root];
  for (let i = 0; i < pids.length && pids.length < 4096; i++) {
    const pid = pids[i];
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      try {
        const children = readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1').trim();
        if (children) for (const child of children.split(' ')) pids.push(Number(child));
      } catch {
        // The task ended while we looked.
      }
    }
  }
  return pids;
}

/** Whether the connection from `remotePort` was opened by one of `pids`. */
export function connectionOwnedBy(pids: readonly number[], remotePort: number, localPort: number): PeerCheck {
  let inode: string | undefined;
  try {
    inode = socketInode(remotePort, localPort);
  } catch {
    return 'unknown';
  }
  // A live client socket is always listed; one that is not cannot be shown to be ours.
  if (!inode || inode === '0') return 'foreign';
  const target = `socket:[${inode}]`;
  let readable = false;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
      readable = true;
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === target) return 'owned';
      } catch {
        // Closed meanwhile.
      }
    }
  }
  return readable ? 'foreign' : 'unknown';
}
