import { describe, it, expect } from 'vitest';
import {
  aggregate,
  alignStartTime,
  computeStatistic,
  isValidStat,
  metricStatSeries,
  parseExtendedStatistic,
  validateGetMetricStatistics,
  validatePeriod,
  type StoredDatapoint,
} from './statistics.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);

const raw = (values: number[], timestamp = T0, unit?: string): StoredDatapoint => ({
  timestamp,
  unit,
  values: values.map((value) => ({ value, count: 1 })),
});
/** Values/Counts given as { value: count }. */
const counted = (counts: Record<number, number>): StoredDatapoint => ({
  timestamp: T0,
  unit: undefined,
  values: Object.entries(counts).map(([value, count]) => ({ value: Number(value), count })),
});
const set = (sampleCount: number, sum: number, minimum: number, maximum: number): StoredDatapoint => ({
  timestamp: T0,
  unit: undefined,
  statisticSet: { sampleCount, sum, minimum, maximum },
});
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('parseExtendedStatistic', () => {
  it.each([
    ['p99', { kind: 'Percentile', percentile: 99 }],
    ['p0.0', { kind: 'Percentile', percentile: 0 }],
    ['p100', { kind: 'Percentile', percentile: 100 }],
    ['p99.99', { kind: 'Percentile', percentile: 99.99 }],
    ['p99.9999999999', { kind: 'Percentile', percentile: 99.9999999999 }],
    ['tm90', { kind: 'TrimmedMean', bounds: { type: 'percent', upper: 90 } }],
    ['wm98', { kind: 'WinsorizedMean', bounds: { type: 'percent', upper: 98 } }],
    ['tc90', { kind: 'TrimmedCount', bounds: { type: 'percent', upper: 90 } }],
    ['ts90', { kind: 'TrimmedSum', bounds: { type: 'percent', upper: 90 } }],
    ['IQM', { kind: 'TrimmedMean', bounds: { type: 'percent', lower: 25, upper: 75 } }],
    ['TM(10%:90%)', { kind: 'TrimmedMean', bounds: { type: 'percent', lower: 10, upper: 90 } }],
    ['TM(:95%)', { kind: 'TrimmedMean', bounds: { type: 'percent', lower: undefined, upper: 95 } }],
    ['TS(80%:)', { kind: 'TrimmedSum', bounds: { type: 'percent', lower: 80, upper: undefined } }],
    ['TM(150:1000)', { kind: 'TrimmedMean', bounds: { type: 'value', lower: 150, upper: 1000 } }],
    ['TC(0.005:0.030)', { kind: 'TrimmedCount', bounds: { type: 'value', lower: 0.005, upper: 0.03 } }],
    ['WM(10%:90%)', { kind: 'WinsorizedMean', bounds: { type: 'percent', lower: 10, upper: 90 } }],
    ['PR(:300)', { kind: 'PercentileRank', bounds: { type: 'value', lower: undefined, upper: 300 } }],
    ['PR(100:2000)', { kind: 'PercentileRank', bounds: { type: 'value', lower: 100, upper: 2000 } }],
  ])('parses %s', (text, expected) => {
    expect(parseExtendedStatistic(text)).toEqual(expected);
  });

  it.each([
    ['p101', 'a percentile above 100'],
    ['p100.1', 'a fractional percentile above 100'],
    ['p99.12345678901', 'more than 10 decimals'],
    ['P99', 'an uppercase single-number form'],
    ['TM90', 'an uppercase single-number form'],
    ['tm(10%:90%)', 'a lowercase range'],
    ['p', 'no number'],
    ['p-1', 'a negative percentile'],
    ['TM(:)', 'a range without bounds'],
    ['TM(10%)', 'a range without a colon'],
    ['TM(10%:500)', 'a percentage mixed with a value'],
    ['TM(90%:10%)', 'a lower bound above the upper one'],
    ['TM(101%:)', 'a percentage above 100'],
    ['PR(10%:90%)', 'a percentile rank over percentages'],
    ['Average', 'a simple statistic'],
    ['', 'an empty string'],
  ])('rejects %s (%s)', (text) => {
    expect(parseExtendedStatistic(text)).toBeUndefined();
  });

  it('accepts simple and extended statistics as a MetricStat.Stat, nothing else', () => {
    expect(['Sum', 'p99', 'IQM', 'Median', 'sum'].map(isValidStat)).toEqual([true, true, true, false, false]);
  });
});

