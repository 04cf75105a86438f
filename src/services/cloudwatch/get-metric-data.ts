/**
 * GetMetricData: each MetricStat is a series of one statistic per period, each Expression is
 * metric math over other queries' series (which may be expressions too). Results come in the
 * order queried, values ordered by ScanBy, at most MaxDatapoints values per page; NextToken
 * records how many values of each result were already returned.
 */
import type {
  GetMetricDataInput,
  GetMetricDataOutput,
  MetricDataQuery,
  MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { canonicalDimensions } from './dimensions.js';
import { InvalidNextToken, ValidationError } from './errors.js';
import { evaluateExpression } from './metric-math.js';
import { validateMetricDataQueries } from './metric-data-queries.js';
import type { MetricStore } from './metric-store.js';
import {
  alignStartTime,
  metricStatSeries,
  orderSeries,
  type MetricSeries,
  type ScanBy,
} from './statistics.js';
import type { Region } from './tables.js';

/** AWS's default and largest page: 100,800 datapoints. */
const DEFAULT_MAX_DATAPOINTS = 100_800;
/** Query ids an expression may reference: they start with a lowercase letter, functions do not. */
const REFERENCE = /(?<![A-Za-z0-9_.])[a-z][A-Za-z0-9_]*/g;

type Offsets = Record<string, number>;

export async function getMetricData(
  metrics: MetricStore,
  at: Region,
  input: GetMetricDataInput,
  now: number,
): Promise<GetMetricDataOutput> {
  const queries = validateMetricDataQueries(input);
  const offsets = input.NextToken ? parseToken(input.NextToken) : {};
  const evaluator = new Evaluator(metrics, at, queries, {
    startTime: input.StartTime!.getTime(),
    endTime: input.EndTime!.getTime(),
    now,
  });
  const scanBy = (input.ScanBy ?? 'TimestampDescending') as ScanBy;
  let budget = input.MaxDatapoints && input.MaxDatapoints > 0 ? input.MaxDatapoints : DEFAULT_MAX_DATAPOINTS;
  let partial = false;
  const results: MetricDataResult[] = [];
  for (const query of queries) {
    if (query.ReturnData === false) continue;
    const series = orderSeries(await evaluator.series(query.Id!), scanBy);
    const offset = Math.min(offsets[query.Id!] ?? 0, series.values.length);
    const end = offset + Math.min(series.values.length - offset, budget);
    budget -= end - offset;
    offsets[query.Id!] = end;
    const complete = end === series.values.length;
    partial ||= !complete;
    results.push({
      Id: query.Id,
      Label: query.Label ?? query.MetricStat?.Metric?.MetricName ?? query.Id,
      Timestamps: series.timestamps.slice(offset, end).map((t) => new Date(t)),
      Values: series.values.slice(offset, end),
      StatusCode: complete ? 'Complete' : 'PartialData',
      Messages: [],
    });
  }
  return {
    MetricDataResults: results,
    Messages: [],
    ...(partial ? { NextToken: Buffer.from(JSON.stringify(offsets)).toString('base64url') } : {}),
  };
}

function parseToken(token: string): Offsets {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.values(value).every((n) => Number.isInteger(n) && (n as number) >= 0)
    ) {
      return value as Offsets;
    }
  } catch {
    // fall through to the AWS error
  }
  throw new InvalidNextToken('The service returned an error because NextToken is invalid.');
}

/** Computes each query's series once, ascending by time, expressions after the queries they use. */
class Evaluator {
  private readonly byId: Map<string, MetricDataQuery>;
  private readonly computed = new Map<string, Promise<MetricSeries>>();
  private readonly evaluating = new Set<string>();

  constructor(
    private readonly metrics: MetricStore,
    private readonly at: Region,
    queries: readonly MetricDataQuery[],
    private readonly range: { startTime: number; endTime: number; now: number },
  ) {
    this.byId = new Map(queries.map((q) => [q.Id!, q]));
  }

  series(id: string): Promise<MetricSeries> {
    let series = this.computed.get(id);
    if (!series) {
      const query = this.byId.get(id)!;
      series = query.MetricStat ? this.metricStat(query) : this.expression(query);
      this.computed.set(id, series);
    }
    return series;
  }

  private async metricStat(query: MetricDataQuery): Promise<MetricSeries> {
    const stat = query.MetricStat!;
    const metric = stat.Metric!;
    const range = { ...this.range, period: stat.Period! };
    const points = await this.metrics.datapoints(
      this.at,
      {
        namespace: metric.Namespace!,
        metricName: metric.MetricName!,
        dimensions: canonicalDimensions(metric.Dimensions),
      },
      alignStartTime(range),
      range.endTime,
    );
    return metricStatSeries(points, {
      ...range,
      stat: stat.Stat!,
      unit: stat.Unit,
      scanBy: 'TimestampAscending',
    });
  }

  private async expression(query: MetricDataQuery): Promise<MetricSeries> {
    const id = query.Id!;
    const expression = query.Expression!;
    // Set before the first await, so a query on the chain that refers back to this one sees it.
    this.evaluating.add(id);
    const inputs: Record<string, MetricSeries> = {};
    for (const [reference] of expression.matchAll(REFERENCE)) {
      if (this.evaluating.has(reference)) {
        throw new ValidationError(`Error in expression ${id}: circular reference to ${reference}.`);
      }
      if (this.byId.has(reference)) inputs[reference] = await this.series(reference);
    }
    this.evaluating.delete(id);
    const result = evaluateExpression(expression, inputs);
    if ('error' in result) throw new ValidationError(`Error in expression ${id}: ${result.error}`);
    return result.series;
  }
}
