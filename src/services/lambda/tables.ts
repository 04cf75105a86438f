/**
 * Lambda's schema and its function, version and alias queries. A function owns its versions
 * (`$LATEST` is a row like the published ones, with `version_number` 0), aliases, permissions,
 * provisioned-concurrency and event-invoke configs; deleting the function cascades. Layers live
 * apart (see layer-tables.ts) because functions keep working after a layer version is deleted.
 */
import type { Migration, Queryable, SqlValue } from '../../storage/store.js';
import type { Region } from './arns.js';

/** Every table of the service (those of metering-tables.ts and event-source-tables.ts too), parents before children. */
export const lambdaTables: readonly string[] = [
  'lambda_functions',
  'lambda_versions',
  'lambda_aliases',
  'lambda_permissions',
  'lambda_provisioned_concurrency',
  'lambda_event_invoke_configs',
  'lambda_layers',
  'lambda_layer_versions',
  'lambda_usage',
  'lambda_event_source_mappings',
  'lambda_stream_shards',
];

export const lambdaMigrations: readonly Migration[] = [
  {
    id: 'lambda-001-functions-layers',
    up: (d) => `
      CREATE TABLE lambda_functions (
        id ${d.autoIncrementPrimaryKey},
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        last_published INTEGER NOT NULL,
        reserved_concurrency INTEGER,
        tags TEXT NOT NULL,
        UNIQUE (account_id, region, name)
      );
      CREATE TABLE lambda_versions (
        id ${d.autoIncrementPrimaryKey},
        function_id BIGINT NOT NULL REFERENCES lambda_functions (id) ON DELETE CASCADE,
        version TEXT NOT NULL,
        version_number INTEGER NOT NULL,
        config TEXT NOT NULL,
        code_sha256 TEXT NOT NULL,
        code_size BIGINT NOT NULL,
        unzipped_size BIGINT NOT NULL,
        fingerprint TEXT NOT NULL,
        revision_id TEXT NOT NULL,
        last_modified BIGINT NOT NULL,
        UNIQUE (function_id, version)
      );
      CREATE INDEX lambda_versions_by_code ON lambda_versions (code_sha256);
      CREATE TABLE lambda_aliases (
        id ${d.autoIncrementPrimaryKey},
        function_id BIGINT NOT NULL REFERENCES lambda_functions (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        function_version TEXT NOT NULL,
        description TEXT NOT NULL,
        routing TEXT,
        revision_id TEXT NOT NULL,
        UNIQUE (function_id, name)
      );
      CREATE TABLE lambda_permissions (
        id ${d.autoIncrementPrimaryKey},
        function_id BIGINT NOT NULL REFERENCES lambda_functions (id) ON DELETE CASCADE,
        qualifier TEXT NOT NULL,
        sid TEXT NOT NULL,
        statement TEXT NOT NULL,
        UNIQUE (function_id, qualifier, sid)
      );
      CREATE TABLE lambda_provisioned_concurrency (
        function_id BIGINT NOT NULL REFERENCES lambda_functions (id) ON DELETE CASCADE,
        qualifier TEXT NOT NULL,
        requested INTEGER NOT NULL,
        last_modified BIGINT NOT NULL,
        PRIMARY KEY (function_id, qualifier)
      );
      CREATE TABLE lambda_event_invoke_configs (
        function_id BIGINT NOT NULL REFERENCES lambda_functions (id) ON DELETE CASCADE,
        qualifier TEXT NOT NULL,
        maximum_retry_attempts INTEGER,
        maximum_event_age INTEGER,
        destination_config TEXT NOT NULL,
        last_modified BIGINT NOT NULL,
        PRIMARY KEY (function_id, qualifier)
      );
      CREATE TABLE lambda_layers (
        id ${d.autoIncrementPrimaryKey},
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        last_version INTEGER NOT NULL,
        UNIQUE (account_id, region, name)
      );
      CREATE TABLE lambda_layer_versions (
        id ${d.autoIncrementPrimaryKey},
        layer_id BIGINT NOT NULL REFERENCES lambda_layers (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        description TEXT NOT NULL,
        license_info TEXT,
        compatible_runtimes TEXT NOT NULL,
        compatible_architectures TEXT NOT NULL,
        code_sha256 TEXT NOT NULL,
        code_size BIGINT NOT NULL,
        unzipped_size BIGINT NOT NULL,
        created_at BIGINT NOT NULL,
        UNIQUE (layer_id, version)
      );
    `,
  },
];

