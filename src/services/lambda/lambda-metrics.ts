/**
 * Lambda's own CloudWatch metrics in the `AWS/Lambda` namespace: Invocations, Errors, Duration,
 * Throttles, ConcurrentExecutions, IteratorAge (stream mappings) … by function name, and by function name + version or alias
 * (the `Resource` dimension), published through CloudWatch's public PutMetricData.
 *
 * Like Lambda, Stratus aggregates before publishing: values are summed into statistic sets per
 * metric and flushed once a second, so a busy function costs one small write per second, not one
 * per invocation. A crash loses at most the last second of metrics, never an invocation.
 */
import type { Dimension, MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock.js';
import type { ServiceCaller } from '../service.js';
import type { Region } from './arns.js';

export type LambdaMetricName =
  | 'Invocations'
  | 'Errors'
  | 'Duration'
  | 'Throttles'
  | 'ConcurrentExecutions'
  | 'DeadLetterErrors'
  | 'AsyncEventsReceived'
  | 'IteratorAge';

export interface InvocationMetrics {
  functionName: string;
  /** `name:alias` or `name:version` when invoked with a qualifier. */
  resource?: string;
  executedVersion?: string;
  values: Partial<Record<LambdaMetricName, number>>;
}

interface Aggregate {
  at: Region;
  name: LambdaMetricName;
  dimensions: Dimension[];
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
}

const flushIntervalMs = 1000;

export class LambdaMetrics {
  private pending = new Map<string, Aggregate>();
  private timer: NodeJS.Timeout | undefined;
  /** Publishing under way, for `discard` to wait for. */
  private publishing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly services: ServiceCaller,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  record(at: Region, metrics: InvocationMetrics): void {
    const dimensionSets: Dimension[][] = [[{ Name: 'FunctionName', Value: metrics.functionName }]];
    if (metrics.resource) {
      dimensionSets.push([...dimensionSets[0]!, { Name: 'Resource', Value: metrics.resource }]);
    }
    if (metrics.executedVersion) {
      dimensionSets.push([...dimensionSets[0]!, { Name: 'ExecutedVersion', Value: metrics.executedVersion }]);
    }
    for (const [name, value] of Object.entries(metrics.values) as [LambdaMetricName, number][]) {
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

  /** Publishes what has been recorded; metrics must never fail an invocation, so errors are logged. */
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
    const byRegion = new Map<string, { at: Region; data: MetricDatum[] }>();
    const timestamp = new Date(this.clock.now());
    for (const a of batch) {
      const key = `${a.at.accountId}/${a.at.region}`;
      const entry = byRegion.get(key) ?? { at: a.at, data: [] };
      entry.data.push({
        MetricName: a.name,
        Dimensions: a.dimensions,
        Timestamp: timestamp,
        Unit: a.name === 'Duration' || a.name === 'IteratorAge' ? 'Milliseconds' : 'Count',
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
            { Namespace: 'AWS/Lambda', MetricData: data.slice(i, i + 1000) },
            at,
          )
          .catch((err: unknown) => this.logger.warn({ err }, 'could not publish Lambda metrics'));
      }
    }
  }
}
