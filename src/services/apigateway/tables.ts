/**
 * API Gateway's schema and every query it runs. An API's configuration is small and read as a
 * whole, so each row keeps its AWS shape as JSON (`RestApi`, `Resource` with its methods and
 * their integrations, `Stage`): what a Get answers is what is stored. A deployment keeps a
 * snapshot of the API as it was deployed; deployments never change, so the invoke path caches
 * a deployment's compiled routes by its id and reads only the stage row per request.
 *
 * API ids are unique across REST, HTTP and WebSocket APIs (one table, `kind` telling them
 * apart), as on AWS, where one invoke host name serves all three.
 */
import type { Migration, Queryable } from '../../storage/store.js';

export const apigatewayTables: readonly string[] = [
  'apigateway_apis',
  'apigateway_resources',
  'apigateway_routes',
  'apigateway_integrations',
  'apigateway_authorizers',
  'apigateway_deployments',
  'apigateway_stages',
  'apigateway_api_keys',
  'apigateway_usage_plans',
  'apigateway_usage_plan_keys',
  'apigateway_quota_counters',
  'apigateway_daily_usage',
];

export const apigatewayMigrations: readonly Migration[] = [
  {
    id: 'apigateway-001-apis',
    up: () => `
      CREATE TABLE apigateway_apis (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        kind TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        document TEXT NOT NULL
      );
      CREATE INDEX apigateway_apis_by_region ON apigateway_apis (account_id, region, kind, id);
      CREATE TABLE apigateway_resources (
        api_id TEXT NOT NULL REFERENCES apigateway_apis (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        parent_id TEXT,
        path TEXT NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (api_id, id)
      );
      CREATE UNIQUE INDEX apigateway_resources_by_path ON apigateway_resources (api_id, path);
      CREATE TABLE apigateway_routes (
        api_id TEXT NOT NULL REFERENCES apigateway_apis (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        route_key TEXT NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (api_id, id)
      );
      CREATE UNIQUE INDEX apigateway_routes_by_key ON apigateway_routes (api_id, route_key);
      CREATE TABLE apigateway_integrations (
        api_id TEXT NOT NULL REFERENCES apigateway_apis (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (api_id, id)
      );
      CREATE TABLE apigateway_authorizers (
        api_id TEXT NOT NULL REFERENCES apigateway_apis (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (api_id, id)
      );
      CREATE TABLE apigateway_deployments (
        api_id TEXT NOT NULL REFERENCES apigateway_apis (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        document TEXT NOT NULL,
        snapshot TEXT NOT NULL,
        PRIMARY KEY (api_id, id)
      );
      CREATE TABLE apigateway_stages (
        api_id TEXT NOT NULL REFERENCES apigateway_apis (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        deployment_id TEXT,
        created_at BIGINT NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (api_id, name)
      );
    `,
  },
  {
    // API keys, usage plans and what callers used of their quotas. A key's value is unique in
    // its account and region: the invoke path looks keys up by value.
    id: 'apigateway-002-usage-plans',
    up: () => `
      CREATE TABLE apigateway_api_keys (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        value TEXT NOT NULL,
        document TEXT NOT NULL
      );
      CREATE UNIQUE INDEX apigateway_api_keys_by_value ON apigateway_api_keys (account_id, region, value);
      CREATE TABLE apigateway_usage_plans (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        document TEXT NOT NULL
      );
      CREATE INDEX apigateway_usage_plans_by_region ON apigateway_usage_plans (account_id, region, id);
      CREATE TABLE apigateway_usage_plan_keys (
        plan_id TEXT NOT NULL REFERENCES apigateway_usage_plans (id) ON DELETE CASCADE,
        key_id TEXT NOT NULL REFERENCES apigateway_api_keys (id) ON DELETE CASCADE,
        PRIMARY KEY (plan_id, key_id)
      );
      CREATE INDEX apigateway_usage_plan_keys_by_key ON apigateway_usage_plan_keys (key_id);
      CREATE TABLE apigateway_quota_counters (
        plan_id TEXT NOT NULL REFERENCES apigateway_usage_plans (id) ON DELETE CASCADE,
        key_id TEXT NOT NULL REFERENCES apigateway_api_keys (id) ON DELETE CASCADE,
        period_start BIGINT NOT NULL,
        used BIGINT NOT NULL,
        PRIMARY KEY (plan_id, key_id, period_start)
      );
      CREATE TABLE apigateway_daily_usage (
        plan_id TEXT NOT NULL REFERENCES apigateway_usage_plans (id) ON DELETE CASCADE,
        key_id TEXT NOT NULL REFERENCES apigateway_api_keys (id) ON DELETE CASCADE,
        day TEXT NOT NULL,
        used BIGINT NOT NULL,
        remaining BIGINT NOT NULL,
        PRIMARY KEY (plan_id, key_id, day)
      );
    `,
  },
];

