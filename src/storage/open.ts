import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PostgresStore } from './postgres.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** Which engine and where; see ACCEPTED_FORMS. Absent: SQLite in `dataDir`. */
  url?: string;
  dataDir: string;
  /** SQLite only (PostgreSQL durability is the server's configuration). */
  durability?: 'normal' | 'full';
}

const ACCEPTED_FORMS =
  'sqlite: (SQLite at <dataDir>/stratus.db), sqlite://<path to database file>, ' +
  'postgres://user:password@host:port/database[?schema=name], or postgresql://…';

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const url = options.url ?? 'sqlite:';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return PostgresStore.open({ url });
  }
  if (url === 'sqlite:' || url.startsWith('sqlite://')) {
    const path = url.slice('sqlite://'.length) || join(options.dataDir, 'stratus.db');
    mkdirSync(dirname(path), { recursive: true });
    return new SqliteStore({ path, durability: options.durability ?? 'normal' });
  }
  // Only the scheme is echoed: the rest of a URL may hold a password.
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? '';
  throw new Error(
    `Unsupported store URL${scheme ? ` scheme "${scheme}"` : ''}. Accepted forms: ${ACCEPTED_FORMS}`,
  );
}
