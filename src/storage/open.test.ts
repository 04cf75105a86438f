import { describe, it, expect, afterEach } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from './open.js';
import { PostgresStore } from './postgres.js';
import { testPostgresUrl } from './testing/engines.js';

describe('openStore', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'stratus-open-'));
    dirs.push(dir);
    return dir;
  };

  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it.each([undefined, 'sqlite:', 'sqlite://'])('opens SQLite in <dataDir>/stratus.db for %s', async (url) => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const store = await openStore({ url, dataDir });
    expect(store.dialect.engine).toBe('sqlite');
    await store.close();
    expect(existsSync(join(dataDir, 'stratus.db'))).toBe(true);
  });

  it('opens SQLite at the path of a sqlite:// URL', async () => {
    const path = join(tempDir(), 'elsewhere', 'custom.db');
    const store = await openStore({ url: `sqlite://${path}`, dataDir: tempDir(), durability: 'full' });
    await store.close();
    expect(existsSync(path)).toBe(true);
  });

  it.each(['postgres', 'postgresql'])('opens PostgreSQL for %s:// URLs', async (scheme) => {
    const url = testPostgresUrl.replace(/^postgres(ql)?:/, `${scheme}:`);
    const store = await openStore({ url, dataDir: tempDir() });
    expect(store).toBeInstanceOf(PostgresStore);
    expect(await store.get('SELECT 1 AS one')).toEqual({ one: 1 });
    await store.close();
  });

  it('rejects other URLs, listing the accepted forms without echoing credentials', async () => {
    const attempt = openStore({ url: 'mysql://admin:hunter2@db/app', dataDir: tempDir() });
    await expect(attempt).rejects.toThrow(/scheme "mysql:".*sqlite:.*postgres:\/\//);
    await expect(attempt).rejects.not.toThrow(/hunter2/);
  });
});
