/**
 * Statistics for CloudWatch GetMetricStatistics and GetMetricData, computed from stored datapoints.
 * Dependency-free and pure given the request's arrival time (`now`, else the clock): the handlers
 * load datapoints, these functions do the maths.
 *
 * Percentiles use the nearest rank over the samples weighted by their counts: pNN is the smallest
 * published value such that at least NN% of the samples are lower or equal. That is AWS's own
 * description ("p99 is the maximum value of the remaining 99%"). Trimmed statistics with percentage
 * bounds keep the share of the sample mass between the two percentiles, so a sample straddling a
 * boundary counts partially — which is why AWS warns that TC "can return a decimal value".
 */

export interface StoredDatapoint {
  timestamp: number; // epoch ms
  unit: string | undefined; // a CloudWatch StandardUnit, or undefined for None
  values?: { value: number; count: number }[]; // raw samples, from Value or Values/Counts
  statisticSet?: { sampleCount: number; sum: number; minimum: number; maximum: number }; // StatisticValues
}

export type Statistic = 'SampleCount' | 'Average' | 'Sum' | 'Minimum' | 'Maximum';
export type ScanBy = 'TimestampDescending' | 'TimestampAscending';

/** Bounds of a trimmed statistic: percentiles of the samples, or metric values (lower exclusive, upper inclusive). */
export interface StatisticBounds {
  type: 'percent' | 'value';
  lower?: number;
  upper?: number;
}

export type ExtendedStatistic =
  | { kind: 'Percentile'; percentile: number }
  | { kind: (typeof KINDS)[keyof typeof KINDS]; bounds: StatisticBounds };

/** One GetMetricStatistics datapoint: a period that holds data, for one unit. */
export interface Bucket {
  timestamp: number; // start of the period, epoch ms
  unit: string;
  statistics: Partial<Record<Statistic, number>>;
  extended: Record<string, number>; // those that could be computed, keyed by the name asked for
}

export interface MetricSeries {
  timestamps: number[];
  values: number[];
}

export interface ParameterError {
  code: 'InvalidParameterValue' | 'InvalidParameterCombination';
  message: string;
}

/** Common to every query. `now` is when the request arrived: AWS judges a start time's age against it. */
export interface TimeRange {
  startTime: number; // epoch ms
  endTime: number; // epoch ms, exclusive
  period: number; // seconds
  now?: number; // epoch ms, defaults to the clock
}

export const MAX_GET_METRIC_STATISTICS_DATAPOINTS = 1440;
const STATISTICS: readonly string[] = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];
const HIGH_RESOLUTION_PERIODS = [1, 5, 10, 20, 30];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Tolerance on sample mass, so that 16.1% of 1000 samples computing to 161.00000000000003 keeps rank 161. */
const EPSILON = 1e-9;

export function isStatistic(s: string): s is Statistic {
  return STATISTICS.includes(s);
}

/** Whether `stat` may be a MetricStat.Stat: a statistic or any extended statistic. */
export function isValidStat(stat: string): boolean {
  return isStatistic(stat) || parseExtendedStatistic(stat) !== undefined;
}

const KINDS = {
  tm: 'TrimmedMean',
  wm: 'WinsorizedMean',
  tc: 'TrimmedCount',
  ts: 'TrimmedSum',
  pr: 'PercentileRank',
} as const;
// Percentages take up to 10 decimals; lowercase forms hold one percentage, uppercase ones a range.
const PERCENT = String.raw`\d{1,3}(?:\.\d{1,10})?`;
const SHORT_FORM = new RegExp(`^(p|tm|wm|tc|ts)(${PERCENT})$`);
const BOUND = String.raw`(?:(${PERCENT})%|(-?\d+(?:\.\d+)?))?`;
const RANGE_FORM = new RegExp(String.raw`^(TM|WM|TC|TS|PR)\(${BOUND}:${BOUND}\)$`);

