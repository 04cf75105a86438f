/**
 * API Gateway's account settings, per account and region: what `UpdateAccount` sets, today the
 * CloudWatch Logs role REST and WebSocket APIs need before their stages may log.
 */
import type { Migration, Queryable } from '../../../storage/store.js';
import type { ApiPlace } from '../tables.js';

export const apigatewayAccountMigrations: readonly Migration[] = [
  {
    id: 'apigateway-006-account-settings',
    up: () => `
      CREATE TABLE apigateway_accounts (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (account_id, region)
      );
    `,
  },
];

export const apigatewayAccountTables: readonly string[] = ['apigateway_accounts'];

export const accountQueries = {
  find: (db: Queryable, at: ApiPlace) =>
    db.get<{ document: string }>(
      'SELECT document FROM apigateway_accounts WHERE account_id = ? AND region = ?',
      [at.accountId, at.region],
    ),
  put: (db: Queryable, at: ApiPlace, document: string) =>
    db.run(
      `INSERT INTO apigateway_accounts (account_id, region, document) VALUES (?, ?, ?)
       ON CONFLICT (account_id, region) DO UPDATE SET document = excluded.document`,
      [at.accountId, at.region, document],
    ),
};