export type FunctionRow = {
  id: number;
  account_id: string;
  region: string;
  name: string;
  created_at: number;
  last_published: number;
  reserved_concurrency: number | null;
  tags: string;
};

export type VersionRow = {
  id: number;
  function_id: number;
  /** `$LATEST` or a published number. */
  version: string;
  /** 0 for `$LATEST`: the sort key of versions. */
  version_number: number;
  /** JSON of a `VersionConfig` (configuration.ts). */
  config: string;
  /** Hex SHA-256 of the deployment package: its blob and its extracted directory. */
  code_sha256: string;
  code_size: number;
  unzipped_size: number;
  /** What the version runs (code + configuration), to tell whether publishing changes anything. */
  fingerprint: string;
  revision_id: string;
  last_modified: number;
};

export type AliasRow = {
  id: number;
  function_id: number;
  name: string;
  function_version: string;
  description: string;
  /** JSON of `AdditionalVersionWeights`, or null. */
  routing: string | null;
  revision_id: string;
};

export type NewVersion = Omit<VersionRow, 'id'>;

export const functionQueries = {
  byName: (db: Queryable, at: Region, name: string) =>
    db.get<FunctionRow>('SELECT * FROM lambda_functions WHERE account_id = ? AND region = ? AND name = ?', [
      at.accountId,
      at.region,
      name,
    ]),

  /** The new function's id, or undefined when the name is taken. */
  insert: async (db: Queryable, at: Region, fn: { name: string; createdAt: number; tags: string }) =>
    (
      await db.get<{ id: number }>(
        `INSERT INTO lambda_functions (account_id, region, name, created_at, last_published, tags)
         VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (account_id, region, name) DO NOTHING RETURNING id`,
        [at.accountId, at.region, fn.name, fn.createdAt, fn.tags],
      )
    )?.id,

  delete: (db: Queryable, id: number) => db.run('DELETE FROM lambda_functions WHERE id = ?', [id]),

  /** Locks the function's row until the transaction ends, serializing publishes on PostgreSQL. */
  lock: (db: Queryable, id: number) =>
    db.run('UPDATE lambda_functions SET last_published = last_published WHERE id = ?', [id]),

  /** Takes the next version number. */
  takeVersionNumber: async (db: Queryable, id: number) =>
    (await db.get<{ last_published: number }>(
      'UPDATE lambda_functions SET last_published = last_published + 1 WHERE id = ? RETURNING last_published',
      [id],
    ))!.last_published,

  setTags: (db: Queryable, id: number, tags: Record<string, string>) =>
    db.run('UPDATE lambda_functions SET tags = ? WHERE id = ?', [JSON.stringify(tags), id]),

  setReservedConcurrency: (db: Queryable, id: number, reserved: number | null) =>
    db.run('UPDATE lambda_functions SET reserved_concurrency = ? WHERE id = ?', [reserved, id]),

  /** Functions with their versions (all, or only `$LATEST`) in (name, version) order after a position. */
  listVersions: (
    db: Queryable,
    at: Region,
    page: { allVersions: boolean; after?: { name: string; versionNumber: number }; limit: number },
  ) => {
    const params: SqlValue[] = [at.accountId, at.region];
    let where = 'f.account_id = ? AND f.region = ?';
    if (!page.allVersions) where += ' AND v.version_number = 0';
    if (page.after) {
      where += ' AND (f.name > ? OR (f.name = ? AND v.version_number > ?))';
      params.push(page.after.name, page.after.name, page.after.versionNumber);
    }
    params.push(page.limit);
    return db.all<VersionRow & { function_name: string }>(
      `SELECT v.*, f.name AS function_name FROM lambda_versions v JOIN lambda_functions f ON f.id = v.function_id
       WHERE ${where} ORDER BY f.name, v.version_number LIMIT ?`,
      params,
    );
  },
};

