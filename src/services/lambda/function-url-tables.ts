/**
 * Function URLs: at most one per function and qualifier (`$LATEST` or an alias), found by the
 * edge by its URL id. An alias's URL goes with the alias, every URL with its function.
 */
import type { Migration, Queryable } from '../../storage/store.js';

export const functionUrlTables: readonly string[] = ['lambda_function_urls'];

export const functionUrlMigrations: readonly Migration[] = [
  {
    id: 'lambda-006-function-urls',
    up: () => `
      CREATE TABLE lambda_function_urls (
        url_id TEXT PRIMARY KEY,
        function_id BIGINT NOT NULL REFERENCES lambda_functions (id) ON DELETE CASCADE,
        qualifier TEXT NOT NULL,
        alias_id BIGINT REFERENCES lambda_aliases (id) ON DELETE CASCADE,
        auth_type TEXT NOT NULL,
        cors TEXT,
        invoke_mode TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        last_modified BIGINT NOT NULL,
        UNIQUE (function_id, qualifier)
      );
    `,
  },
];

export type FunctionUrlRow = {
  url_id: string;
  function_id: number;
  /** `$LATEST` or an alias name. */
  qualifier: string;
  /** The alias's row, for an alias's URL (it is deleted with it). */
  alias_id: number | null;
  auth_type: 'NONE' | 'AWS_IAM';
  /** JSON of the `Cors` settings, or null when there are none. */
  cors: string | null;
  invoke_mode: 'BUFFERED' | 'RESPONSE_STREAM';
  created_at: number;
  last_modified: number;
};

/** A URL with what the edge needs of its function to run it. */
export type AddressedUrlRow = FunctionUrlRow & { function_name: string; account_id: string; region: string };

export const functionUrlQueries = {
  get: (db: Queryable, functionId: number, qualifier: string) =>
    db.get<FunctionUrlRow>('SELECT * FROM lambda_function_urls WHERE function_id = ? AND qualifier = ?', [
      functionId,
      qualifier,
    ]),

  all: (db: Queryable, functionId: number) =>
    db.all<FunctionUrlRow>('SELECT * FROM lambda_function_urls WHERE function_id = ? ORDER BY qualifier', [
      functionId,
    ]),

  /** The URL of this id in any account and region, with its function. */
  byUrlId: (db: Queryable, urlId: string) =>
    db.get<AddressedUrlRow>(
      `SELECT u.*, f.name AS function_name, f.account_id, f.region
       FROM lambda_function_urls u JOIN lambda_functions f ON f.id = u.function_id WHERE u.url_id = ?`,
      [urlId],
    ),

  /** False when the function already has a URL for the qualifier. */
  insert: async (db: Queryable, row: FunctionUrlRow) =>
    (
      await db.run(
        `INSERT INTO lambda_function_urls (url_id, function_id, qualifier, alias_id, auth_type, cors, invoke_mode,
           created_at, last_modified)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (function_id, qualifier) DO NOTHING`,
        [
          row.url_id,
          row.function_id,
          row.qualifier,
          row.alias_id,
          row.auth_type,
          row.cors,
          row.invoke_mode,
          row.created_at,
          row.last_modified,
        ],
      )
    ).changes > 0,

  update: (db: Queryable, row: FunctionUrlRow) =>
    db.run(
      `UPDATE lambda_function_urls SET auth_type = ?, cors = ?, invoke_mode = ?, last_modified = ?
       WHERE url_id = ?`,
      [row.auth_type, row.cors, row.invoke_mode, row.last_modified, row.url_id],
    ),

  delete: async (db: Queryable, functionId: number, qualifier: string) =>
    (
      await db.run('DELETE FROM lambda_function_urls WHERE function_id = ? AND qualifier = ?', [
        functionId,
        qualifier,
      ])
    ).changes > 0,
};
