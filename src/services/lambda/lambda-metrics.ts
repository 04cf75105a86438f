/**
 * Lambda's own CloudWatch metrics in the `AWS/Lambda` namespace: Invocations, Errors, Duration,
 * Throttles, ConcurrentExecutions, IteratorAge (stream mappings) … by function name, and by function name + version or alias
 * (the `Resource` dimension), aggregated and published once a second (engine/metric-aggregator.ts).
 */
import type { Dimension } from '@aws-sdk/client-cloudwatch';
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock.js';
import { MetricAggregator } from '../../engine/metric-aggregator.js';
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

export class LambdaMetrics {
  private readonly aggregator: MetricAggregator;

  constructor(services: ServiceCaller, clock: Clock, logger: Logger) {
    this.aggregator = new MetricAggregator(
      'AWS/Lambda',
      (name) => (name === 'Duration' || name === 'IteratorAge' ? 'Milliseconds' : 'Count'),
      services,
      clock,
      logger,
    );
  }

  record(at: Region, metrics: InvocationMetrics): void {
    const dimensionSets: Dimension[][] = [[{ Name: 'FunctionName', Value: metrics.functionName }]];
    if (metrics.resource) {
      dimensionSets.push([...dimensionSets[0]!, { Name: 'Resource', Value: metrics.resource }]);
    }
    if (metrics.executedVersion) {
      dimensionSets.push([...dimensionSets[0]!, { Name: 'ExecutedVersion', Value: metrics.executedVersion }]);
    }
    for (const [name, value] of Object.entries(metrics.values) as [LambdaMetricName, number][]) {
      this.aggregator.record(at, name, dimensionSets, value);
    }
  }

  /** The metrics were wiped (a reset): drops what was recorded and waits for publishing under way. */
  discard(): Promise<void> {
    return this.aggregator.discard();
  }

  /** Publishes what has been recorded. */
  flush(): Promise<void> {
    return this.aggregator.flush();
  }
}
