/**
 * VPC links of both management APIs: v1's (to network load balancers, `targetArns`) and v2's (to
 * subnets and security groups) are separate kinds on AWS, listed apart, so each row says which
 * (`version`). The document keeps the link's AWS shape, dates in ms.
 */
import type { Migration, Queryable } from '../../../storage/store.js';
import type { ApiPlace } from '../tables.js';

export const vpcLinkTables: readonly string[] = ['apigateway_vpc_links'];

export const vpcLinkMigrations: readonly Migration[] = [
  {
    id: 'apigateway-009-vpc-links',
    up: () => `
      CREATE TABLE apigateway_vpc_links (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        version TEXT NOT NULL,
        document TEXT NOT NULL
      );
      CREATE INDEX apigateway_vpc_links_by_region ON apigateway_vpc_links (account_id, region, version, id);
    `,
  },
];

export type VpcLinkVersion = 'v1' | 'v2';

export type VpcLinkRow = {
  id: string;
  account_id: string;
  region: string;
  version: VpcLinkVersion;
  document: string;
};

export const vpcLinkQueries = {
  insert: (db: Queryable, row: VpcLinkRow) =>
    db.run(
      'INSERT INTO apigateway_vpc_links (id, account_id, region, version, document) VALUES (?, ?, ?, ?, ?)',
      [row.id, row.account_id, row.region, row.version, row.document],
    ),
  find: (db: Queryable, at: ApiPlace, version: VpcLinkVersion, id: string) =>
    db.get<VpcLinkRow>(
      'SELECT * FROM apigateway_vpc_links WHERE id = ? AND account_id = ? AND region = ? AND version = ?',
      [id, at.accountId, at.region, version],
    ),
  list: (db: Queryable, at: ApiPlace, version: VpcLinkVersion, after: string, limit: number) =>
    db.all<VpcLinkRow>(
      `SELECT * FROM apigateway_vpc_links WHERE account_id = ? AND region = ? AND version = ? AND id > ?
       ORDER BY id LIMIT ?`,
      [at.accountId, at.region, version, after, limit],
    ),
  update: (db: Queryable, id: string, document: string) =>
    db.run('UPDATE apigateway_vpc_links SET document = ? WHERE id = ?', [document, id]),
  delete: (db: Queryable, id: string) => db.run('DELETE FROM apigateway_vpc_links WHERE id = ?', [id]),
};
