/**
 * The one storage interface every service uses. Two engines implement it (SQLite, PostgreSQL);
 * service code writes portable SQL (see docs/storage.md) and never learns which engine runs.
 *
 * SQL uses `?` placeholders. Integers that can exceed 2^31 (timestamps in ms, counters) are
 * declared BIGINT and come back as JavaScript numbers on both engines.
 */
export type SqlValue = string | number | bigint | boolean | null | Buffer;
export type Row = Record<string, unknown>;

/** Anything that can run statements: the store itself, or a transaction. */
export interface Queryable {
  /** Every row of a SELECT (or of a statement with RETURNING). */
  all<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** The first row, or undefined. */
  get<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** A statement without rows; `changes` is the number of rows it touched. */
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
}

/** Column types and clauses that differ between engines, for migrations and the rare engine-aware query. */
export interface SqlDialect {
  readonly engine: 'sqlite' | 'postgres';
  /** An auto-incrementing 64-bit integer primary key column definition. */
  readonly autoIncrementPrimaryKey: string;
  /** Binary column type. */
  readonly bytes: string;
  /** Appended to a SELECT inside a transaction to lock its rows and skip rows others have locked. */
  readonly forUpdateSkipLocked: string;
  /** Appended to a SELECT inside a transaction to lock its rows until the transaction ends. */
  readonly forUpdate: string;
  /**
   * Appended to a CREATE TABLE whose rows are read in primary-key order (DynamoDB's items): SQLite
   * then keeps the rows in the key's B-tree itself (`WITHOUT ROWID`), so a range read touches
   * one tree; PostgreSQL has no such clause and reads through the primary-key index.
   */
  readonly clusteredByPrimaryKey: string;
}

export interface Migration {
  /** Unique, ordered id: `<service>-<NNN>-<what>`; applied once per store, in the order given. */
  readonly id: string;
  readonly up: (dialect: SqlDialect) => string;
}

export interface Store extends Queryable {
  readonly dialect: SqlDialect;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Applies the migrations not yet applied, each in its own transaction. */
  migrate(migrations: readonly Migration[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Whether a statement failed because another row already has its primary or unique key — the
 * way a concurrent writer that got there first shows on PostgreSQL (SQLite's single writer sees
 * it only for real duplicates).
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Whether PostgreSQL gave up a transaction because it conflicted with another one (a deadlock
 * between row locks, or a serialization failure); running it again is the remedy.
 */
export function isTransactionConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}
