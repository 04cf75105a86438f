/**
 * The tables of WebSocket APIs: the connections each node holds, posts waiting for the node that
 * holds their connection, route responses, integration responses and models. Their migrations
 * come after the API tables' (tables.ts), which their rows reference.
 */
import type { Migration, Queryable } from '../../../storage/store.js';

/**
 * WebSocket APIs: who is connected, and route responses (a route that has one answers the client
 * with its integration's result). A connection's socket lives in one node's process, `node`;
 * another node hands it what to send through `apigateway_connection_posts`, which the owning node
 * drains while it holds connections.
 */
export const apigatewayWebSocketMigrations: readonly Migration[] = [
  {
    id: 'apigateway-003-connections',
    up: (dialect) => `
      CREATE TABLE apigateway_connections (
        id TEXT PRIMARY KEY,
        api_id TEXT NOT NULL REFERENCES apigateway_apis (id) ON DELETE CASCADE,
        account_id TEXT NOT NULL,
        stage TEXT NOT NULL,
        connected_at BIGINT NOT NULL,
        last_active_at BIGINT NOT NULL,
        source_ip TEXT NOT NULL,
        user_agent TEXT NOT NULL,
        node TEXT NOT NULL
      );
      CREATE INDEX apigateway_connections_by_node ON apigateway_connections (node);
      CREATE TABLE apigateway_connection_posts (
        id ${dialect.autoIncrementPrimaryKey},
        node TEXT NOT NULL,
        connection_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        data ${dialect.bytes},
        posted_at BIGINT NOT NULL
      );
      CREATE INDEX apigateway_connection_posts_by_node ON apigateway_connection_posts (node, id);
    `,
  },
  {
    id: 'apigateway-004-route-responses',
    up: () => `
      CREATE TABLE apigateway_route_responses (
        api_id TEXT NOT NULL,
        route_id TEXT NOT NULL,
        id TEXT NOT NULL,
        route_response_key TEXT NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (api_id, id),
        FOREIGN KEY (api_id, route_id) REFERENCES apigateway_routes (api_id, id) ON DELETE CASCADE
      );
      CREATE UNIQUE INDEX apigateway_route_responses_by_key
        ON apigateway_route_responses (api_id, route_id, route_response_key);
    `,
  },
  {
    // Integration responses map a non-proxy integration's answer for a two-way route; models are
    // the JSON schemas routes validate messages against (API Gateway v2 has them for WebSocket
    // APIs only, apart from REST APIs' models).
    id: 'apigateway-007-websocket-integration-responses-models',
    up: () => `
      CREATE TABLE apigateway_integration_responses (
        api_id TEXT NOT NULL,
        integration_id TEXT NOT NULL,
        id TEXT NOT NULL,
        integration_response_key TEXT NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (api_id, id),
        FOREIGN KEY (api_id, integration_id) REFERENCES apigateway_integrations (api_id, id) ON DELETE CASCADE
      );
      CREATE UNIQUE INDEX apigateway_integration_responses_by_key
        ON apigateway_integration_responses (api_id, integration_id, integration_response_key);
      CREATE TABLE apigateway_v2_models (
        api_id TEXT NOT NULL REFERENCES apigateway_apis (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (api_id, id)
      );
      CREATE UNIQUE INDEX apigateway_v2_models_by_name ON apigateway_v2_models (api_id, name);
    `,
  },
];

export const apigatewayWebSocketTables: readonly string[] = [
  'apigateway_connections',
  'apigateway_connection_posts',
  'apigateway_route_responses',
  'apigateway_integration_responses',
  'apigateway_v2_models',
];

export type ConnectionRow = {
  id: string;
  api_id: string;
  account_id: string;
  stage: string;
  connected_at: number;
  last_active_at: number;
  source_ip: string;
  user_agent: string;
  node: string;
};