describe('computeStatistic', () => {
  it.each<[string, StoredDatapoint[], string, number | undefined]>([
    ['sums single values', [raw([1, 2, 3])], 'Sum', 6],
    ['counts single values', [raw([1, 2, 3]), raw([4])], 'SampleCount', 4],
    ['averages as Sum / SampleCount', [raw([1, 2, 3, 10])], 'Average', 4],
    ['finds the minimum', [raw([5, 2, 9])], 'Minimum', 2],
    ['finds the maximum', [raw([5, 2, 9])], 'Maximum', 9],
    ['weights Values by Counts in Sum', [counted({ 1: 1, 2: 1, 3: 2 })], 'Sum', 9],
    ['weights Values by Counts in SampleCount', [counted({ 1: 1, 3: 2 })], 'SampleCount', 3],
    ['weights Values by Counts in Average', [counted({ 1: 1, 2: 1, 3: 2 })], 'Average', 2.25],
    ['ignores values whose count is zero', [counted({ 100: 0, 1: 1 })], 'Maximum', 1],
    ['merges statistic sets with raw values (Sum)', [set(3, 30, 5, 15), raw([20])], 'Sum', 50],
    ['merges statistic sets with raw values (Average)', [set(3, 30, 5, 15), raw([20])], 'Average', 12.5],
    ['merges statistic sets with raw values (Minimum)', [set(3, 30, 5, 15), raw([20])], 'Minimum', 5],
    ['has no value without samples', [], 'Sum', undefined],
    ['has no value for an unknown statistic', [raw([1])], 'Median', undefined],
  ])('%s', (_, points, stat, expected) => {
    expect(computeStatistic(points, stat)).toBe(expected);
  });

  it.each<[string, StoredDatapoint[], string, number | undefined]>([
    ['p50 of 1..100 is 50 (nearest rank)', [raw(range(1, 100))], 'p50', 50],
    ['p99 of 1..100 is 99', [raw(range(1, 100))], 'p99', 99],
    ['p99.5 of 1..100 rounds up to 100', [raw(range(1, 100))], 'p99.5', 100],
    ['p0 is the minimum', [raw([7, 3, 9])], 'p0.0', 3],
    ['p100 is the maximum', [raw([7, 3, 9])], 'p100', 9],
    ['p95 of 1..10 is 10', [raw(range(1, 10))], 'p95', 10],
    ['p16.1 of 1..1000 is 161 despite floating point', [raw(range(1, 1000))], 'p16.1', 161],
    ['percentiles weight by Counts', [counted({ 1: 99, 1000: 1 })], 'p99', 1],
    ['p99.5 reaches the single high sample', [counted({ 1: 99, 1000: 1 })], 'p99.5', 1000],
    ['a statistic set with equal Minimum and Maximum is its samples', [set(5, 35, 7, 7)], 'p50', 7],
    ['a statistic set of one sample is that sample', [set(1, 4, 4, 4), raw([1])], 'p100', 4],
    ['a statistic set spreading values has no percentile', [set(3, 30, 5, 15)], 'p50', undefined],
    ['mixing raw values with such a set has no percentile', [set(3, 30, 5, 15), raw([1])], 'p50', undefined],
    ['negative values have no percentile', [raw([-1, 5])], 'p50', undefined],
    ['negative values have no trimmed count', [raw([-1, 5])], 'TC(:10)', undefined],
    ['negative values still have a Sum', [raw([-1, 5])], 'Sum', 4],
  ])('%s', (_, points, stat, expected) => {
    expect(computeStatistic(points, stat)).toBe(expected);
  });

  it.each<[string, number[], string, number | undefined]>([
    ['tm90 drops the top 10%', range(1, 10), 'tm90', 5],
    ['TM(10%:90%) drops both tails', range(1, 10), 'TM(10%:90%)', 5.5],
    ['IQM keeps the middle half', range(1, 8), 'IQM', 4.5],
    [
      'TM with values excludes the lower bound and includes the upper',
      [100, 150, 151, 1000, 1001],
      'TM(150:1000)',
      575.5,
    ],
    ['TM is undefined when everything is trimmed', range(1, 10), 'TM(1000:)', undefined],
    ['TC counts values in (lower, upper]', [0.005, 0.01, 0.03, 0.031], 'TC(0.005:0.030)', 2],
    ['TC counts a straddling sample partially', range(1, 15), 'tc90', 13.5],
    ['TC is 0 when everything is trimmed', range(1, 10), 'TC(1000:)', 0],
    ['ts90 sums the kept values', range(1, 10), 'ts90', 45],
    ['TS(80%:) sums the top 20%', range(1, 10), 'TS(80%:)', 19],
    ['PR(:300) is the share at or below 300', [100, 200, 300, 400], 'PR(:300)', 75],
    ['PR excludes its lower bound', [100, 200, 300, 400], 'PR(100:2000)', 75],
    ['WM(10%:90%) clamps tails to the outermost kept values', range(1, 10), 'WM(10%:90%)', 5.5],
    ['wm98 clamps the top 2% to the 98th percentile', range(1, 100), 'wm98', 50.47],
    ['WM with values clamps to the bounds', range(1, 10), 'WM(2:8)', 5.3],
  ])('%s', (_, values, stat, expected) => {
    const result = computeStatistic([raw(values)], stat);
    if (expected === undefined) expect(result).toBeUndefined();
    else expect(result).toBeCloseTo(expected, 9);
  });
});

