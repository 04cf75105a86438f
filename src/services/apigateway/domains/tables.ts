/**
 * Custom domain names and their API mappings (v1 calls them base path mappings): one set of rows
 * that both management APIs read and write, as on AWS, where a domain made through one is seen
 * through the other.
 *
 * A domain name is the key of its row across every account and region: the edge tells which
 * domain a request is for by its Host header alone, so two owners of one name could not both be
 * served. `alias` is the local stand-in for AWS's `regionalDomainName` / `distributionDomainName`
 * (`d-….execute-api.localhost`), which reaches the domain too.
 */
import type { Migration, Queryable } from '../../../storage/store.js';
import type { ApiKind, ApiPlace } from '../tables.js';

export const domainTables: readonly string[] = ['apigateway_domain_names', 'apigateway_api_mappings'];

export const domainMigrations: readonly Migration[] = [
  {
    id: 'apigateway-008-domain-names',
    up: () => `
      CREATE TABLE apigateway_domain_names (
        domain_name TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        alias TEXT NOT NULL,
        document TEXT NOT NULL
      );
      CREATE UNIQUE INDEX apigateway_domain_names_by_alias ON apigateway_domain_names (alias);
      CREATE INDEX apigateway_domain_names_by_region ON apigateway_domain_names (account_id, region, domain_name);
      CREATE TABLE apigateway_api_mappings (
        domain_name TEXT NOT NULL REFERENCES apigateway_domain_names (domain_name) ON DELETE CASCADE,
        id TEXT NOT NULL,
        mapping_key TEXT NOT NULL,
        api_id TEXT NOT NULL REFERENCES apigateway_apis (id) ON DELETE CASCADE,
        stage TEXT,
        PRIMARY KEY (domain_name, id)
      );
      CREATE UNIQUE INDEX apigateway_api_mappings_by_key ON apigateway_api_mappings (domain_name, mapping_key);
      CREATE INDEX apigateway_api_mappings_by_api ON apigateway_api_mappings (api_id);
    `,
  },
];

/** `domain_name` is the name in lower case; the document keeps it as it was given. */
export type DomainNameRow = {
  domain_name: string;
  account_id: string;
  region: string;
  alias: string;
  document: string;
};

/**
 * `mapping_key` is `''` for the root (`(none)`); `stage` is null for a v1 mapping without one,
 * where the first segment after the base path names the stage. `api_kind` comes with it.
 */
export type ApiMappingRow = {
  domain_name: string;
  id: string;
  mapping_key: string;
  api_id: string;
  stage: string | null;
  api_kind: ApiKind;
};

export const domainNameQueries = {
  insert: (db: Queryable, row: DomainNameRow) =>
    db.run(
      'INSERT INTO apigateway_domain_names (domain_name, account_id, region, alias, document) VALUES (?, ?, ?, ?, ?)',
      [row.domain_name, row.account_id, row.region, row.alias, row.document],
    ),
  /** The row of that name, in whichever account and region it is. */
  findAnywhere: (db: Queryable, name: string) =>
    db.get<DomainNameRow>('SELECT * FROM apigateway_domain_names WHERE domain_name = ?', [name]),
  find: (db: Queryable, at: ApiPlace, name: string) =>
    db.get<DomainNameRow>(
      'SELECT * FROM apigateway_domain_names WHERE domain_name = ? AND account_id = ? AND region = ?',
      [name, at.accountId, at.region],
    ),
  list: (db: Queryable, at: ApiPlace, after: string, limit: number) =>
    db.all<DomainNameRow>(
      `SELECT * FROM apigateway_domain_names WHERE account_id = ? AND region = ? AND domain_name > ?
       ORDER BY domain_name LIMIT ?`,
      [at.accountId, at.region, after, limit],
    ),
  /** Every name and alias the edge serves (what each node keeps in memory). */
  hosts: (db: Queryable) =>
    db.all<{ domain_name: string; alias: string }>('SELECT domain_name, alias FROM apigateway_domain_names'),
  update: (db: Queryable, name: string, alias: string, document: string) =>
    db.run('UPDATE apigateway_domain_names SET alias = ?, document = ? WHERE domain_name = ?', [
      alias,
      document,
      name,
    ]),
  delete: (db: Queryable, name: string) =>
    db.run('DELETE FROM apigateway_domain_names WHERE domain_name = ?', [name]),
};

const MAPPING_COLUMNS = 'm.domain_name, m.id, m.mapping_key, m.api_id, m.stage, a.kind AS api_kind';
const MAPPING_JOIN = 'apigateway_api_mappings m JOIN apigateway_apis a ON a.id = m.api_id';

export const apiMappingQueries = {
  insert: (db: Queryable, row: Omit<ApiMappingRow, 'api_kind'>) =>
    db.run(
      'INSERT INTO apigateway_api_mappings (domain_name, id, mapping_key, api_id, stage) VALUES (?, ?, ?, ?, ?)',
      [row.domain_name, row.id, row.mapping_key, row.api_id, row.stage],
    ),
  find: (db: Queryable, domain: string, id: string) =>
    db.get<ApiMappingRow>(
      `SELECT ${MAPPING_COLUMNS} FROM ${MAPPING_JOIN} WHERE m.domain_name = ? AND m.id = ?`,
      [domain, id],
    ),
  findByKey: (db: Queryable, domain: string, key: string) =>
    db.get<ApiMappingRow>(
      `SELECT ${MAPPING_COLUMNS} FROM ${MAPPING_JOIN} WHERE m.domain_name = ? AND m.mapping_key = ?`,
      [domain, key],
    ),
  /** Every mapping of the domain: what a request to it is matched against. */
  all: (db: Queryable, domain: string) =>
    db.all<ApiMappingRow>(
      `SELECT ${MAPPING_COLUMNS} FROM ${MAPPING_JOIN} WHERE m.domain_name = ? ORDER BY m.id`,
      [domain],
    ),
  page: (db: Queryable, domain: string, after: string, limit: number) =>
    db.all<ApiMappingRow>(
      `SELECT ${MAPPING_COLUMNS} FROM ${MAPPING_JOIN} WHERE m.domain_name = ? AND m.id > ? ORDER BY m.id LIMIT ?`,
      [domain, after, limit],
    ),
  update: (db: Queryable, row: Omit<ApiMappingRow, 'api_kind'>) =>
    db.run(
      'UPDATE apigateway_api_mappings SET mapping_key = ?, api_id = ?, stage = ? WHERE domain_name = ? AND id = ?',
      [row.mapping_key, row.api_id, row.stage, row.domain_name, row.id],
    ),
  delete: (db: Queryable, domain: string, id: string) =>
    db.run('DELETE FROM apigateway_api_mappings WHERE domain_name = ? AND id = ?', [domain, id]),
};
