/**
 * CloudWatch's schema and queries. A metric is (account, region, namespace, name, dimension set);
 * its identity is hashed into `metric_key` so the unique index stays small on both engines.
 * Dimensions are also kept one row each, for ListMetrics' filters. Datapoints are one row per
 * published datum, the samples (values and counts, or a statistic set) as JSON.
 */
import type { Migration, Queryable, SqlValue } from '../../storage/store.js';

/** Every table of the service, parents before children. */
export const cloudwatchTables: readonly string[] = [
  'cloudwatch_metrics',
  'cloudwatch_metric_dimensions',
  'cloudwatch_datapoints',
];

export const cloudwatchMigrations: readonly Migration[] = [
  {
    id: 'cloudwatch-001-metrics-datapoints',
    up: (d) => `
      CREATE TABLE cloudwatch_metrics (
        id ${d.autoIncrementPrimaryKey},
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        metric_key TEXT NOT NULL,
        namespace TEXT NOT NULL,
        metric_name TEXT NOT NULL,
        dimensions TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        last_published_at BIGINT NOT NULL,
        UNIQUE (account_id, region, metric_key)
      );
      CREATE INDEX cloudwatch_metrics_by_namespace ON cloudwatch_metrics (account_id, region, namespace, metric_name);
      CREATE TABLE cloudwatch_metric_dimensions (
        metric_id BIGINT NOT NULL REFERENCES cloudwatch_metrics (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (metric_id, name)
      );
      CREATE TABLE cloudwatch_datapoints (
        id ${d.autoIncrementPrimaryKey},
        metric_id BIGINT NOT NULL REFERENCES cloudwatch_metrics (id) ON DELETE CASCADE,
        ts BIGINT NOT NULL,
        unit TEXT NOT NULL,
        storage_resolution INTEGER NOT NULL,
        ingested_at BIGINT NOT NULL,
        samples TEXT NOT NULL
      );
      CREATE INDEX cloudwatch_datapoints_by_metric ON cloudwatch_datapoints (metric_id, ts);
      CREATE INDEX cloudwatch_datapoints_by_time ON cloudwatch_datapoints (ts);
    `,
  },
];

export interface Region {
  accountId: string;
  region: string;
}

export interface MetricRow extends Record<string, unknown> {
  id: number;
  metric_key: string;
  namespace: string;
  metric_name: string;
  /** JSON `[[name, value], …]`, sorted by name. */
  dimensions: string;
  last_published_at: number;
}

export interface DatapointRow extends Record<string, unknown> {
  metric_id: number;
  ts: number;
  unit: string;
  samples: string;
}

export interface NewMetric {
  key: string;
  namespace: string;
  metricName: string;
  dimensions: readonly (readonly [string, string])[];
}

export interface NewDatapoint {
  metricId: number;
  timestamp: number;
  unit: string;
  storageResolution: number;
  samples: string;
}

export interface MetricFilter {
  namespace?: string;
  metricName?: string;
  dimensions: readonly { name: string; value?: string }[];
  publishedSince: number;
  afterId: number;
  limit: number;
}

/** SQLite and PostgreSQL both cap the parameters of one statement; rows are written in chunks. */
const chunkRows = 200;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += chunkRows) out.push(items.slice(i, i + chunkRows));
  return out;
}

const placeholders = (columns: number) => `(${Array.from({ length: columns }, () => '?').join(', ')})`;

