/**
 * A service's own CloudWatch metrics (`AWS/Lambda`, `AWS/ApiGateway` …), published through
 * CloudWatch's public PutMetricData. Like AWS, values are summed into statistic sets per metric
 * and dimensions and flushed once a second, so a busy service costs one small write per second,
 * not one per request. A crash loses at most the last second of metrics, never a request.
 */
import type { Dimension, MetricDatum, StandardUnit } from '@aws-sdk/client-cloudwatch';
import type { Logger } from 'pino';
import type { ServiceCaller } from '../services/service.js';
import type { Clock } from './clock.js';

export interface MetricPlace {
  accountId: string;
  region: string;
}

interface Aggregate {
  at: MetricPlace;
  name: string;
  dimensions: Dimension[];
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
}

const flushIntervalMs = 1000;

export class MetricAggregator {
  private pending = new Map<string, Aggregate>();
  private timer: NodeJS.Timeout | undefined;
  /** Publishing under way, for `discard` to wait for. */
  private publishing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly namespace: string,
    /** The unit each metric is published in. */
    private readonly unitOf: (name: string) => StandardUnit,
    private readonly services: ServiceCaller,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Adds `value` to metric `name` under each of the dimension sets. */
  record(at: MetricPlace, name: string, dimensionSets: readonly Dimension[][], value: number): void {
    for (const dimensions of dimensionSets) {
      const key = `${at.accountId}/${at.region}/${name}/${dimensions.map((d) => `${d.Name}=${d.Value}`).join(',')}`;
      const aggregate = this.pending.get(key);
      if (aggregate) {
        aggregate.sampleCount++;
        aggregate.sum += value;
        aggregate.minimum = Math.min(aggregate.minimum, value);
        aggregate.maximum = Math.max(aggregate.maximum, value);
      } else {
        this.pending.set(key, {
          at,
          name,
          dimensions,
          sampleCount: 1,
          sum: value,
          minimum: value,
          maximum: value,
        });
      }
    }
    this.timer ??= setTimeout(() => void this.flush(), flushIntervalMs).unref();
  }

  /** The metrics were wiped (a reset): drops what was recorded and waits for publishing under way. */
  async discard(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = new Map();
    await this.publishing;
  }

  /** Publishes what has been recorded; metrics must never fail a request, so errors are logged. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    const published = this.publish(batch);
    this.publishing = Promise.all([this.publishing, published]);
    return published;
  }

  private async publish(batch: readonly Aggregate[]): Promise<void> {
    const byRegion = new Map<string, { at: MetricPlace; data: MetricDatum[] }>();
    const timestamp = new Date(this.clock.now());
    for (const a of batch) {
      const key = `${a.at.accountId}/${a.at.region}`;
      const entry = byRegion.get(key) ?? { at: a.at, data: [] };
      entry.data.push({
        MetricName: a.name,
        Dimensions: a.dimensions,
        Timestamp: timestamp,
        Unit: this.unitOf(a.name),
        StatisticValues: { SampleCount: a.sampleCount, Sum: a.sum, Minimum: a.minimum, Maximum: a.maximum },
      });
      byRegion.set(key, entry);
    }
    for (const { at, data } of byRegion.values()) {
      // PutMetricData takes at most 1000 datums.
      for (let i = 0; i < data.length; i += 1000) {
        await this.services
          .call(
            'cloudwatch',
            'PutMetricData',
            { Namespace: this.namespace, MetricData: data.slice(i, i + 1000) },
            at,
          )
          .catch((err: unknown) =>
            this.logger.warn({ err, namespace: this.namespace }, 'could not publish metrics'),
          );
      }
    }
  }
}
