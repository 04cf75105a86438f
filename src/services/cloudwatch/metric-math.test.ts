import { describe, it, expect } from 'vitest';
import { evaluateExpression } from './metric-math.js';
import type { MetricSeries } from './statistics.js';

const MINUTE = 60_000;
/** Builds a series from [minute, value] pairs. */
const at = (...points: [number, number][]): MetricSeries => ({
  timestamps: points.map(([minute]) => minute * MINUTE),
  values: points.map(([, value]) => value),
});

const inputs = {
  m1: at([0, 10], [1, 20], [2, 30]),
  m2: at([0, 2], [2, 5], [3, 4]),
  empty: at(),
};

describe('evaluateExpression', () => {
  it.each<[string, string, MetricSeries]>([
    ['returns a query as is', 'm1', inputs.m1],
    ['adds series, a missing value counting as 0', 'm1 + m2', at([0, 12], [1, 20], [2, 35], [3, 4])],
    ['subtracts series', 'm1 - m2', at([0, 8], [1, 20], [2, 25], [3, -4])],
    ['multiplies a series by a scalar', 'm1 * 2', at([0, 20], [1, 40], [2, 60])],
    ['multiplies a scalar by a series', '2 * m1', at([0, 20], [1, 40], [2, 60])],
    ['drops points divided by zero, including by a missing value', 'm1 / m2', at([0, 5], [2, 6], [3, 0])],
    ['drops every point divided by a zero scalar', 'm1 / 0', at()],
    ['negates a series', '-m1', at([0, -10], [1, -20], [2, -30])],
    ['raises to a power', 'm1 ^ 2', at([0, 100], [1, 400], [2, 900])],
    ['binds ^ tighter than unary minus', '-2 ^ 2 * m1', at([0, -40], [1, -80], [2, -120])],
    ['makes ^ right-associative', '2 ^ 3 ^ 2 + 0 * m1', at([0, 512], [1, 512], [2, 512])],
    ['binds * tighter than +', '1 + 2 * m1', at([0, 21], [1, 41], [2, 61])],
    ['honours parentheses', '(1 + 2) * m1', at([0, 30], [1, 60], [2, 90])],
    ['reads numbers with decimals and exponents', '0.5e1 * m1', at([0, 50], [1, 100], [2, 150])],
    ['ignores whitespace', '  m1*2 ', at([0, 20], [1, 40], [2, 60])],
    ['uses AVG of one series as a scalar', 'm1 - AVG(m1)', at([0, -10], [1, 0], [2, 10])],
    ['uses MIN of one series as a scalar', 'm1 - MIN(m1)', at([0, 0], [1, 10], [2, 20])],
    ['uses MAX of one series as a scalar', 'MAX(m1) - m1', at([0, 20], [1, 10], [2, 0])],
    ['uses SUM of one series as a scalar', 'm1 * 60 / SUM(m1)', at([0, 10], [1, 20], [2, 30])],
    ['drops everything when a scalar comes from no data', 'm1 + AVG(empty)', at()],
    ['sums an array per timestamp', 'SUM([m1, m2])', at([0, 12], [1, 20], [2, 35], [3, 4])],
    [
      'averages an array counting missing values as 0',
      'AVG([m1, m2])',
      at([0, 6], [1, 10], [2, 17.5], [3, 2]),
    ],
    ['takes the MIN of an array over values present', 'MIN([m1, m2])', at([0, 2], [1, 20], [2, 5], [3, 4])],
    ['takes the MAX of an array over values present', 'MAX([m1, m2])', at([0, 10], [1, 20], [2, 30], [3, 4])],
    ['accepts expressions inside arrays', 'SUM([m1, m2 * 2])', at([0, 14], [1, 20], [2, 40], [3, 8])],
    ['takes absolute values of a series', 'ABS(m2 - m1)', at([0, 8], [1, 20], [2, 25], [3, 4])],
    ['takes absolute values of a scalar', 'ABS(-5) * m1', at([0, 50], [1, 100], [2, 150])],
    ['differences each point with the one before', 'DIFF(m1)', at([1, 10], [2, 10])],
    ['gives RATE per second between points', 'RATE(m2)', at([2, 3 / 120], [3, -1 / 60])],
  ])('%s: %s', (_, expression, expected) => {
    expect(evaluateExpression(expression, inputs)).toEqual({ series: expected });
  });

  it('accepts inputs in any order and returns the result ascending', () => {
    const descending = { m1: at([2, 30], [1, 20], [0, 10]) };
    expect(evaluateExpression('DIFF(m1)', descending)).toEqual({ series: at([1, 10], [2, 10]) });
  });

  it.each([
    ['a scalar result', 'AVG(m1)', 'The expression must produce a single time series.'],
    ['a constant', '5', 'The expression must produce a single time series.'],
    ['an array result', '[m1, m2]', 'The expression must produce a single time series.'],
    ['an unknown id', 'm9', 'Unknown metric or expression id "m9".'],
    ['an inherited property name', 'toString', 'Unknown metric or expression id "toString".'],
    ['a lowercase function, read as an id', 'sum(m1)', 'Unknown metric or expression id "sum".'],
    ['an unsupported function', 'FOO(m1)', 'Unsupported function "FOO".'],
    ['an empty expression', '', 'Unexpected end of expression.'],
    ['a dangling operator', 'm1 +', 'Unexpected end of expression.'],
    ['an unknown character', 'm1 $ m2', 'Unexpected "$" at position 3.'],
    ['two operands in a row', 'm1 m2', 'Unexpected "m2" at position 3.'],
    ['an unclosed parenthesis', '(m1', 'Expected ")" but found the end of the expression.'],
    ['a function without parentheses', 'ABS m1', 'Expected "(" but found "m1" at position 4.'],
    ['arithmetic on an array', '[m1, m2] + 1', 'Only SUM, AVG, MIN and MAX accept an array of time series.'],
    ['a scalar inside an array', 'SUM([m1, 5])', 'An array must contain only time series.'],
    ['a reducer over a scalar', 'SUM(5)', 'SUM expects a time series or an array of them.'],
    ['DIFF of a scalar', 'DIFF(5)', 'DIFF expects a time series.'],
    ['RATE of an array', 'RATE([m1])', 'Only SUM, AVG, MIN and MAX accept an array of time series.'],
  ])('reports %s', (_, expression, error) => {
    expect(evaluateExpression(expression, inputs)).toEqual({ error });
  });
});
