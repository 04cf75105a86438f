/**
 * Spare environments through the engine: a cold start after the first of a profile runs in a
 * runtime process started earlier (it has been up longer than the invocation took), and becomes
 * exactly the function's environment; what a spare cannot become cold-starts from scratch.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecutionEngine } from './engine.js';
import { FunctionFiles, payloadOf, request, testSpec } from './testing/functions.js';
import type { FunctionSpec } from './types.js';

const files = new FunctionFiles();
const workDir = mkdtempSync(join(tmpdir(), 'stratus-spares-'));
let engine: ExecutionEngine;

beforeAll(() => {
  engine = new ExecutionEngine({ logger: pino({ level: 'silent' }), workDir, idleTimeoutMs: 3000 });
});

afterAll(async () => {
  await engine.close();
  files.remove();
  rmSync(workDir, { recursive: true, force: true });
});

/** Reports how long its process has run, what it sees of its environment, and what it can write. */
const PROBE = `
import { readdirSync, writeFileSync } from 'node:fs';
export const handler = async (event, context) => {
  const task = readdirSync(process.env.LAMBDA_TASK_ROOT).sort();
  let taskWritable = true;
  try { writeFileSync(process.env.LAMBDA_TASK_ROOT + '/x', 'x'); } catch { taskWritable = false; }
  return {
    uptimeMs: process.uptime() * 1000,
    task,
    taskWritable,
    env: process.env,
    functionName: context.functionName,
    stackTraceLimit: Error.stackTraceLimit,
  };
};
`;

interface Probe {
  uptimeMs: number;
  task: string[];
  taskWritable: boolean;
  env: Record<string, string>;
  functionName: string;
  stackTraceLimit: number;
}

const invoke = async (spec: FunctionSpec) => {
  const result = await engine.invoke(spec, request(spec));
  expect(result.outcome.kind).toBe('success');
  return { probe: payloadOf(result) as Probe, initMs: result.initDurationMs ?? 0 };
};

/** A new function with the probe as its code (its own directory, so its own code). */
const probeSpec = (fields: Partial<FunctionSpec> = {}) =>
  testSpec({ codeDir: files.write({ 'index.mjs': PROBE, [`own-${Math.random()}.txt`]: '' }), ...fields });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('spare execution environments', () => {
  it('starts the second cold start of a profile in a process started before it, with that function’s code and variables only', async () => {
    const first = probeSpec({ environment: { COLOR: 'red' } });
    const fresh = await invoke(first);
    await sleep(1500);
    const second = probeSpec({ environment: { SHAPE: 'round' } });
    const spared = await invoke(second);

    // The process was up well before this invocation began.
    expect(spared.probe.uptimeMs).toBeGreaterThan(spared.initMs + 1000);
    expect(fresh.probe.uptimeMs).toBeLessThan(fresh.initMs + 1000);
    expect(spared.probe.functionName).toBe(second.functionName);
    expect(spared.probe.task).toEqual(readdir(second.codeDir));
    // Read-only in the sandbox; a plain process writes where Stratus can (docs/functions.md).
    expect(spared.probe.taskWritable, `sandbox: ${engine.sandboxMode}`).toBe(engine.sandboxMode !== 'bwrap');
    expect(spared.probe.env.SHAPE).toBe('round');
    expect(spared.probe.env.COLOR).toBeUndefined();
    expect(spared.probe.env._STRATUS_SPARE).toBeUndefined();
    expect(spared.probe.env.AWS_LAMBDA_FUNCTION_NAME).toBe(second.functionName);
    // The same variables as a function started from scratch, but for each one's own.
    const names = (env: Record<string, string>, own: string) =>
      Object.keys(env)
        .filter((name) => name !== own && name !== '_X_AMZN_TRACE_ID')
        .sort();
    expect(names(spared.probe.env, 'SHAPE')).toEqual(names(fresh.probe.env, 'COLOR'));
  });

  it('cold-starts from scratch a function whose variables configure the process at start (NODE_OPTIONS)', async () => {
    await invoke(probeSpec());
    await sleep(1500);
    const { probe, initMs } = await invoke(
      probeSpec({ environment: { NODE_OPTIONS: '--stack-trace-limit=42' } }),
    );
    expect(probe.stackTraceLimit).toBe(42);
    expect(probe.uptimeMs).toBeLessThan(initMs + 1000);
  });

  it('stops a profile’s spare once that profile has not cold-started for the idle timeout', async () => {
    const spec = probeSpec({ memoryMb: 192 });
    await invoke(spec);
    await sleep(1000);
    expect(sparesRunning(workDir)).toBeGreaterThan(0);
    await engine.retire(spec.key);
    await sleep(4500);
    expect(sparesRunning(workDir)).toBe(0);
  });
});

const readdir = (dir: string) => readdirSync(dir).sort();

/** Environments of this engine with a directory: after a retire, only spares have one. */
function sparesRunning(root: string): number {
  const environments = join(root, 'environments');
  return existsSync(environments) ? readdirSync(environments).length : 0;
}
