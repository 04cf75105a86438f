/**
 * Queries for what hangs off a function or one of its qualifiers: resource-policy statements,
 * provisioned-concurrency configs, event-invoke configs; and the account-wide sums Lambda's limits
 * are checked against. Schema in tables.ts.
 */
import type { Queryable } from '../../storage/store.js';
import type { Region } from './arns.js';

export type PermissionRow = {
  id: number;
  function_id: number;
  /** `$LATEST` for the unqualified function, else a version number or alias name. */
  qualifier: string;
  sid: string;
  statement: string;
};

export type ProvisionedRow = {
  function_id: number;
  qualifier: string;
  requested: number;
  last_modified: number;
};

export type EventInvokeRow = {
  function_id: number;
  qualifier: string;
  maximum_retry_attempts: number | null;
  maximum_event_age: number | null;
  destination_config: string;
  last_modified: number;
};

export const permissionQueries = {
  list: (db: Queryable, functionId: number, qualifier: string) =>
    db.all<PermissionRow>(
      'SELECT * FROM lambda_permissions WHERE function_id = ? AND qualifier = ? ORDER BY id',
      [functionId, qualifier],
    ),

  /** False when the statement id is already used on this qualifier. */
  insert: async (db: Queryable, functionId: number, qualifier: string, sid: string, statement: string) =>
    (
      await db.run(
        `INSERT INTO lambda_permissions (function_id, qualifier, sid, statement) VALUES (?, ?, ?, ?)
         ON CONFLICT (function_id, qualifier, sid) DO NOTHING`,
        [functionId, qualifier, sid, statement],
      )
    ).changes > 0,

  delete: async (db: Queryable, functionId: number, qualifier: string, sid: string) =>
    (
      await db.run('DELETE FROM lambda_permissions WHERE function_id = ? AND qualifier = ? AND sid = ?', [
        functionId,
        qualifier,
        sid,
      ])
    ).changes > 0,

  deleteQualifier: (db: Queryable, functionId: number, qualifier: string) =>
    db.run('DELETE FROM lambda_permissions WHERE function_id = ? AND qualifier = ?', [functionId, qualifier]),
};

export const provisionedQueries = {
  get: (db: Queryable, functionId: number, qualifier: string) =>
    db.get<ProvisionedRow>(
      'SELECT * FROM lambda_provisioned_concurrency WHERE function_id = ? AND qualifier = ?',
      [functionId, qualifier],
    ),

  all: (db: Queryable, functionId: number) =>
    db.all<ProvisionedRow>(
      'SELECT * FROM lambda_provisioned_concurrency WHERE function_id = ? ORDER BY qualifier',
      [functionId],
    ),

  put: (db: Queryable, row: ProvisionedRow) =>
    db.run(
      `INSERT INTO lambda_provisioned_concurrency (function_id, qualifier, requested, last_modified) VALUES (?, ?, ?, ?)
       ON CONFLICT (function_id, qualifier) DO UPDATE SET requested = excluded.requested, last_modified = excluded.last_modified`,
      [row.function_id, row.qualifier, row.requested, row.last_modified],
    ),

  delete: (db: Queryable, functionId: number, qualifier: string) =>
    db.run('DELETE FROM lambda_provisioned_concurrency WHERE function_id = ? AND qualifier = ?', [
      functionId,
      qualifier,
    ]),
};

export const eventInvokeQueries = {
  get: (db: Queryable, functionId: number, qualifier: string) =>
    db.get<EventInvokeRow>(
      'SELECT * FROM lambda_event_invoke_configs WHERE function_id = ? AND qualifier = ?',
      [functionId, qualifier],
    ),

  all: (db: Queryable, functionId: number) =>
    db.all<EventInvokeRow>(
      'SELECT * FROM lambda_event_invoke_configs WHERE function_id = ? ORDER BY qualifier',
      [functionId],
    ),

  put: (db: Queryable, row: EventInvokeRow) =>
    db.run(
      `INSERT INTO lambda_event_invoke_configs
         (function_id, qualifier, maximum_retry_attempts, maximum_event_age, destination_config, last_modified)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (function_id, qualifier) DO UPDATE SET maximum_retry_attempts = excluded.maximum_retry_attempts,
         maximum_event_age = excluded.maximum_event_age, destination_config = excluded.destination_config,
         last_modified = excluded.last_modified`,
      [
        row.function_id,
        row.qualifier,
        row.maximum_retry_attempts,
        row.maximum_event_age,
        row.destination_config,
        row.last_modified,
      ],
    ),

  delete: async (db: Queryable, functionId: number, qualifier: string) =>
    (
      await db.run('DELETE FROM lambda_event_invoke_configs WHERE function_id = ? AND qualifier = ?', [
        functionId,
        qualifier,
      ])
    ).changes > 0,
};

/** Cleans what a deleted version leaves behind on its qualifier. */
export async function deleteQualifierSettings(
  db: Queryable,
  functionId: number,
  qualifier: string,
): Promise<void> {
  await permissionQueries.deleteQualifier(db, functionId, qualifier);
  await provisionedQueries.delete(db, functionId, qualifier);
  await db.run('DELETE FROM lambda_event_invoke_configs WHERE function_id = ? AND qualifier = ?', [
    functionId,
    qualifier,
  ]);
}

export const accountQueries = {
  /** Bytes of deployment packages kept: every function version and every layer version. */
  totalCodeSize: async (db: Queryable, at: Region) => {
    const row = await db.get<{ functions: number; layers: number }>(
      `SELECT
         (SELECT COALESCE(SUM(v.code_size), 0) FROM lambda_versions v JOIN lambda_functions f ON f.id = v.function_id
          WHERE f.account_id = ? AND f.region = ?) AS functions,
         (SELECT COALESCE(SUM(lv.code_size), 0) FROM lambda_layer_versions lv JOIN lambda_layers l ON l.id = lv.layer_id
          WHERE l.account_id = ? AND l.region = ?) AS layers`,
      [at.accountId, at.region, at.accountId, at.region],
    );
    return Number(row?.functions ?? 0) + Number(row?.layers ?? 0);
  },

  functionCount: async (db: Queryable, at: Region) =>
    Number(
      (
        await db.get<{ n: number }>(
          'SELECT COUNT(*) AS n FROM lambda_functions WHERE account_id = ? AND region = ?',
          [at.accountId, at.region],
        )
      )?.n ?? 0,
    ),

  /** Per function: its reserved concurrency and the sum of its provisioned concurrency. */
  concurrencyClaims: (db: Queryable, at: Region) =>
    db.all<{ id: number; reserved: number | null; provisioned: number }>(
      `SELECT f.id, f.reserved_concurrency AS reserved,
         (SELECT COALESCE(SUM(p.requested), 0) FROM lambda_provisioned_concurrency p WHERE p.function_id = f.id) AS provisioned
       FROM lambda_functions f WHERE f.account_id = ? AND f.region = ?`,
      [at.accountId, at.region],
    ),
};
