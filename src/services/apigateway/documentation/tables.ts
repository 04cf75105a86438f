/**
 * A REST API's documentation: its parts (one per location, `location_key` from location.ts) and
 * its versions (each a snapshot of the parts when it was made). Both go with their API.
 */
import type { Migration, Queryable } from '../../../storage/store.js';

export const documentationTables: readonly string[] = [
  'apigateway_documentation_parts',
  'apigateway_documentation_versions',
];

export const documentationMigrations: readonly Migration[] = [
  {
    id: 'apigateway-010-documentation',
    up: () => `
      CREATE TABLE apigateway_documentation_parts (
        api_id TEXT NOT NULL REFERENCES apigateway_apis (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        location_key TEXT NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (api_id, id)
      );
      CREATE UNIQUE INDEX apigateway_documentation_parts_by_location
        ON apigateway_documentation_parts (api_id, location_key);
      CREATE TABLE apigateway_documentation_versions (
        api_id TEXT NOT NULL REFERENCES apigateway_apis (id) ON DELETE CASCADE,
        version TEXT NOT NULL,
        document TEXT NOT NULL,
        parts TEXT NOT NULL,
        PRIMARY KEY (api_id, version)
      );
    `,
  },
];

export type DocumentationPartRow = { api_id: string; id: string; location_key: string; document: string };
/** `parts` is the JSON list of the API's parts when the version was made. */
export type DocumentationVersionRow = { api_id: string; version: string; document: string; parts: string };

export const documentationPartQueries = {
  insert: (db: Queryable, row: DocumentationPartRow) =>
    db.run(
      'INSERT INTO apigateway_documentation_parts (api_id, id, location_key, document) VALUES (?, ?, ?, ?)',
      [row.api_id, row.id, row.location_key, row.document],
    ),
  find: (db: Queryable, apiId: string, id: string) =>
    db.get<DocumentationPartRow>('SELECT * FROM apigateway_documentation_parts WHERE api_id = ? AND id = ?', [
      apiId,
      id,
    ]),
  findAt: (db: Queryable, apiId: string, locationKey: string) =>
    db.get<DocumentationPartRow>(
      'SELECT * FROM apigateway_documentation_parts WHERE api_id = ? AND location_key = ?',
      [apiId, locationKey],
    ),
  all: (db: Queryable, apiId: string) =>
    db.all<DocumentationPartRow>(
      'SELECT * FROM apigateway_documentation_parts WHERE api_id = ? ORDER BY id',
      [apiId],
    ),
  update: (db: Queryable, apiId: string, id: string, document: string) =>
    db.run('UPDATE apigateway_documentation_parts SET document = ? WHERE api_id = ? AND id = ?', [
      document,
      apiId,
      id,
    ]),
  delete: (db: Queryable, apiId: string, id: string) =>
    db.run('DELETE FROM apigateway_documentation_parts WHERE api_id = ? AND id = ?', [apiId, id]),
  deleteAll: (db: Queryable, apiId: string) =>
    db.run('DELETE FROM apigateway_documentation_parts WHERE api_id = ?', [apiId]),
};

export const documentationVersionQueries = {
  insert: (db: Queryable, row: DocumentationVersionRow) =>
    db.run(
      'INSERT INTO apigateway_documentation_versions (api_id, version, document, parts) VALUES (?, ?, ?, ?)',
      [row.api_id, row.version, row.document, row.parts],
    ),
  find: (db: Queryable, apiId: string, version: string) =>
    db.get<DocumentationVersionRow>(
      'SELECT * FROM apigateway_documentation_versions WHERE api_id = ? AND version = ?',
      [apiId, version],
    ),
  list: (db: Queryable, apiId: string, after: string, limit: number) =>
    db.all<DocumentationVersionRow>(
      `SELECT * FROM apigateway_documentation_versions WHERE api_id = ? AND version > ?
       ORDER BY version LIMIT ?`,
      [apiId, after, limit],
    ),
  update: (db: Queryable, apiId: string, version: string, document: string) =>
    db.run('UPDATE apigateway_documentation_versions SET document = ? WHERE api_id = ? AND version = ?', [
      document,
      apiId,
      version,
    ]),
  delete: (db: Queryable, apiId: string, version: string) =>
    db.run('DELETE FROM apigateway_documentation_versions WHERE api_id = ? AND version = ?', [
      apiId,
      version,
    ]),
};
