import type { Migration, Queryable, SqlDialect } from './store.js';

/** A transaction that can also run multi-statement scripts, as migrations often are. */
export interface ScriptQueryable extends Queryable {
  exec(script: string): Promise<void>;
}

/** What an engine provides so the shared migration logic can run on it. */
export interface MigrationTarget {
  readonly dialect: SqlDialect;
  /**
   * Runs `fn` in a transaction that also holds the engine's migration lock, so nodes sharing one
   * database never apply the same migration twice.
   */
  migrationTransaction<T>(fn: (tx: ScriptQueryable) => Promise<T>): Promise<T>;
}

const CREATE_TABLE =
  'CREATE TABLE IF NOT EXISTS stratus_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)';

export async function applyMigrations(
  target: MigrationTarget,
  migrations: readonly Migration[],
): Promise<void> {
  assertUniqueIds(migrations);
  // The table is created under the lock: concurrent CREATE TABLE IF NOT EXISTS can still collide
  // on PostgreSQL's catalog.
  const applied = await target.migrationTransaction(async (tx) => {
    await tx.exec(CREATE_TABLE);
    const rows = await tx.all<{ id: string }>('SELECT id FROM stratus_migrations');
    return new Set(rows.map((row) => row.id));
  });

  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    await target.migrationTransaction(async (tx) => {
      // Another node may have applied it since we looked; the lock makes this re-check reliable.
      const done = await tx.get('SELECT id FROM stratus_migrations WHERE id = ?', [migration.id]);
      if (done) return;
      const script = migration.up(target.dialect);
      if (script.trim() !== '') await tx.exec(script);
      await tx.run('INSERT INTO stratus_migrations (id, applied_at) VALUES (?, ?)', [
        migration.id,
        Date.now(),
      ]);
    });
  }
}

function assertUniqueIds(migrations: readonly Migration[]): void {
  const seen = new Set<string>();
  for (const { id } of migrations) {
    if (seen.has(id)) throw new Error(`Duplicate migration id: ${id}`);
    seen.add(id);
  }
}