export type ApiKind = 'REST' | 'HTTP' | 'WEBSOCKET';

export type ApiRow = {
  id: string;
  account_id: string;
  region: string;
  kind: ApiKind;
  created_at: number;
  document: string;
};

/** A route or an integration of an HTTP or WebSocket API. */
export type ApiPartRow = {
  api_id: string;
  id: string;
  document: string;
};

export type ResourceRow = {
  api_id: string;
  id: string;
  parent_id: string | null;
  path: string;
  document: string;
};

export type DeploymentRow = {
  api_id: string;
  id: string;
  created_at: number;
  document: string;
  snapshot: string;
};

export type StageRow = {
  api_id: string;
  name: string;
  deployment_id: string | null;
  created_at: number;
  document: string;
};

/** Where an API lives: ids are global, but an API is only visible in its account and region. */
export interface ApiPlace {
  accountId: string;
  region: string;
}

export const apiQueries = {
  insert: (db: Queryable, row: ApiRow) =>
    db.run(
      'INSERT INTO apigateway_apis (id, account_id, region, kind, created_at, document) VALUES (?, ?, ?, ?, ?, ?)',
      [row.id, row.account_id, row.region, row.kind, row.created_at, row.document],
    ),
  find: (db: Queryable, at: ApiPlace, kind: ApiKind, id: string) =>
    db.get<ApiRow>(
      'SELECT * FROM apigateway_apis WHERE id = ? AND account_id = ? AND region = ? AND kind = ?',
      [id, at.accountId, at.region, kind],
    ),
  /** The API an invoke host or path names, in whichever account it is. */
  findAnywhere: (db: Queryable, id: string) =>
    db.get<ApiRow>('SELECT * FROM apigateway_apis WHERE id = ?', [id]),
  list: (db: Queryable, at: ApiPlace, kind: ApiKind, after: string, limit: number) =>
    db.all<ApiRow>(
      `SELECT * FROM apigateway_apis WHERE account_id = ? AND region = ? AND kind = ? AND id > ?
       ORDER BY id LIMIT ?`,
      [at.accountId, at.region, kind, after, limit],
    ),
  update: (db: Queryable, id: string, document: string) =>
    db.run('UPDATE apigateway_apis SET document = ? WHERE id = ?', [document, id]),
  delete: (db: Queryable, id: string) => db.run('DELETE FROM apigateway_apis WHERE id = ?', [id]),
};

export const resourceQueries = {
  insert: (db: Queryable, row: ResourceRow) =>
    db.run(
      'INSERT INTO apigateway_resources (api_id, id, parent_id, path, document) VALUES (?, ?, ?, ?, ?)',
      [row.api_id, row.id, row.parent_id, row.path, row.document],
    ),
  find: (db: Queryable, apiId: string, id: string, lock = '') =>
    db.get<ResourceRow>(`SELECT * FROM apigateway_resources WHERE api_id = ? AND id = ? ${lock}`, [
      apiId,
      id,
    ]),
  all: (db: Queryable, apiId: string) =>
    db.all<ResourceRow>('SELECT * FROM apigateway_resources WHERE api_id = ? ORDER BY path', [apiId]),
  children: (db: Queryable, apiId: string, parentId: string) =>
    db.all<ResourceRow>('SELECT * FROM apigateway_resources WHERE api_id = ? AND parent_id = ?', [
      apiId,
      parentId,
    ]),
  update: (db: Queryable, apiId: string, id: string, document: string) =>
    db.run('UPDATE apigateway_resources SET document = ? WHERE api_id = ? AND id = ?', [document, apiId, id]),
  /** A resource and everything under it (`path` prefix; the root is never deleted). */
  deleteTree: (db: Queryable, apiId: string, path: string) =>
    db.run("DELETE FROM apigateway_resources WHERE api_id = ? AND (path = ? OR path LIKE ? ESCAPE '\\')", [
      apiId,
      path,
      `${path.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`,
    ]),
};

/** Routes and integrations of HTTP and WebSocket APIs: the same queries on two tables. */
function partQueries(table: 'apigateway_routes' | 'apigateway_integrations' | 'apigateway_authorizers') {
  return {
    find: (db: Queryable, apiId: string, id: string) =>
      db.get<ApiPartRow>(`SELECT api_id, id, document FROM ${table} WHERE api_id = ? AND id = ?`, [
        apiId,
        id,
      ]),
    all: (db: Queryable, apiId: string) =>
      db.all<ApiPartRow>(`SELECT api_id, id, document FROM ${table} WHERE api_id = ? ORDER BY id`, [apiId]),
    delete: (db: Queryable, apiId: string, id: string) =>
      db.run(`DELETE FROM ${table} WHERE api_id = ? AND id = ?`, [apiId, id]),
  };
}

