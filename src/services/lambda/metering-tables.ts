/**
 * What Lambda would bill: requests and GB-seconds per function version and architecture, summed
 * per hour. One row per (function, version, architecture, hour) keeps the table small however
 * many invocations there are, and an hour is as fine as Lambda's own usage reports go.
 */
import type { Migration, Queryable } from '../../storage/store.js';
import type { Region } from './arns.js';

export const meteringMigrations: readonly Migration[] = [
  {
    id: 'lambda-002-usage',
    up: () => `
      CREATE TABLE lambda_usage (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        function_name TEXT NOT NULL,
        version TEXT NOT NULL,
        architecture TEXT NOT NULL,
        bucket_start BIGINT NOT NULL,
        requests BIGINT NOT NULL,
        gb_seconds DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (account_id, region, function_name, version, architecture, bucket_start)
      );
    `,
  },
];

export const usageBucketMs = 60 * 60 * 1000;

/** The start of the hour `ms` falls in. */
export function usageBucket(ms: number): number {
  return ms - (ms % usageBucketMs);
}

export interface UsageIncrement {
  at: Region;
  functionName: string;
  version: string;
  architecture: string;
  bucketStart: number;
  requests: number;
  gbSeconds: number;
}

export type UsageTotalRow = {
  function_name: string;
  architecture: string;
  requests: number;
  gb_seconds: number;
};

export const usageQueries = {
  add: (db: Queryable, u: UsageIncrement) =>
    db.run(
      `INSERT INTO lambda_usage
         (account_id, region, function_name, version, architecture, bucket_start, requests, gb_seconds)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id, region, function_name, version, architecture, bucket_start)
       DO UPDATE SET requests = lambda_usage.requests + excluded.requests,
                     gb_seconds = lambda_usage.gb_seconds + excluded.gb_seconds`,
      [
        u.at.accountId,
        u.at.region,
        u.functionName,
        u.version,
        u.architecture,
        u.bucketStart,
        u.requests,
        u.gbSeconds,
      ],
    ),

  /** Totals per function and architecture over the hours starting at or after `since`'s hour. */
  totals: (db: Queryable, at: Region, since: number, functionName?: string) =>
    db.all<UsageTotalRow>(
      `SELECT function_name, architecture, SUM(requests) AS requests, SUM(gb_seconds) AS gb_seconds
       FROM lambda_usage
       WHERE account_id = ? AND region = ? AND bucket_start >= ?${functionName === undefined ? '' : ' AND function_name = ?'}
       GROUP BY function_name, architecture
       ORDER BY function_name, architecture`,
      [at.accountId, at.region, usageBucket(since), ...(functionName === undefined ? [] : [functionName])],
    ),
};
