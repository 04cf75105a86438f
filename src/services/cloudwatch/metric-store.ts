/**
 * Metrics and their datapoints in the store: publishing, reading a metric's datapoints over a time
 * range, listing metrics, and deleting datapoints past CloudWatch's 15-month retention.
 */
import type { Clock } from '../../engine/clock.js';
import type { Store } from '../../storage/store.js';
import type { AcceptedDatum } from './put-metric-data.js';
import { metricKey, type DimensionPairs } from './dimensions.js';
import type { StoredDatapoint } from './statistics.js';
import {
  datapointQueries,
  metricQueries,
  type DatapointRow,
  type MetricFilter,
  type MetricRow,
  type NewMetric,
  type Region,
} from './tables.js';

/** CloudWatch keeps data for 15 months. */
export const RETENTION_MS = 455 * 24 * 3600_000;

/** Samples as stored: `v` holds [value, count] pairs, `s` a statistic set. */
interface StoredSamples {
  v?: [number, number][];
  s?: [number, number, number, number];
}

function encodeSamples(point: StoredDatapoint): string {
  const samples: StoredSamples = {};
  if (point.values) samples.v = point.values.map(({ value, count }) => [value, count]);
  if (point.statisticSet) {
    const { sampleCount, sum, minimum, maximum } = point.statisticSet;
    samples.s = [sampleCount, sum, minimum, maximum];
  }
  return JSON.stringify(samples);
}

function decodeDatapoint(row: DatapointRow): StoredDatapoint {
  const samples = JSON.parse(row.samples) as StoredSamples;
  const point: StoredDatapoint = { timestamp: row.ts, unit: row.unit };
  if (samples.v) point.values = samples.v.map(([value, count]) => ({ value, count }));
  if (samples.s) {
    const [sampleCount, sum, minimum, maximum] = samples.s;
    point.statisticSet = { sampleCount, sum, minimum, maximum };
  }
  return point;
}

/** A metric as GetMetricStatistics and MetricStat name it: the dimension set must match exactly. */
export interface MetricIdentity {
  namespace: string;
  metricName: string;
  dimensions: DimensionPairs;
}

export class MetricStore {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async put(at: Region, datums: readonly AcceptedDatum[]): Promise<void> {
    const now = this.clock.now();
    const metrics = new Map<string, NewMetric>();
    for (const { metric } of datums) metrics.set(metric.key, metric);
    await this.store.transaction(async (tx) => {
      const ids = await metricQueries.upsert(tx, at, [...metrics.values()], now);
      await datapointQueries.insertMany(
        tx,
        datums.map(({ metric, storageResolution, point }) => ({
          metricId: ids.get(metric.key)!,
          timestamp: point.timestamp,
          unit: point.unit,
          storageResolution,
          samples: encodeSamples(point),
        })),
        now,
      );
    });
  }

  /** The metric's datapoints with timestamps in [from, to); none when the metric does not exist. */
  async datapoints(at: Region, metric: MetricIdentity, from: number, to: number): Promise<StoredDatapoint[]> {
    const key = metricKey(metric.namespace, metric.metricName, metric.dimensions);
    const row = await metricQueries.byKey(this.store, at, key);
    if (!row) return [];
    return (await datapointQueries.between(this.store, row.id, from, to)).map(decodeDatapoint);
  }

  list(at: Region, filter: MetricFilter): Promise<MetricRow[]> {
    return metricQueries.list(this.store, at, filter);
  }

  async deleteExpired(): Promise<void> {
    await datapointQueries.deleteOlderThan(this.store, this.clock.now() - RETENTION_MS);
  }
}