export const versionQueries = {
  get: (db: Queryable, functionId: number, version: string) =>
    db.get<VersionRow>('SELECT * FROM lambda_versions WHERE function_id = ? AND version = ?', [
      functionId,
      version,
    ]),

  all: (db: Queryable, functionId: number) =>
    db.all<VersionRow>('SELECT * FROM lambda_versions WHERE function_id = ? ORDER BY version_number', [
      functionId,
    ]),

  latestPublished: (db: Queryable, functionId: number) =>
    db.get<VersionRow>(
      'SELECT * FROM lambda_versions WHERE function_id = ? AND version_number > 0 ORDER BY version_number DESC LIMIT 1',
      [functionId],
    ),

  insert: (db: Queryable, v: NewVersion) =>
    db.run(
      `INSERT INTO lambda_versions (function_id, version, version_number, config, code_sha256, code_size,
         unzipped_size, fingerprint, revision_id, last_modified)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        v.function_id,
        v.version,
        v.version_number,
        v.config,
        v.code_sha256,
        v.code_size,
        v.unzipped_size,
        v.fingerprint,
        v.revision_id,
        v.last_modified,
      ],
    ),

  /**
   * Replaces `$LATEST`'s code and configuration. With `expectedRevision`, only if the revision is
   * still that one (false otherwise): the compare-and-set behind RevisionId preconditions.
   */
  replace: async (
    db: Queryable,
    id: number,
    v: Pick<
      VersionRow,
      | 'config'
      | 'code_sha256'
      | 'code_size'
      | 'unzipped_size'
      | 'fingerprint'
      | 'revision_id'
      | 'last_modified'
    >,
    expectedRevision?: string,
  ) =>
    (
      await db.run(
        `UPDATE lambda_versions SET config = ?, code_sha256 = ?, code_size = ?, unzipped_size = ?, fingerprint = ?,
           revision_id = ?, last_modified = ?
         WHERE id = ?${expectedRevision !== undefined ? ' AND revision_id = ?' : ''}`,
        [
          v.config,
          v.code_sha256,
          v.code_size,
          v.unzipped_size,
          v.fingerprint,
          v.revision_id,
          v.last_modified,
          id,
          ...(expectedRevision !== undefined ? [expectedRevision] : []),
        ],
      )
    ).changes > 0,

  setRevision: (db: Queryable, id: number, revisionId: string) =>
    db.run('UPDATE lambda_versions SET revision_id = ? WHERE id = ?', [revisionId, id]),

  delete: (db: Queryable, id: number) => db.run('DELETE FROM lambda_versions WHERE id = ?', [id]),
};

export const aliasQueries = {
  get: (db: Queryable, functionId: number, name: string) =>
    db.get<AliasRow>('SELECT * FROM lambda_aliases WHERE function_id = ? AND name = ?', [functionId, name]),

  all: (db: Queryable, functionId: number) =>
    db.all<AliasRow>('SELECT * FROM lambda_aliases WHERE function_id = ? ORDER BY name', [functionId]),

  insert: async (db: Queryable, alias: Omit<AliasRow, 'id'>) =>
    (
      await db.run(
        `INSERT INTO lambda_aliases (function_id, name, function_version, description, routing, revision_id)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (function_id, name) DO NOTHING`,
        [
          alias.function_id,
          alias.name,
          alias.function_version,
          alias.description,
          alias.routing,
          alias.revision_id,
        ],
      )
    ).changes > 0,

  /** Like `versionQueries.replace`: false when `expectedRevision` no longer matches. */
  update: async (
    db: Queryable,
    id: number,
    alias: Pick<AliasRow, 'function_version' | 'description' | 'routing' | 'revision_id'>,
    expectedRevision?: string,
  ) =>
    (
      await db.run(
        `UPDATE lambda_aliases SET function_version = ?, description = ?, routing = ?, revision_id = ?
         WHERE id = ?${expectedRevision !== undefined ? ' AND revision_id = ?' : ''}`,
        [
          alias.function_version,
          alias.description,
          alias.routing,
          alias.revision_id,
          id,
          ...(expectedRevision !== undefined ? [expectedRevision] : []),
        ],
      )
    ).changes > 0,

  setRevision: (db: Queryable, id: number, revisionId: string) =>
    db.run('UPDATE lambda_aliases SET revision_id = ? WHERE id = ?', [revisionId, id]),

  delete: (db: Queryable, id: number) => db.run('DELETE FROM lambda_aliases WHERE id = ?', [id]),
};