describe('alignStartTime', () => {
  const at = (h: number, m: number, s: number, ms = 0): number => Date.UTC(2024, 0, 1, h, m, s, ms);
  it.each([
    ['rounds a recent start down to the minute', at(12, 32, 34), 60, MINUTE, at(12, 32, 0)],
    ['rounds by the minute, not by a longer period', at(12, 32, 34), 300, MINUTE, at(12, 32, 0)],
    ['rounds a start 15 to 63 days old to 5 minutes', at(12, 32, 34), 300, 20 * DAY, at(12, 30, 0)],
    ['rounds a start over 63 days old to the hour', at(12, 32, 34), 3600, 70 * DAY, at(12, 0, 0)],
    ['rounds to a 10-second division for Period 10', at(1, 5, 13), 10, MINUTE, at(1, 5, 10)],
    ['rounds to a 5-second division for Period 5', at(15, 2, 17), 5, MINUTE, at(15, 2, 15)],
    ['rounds to the second for Period 1', at(12, 0, 0, 500), 1, MINUTE, at(12, 0, 0)],
  ])('%s', (_, startTime, period, age, expected) => {
    expect(alignStartTime({ startTime, endTime: startTime + DAY, period, now: startTime + age })).toBe(
      expected,
    );
  });
});

describe('validatePeriod', () => {
  it.each([1, 5, 10, 20, 30, 60, 120, 3600])('accepts %i', (period) => {
    expect(validatePeriod(period)).toBeUndefined();
  });

  it.each([0, -60, 1.5])('rejects %d as not a positive integer', (period) => {
    expect(validatePeriod(period)).toEqual({
      code: 'InvalidParameterValue',
      message: 'The parameter Period must be a positive integer.',
    });
  });

  it.each([15, 45, 90])('rejects %i as neither high-resolution nor a multiple of 60', (period) => {
    expect(validatePeriod(period)?.message).toBe(
      'The parameter Period must be 1, 5, 10, 20, 30, or a multiple of 60.',
    );
  });

  it('names the parameter it was given', () => {
    expect(validatePeriod(7, 'MetricDataQueries.member.1.MetricStat.Period')?.message).toMatch(
      /^The parameter MetricDataQueries\.member\.1\.MetricStat\.Period must/,
    );
  });
});

