/**
 * A small evaluator for GetMetricData math expressions over series that are already computed.
 * Supported: numbers, query ids, + - * / ^, unary minus, parentheses, [a, b] arrays, and the
 * functions SUM, AVG, MIN, MAX, ABS, DIFF and RATE.
 *
 * Semantics follow "Metric math syntax and functions": between two series a missing value counts
 * as 0, and a point whose result is not a finite number (division by zero) is dropped. SUM, AVG,
 * MIN and MAX of one series give a scalar; of an array they give a series, per timestamp, where
 * AVG and SUM count missing values as 0 and MIN and MAX consider only the values present.
 */
import type { MetricSeries } from './statistics.js';

export type ExpressionResult = { series: MetricSeries } | { error: string };

/** A series keyed by timestamp; ascending order is restored when needed. */
type Series = Map<number, number>;
type Value = number | Series | Series[];

class ExpressionError extends Error {}

/** Evaluates `expression` with `inputs` bound to their query ids; the result is ascending by time. */
export function evaluateExpression(
  expression: string,
  inputs: Record<string, MetricSeries>,
): ExpressionResult {
  try {
    const value = new Parser(expression, inputs).parse();
    if (!(value instanceof Map)) {
      throw new ExpressionError('The expression must produce a single time series.');
    }
    const sorted = [...value].sort(([a], [b]) => a - b);
    return { series: { timestamps: sorted.map(([t]) => t), values: sorted.map(([, v]) => v) } };
  } catch (error) {
    if (error instanceof ExpressionError) return { error: error.message };
    throw error;
  }
}

// Ids start with a lowercase letter and functions are uppercase, as AWS requires.
const TOKEN = /(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([a-z][A-Za-z0-9_]*)|([A-Z][A-Z0-9_]*)|[-+*/^()[\],]|\s+/y;
type Token = { kind: 'number' | 'id' | 'function' | 'symbol'; text: string; at: number };

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  for (TOKEN.lastIndex = 0; TOKEN.lastIndex < expression.length;) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(expression);
    if (!match) throw new ExpressionError(`Unexpected "${expression[at]}" at position ${at}.`);
    const [text, number, id, fn] = match;
    const kind = number ? 'number' : id ? 'id' : fn ? 'function' : 'symbol';
    if (text.trim()) tokens.push({ kind, text, at });
  }
  return tokens;
}

const OPERATORS = {
  '+': (a: number, b: number) => a + b,
  '-': (a: number, b: number) => a - b,
  '*': (a: number, b: number) => a * b,
  '/': (a: number, b: number) => a / b,
  '^': (a: number, b: number) => a ** b,
};
type Operator = keyof typeof OPERATORS;

/** Recursive descent that evaluates while parsing: ^ binds tighter than unary minus, then * /, then + -. */
class Parser {
  private readonly tokens: Token[];
  private readonly inputs: Record<string, MetricSeries>;
  private position = 0;

  constructor(expression: string, inputs: Record<string, MetricSeries>) {
    this.tokens = tokenize(expression);
    this.inputs = inputs;
  }

  parse(): Value {
    const value = this.sum();
    const extra = this.tokens[this.position];
    if (extra) throw new ExpressionError(`Unexpected "${extra.text}" at position ${extra.at}.`);
    return value;
  }

  private sum(): Value {
    let value = this.product();
    for (let op = this.accept('+', '-'); op; op = this.accept('+', '-'))
      value = pointwise(value, this.product(), op);
    return value;
  }

  private product(): Value {
    let value = this.unary();
    for (let op = this.accept('*', '/'); op; op = this.accept('*', '/'))
      value = pointwise(value, this.unary(), op);
    return value;
  }

  private unary(): Value {
    return this.accept('-') ? pointwise(0, this.unary(), '-') : this.power();
  }

  private power(): Value {
    const base = this.primary();
    return this.accept('^') ? pointwise(base, this.unary(), '^') : base;
  }

  private primary(): Value {
    const token = this.tokens[this.position++];
    if (!token) throw new ExpressionError('Unexpected end of expression.');
    if (token.kind === 'number') return Number(token.text);
    if (token.kind === 'id') return this.input(token.text);
    if (token.kind === 'function') {
      this.expect('(');
      const argument = this.sum();
      this.expect(')');
      return applyFunction(token.text, argument);
    }
    if (token.text === '(') {
      const value = this.sum();
      this.expect(')');
      return value;
    }
    if (token.text === '[') {
      const items = [this.sum()];
      while (this.accept(',')) items.push(this.sum());
      this.expect(']');
      return items.map((item) => series(item, 'An array must contain only time series.'));
    }
    throw new ExpressionError(`Unexpected "${token.text}" at position ${token.at}.`);
  }

