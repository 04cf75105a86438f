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