export const metricQueries = {
  /**
   * Creates the metrics not seen yet and marks all as published at `now`; returns each metric's
   * id by key. The metrics must have distinct keys.
   */
  upsert: async (
    db: Queryable,
    at: Region,
    metrics: readonly NewMetric[],
    now: number,
  ): Promise<Map<string, number>> => {
    const ids = new Map<string, number>();
    for (const chunk of chunks(metrics)) {
      const params: SqlValue[] = [];
      for (const m of chunk) {
        params.push(
          at.accountId,
          at.region,
          m.key,
          m.namespace,
          m.metricName,
          JSON.stringify(m.dimensions),
          now,
          now,
        );
      }
      const rows = await db.all<{ id: number; metric_key: string }>(
        `INSERT INTO cloudwatch_metrics
           (account_id, region, metric_key, namespace, metric_name, dimensions, created_at, last_published_at)
         VALUES ${chunk.map(() => placeholders(8)).join(', ')}
         ON CONFLICT (account_id, region, metric_key) DO UPDATE SET last_published_at = excluded.last_published_at
         RETURNING id, metric_key`,
        params,
      );
      for (const row of rows) ids.set(row.metric_key, row.id);
    }
    const dimensions = metrics.flatMap((m) =>
      m.dimensions.map(([name, value]) => [ids.get(m.key)!, name, value] as const),
    );
    for (const chunk of chunks(dimensions)) {
      await db.run(
        `INSERT INTO cloudwatch_metric_dimensions (metric_id, name, value) VALUES ${chunk
          .map(() => placeholders(3))
          .join(', ')} ON CONFLICT (metric_id, name) DO NOTHING`,
        chunk.flat(),
      );
    }
    return ids;
  },

  byKey: (db: Queryable, at: Region, key: string) =>
    db.get<MetricRow>(
      'SELECT * FROM cloudwatch_metrics WHERE account_id = ? AND region = ? AND metric_key = ?',
      [at.accountId, at.region, key],
    ),

  /** Metrics in id order after `afterId`, having every filtered dimension (and value, when given). */
  list: (db: Queryable, at: Region, filter: MetricFilter) => {
    const where = ['m.account_id = ?', 'm.region = ?', 'm.last_published_at >= ?', 'm.id > ?'];
    const params: SqlValue[] = [at.accountId, at.region, filter.publishedSince, filter.afterId];
    if (filter.namespace !== undefined) {
      where.push('m.namespace = ?');
      params.push(filter.namespace);
    }
    if (filter.metricName !== undefined) {
      where.push('m.metric_name = ?');
      params.push(filter.metricName);
    }
    for (const dimension of filter.dimensions) {
      const value = dimension.value !== undefined ? ' AND d.value = ?' : '';
      where.push(
        `EXISTS (SELECT 1 FROM cloudwatch_metric_dimensions d WHERE d.metric_id = m.id AND d.name = ?${value})`,
      );
      params.push(dimension.name);
      if (dimension.value !== undefined) params.push(dimension.value);
    }
    params.push(filter.limit);
    return db.all<MetricRow>(
      `SELECT m.* FROM cloudwatch_metrics m WHERE ${where.join(' AND ')} ORDER BY m.id LIMIT ?`,
      params,
    );
  },
};

export const datapointQueries = {
  insertMany: async (db: Queryable, points: readonly NewDatapoint[], ingestedAt: number) => {
    for (const chunk of chunks(points)) {
      const params: SqlValue[] = [];
      for (const p of chunk) {
        params.push(p.metricId, p.timestamp, p.unit, p.storageResolution, ingestedAt, p.samples);
      }
      await db.run(
        `INSERT INTO cloudwatch_datapoints (metric_id, ts, unit, storage_resolution, ingested_at, samples)
         VALUES ${chunk.map(() => placeholders(6)).join(', ')}`,
        params,
      );
    }
  },

  /** A metric's datapoints with timestamps in [from, to). */
  between: (db: Queryable, metricId: number, from: number, to: number) =>
    db.all<DatapointRow>(
      'SELECT metric_id, ts, unit, samples FROM cloudwatch_datapoints WHERE metric_id = ? AND ts >= ? AND ts < ? ORDER BY ts, id',
      [metricId, from, to],
    ),

  deleteOlderThan: (db: Queryable, cutoff: number) =>
    db.run('DELETE FROM cloudwatch_datapoints WHERE ts < ?', [cutoff]),
};