  private input(id: string): Series {
    const found = Object.hasOwn(this.inputs, id) ? this.inputs[id] : undefined;
    if (!found) throw new ExpressionError(`Unknown metric or expression id "${id}".`);
    return finite(found.timestamps.map((t, i) => [t, found.values[i] ?? NaN]));
  }

  private accept<T extends string>(...symbols: T[]): T | undefined {
    const token = this.tokens[this.position];
    const symbol = symbols.find((s) => token?.kind === 'symbol' && token.text === s);
    if (symbol) this.position++;
    return symbol;
  }

  private expect(symbol: string): void {
    if (this.accept(symbol)) return;
    const token = this.tokens[this.position];
    const found = token ? `"${token.text}" at position ${token.at}` : 'the end of the expression';
    throw new ExpressionError(`Expected "${symbol}" but found ${found}.`);
  }
}

/** Applies a binary operator to scalars or series; between series a missing value counts as 0. */
function pointwise(a: Value, b: Value, op: Operator): Value {
  const apply = OPERATORS[op];
  if (typeof a === 'number' && typeof b === 'number') return apply(a, b);
  const [left, right] = [operand(a), operand(b)];
  const at = (v: number | Series, t: number): number => (typeof v === 'number' ? v : (v.get(t) ?? 0));
  const timestamps = new Set([left, right].flatMap((v) => (typeof v === 'number' ? [] : [...v.keys()])));
  return finite([...timestamps].map((t) => [t, apply(at(left, t), at(right, t))]));
}

function operand(value: Value): number | Series {
  if (Array.isArray(value)) {
    throw new ExpressionError('Only SUM, AVG, MIN and MAX accept an array of time series.');
  }
  return value;
}

function series(value: Value, message: string): Series {
  if (value instanceof Map) return value;
  throw new ExpressionError(message);
}

/** Keeps the points that are finite numbers: AWS drops those where a division by zero occurred. */
function finite(points: [number, number][]): Series {
  return new Map(points.filter(([, v]) => Number.isFinite(v)));
}

const REDUCERS: Record<string, { ofValues: (values: number[]) => number; missingAsZero: boolean }> = {
  SUM: { ofValues: (v) => v.reduce((a, b) => a + b, 0), missingAsZero: true },
  AVG: { ofValues: (v) => v.reduce((a, b) => a + b, 0) / v.length, missingAsZero: true },
  MIN: { ofValues: (v) => v.reduce((a, b) => Math.min(a, b)), missingAsZero: false },
  MAX: { ofValues: (v) => v.reduce((a, b) => Math.max(a, b)), missingAsZero: false },
};

function applyFunction(name: string, argument: Value): Value {
  const reducer = REDUCERS[name];
  if (reducer) {
    if (typeof argument === 'number') {
      throw new ExpressionError(`${name} expects a time series or an array of them.`);
    }
    // Of one series: a scalar, with no value at all (NaN, dropped downstream) when the series is empty.
    if (argument instanceof Map) return argument.size > 0 ? reducer.ofValues([...argument.values()]) : NaN;
    const timestamps = new Set(argument.flatMap((s) => [...s.keys()]));
    return finite(
      [...timestamps].map((t) => {
        const present = argument.map((s) => s.get(t) ?? (reducer.missingAsZero ? 0 : undefined));
        return [t, reducer.ofValues(present.filter((v) => v !== undefined))];
      }),
    );
  }
  if (name === 'ABS') {
    const value = operand(argument);
    return typeof value === 'number'
      ? Math.abs(value)
      : new Map([...value].map(([t, v]) => [t, Math.abs(v)]));
  }
  if (name === 'DIFF' || name === 'RATE') {
    // Each point against the one before it; the first point has none and is dropped.
    const input = series(operand(argument), `${name} expects a time series.`);
    const points: [number, number][] = [];
    let previous: [number, number] | undefined;
    for (const [t, v] of [...input].sort(([a], [b]) => a - b)) {
      if (previous) {
        points.push([t, name === 'DIFF' ? v - previous[1] : (v - previous[1]) / ((t - previous[0]) / 1000)]);
      }
      previous = [t, v];
    }
    return finite(points);
  }
  throw new ExpressionError(`Unsupported function "${name}".`);
}
