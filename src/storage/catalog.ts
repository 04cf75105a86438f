/**
 * Whole-table work for reset and snapshots, the one place that needs each engine's catalog and its
 * own SQL: which tables and columns a store has, reading a table in pages inside one consistent
 * transaction, writing rows with the ids they had, and moving id sequences past them. Services
 * never call this; they keep to portable SQL.
 *
 * Table and column names passed here come from the store's own catalog or from services'
 * declarations, never from a request; they are still quoted.
 */
import type { Queryable, SqlDialect, SqlValue } from './store.js';

/** Stratus's own tables, outside every service: the work queue and the migration record. */
export const stratusTables = {
  workItems: 'work_items',
  migrations: 'stratus_migrations',
  // Stratus's time (engine/clock-sync.ts): neither reset nor kept in snapshots.
  clock: 'stratus_clock',
  // Resets and loads, for the other nodes to follow (server/control/state-changes.ts).
  stateChanges: 'stratus_state_changes',
} as const;

export interface Column {
  name: string;
  /** PostgreSQL identity columns (`GENERATED ALWAYS AS IDENTITY`), whose sequence follows a load. */
  identity: boolean;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Every table of the store (in the connection's schema on PostgreSQL), sorted by name. */
export async function tableNames(db: Queryable, dialect: SqlDialect): Promise<string[]> {
  const rows =
    dialect.engine === 'sqlite'
      ? await db.all<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
        )
      : await db.all<{ name: string }>(
          `SELECT table_name AS name FROM information_schema.tables
           WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
        );
  return rows.map((row) => row.name).sort();
}

/** A table's columns in their order, or undefined when the table does not exist. */
export async function columnsOf(
  db: Queryable,
  dialect: SqlDialect,
  table: string,
): Promise<Column[] | undefined> {
  if (dialect.engine === 'sqlite') {
    // PRAGMA table_info takes no parameters; the name is quoted as a string literal.
    const rows = await db.all<{ name: string }>(`PRAGMA table_info('${table.replace(/'/g, "''")}')`);
    return rows.length === 0 ? undefined : rows.map((row) => ({ name: row.name, identity: false }));
  }
  const rows = await db.all<{ name: string; is_identity: string }>(
    `SELECT column_name AS name, is_identity FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`,
    [table],
  );
  return rows.length === 0
    ? undefined
    : rows.map((row) => ({ name: row.name, identity: row.is_identity === 'YES' }));
}

/**
 * Makes the reads of the transaction it opens one consistent view: PostgreSQL's default (read
 * committed) gives each statement its own. Must be the transaction's first statement. SQLite's
 * single connection already sees nothing but itself.
 */
export async function readConsistently(tx: Queryable, dialect: SqlDialect): Promise<void> {
  if (dialect.engine === 'postgres') await tx.run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
}

let cursorCount = 0;

/**
 * A table's rows as arrays in `columns` order, `pageSize` at a time, so a large table never sits
 * in memory whole. Call inside a transaction: SQLite pages by rowid, PostgreSQL through a cursor
 * (which lives only as long as the transaction).
 */
export async function* tableRows(
  tx: Queryable,
  dialect: SqlDialect,
  table: string,
  columns: readonly string[],
  pageSize = 500,
): AsyncGenerator<unknown[][]> {
  const list = columns.map(quote).join(', ');
  const toArrays = (rows: Record<string, unknown>[]) => rows.map((row) => columns.map((c) => row[c]));
  if (dialect.engine === 'sqlite') {
    const key = await withoutRowidKey(tx, table);
    if (key) {
      yield* keyOrderedRows(tx, table, columns, key, pageSize);
      return;
    }
    let after = Number.MIN_SAFE_INTEGER;
    for (;;) {
      const rows = await tx.all<Record<string, unknown> & { stratus_rowid: number }>(
        `SELECT rowid AS stratus_rowid, ${list} FROM ${quote(table)} WHERE rowid > ? ORDER BY rowid LIMIT ?`,
        [after, pageSize],
      );
      if (rows.length === 0) return;
      after = rows.at(-1)!.stratus_rowid;
      yield toArrays(rows);
    }
  }
  const cursor = `stratus_rows_${++cursorCount}`;
  await tx.run(`DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${list} FROM ${quote(table)}`);
  try {
    for (;;) {
      const rows = await tx.all(`FETCH FORWARD ${pageSize} FROM ${cursor}`);
      if (rows.length === 0) return;
      yield toArrays(rows);
    }
  } finally {
    await tx.run(`CLOSE ${cursor}`);
  }
}

/** The primary key of a SQLite table stored `WITHOUT ROWID` (which has no rowid to page by), else undefined. */
async function withoutRowidKey(tx: Queryable, table: string): Promise<string[] | undefined> {
  const listed = await tx.get<{ wr: number }>('SELECT wr FROM pragma_table_list WHERE name = ?', [table]);
  if (!listed?.wr) return undefined;
  const key = await tx.all<{ name: string }>(
    'SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk',
    [table],
  );
  return key.map((column) => column.name);
}

/** Pages through a table in primary-key order, each page starting after the last key of the one before. */
async function* keyOrderedRows(
  tx: Queryable,
  table: string,
  columns: readonly string[],
  key: readonly string[],
  pageSize: number,
): AsyncGenerator<unknown[][]> {
  const selected = [...new Set([...columns, ...key])];
  const order = key.map(quote).join(', ');
  let after: SqlValue[] | undefined;
  for (;;) {
    const where = after ? `WHERE (${order}) > (${key.map(() => '?').join(', ')}) ` : '';
    const rows = await tx.all(
      `SELECT ${selected.map(quote).join(', ')} FROM ${quote(table)} ${where}ORDER BY ${order} LIMIT ?`,
      [...(after ?? []), pageSize],
    );
    if (rows.length === 0) return;
    const last = rows.at(-1)!;
    after = key.map((column) => last[column] as SqlValue);
    yield rows.map((row) => columns.map((c) => row[c]));
  }
}

/** Both engines cap a statement's parameters (SQLite at 32766); rows go in chunks well below. */
const maxParameters = 10_000;

/**
 * Inserts rows with every value as given, ids included: PostgreSQL refuses explicit values for
 * `GENERATED ALWAYS` identity columns unless told to take them.
 */
export async function insertRows(
  tx: Queryable,
  dialect: SqlDialect,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly SqlValue[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const perStatement = Math.max(1, Math.floor(maxParameters / columns.length));
  const overriding = dialect.engine === 'postgres' ? ' OVERRIDING SYSTEM VALUE' : '';
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const head = `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')})${overriding} VALUES `;
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    await tx.run(head + chunk.map(() => tuple).join(', '), chunk.flat());
  }
}

/**
 * After rows were inserted with their ids: the next generated id must come after them. SQLite's
 * AUTOINCREMENT already remembers the largest id inserted; PostgreSQL's identity sequences do not.
 */
export async function advanceIdentities(
  tx: Queryable,
  dialect: SqlDialect,
  table: string,
  columns: readonly Column[],
): Promise<void> {
  if (dialect.engine !== 'postgres') return;
  for (const column of columns.filter((c) => c.identity)) {
    await tx.get(
      `SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT MAX(${quote(column.name)}) FROM ${quote(table)}), 0) + 1, false)`,
      [quote(table), column.name],
    );
  }
}

/** Deletes every row of a table; resolves to how many there were. */
export async function deleteAll(tx: Queryable, table: string): Promise<number> {
  return (await tx.run(`DELETE FROM ${quote(table)}`)).changes;
}