export const connectionQueries = {
  insert: (db: Queryable, row: ConnectionRow) =>
    db.run(
      `INSERT INTO apigateway_connections
       (id, api_id, account_id, stage, connected_at, last_active_at, source_ip, user_agent, node)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        row.id,
        row.api_id,
        row.account_id,
        row.stage,
        row.connected_at,
        row.last_active_at,
        row.source_ip,
        row.user_agent,
        row.node,
      ],
    ),
  find: (db: Queryable, id: string) =>
    db.get<ConnectionRow>('SELECT * FROM apigateway_connections WHERE id = ?', [id]),
  touch: (db: Queryable, id: string, at: number) =>
    db.run('UPDATE apigateway_connections SET last_active_at = ? WHERE id = ? AND last_active_at < ?', [
      at,
      id,
      at,
    ]),
  delete: (db: Queryable, id: string) => db.run('DELETE FROM apigateway_connections WHERE id = ?', [id]),
  deleteOfNode: (db: Queryable, node: string) =>
    db.run('DELETE FROM apigateway_connections WHERE node = ?', [node]),
};

export type ConnectionPostRow = {
  id: number;
  node: string;
  connection_id: string;
  /** `post`: send `data`; `delete`: close the connection. */
  kind: 'post' | 'delete';
  data: Buffer | null;
  posted_at: number;
};

export const connectionPostQueries = {
  insert: (db: Queryable, row: Omit<ConnectionPostRow, 'id'>) =>
    db.run(
      'INSERT INTO apigateway_connection_posts (node, connection_id, kind, data, posted_at) VALUES (?, ?, ?, ?, ?)',
      [row.node, row.connection_id, row.kind, row.data, row.posted_at],
    ),
  /** Takes what waits for `node`: its sockets are there and nowhere else, so taking is delivering. */
  take: (db: Queryable, node: string) =>
    db.all<ConnectionPostRow>('DELETE FROM apigateway_connection_posts WHERE node = ? RETURNING *', [node]),
  /** What waited longer than any live node leaves it: its node is gone. */
  dropOlderThan: (db: Queryable, postedBefore: number) =>
    db.run('DELETE FROM apigateway_connection_posts WHERE posted_at < ?', [postedBefore]),
};

export type RouteResponseRow = {
  api_id: string;
  route_id: string;
  id: string;
  route_response_key: string;
  document: string;
};

export const routeResponseQueries = {
  insert: (db: Queryable, row: RouteResponseRow) =>
    db.run(
      `INSERT INTO apigateway_route_responses (api_id, route_id, id, route_response_key, document)
       VALUES (?, ?, ?, ?, ?)`,
      [row.api_id, row.route_id, row.id, row.route_response_key, row.document],
    ),
  find: (db: Queryable, apiId: string, routeId: string, id: string) =>
    db.get<RouteResponseRow>(
      'SELECT * FROM apigateway_route_responses WHERE api_id = ? AND route_id = ? AND id = ?',
      [apiId, routeId, id],
    ),
  findByKey: (db: Queryable, apiId: string, routeId: string, key: string) =>
    db.get<RouteResponseRow>(
      'SELECT * FROM apigateway_route_responses WHERE api_id = ? AND route_id = ? AND route_response_key = ?',
      [apiId, routeId, key],
    ),
  forRoute: (db: Queryable, apiId: string, routeId: string) =>
    db.all<RouteResponseRow>(
      'SELECT * FROM apigateway_route_responses WHERE api_id = ? AND route_id = ? ORDER BY id',
      [apiId, routeId],
    ),
  update: (db: Queryable, apiId: string, id: string, key: string, document: string) =>
    db.run(
      'UPDATE apigateway_route_responses SET route_response_key = ?, document = ? WHERE api_id = ? AND id = ?',
      [key, document, apiId, id],
    ),
  delete: (db: Queryable, apiId: string, id: string) =>
    db.run('DELETE FROM apigateway_route_responses WHERE api_id = ? AND id = ?', [apiId, id]),
};

export type IntegrationResponseRow = {
  api_id: string;
  integration_id: string;
  id: string;
  integration_response_key: string;
  document: string;
};

export const integrationResponseQueries = {
  insert: (db: Queryable, row: IntegrationResponseRow) =>
    db.run(
      `INSERT INTO apigateway_integration_responses
       (api_id, integration_id, id, integration_response_key, document) VALUES (?, ?, ?, ?, ?)`,
      [row.api_id, row.integration_id, row.id, row.integration_response_key, row.document],
    ),
  find: (db: Queryable, apiId: string, integrationId: string, id: string) =>
    db.get<IntegrationResponseRow>(
      'SELECT * FROM apigateway_integration_responses WHERE api_id = ? AND integration_id = ? AND id = ?',
      [apiId, integrationId, id],
    ),
  findByKey: (db: Queryable, apiId: string, integrationId: string, key: string) =>
    db.get<IntegrationResponseRow>(
      `SELECT * FROM apigateway_integration_responses
       WHERE api_id = ? AND integration_id = ? AND integration_response_key = ?`,
      [apiId, integrationId, key],
    ),
  forIntegration: (db: Queryable, apiId: string, integrationId: string) =>
    db.all<IntegrationResponseRow>(
      'SELECT * FROM apigateway_integration_responses WHERE api_id = ? AND integration_id = ? ORDER BY id',
      [apiId, integrationId],
    ),
  update: (db: Queryable, apiId: string, id: string, key: string, document: string) =>
    db.run(
      `UPDATE apigateway_integration_responses SET integration_response_key = ?, document = ?
       WHERE api_id = ? AND id = ?`,
      [key, document, apiId, id],
    ),
  delete: (db: Queryable, apiId: string, id: string) =>
    db.run('DELETE FROM apigateway_integration_responses WHERE api_id = ? AND id = ?', [apiId, id]),
};

export type ModelRow = { api_id: string; id: string; name: string; document: string };

export const modelQueries = {
  insert: (db: Queryable, row: ModelRow) =>
    db.run('INSERT INTO apigateway_v2_models (api_id, id, name, document) VALUES (?, ?, ?, ?)', [
      row.api_id,
      row.id,
      row.name,
      row.document,
    ]),
  find: (db: Queryable, apiId: string, id: string) =>
    db.get<ModelRow>('SELECT * FROM apigateway_v2_models WHERE api_id = ? AND id = ?', [apiId, id]),
  findByName: (db: Queryable, apiId: string, name: string) =>
    db.get<ModelRow>('SELECT * FROM apigateway_v2_models WHERE api_id = ? AND name = ?', [apiId, name]),
  all: (db: Queryable, apiId: string) =>
    db.all<ModelRow>('SELECT * FROM apigateway_v2_models WHERE api_id = ? ORDER BY name', [apiId]),
  update: (db: Queryable, apiId: string, id: string, name: string, document: string) =>
    db.run('UPDATE apigateway_v2_models SET name = ?, document = ? WHERE api_id = ? AND id = ?', [
      name,
      document,
      apiId,
      id,
    ]),
  delete: (db: Queryable, apiId: string, id: string) =>
    db.run('DELETE FROM apigateway_v2_models WHERE api_id = ? AND id = ?', [apiId, id]),
};
