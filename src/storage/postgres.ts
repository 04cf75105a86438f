import { userInfo } from 'node:os';
import pg from 'pg';
import { applyMigrations } from './migrations.js';
import type { ScriptQueryable } from './migrations.js';
import type { Migration, Queryable, Row, SqlDialect, SqlValue, Store } from './store.js';

export const postgresDialect: SqlDialect = {
  engine: 'postgres',
  autoIncrementPrimaryKey: 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
  bytes: 'BYTEA',
  forUpdateSkipLocked: 'FOR UPDATE SKIP LOCKED',
  forUpdate: 'FOR UPDATE',
  clusteredByPrimaryKey: '',
};

const INT8_OID = 20;
const NUMERIC_OID = 1700;

// Services keep ms timestamps and counters in BIGINT and expect numbers, as SQLite returns them.
// Set per pool so other pg users in the process keep the library's defaults.
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (format !== 'binary' && (oid === INT8_OID || oid === NUMERIC_OID)) return Number;
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

// Lowercase only: search_path folds unquoted names to lowercase, CREATE SCHEMA "…" would not.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

export interface PostgresStoreOptions {
  /** postgres://… or postgresql://…; an optional `?schema=name` confines the store to that schema. */
  url: string;
  maxConnections?: number;
}

export class PostgresStore implements Store {
  readonly dialect = postgresDialect;

  private constructor(
    private readonly pool: pg.Pool,
    /** Set when the URL named a schema; `close({ dropSchema: true })` removes it. */
    private readonly schema: string | undefined,
  ) {}

  /** Connects, and creates the URL's schema if it names one. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const { connectionString, schema } = connectionSettings(options.url);
    const pool = new pg.Pool({
      connectionString,
      max: options.maxConnections ?? 10,
      types: typeParsers,
      // A startup parameter applies to every connection the pool ever opens, with no extra round trip.
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle connection that dies (server restart) is dropped by the pool and replaced on the
    // next query; without a listener the 'error' event would crash the process.
    pool.on('error', () => {});
    try {
      if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      else await pool.query('SELECT 1');
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresStore(pool, schema);
  }

  async all<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return (await this.pool.query<T>(toPostgresSql(sql), bindable(params))).rows;
  }

  async get<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }> {
    return { changes: (await this.pool.query(toPostgresSql(sql), bindable(params))).rowCount ?? 0 };
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.scriptTransaction(fn);
  }

  migrate(migrations: readonly Migration[]): Promise<void> {
    return applyMigrations(
      {
        dialect: this.dialect,
        migrationTransaction: (fn) =>
          this.scriptTransaction(async (tx) => {
            // Transaction-scoped, so it is released by COMMIT/ROLLBACK even if the node dies.
            // Keyed by schema: stores in different schemas of one database migrate independently.
            await tx.get("SELECT pg_advisory_xact_lock(hashtext('stratus_migrations:' || current_schema()))");
            return fn(tx);
          }),
      },
      migrations,
    );
  }

  async close(options: { dropSchema?: boolean } = {}): Promise<void> {
    try {
      if (options.dropSchema && this.schema)
        await this.pool.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
    } finally {
      await this.pool.end();
    }
  }

  private async scriptTransaction<T>(fn: (tx: ScriptQueryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let open = true;
    const query = async (sql: string, params: readonly SqlValue[] | undefined) => {
      if (!open) throw new Error('Transaction already finished; its queries must be awaited inside it');
      return client.query(toPostgresSql(sql), bindable(params));
    };
    const tx: ScriptQueryable = {
      all: async <R extends Row>(sql: string, params?: readonly SqlValue[]) =>
        (await query(sql, params)).rows as R[],
      get: async <R extends Row>(sql: string, params?: readonly SqlValue[]) =>
        (await query(sql, params)).rows[0] as R | undefined,
      run: async (sql, params) => ({ changes: (await query(sql, params)).rowCount ?? 0 }),
      // Without parameters pg uses the simple protocol, which accepts several statements.
      exec: async (script) => void (await query(script, undefined)),
    };
    let broken: unknown;
    try {
      await client.query('BEGIN');
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The connection is unusable: tell the pool to discard it instead of reusing it.
        broken = rollbackError;
      }
      throw error;
    } finally {
      open = false;
      client.release(broken instanceof Error ? broken : undefined);
    }
  }
}

/**
 * Takes `schema` out of the URL's query (pg would pass it on as a server setting) and fills in a
 * missing user name the way psql does: pg only falls back to $USER, which is often unset (containers).
 */
function connectionSettings(url: string): { connectionString: string; schema: string | undefined } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`Invalid schema name "${schema}": use lowercase letters, digits and underscores`);
  }
  parsed.searchParams.delete('schema');
  if (!parsed.username && !process.env.PGUSER && !process.env.USER) {
    parsed.username = encodeURIComponent(userInfo().username);
  }
  return { connectionString: parsed.toString(), schema };
}

/** pg sends booleans as 'true'/'false', which INTEGER columns reject; portable SQL stores 0/1. */
function bindable(params: readonly SqlValue[] | undefined): unknown[] {
  if (!params) return [];
  return params.map((value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value));
}

const translations = new Map<string, string>();
const TRANSLATION_CACHE_LIMIT = 1_000;

/** Rewrites `?` placeholders as `$1…$n`, leaving quoted strings and identifiers alone. */
export function toPostgresSql(sql: string): string {
  const cached = translations.get(sql);
  if (cached !== undefined) return cached;
  let translated = '';
  let placeholders = 0;
  let quote: string | undefined;
  for (const char of sql) {
    if (quote) {
      // A doubled quote ('it''s') closes and reopens the literal, which this handles naturally.
      if (char === quote) quote = undefined;
      translated += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      translated += char;
    } else if (char === '?') {
      translated += `$${++placeholders}`;
    } else {
      translated += char;
    }
  }
  if (translations.size >= TRANSLATION_CACHE_LIMIT)
    translations.delete(translations.keys().next().value as string);
  translations.set(sql, translated);
  return translated;
}