/** Parses p0.0–p100, tmNN/wmNN/tcNN/tsNN, IQM and TM/WM/TC/TS/PR(lower:upper); undefined when invalid. */
export function parseExtendedStatistic(s: string): ExtendedStatistic | undefined {
  if (s === 'IQM') return { kind: 'TrimmedMean', bounds: { type: 'percent', lower: 25, upper: 75 } };
  const short = SHORT_FORM.exec(s);
  if (short) {
    const [, prefix = '', digits = ''] = short;
    const percent = Number(digits);
    if (percent > 100) return undefined;
    if (prefix === 'p') return { kind: 'Percentile', percentile: percent };
    return { kind: KINDS[prefix as keyof typeof KINDS], bounds: { type: 'percent', upper: percent } };
  }
  const range = RANGE_FORM.exec(s);
  if (!range) return undefined;
  const [, prefix = '', lowerPercent, lowerValue, upperPercent, upperValue] = range;
  const kind = KINDS[prefix.toLowerCase() as keyof typeof KINDS];
  const percent = lowerPercent !== undefined || upperPercent !== undefined;
  const absolute = lowerValue !== undefined || upperValue !== undefined;
  // Exactly one kind of bound; percentile rank is defined only over metric values.
  if (percent === absolute || (percent && kind === 'PercentileRank')) return undefined;
  const [lower, upper] = [lowerPercent ?? lowerValue, upperPercent ?? upperValue].map((bound) =>
    bound === undefined ? undefined : Number(bound),
  );
  if ((percent && Math.max(lower ?? 0, upper ?? 0) > 100) || (lower ?? -Infinity) >= (upper ?? Infinity)) {
    return undefined;
  }
  return { kind, bounds: { type: percent ? 'percent' : 'value', lower, upper } };
}

/** Period rules shared by GetMetricStatistics, MetricStat and MetricDataQuery. */
export function validatePeriod(period: number, parameterName = 'Period'): ParameterError | undefined {
  if (!Number.isInteger(period) || period < 1) {
    return invalid(`The parameter ${parameterName} must be a positive integer.`);
  }
  if (period % 60 !== 0 && !HIGH_RESOLUTION_PERIODS.includes(period)) {
    return invalid(`The parameter ${parameterName} must be 1, 5, 10, 20, 30, or a multiple of 60.`);
  }
  return undefined;
}

/** Validates a GetMetricStatistics request before any data is loaded. */
export function validateGetMetricStatistics(
  request: TimeRange & { statistics: string[]; extendedStatistics: string[] },
): ParameterError | undefined {
  const { startTime, endTime, period, statistics, extendedStatistics } = request;
  const periodError = validatePeriod(period);
  if (periodError) return periodError;
  if (!(startTime < endTime)) {
    return invalid('The parameter StartTime must be less than the parameter EndTime.');
  }
  // AWS documents "either Statistics or ExtendedStatistics, but not both"; asking for both is
  // accepted here because a Datapoint holds both and rejecting could only break working callers.
  if (statistics.length + extendedStatistics.length === 0) {
    return invalid('Must specify either Statistics or ExtendedStatistics.', 'InvalidParameterCombination');
  }
  const badStatistic = statistics.findIndex((s) => !isStatistic(s));
  if (badStatistic >= 0) {
    return invalid(
      `The parameter Statistics.member.${badStatistic + 1} must be a value in the set [${STATISTICS.join(', ')}].`,
    );
  }
  const badExtended = extendedStatistics.find((s) => parseExtendedStatistic(s) === undefined);
  if (badExtended !== undefined) {
    return invalid(`The value ${badExtended} for parameter ExtendedStatistics is invalid.`);
  }
  const requested = Math.ceil((endTime - alignStartTime(request)) / (period * 1000));
  if (requested > MAX_GET_METRIC_STATISTICS_DATAPOINTS) {
    return invalid(
      `You have requested up to ${requested.toLocaleString('en-US')} datapoints, which exceeds the limit of 1,440. ` +
        'You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
      'InvalidParameterCombination',
    );
  }
  return undefined;
}

function invalid(message: string, code: ParameterError['code'] = 'InvalidParameterValue'): ParameterError {
  return { code, message };
}

/**
 * Rounds StartTime down as AWS does: to the minute when under 15 days old, to 5 minutes up to 63
 * days, to the hour beyond; a sub-minute period rounds to a multiple of itself instead. Periods
 * are counted from this instant, not from the epoch.
 */
export function alignStartTime({ startTime, period, now = Date.now() }: TimeRange): number {
  const age = now - startTime;
  const step = age > 63 * DAY ? HOUR : age > 15 * DAY ? 5 * MINUTE : period < 60 ? period * 1000 : MINUTE;
  return Math.floor(startTime / step) * step;
}

/**
 * AWS keeps older data only rolled up (1 minute after 3 hours, 5 after 15 days, 1 hour after 63),
 * and documents that a finer period then returns no datapoints at all — not an error.
 */