export const routeQueries = {
  ...partQueries('apigateway_routes'),
  insert: (db: Queryable, row: ApiPartRow & { route_key: string }) =>
    db.run('INSERT INTO apigateway_routes (api_id, id, route_key, document) VALUES (?, ?, ?, ?)', [
      row.api_id,
      row.id,
      row.route_key,
      row.document,
    ]),
  findByKey: (db: Queryable, apiId: string, routeKey: string) =>
    db.get<ApiPartRow>(
      'SELECT api_id, id, document FROM apigateway_routes WHERE api_id = ? AND route_key = ?',
      [apiId, routeKey],
    ),
  update: (db: Queryable, apiId: string, id: string, routeKey: string, document: string) =>
    db.run('UPDATE apigateway_routes SET route_key = ?, document = ? WHERE api_id = ? AND id = ?', [
      routeKey,
      document,
      apiId,
      id,
    ]),
};

export const integrationQueries = {
  ...partQueries('apigateway_integrations'),
  insert: (db: Queryable, row: ApiPartRow) =>
    db.run('INSERT INTO apigateway_integrations (api_id, id, document) VALUES (?, ?, ?)', [
      row.api_id,
      row.id,
      row.document,
    ]),
  update: (db: Queryable, apiId: string, id: string, document: string) =>
    db.run('UPDATE apigateway_integrations SET document = ? WHERE api_id = ? AND id = ?', [
      document,
      apiId,
      id,
    ]),
};

/** Authorizers of REST, HTTP and WebSocket APIs, each row the API version's own shape. */
export const authorizerQueries = {
  ...partQueries('apigateway_authorizers'),
  insert: (db: Queryable, row: ApiPartRow) =>
    db.run('INSERT INTO apigateway_authorizers (api_id, id, document) VALUES (?, ?, ?)', [
      row.api_id,
      row.id,
      row.document,
    ]),
  update: (db: Queryable, apiId: string, id: string, document: string) =>
    db.run('UPDATE apigateway_authorizers SET document = ? WHERE api_id = ? AND id = ?', [
      document,
      apiId,
      id,
    ]),
};

export const deploymentQueries = {
  insert: (db: Queryable, row: DeploymentRow) =>
    db.run(
      'INSERT INTO apigateway_deployments (api_id, id, created_at, document, snapshot) VALUES (?, ?, ?, ?, ?)',
      [row.api_id, row.id, row.created_at, row.document, row.snapshot],
    ),
  find: (db: Queryable, apiId: string, id: string) =>
    db.get<DeploymentRow>('SELECT * FROM apigateway_deployments WHERE api_id = ? AND id = ?', [apiId, id]),
  all: (db: Queryable, apiId: string) =>
    db.all<Omit<DeploymentRow, 'snapshot'>>(
      'SELECT api_id, id, created_at, document FROM apigateway_deployments WHERE api_id = ? ORDER BY created_at, id',
      [apiId],
    ),
  update: (db: Queryable, apiId: string, id: string, document: string) =>
    db.run('UPDATE apigateway_deployments SET document = ? WHERE api_id = ? AND id = ?', [
      document,
      apiId,
      id,
    ]),
  delete: (db: Queryable, apiId: string, id: string) =>
    db.run('DELETE FROM apigateway_deployments WHERE api_id = ? AND id = ?', [apiId, id]),
};

export const stageQueries = {
  insert: (db: Queryable, row: StageRow) =>
    db.run(
      'INSERT INTO apigateway_stages (api_id, name, deployment_id, created_at, document) VALUES (?, ?, ?, ?, ?)',
      [row.api_id, row.name, row.deployment_id, row.created_at, row.document],
    ),
  find: (db: Queryable, apiId: string, name: string) =>
    db.get<StageRow>('SELECT * FROM apigateway_stages WHERE api_id = ? AND name = ?', [apiId, name]),
  all: (db: Queryable, apiId: string) =>
    db.all<StageRow>('SELECT * FROM apigateway_stages WHERE api_id = ? ORDER BY name', [apiId]),
  byDeployment: (db: Queryable, apiId: string, deploymentId: string) =>
    db.all<StageRow>('SELECT * FROM apigateway_stages WHERE api_id = ? AND deployment_id = ?', [
      apiId,
      deploymentId,
    ]),
  update: (db: Queryable, apiId: string, name: string, deploymentId: string | null, document: string) =>
    db.run('UPDATE apigateway_stages SET deployment_id = ?, document = ? WHERE api_id = ? AND name = ?', [
      deploymentId,
      document,
      apiId,
      name,
    ]),
  delete: (db: Queryable, apiId: string, name: string) =>
    db.run('DELETE FROM apigateway_stages WHERE api_id = ? AND name = ?', [apiId, name]),
};
