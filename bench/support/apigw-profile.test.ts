import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { summarizeProfile } from './apigw-profile.js';

const root = '/project/';
const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

/**
 * (root) → handle src/server.ts:10 → send node:net:5 → writev (native)
 *        → handle → pino's write → writev
 *        → (garbage collector), (idle)
 */
const profile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 6, 7] },
    { id: 2, callFrame: frame('handle', `file://${root}src/server.ts`, 9), children: [3, 5] },
    { id: 3, callFrame: frame('send', 'node:net', 4), children: [4] },
    { id: 4, callFrame: frame('writev') },
    { id: 5, callFrame: frame('write', `file://${root}node_modules/pino/lib/proto.js`, 19), children: [8] },
    { id: 6, callFrame: frame('(garbage collector)') },
    { id: 7, callFrame: frame('(idle)') },
    { id: 8, callFrame: frame('writev') },
  ],
  samples: [4, 4, 2, 8, 6, 7, 7, 5],
  timeDeltas: [1000, 1000, 1000, 2000, 1000, 3000, 1000, 1000],
};

const work = mkdtempSync(join(tmpdir(), 'apigw-profile-'));
const file = join(work, 'test.cpuprofile');
writeFileSync(file, JSON.stringify(profile));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('summarizeProfile', () => {
  const summary = summarizeProfile(file, root);
  const byName = (list: { name: string; ms: number }[]) =>
    Object.fromEntries(list.map((t) => [t.name, t.ms]));

  it('counts idle time apart from the busy time the shares are of', () => {
    expect(summary).toMatchObject({ totalMs: 11, idleMs: 4 });
    expect(summary.functions.reduce((sum, t) => sum + t.share, 0)).toBeCloseTo(1);
  });

  it.each([
    ['a native function is named with its caller', 'functions', 'writev ← send node:net:5', 2],
    ['a package function is named by its package folder', 'functions', 'write node_modules/pino:20', 1],
    ['a project function keeps its own line', 'functions', 'handle src/server.ts:10', 1],
    ['V8 entries stand for themselves', 'functions', '(garbage collector)', 1],
    ["a native's time counts in its caller's file", 'files', 'node:net', 2],
    ['packages are one entry each', 'files', 'node_modules/pino', 3],
    [
      "Node's and packages' time counts at the nearest src/ function",
      'ownCode',
      'handle src/server.ts:10',
      6,
    ],
    [
      'time with no src/ function on the stack stays apart',
      'ownCode',
      '(outside src/) (garbage collector)',
      1,
    ],
  ] as const)('%s', (_, view, name, ms) => {
    expect(byName(summary[view])[name] ?? 0).toBe(ms);
  });
});
