import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { PostgresStore } from '../postgres.js';
import { SqliteStore } from '../sqlite.js';
import type { Store } from '../store.js';

/** The database the PostgreSQL tests share; each store gets its own schema in it. */
export const testPostgresUrl = process.env.STRATUS_TEST_POSTGRES_URL ?? 'postgres://127.0.0.1:5432/test';

export interface TestStore {
  store: Store;
  /** Closes the store and deletes everything it wrote. */
  destroy(): Promise<void>;
}

export interface TestEngine {
  name: 'sqlite' | 'postgres';
  open(): Promise<TestStore>;
}

/** For `describe.each(testEngines)`: one suite, run against both engines. */
export const testEngines: TestEngine[] = [
  {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'stratus-store-'));
      const store = new SqliteStore({ path: join(dir, 'stratus.db') });
      return {
        store,
        async destroy() {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    async open() {
      const url = new URL(testPostgresUrl);
      url.searchParams.set('schema', `t_${randomBytes(6).toString('hex')}`);
      const store = await PostgresStore.open({ url: url.toString() });
      return { store, destroy: () => store.close({ dropSchema: true }) };
    },
  },
];
