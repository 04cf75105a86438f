import { describe, it, expect, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from './sqlite.js';

const writerScript = fileURLToPath(new URL('./testing/crash-writer.ts', import.meta.url));
const ACKNOWLEDGED_BEFORE_KILL = 300;

/** Runs the writer until it has acknowledged enough ids, SIGKILLs it, and returns those ids. */
function writeUntilKilled(databasePath: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writerScript, databasePath], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acknowledged: number[] = [];
    let pending = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) acknowledged.push(Number(line));
      if (acknowledged.length >= ACKNOWLEDGED_BEFORE_KILL) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acknowledged);
      else reject(new Error(`writer exited on its own (${code}): ${stderr}`));
    });
  });
}

describe('SQLite crash safety', () => {
  let dir: string | undefined;

  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write after the writer is SIGKILLed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'stratus-crash-'));
    const databasePath = join(dir, 'stratus.db');
    const acknowledged = await writeUntilKilled(databasePath);
    expect(acknowledged.length).toBeGreaterThanOrEqual(ACKNOWLEDGED_BEFORE_KILL);

    const store = new SqliteStore({ path: databasePath });
    try {
      const rows = await store.all<{ id: number }>('SELECT id FROM acknowledged');
      const present = new Set(rows.map((row) => row.id));
      expect(acknowledged.filter((id) => !present.has(id))).toEqual([]);
      expect((await store.get('PRAGMA integrity_check'))?.integrity_check).toBe('ok');
    } finally {
      await store.close();
    }
  });
});