function periodIsRetained({ startTime, period, now = Date.now() }: TimeRange): boolean {
  const age = now - startTime;
  const resolution = age > 63 * DAY ? 3600 : age > 15 * DAY ? 300 : age > 3 * HOUR ? 60 : 1;
  return period % resolution === 0;
}

/** Groups points of the unit, if any, by period start, ascending; periods without points are absent. */
function groupByPeriod(
  points: StoredDatapoint[],
  range: TimeRange & { unit?: string },
): Map<number, StoredDatapoint[]> {
  const groups = new Map<number, StoredDatapoint[]>();
  if (!periodIsRetained(range)) return groups;
  const start = alignStartTime(range);
  const length = range.period * 1000;
  for (const point of [...points].sort((a, b) => a.timestamp - b.timestamp)) {
    if (point.timestamp < start || point.timestamp >= range.endTime) continue;
    if (range.unit !== undefined && unitOf(point) !== range.unit) continue;
    const periodStart = start + Math.floor((point.timestamp - start) / length) * length;
    const group = groups.get(periodStart);
    if (group) group.push(point);
    else groups.set(periodStart, [point]);
  }
  return groups;
}

const unitOf = (point: StoredDatapoint): string => point.unit ?? 'None';

/**
 * GetMetricStatistics: one bucket per period holding data and per unit, ascending by time (AWS
 * promises no order). Without `unit` every unit is returned, each on its own datapoint, since
 * CloudWatch never converts between units; with it, only data published with that unit counts.
 */
export function aggregate(
  points: StoredDatapoint[],
  options: TimeRange & { statistics: Statistic[]; extendedStatistics: string[]; unit?: string },
): Bucket[] {
  const buckets: Bucket[] = [];
  for (const [timestamp, group] of groupByPeriod(points, options)) {
    for (const unit of [...new Set(group.map(unitOf))].sort()) {
      const unitPoints = group.filter((p) => unitOf(p) === unit);
      const summary = summarize(unitPoints);
      if (!summary) continue;
      const statistics: Bucket['statistics'] = {};
      for (const stat of options.statistics) statistics[stat] = simpleStatistic(summary, stat);
      const extended: Record<string, number> = {};
      for (const name of options.extendedStatistics) {
        const value = computeStatistic(unitPoints, name);
        if (value !== undefined) extended[name] = value;
      }
      buckets.push({ timestamp, unit, statistics, extended });
    }
  }
  return buckets;
}

/**
 * GetMetricData's MetricStat: one value per period holding data, newest first unless ScanBy is
 * TimestampAscending. Without `unit`, data of every unit forms the single series. Periods whose
 * statistic cannot be computed (a percentile over statistic sets) are left out.
 */
export function metricStatSeries(
  points: StoredDatapoint[],
  options: TimeRange & { stat: string; unit?: string; scanBy?: ScanBy },
): MetricSeries {
  const series: MetricSeries = { timestamps: [], values: [] };
  for (const [timestamp, group] of groupByPeriod(points, options)) {
    const value = computeStatistic(group, options.stat);
    if (value === undefined) continue;
    series.timestamps.push(timestamp);
    series.values.push(value);
  }
  return orderSeries(series, options.scanBy);
}

/** Orders a series as GetMetricData's ScanBy asks, TimestampDescending by default. */
export function orderSeries(series: MetricSeries, scanBy: ScanBy = 'TimestampDescending'): MetricSeries {
  const sign = scanBy === 'TimestampAscending' ? 1 : -1;
  const pairs = series.timestamps.map((timestamp, i) => ({ timestamp, value: series.values[i] ?? NaN }));
  pairs.sort((a, b) => sign * (a.timestamp - b.timestamp));
  return { timestamps: pairs.map((p) => p.timestamp), values: pairs.map((p) => p.value) };
}

/**
 * A statistic ('Sum', 'Average', …) or extended statistic ('p99', 'TM(10%:90%)', …) over all the
 * points given. Undefined when there is no sample, the name is invalid, or the extended statistic
 * needs samples that are unknown: statistic sets spreading several values (Minimum ≠ Maximum)
 * hide them, and AWS offers none of these statistics once any value is negative.
 */
export function computeStatistic(points: StoredDatapoint[], stat: string): number | undefined {
  if (isStatistic(stat)) {
    const summary = summarize(points);
    return summary && simpleStatistic(summary, stat);
  }
  const parsed = parseExtendedStatistic(stat);
  const samples = parsed && samplesOf(points);
  return parsed && samples ? extendedValue(samples, parsed) : undefined;
}

