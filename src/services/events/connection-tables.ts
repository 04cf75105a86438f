/** Queries of connections and API destinations (schema: tables.ts). */
import type { Queryable } from '../../storage/store.js';
import type { Region } from './arns.js';

export interface ConnectionRow extends Record<string, unknown> {
  arn: string;
  account_id: string;
  region: string;
  name: string;
  description: string | null;
  authorization_type: string;
  /** The AuthParameters as given, secrets included (AWS keeps them in Secrets Manager). */
  auth_parameters: string;
  kms_key_identifier: string | null;
  state: string;
  state_reason: string | null;
  secret_arn: string;
  access_token: string | null;
  token_expires_at: number | null;
  created_at: number;
  modified_at: number;
  authorized_at: number | null;
}

export interface ApiDestinationRow extends Record<string, unknown> {
  arn: string;
  account_id: string;
  region: string;
  name: string;
  description: string | null;
  connection_arn: string;
  invocation_endpoint: string;
  http_method: string;
  rate_limit: number | null;
  state: string;
  created_at: number;
  modified_at: number;
}

function byName<T extends Record<string, unknown>>(db: Queryable, table: string, at: Region, name: string) {
  return db.get<T>(`SELECT * FROM ${table} WHERE account_id = ? AND region = ? AND name = ?`, [
    at.accountId,
    at.region,
    name,
  ]);
}

function listed<T extends Record<string, unknown>>(
  db: Queryable,
  table: string,
  at: Region,
  prefix: string,
  filter: { column: string; value: string } | undefined,
  after: string,
  limit: number,
) {
  return db.all<T>(
    `SELECT * FROM ${table} WHERE account_id = ? AND region = ? AND name > ? AND substr(name, 1, ?) = ?
     ${filter ? `AND ${filter.column} = ?` : ''} ORDER BY name LIMIT ?`,
    [at.accountId, at.region, after, prefix.length, prefix, ...(filter ? [filter.value] : []), limit],
  );
}

export const connectionQueries = {
  get: (db: Queryable, at: Region, name: string) => byName<ConnectionRow>(db, 'events_connections', at, name),

  byArn: (db: Queryable, arn: string) =>
    db.get<ConnectionRow>('SELECT * FROM events_connections WHERE arn = ?', [arn]),

  insert: (db: Queryable, c: ConnectionRow) =>
    db.run(
      `INSERT INTO events_connections (arn, account_id, region, name, description, authorization_type,
         auth_parameters, kms_key_identifier, state, state_reason, secret_arn, access_token,
         token_expires_at, created_at, modified_at, authorized_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        c.arn,
        c.account_id,
        c.region,
        c.name,
        c.description,
        c.authorization_type,
        c.auth_parameters,
        c.kms_key_identifier,
        c.state,
        c.state_reason,
        c.secret_arn,
        c.access_token,
        c.token_expires_at,
        c.created_at,
        c.modified_at,
        c.authorized_at,
      ],
    ),

  update: (db: Queryable, c: ConnectionRow) =>
    db.run(
      `UPDATE events_connections SET description = ?, authorization_type = ?, auth_parameters = ?,
         kms_key_identifier = ?, state = ?, state_reason = ?, access_token = ?, token_expires_at = ?,
         modified_at = ?, authorized_at = ? WHERE arn = ?`,
      [
        c.description,
        c.authorization_type,
        c.auth_parameters,
        c.kms_key_identifier,
        c.state,
        c.state_reason,
        c.access_token,
        c.token_expires_at,
        c.modified_at,
        c.authorized_at,
        c.arn,
      ],
    ),

  delete: (db: Queryable, arn: string) => db.run('DELETE FROM events_connections WHERE arn = ?', [arn]),

  list: (
    db: Queryable,
    at: Region,
    prefix: string,
    state: string | undefined,
    after: string,
    limit: number,
  ) =>
    listed<ConnectionRow>(
      db,
      'events_connections',
      at,
      prefix,
      state === undefined ? undefined : { column: 'state', value: state },
      after,
      limit,
    ),
};

export const apiDestinationQueries = {
  get: (db: Queryable, at: Region, name: string) =>
    byName<ApiDestinationRow>(db, 'events_api_destinations', at, name),

  insert: (db: Queryable, a: ApiDestinationRow) =>
    db.run(
      `INSERT INTO events_api_destinations (arn, account_id, region, name, description, connection_arn,
         invocation_endpoint, http_method, rate_limit, state, created_at, modified_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        a.arn,
        a.account_id,
        a.region,
        a.name,
        a.description,
        a.connection_arn,
        a.invocation_endpoint,
        a.http_method,
        a.rate_limit,
        a.state,
        a.created_at,
        a.modified_at,
      ],
    ),

  update: (db: Queryable, a: ApiDestinationRow) =>
    db.run(
      `UPDATE events_api_destinations SET description = ?, connection_arn = ?, invocation_endpoint = ?,
         http_method = ?, rate_limit = ?, modified_at = ? WHERE arn = ?`,
      [
        a.description,
        a.connection_arn,
        a.invocation_endpoint,
        a.http_method,
        a.rate_limit,
        a.modified_at,
        a.arn,
      ],
    ),

  delete: (db: Queryable, arn: string) => db.run('DELETE FROM events_api_destinations WHERE arn = ?', [arn]),

  list: (
    db: Queryable,
    at: Region,
    prefix: string,
    connectionArn: string | undefined,
    after: string,
    limit: number,
  ) =>
    listed<ApiDestinationRow>(
      db,
      'events_api_destinations',
      at,
      prefix,
      connectionArn === undefined ? undefined : { column: 'connection_arn', value: connectionArn },
      after,
      limit,
    ),
};