describe('validateGetMetricStatistics', () => {
  const request = { startTime: T0, endTime: T0 + DAY, period: 60, now: T0 + DAY };
  const value = (message: string) => ({ code: 'InvalidParameterValue', message });
  const combination = (message: string) => ({ code: 'InvalidParameterCombination', message });
  const tooMany = (n: string) =>
    combination(
      `You have requested up to ${n} datapoints, which exceeds the limit of 1,440. ` +
        'You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
    );
  it.each([
    ['a valid request', {}, undefined],
    ['both Statistics and ExtendedStatistics', { extendedStatistics: ['p99'] }, undefined],
    ['1,440 datapoints from a start rounded down', { startTime: T0 + 30_000 }, undefined],
    ['1,441 datapoints', { endTime: T0 + DAY + MINUTE }, tooMany('1,441')],
    [
      'a rounded start adding a 1,441st',
      { startTime: T0 + 30_000, endTime: T0 + DAY + 30_000 },
      tooMany('1,441'),
    ],
    ['2,880 datapoints', { endTime: T0 + 2 * DAY }, tooMany('2,880')],
    [
      'an invalid Period',
      { period: 90 },
      value('The parameter Period must be 1, 5, 10, 20, 30, or a multiple of 60.'),
    ],
    [
      'StartTime equal to EndTime',
      { endTime: T0 },
      value('The parameter StartTime must be less than the parameter EndTime.'),
    ],
    [
      'no statistic at all',
      { statistics: [] },
      combination('Must specify either Statistics or ExtendedStatistics.'),
    ],
    [
      'an unknown statistic',
      { statistics: ['Sum', 'Median'] },
      value(
        'The parameter Statistics.member.2 must be a value in the set [SampleCount, Average, Sum, Minimum, Maximum].',
      ),
    ],
    [
      'an invalid extended statistic',
      { extendedStatistics: ['p101'] },
      value('The value p101 for parameter ExtendedStatistics is invalid.'),
    ],
  ])('answers %s', (_, change, expected) => {
    expect(
      validateGetMetricStatistics({ statistics: ['Sum'], extendedStatistics: [], ...request, ...change }),
    ).toEqual(expected);
  });
});

