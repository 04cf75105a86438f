/**
 * Where a V8 CPU profile (.cpuprofile) spent its time: self time by function and by file, as a
 * share of the samples that were not idle. A native function (a socket write, a SQLite statement)
 * is named with the JavaScript function that called it, and counts in that function's file, so
 * the time lands where the code asked for it. A third view charges each sample to the nearest
 * function of the project's own source (`src/`) on its stack: the time of Node's internals and
 * packages counts where Stratus called them. Files are named from the project's root, packages by
 * their folder under node_modules.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  /** 0-based. */
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  /** Microseconds since the sample before. */
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  /** Of the time not idle. */
  share: number;
}

export interface ProfileSummary {
  /** Time sampled, idle included. */
  totalMs: number;
  idleMs: number;
  functions: SelfTime[];
  files: SelfTime[];
  /** By the nearest function of `src/` on the stack, or where none is, the sample's own file. */
  ownCode: SelfTime[];
}

function shortFile(url: string, root: string): string {
  const path = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (pkg) return `node_modules/${pkg[1]}`;
  return path.startsWith(root) ? path.slice(root.length) : path;
}

function ranked(times: Map<string, number>, busyMs: number, top: number): SelfTime[] {
  return [...times]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => ({ name, ms, share: ms / busyMs }));
}

export function summarizeProfile(file: string, root: string, top = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node);
  /** The nearest frame of `node` and its callers that has a file, if any. */
  const nearest = (node: ProfileNode | undefined, test: (url: string) => boolean): CallFrame | undefined => {
    for (let at = node; at; at = parents.get(at.id)) if (test(at.callFrame.url)) return at.callFrame;
    return undefined;
  };
  const source = `file://${root}src/`;
  const describe = (frame: CallFrame) =>
    `${frame.functionName || '(anonymous)'} ${shortFile(frame.url, root)}:${frame.lineNumber + 1}`;

  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const byOwnCode = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  let totalMs = 0;
  let idleMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const node = nodes.get(id)!;
    const frame = node.callFrame;
    totalMs += ms;
    if (frame.functionName === '(idle)') {
      idleMs += ms;
      return;
    }
    // V8's own entries — (program), (garbage collector) — have no caller and stand for themselves.
    const caller = nearest(node, (url) => url !== '');
    const name = frame.url
      ? describe(frame)
      : `${frame.functionName}${caller ? ` ← ${describe(caller)}` : ''}`;
    add(byFunction, name, ms);
    const file = caller ? shortFile(caller.url, root) : frame.functionName;
    add(byFile, file, ms);
    const own = nearest(node, (url) => url.startsWith(source));
    add(byOwnCode, own ? describe(own) : `(outside src/) ${file}`, ms);
  });
  const busyMs = totalMs - idleMs;
  return {
    totalMs,
    idleMs,
    functions: ranked(byFunction, busyMs, top),
    files: ranked(byFile, busyMs, Math.ceil(top / 2)),
    ownCode: ranked(byOwnCode, busyMs, top),
  };
}
