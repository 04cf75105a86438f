/** GetMetricStatistics: the request's rules, then one datapoint per period holding data and per unit. */
import type {
  Datapoint,
  GetMetricStatisticsInput,
  GetMetricStatisticsOutput,
  StandardUnit,
} from '@aws-sdk/client-cloudwatch';
import { canonicalDimensions } from './dimensions.js';
import { parameterError } from './errors.js';
import type { MetricStore } from './metric-store.js';
import { aggregate, alignStartTime, validateGetMetricStatistics, type Statistic } from './statistics.js';
import type { Region } from './tables.js';

export async function getMetricStatistics(
  metrics: MetricStore,
  at: Region,
  input: GetMetricStatisticsInput,
  now: number,
): Promise<GetMetricStatisticsOutput> {
  const range = {
    startTime: input.StartTime!.getTime(),
    endTime: input.EndTime!.getTime(),
    period: input.Period!,
    now,
  };
  const statistics = input.Statistics ?? [];
  const extendedStatistics = input.ExtendedStatistics ?? [];
  const error = validateGetMetricStatistics({ ...range, statistics, extendedStatistics });
  if (error) throw parameterError(error);

  const points = await metrics.datapoints(
    at,
    {
      namespace: input.Namespace!,
      metricName: input.MetricName!,
      dimensions: canonicalDimensions(input.Dimensions),
    },
    alignStartTime(range),
    range.endTime,
  );
  const buckets = aggregate(points, {
    ...range,
    statistics: statistics as Statistic[],
    extendedStatistics,
    unit: input.Unit,
  });
  return {
    Label: input.MetricName,
    Datapoints: buckets.map((bucket): Datapoint => ({
      Timestamp: new Date(bucket.timestamp),
      ...bucket.statistics,
      Unit: bucket.unit as StandardUnit,
      ...(Object.keys(bucket.extended).length > 0 ? { ExtendedStatistics: bucket.extended } : {}),
    })),
  };
}