describe('aggregate', () => {
  const base = { period: 300, statistics: ['Sum' as const], extendedStatistics: [], now: T0 + DAY };
  const sums = (points: StoredDatapoint[], options: Partial<Parameters<typeof aggregate>[1]> = {}) =>
    aggregate(points, { ...base, startTime: T0, endTime: T0 + DAY, ...options }).map((b) => [
      (b.timestamp - T0) / MINUTE,
      b.unit,
      b.statistics.Sum,
    ]);

  it('counts periods from the rounded start time and returns only periods with data, ascending', () => {
    const points = [
      raw([1], T0 + 11 * MINUTE),
      raw([2], T0 + 10_000),
      raw([3], T0 + 5 * MINUTE - 1),
      raw([4], T0 + 5 * MINUTE),
    ];
    expect(sums(points, { startTime: T0 + 30_000 })).toEqual([
      [0, 'None', 5],
      [5, 'None', 4],
      [10, 'None', 1],
    ]);
  });

  it('anchors periods on the start time rather than on the epoch', () => {
    const points = [raw([1], T0 + 6 * MINUTE), raw([2], T0 + 7 * MINUTE)];
    expect(sums(points, { startTime: T0 + 2 * MINUTE })).toEqual([
      [2, 'None', 1],
      [7, 'None', 2],
    ]);
  });

  it('includes StartTime and excludes EndTime', () => {
    const points = [raw([1], T0 - 1), raw([2], T0), raw([4], T0 + 10 * MINUTE)];
    expect(sums(points, { endTime: T0 + 10 * MINUTE })).toEqual([[0, 'None', 2]]);
  });

  it('returns each unit on its own datapoint when no unit is asked for', () => {
    const points = [raw([1], T0, 'Seconds'), raw([2], T0, 'Milliseconds'), raw([4], T0)];
    expect(sums(points)).toEqual([
      [0, 'Milliseconds', 2],
      [0, 'None', 4],
      [0, 'Seconds', 1],
    ]);
  });

  it.each([
    ['Seconds', [[0, 'Seconds', 1]]],
    ['None', [[0, 'None', 4]]],
    ['Bytes', []],
  ])('counts only data published with unit %s when it is asked for', (unit, expected) => {
    expect(sums([raw([1], T0, 'Seconds'), raw([4], T0)], { unit })).toEqual(expected);
  });

  it('returns the statistics asked for and the extended statistics it can compute', () => {
    const points = [raw([1, 2, 3], T0), set(2, 20, 5, 15), { ...raw([10, 20]), timestamp: T0 + 5 * MINUTE }];
    const buckets = aggregate(points, {
      ...base,
      startTime: T0,
      endTime: T0 + DAY,
      statistics: ['Average', 'Maximum'],
      extendedStatistics: ['p50', 'TC(:15)'],
    });
    expect(buckets).toEqual([
      { timestamp: T0, unit: 'None', statistics: { Average: 5.2, Maximum: 15 }, extended: {} },
      {
        timestamp: T0 + 5 * MINUTE,
        unit: 'None',
        statistics: { Average: 15, Maximum: 20 },
        extended: { p50: 10, 'TC(:15)': 1 },
      },
    ]);
  });

  it.each([
    ['sub-minute periods once the start is over 3 hours old', 30, 4 * 60 * MINUTE, false],
    ['1-minute periods up to 15 days', 60, 4 * 60 * MINUTE, true],
    ['1-minute periods once the start is over 15 days old', 60, 20 * DAY, false],
    ['5-minute periods up to 63 days', 300, 20 * DAY, true],
    ['5-minute periods once the start is over 63 days old', 300, 70 * DAY, false],
    ['1-hour periods beyond 63 days', 3600, 70 * DAY, true],
  ])('follows retention: %s return data: %s', (_, period, age, returned) => {
    const options = { ...base, period, startTime: T0, endTime: T0 + DAY, now: T0 + age };
    expect(aggregate([raw([1])], options).length > 0).toBe(returned);
  });
});

describe('metricStatSeries', () => {
  const points = [raw([1, 3], T0), raw([5], T0 + MINUTE, 'Seconds'), set(2, 20, 5, 15)];
  const options = { startTime: T0, endTime: T0 + DAY, period: 60, now: T0 + DAY };

  it.each([
    ['newest first by default', { stat: 'Sum' }, [T0 + MINUTE, T0], [5, 24]],
    [
      'oldest first for TimestampAscending',
      { stat: 'Sum', scanBy: 'TimestampAscending' as const },
      [T0, T0 + MINUTE],
      [24, 5],
    ],
    ['only data of the unit asked for', { stat: 'Sum', unit: 'Seconds' }, [T0 + MINUTE], [5]],
    ['without periods whose percentile is unknown', { stat: 'p50' }, [T0 + MINUTE], [5]],
    ['nothing when no period can compute the statistic', { stat: 'p100', unit: 'None' }, [], []],
  ])('returns %s', (_, query, timestamps, values) => {
    expect(metricStatSeries(points, { ...options, ...query })).toEqual({ timestamps, values });
  });
});
