/**
 * CloudWatch metrics operations. Each method is thin: it names the AWS operation and hands over to
 * the module that holds its rules.
 *
 * Differences from AWS:
 * - Data is visible as soon as PutMetricData returns (AWS: up to minutes), and ListMetrics lists a
 *   new metric at once (AWS: up to 15 minutes).
 * - Standard-resolution datapoints are stored with their timestamp rounded down to the minute; no
 *   other roll-up happens on disk (the statistics module hides sub-minute periods of older data
 *   as AWS does). Datapoints are deleted after 15 months.
 * - ListMetrics pages in first-published order; the dimension filters match metrics that have the
 *   dimension (and value, when given) among others. OwningAccount/IncludeLinkedAccounts only know
 *   the caller's account.
 * - GetMetricData evaluates metric math (see metric-math.ts for the functions supported); Metrics
 *   Insights queries, SEARCH and anomaly bands are refused as invalid expressions. LabelOptions
 *   and dynamic labels are ignored. Its NextToken holds per-result offsets, so a follow-up call
 *   must repeat the same queries.
 * - Entity data (EntityMetricData) is stored as plain metric data; the entity is dropped.
 * - Alarms, dashboards, anomaly detectors, metric streams, Insights rules and tags are not served yet.
 */
import type * as CloudWatch from '@aws-sdk/client-cloudwatch';
import type { Clock } from '../../engine/clock.js';
import type { RequestContext } from '../service.js';
import { getMetricData } from './get-metric-data.js';
import { getMetricStatistics } from './get-metric-statistics.js';
import { listMetrics } from './list-metrics.js';
import type { MetricStore } from './metric-store.js';
import { acceptMetricData } from './put-metric-data.js';

export class CloudWatchProvider {
  constructor(
    private readonly metrics: MetricStore,
    private readonly clock: Clock,
  ) {}

  async PutMetricData(input: CloudWatch.PutMetricDataInput, at: RequestContext): Promise<void> {
    const awsNamespacesAllowed = at.origin === 'service';
    await this.metrics.put(at, acceptMetricData(input, this.clock.now(), { awsNamespacesAllowed }));
  }

  GetMetricStatistics(
    input: CloudWatch.GetMetricStatisticsInput,
    at: RequestContext,
  ): Promise<CloudWatch.GetMetricStatisticsOutput> {
    return getMetricStatistics(this.metrics, at, input, this.clock.now());
  }

  GetMetricData(
    input: CloudWatch.GetMetricDataInput,
    at: RequestContext,
  ): Promise<CloudWatch.GetMetricDataOutput> {
    return getMetricData(this.metrics, at, input, this.clock.now());
  }

  ListMetrics(input: CloudWatch.ListMetricsInput, at: RequestContext): Promise<CloudWatch.ListMetricsOutput> {
    return listMetrics(this.metrics, at, input, this.clock.now());
  }
}