type Summary = Record<Exclude<Statistic, 'Average'>, number>;

function simpleStatistic(summary: Summary, stat: Statistic): number {
  return stat === 'Average' ? summary.Sum / summary.SampleCount : summary[stat];
}

function summarize(points: StoredDatapoint[]): Summary | undefined {
  const summary: Summary = { SampleCount: 0, Sum: 0, Minimum: Infinity, Maximum: -Infinity };
  const add = (count: number, sum: number, minimum: number, maximum: number): void => {
    if (count <= 0) return;
    summary.SampleCount += count;
    summary.Sum += sum;
    summary.Minimum = Math.min(summary.Minimum, minimum);
    summary.Maximum = Math.max(summary.Maximum, maximum);
  };
  for (const { values = [], statisticSet: set } of points) {
    if (set) add(set.sampleCount, set.sum, set.minimum, set.maximum);
    for (const { value, count } of values) add(count, value * count, value, value);
  }
  return summary.SampleCount > 0 ? summary : undefined;
}

type Sample = { value: number; count: number };
const countOf = (samples: Sample[]): number => samples.reduce((n, s) => n + s.count, 0);
const sumOf = (samples: Sample[]): number => samples.reduce((n, s) => n + s.value * s.count, 0);

/** The samples sorted by value, when known (see computeStatistic). */
function samplesOf(points: StoredDatapoint[]): Sample[] | undefined {
  const samples: Sample[] = [];
  for (const { values = [], statisticSet: set } of points) {
    // Equal Minimum and Maximum (always so for a single sample) mean every sample had that value.
    if (set && set.minimum !== set.maximum) return undefined;
    if (set) samples.push({ value: set.minimum, count: set.sampleCount });
    samples.push(...values);
  }
  const known = samples.filter((s) => s.count > 0);
  if (known.length === 0 || known.some((s) => s.value < 0)) return undefined;
  return known.sort((a, b) => a.value - b.value);
}

function extendedValue(samples: Sample[], stat: ExtendedStatistic): number | undefined {
  const total = countOf(samples);
  if (stat.kind === 'Percentile') return percentile(samples, total, stat.percentile);
  if (stat.kind === 'WinsorizedMean') return winsorizedMean(samples, total, stat.bounds);
  const kept = trim(samples, total, stat.bounds);
  switch (stat.kind) {
    case 'TrimmedCount':
      return countOf(kept);
    case 'TrimmedSum':
      return sumOf(kept);
    case 'PercentileRank':
      return (countOf(kept) / total) * 100;
    case 'TrimmedMean':
      return kept.length > 0 ? sumOf(kept) / countOf(kept) : undefined;
  }
}

function percentile(samples: Sample[], total: number, p: number): number | undefined {
  const rank = (p * total) / 100 - EPSILON * total;
  let seen = 0;
  return samples.find(({ count }) => (seen += count) >= rank)?.value;
}

/** The samples within the bounds, each counted for the share of its count that lies inside. */
function trim(samples: Sample[], total: number, { type, lower, upper }: StatisticBounds): Sample[] {
  if (type === 'value') {
    return samples.filter((s) => s.value > (lower ?? -Infinity) && s.value <= (upper ?? Infinity));
  }
  const [low, high] = [((lower ?? 0) * total) / 100, ((upper ?? 100) * total) / 100];
  let before = 0;
  return samples.flatMap(({ value, count }) => {
    const inside = Math.min(before + count, high) - Math.max(before, low);
    before += count;
    return inside > EPSILON * total ? [{ value, count: inside }] : [];
  });
}

/** Values beyond the bounds count as the value at the edge: the bound itself, or the outermost sample kept. */
function winsorizedMean(samples: Sample[], total: number, bounds: StatisticBounds): number | undefined {
  const { type, lower, upper } = bounds;
  if (type === 'value') {
    const clamp = (v: number): number => Math.min(Math.max(v, lower ?? v), upper ?? v);
    return samples.reduce((n, s) => n + clamp(s.value) * s.count, 0) / total;
  }
  const kept = trim(samples, total, bounds);
  const [first, last] = [kept[0], kept.at(-1)];
  if (!first || !last) return undefined;
  const [below, above] = [((lower ?? 0) * total) / 100, total - ((upper ?? 100) * total) / 100];
  return (sumOf(kept) + below * first.value + above * last.value) / total;
}
