/**
 * Expressions and references to values. Nothing here throws for a template's runtime mistakes (a
 * method on null, a missing key, 1/0): those are null, as in Velocity. The only errors are the
 * runaway limits, through `Environment.checkSize`.
 */
import type { Expression, Node, Reference } from './ast.js';
import { callMethod, getIndex, getProperty, setMember } from './members.js';
import { arithmetic, compare, negate, velocityEquals } from './operators.js';
import { toText } from './text.js';
import { isTruthy, JavaDouble, type Value } from './values.js';

export interface Environment {
  /** The template's variables: `$input`, `$util`, `$context`, `$stageVariables` and what it `#set`s. */
  readonly vars: Map<string, Value>;
  /** Renders nodes to a string (double-quoted strings interpolate). */
  renderToString(nodes: readonly Node[]): string;
  /** How a null reference reads when a string is concatenated with it. */
  nullText(reference: Reference): string;
  /** Throws TemplateError (at `offset`) when `value` is a string, list or map grown past the limits. */
  checkSize(value: Value, offset: number): void;
  /** Throws TemplateError (at `offset`) when a range of `size` elements is too large. */
  checkRange(size: number, offset: number): void;
}

export function evaluate(expression: Expression, env: Environment): Value {
  switch (expression.kind) {
    case 'literal':
      return expression.value;
    case 'interpolated':
      return env.renderToString(expression.nodes);
    case 'reference':
      return evaluateReference(expression.reference, env);
    case 'list':
      return expression.items.map((item) => evaluate(item, env));
    case 'map':
      return new Map(
        expression.entries.map(([key, value]): [string, Value] => [
          toText(evaluate(key, env)),
          evaluate(value, env),
        ]),
      );
    case 'range':
      return range(evaluate(expression.from, env), evaluate(expression.to, env), expression.offset, env);
    case 'not':
      return !isTruthy(evaluate(expression.operand, env));
    case 'negate':
      return negate(evaluate(expression.operand, env));
    case 'binary':
      return binary(expression, env);
  }
}

function binary(expression: Expression & { kind: 'binary' }, env: Environment): Value {
  const { operator } = expression;
  // && and || evaluate their right side only when needed.
  if (operator === '&&')
    return isTruthy(evaluate(expression.left, env)) && isTruthy(evaluate(expression.right, env));
  if (operator === '||')
    return isTruthy(evaluate(expression.left, env)) || isTruthy(evaluate(expression.right, env));
  const left = evaluate(expression.left, env);
  const right = evaluate(expression.right, env);
  switch (operator) {
    case '==':
      return velocityEquals(left, right);
    case '!=':
      return !velocityEquals(left, right);
    case '<':
    case '>':
    case '<=':
    case '>=':
      return compare(operator, left, right);
    case '+':
      if (typeof left === 'string' || typeof right === 'string')
        return concatenate(expression, left, right, env);
      return arithmetic(operator, left, right);
    default:
      return arithmetic(operator, left, right);
  }
}

/** `+` with a string on a side; a null side reads as its reference would print. */
function concatenate(
  expression: Expression & { kind: 'binary' },
  left: Value,
  right: Value,
  env: Environment,
): Value {
  const side = (value: Value, operand: Expression): string => {
    if (value !== null) return toText(value);
    return operand.kind === 'reference' ? env.nullText(operand.reference) : '';
  };
  const result = side(left, expression.left) + side(right, expression.right);
  env.checkSize(result, expression.offset);
  return result;
}

/** `[from..to]`: the integers from one end to the other, counting down when `to` is below `from`. */
function range(from: Value, to: Value, offset: number, env: Environment): Value {
  const start = rangeEnd(from);
  const end = rangeEnd(to);
  if (start === undefined || end === undefined) return null;
  env.checkRange(Math.abs(end - start) + 1, offset);
  const step = end >= start ? 1 : -1;
  const items: Value[] = [];
  for (let i = start; step > 0 ? i <= end : i >= end; i += step) items.push(i);
  return items;
}

function rangeEnd(value: Value): number | undefined {
  if (typeof value === 'number') return value;
  if (value instanceof JavaDouble && Number.isFinite(value.value)) return Math.trunc(value.value);
  return undefined;
}

export function evaluateReference(reference: Reference, env: Environment): Value {
  return follow(env.vars.get(reference.name) ?? null, reference, reference.segments.length, env);
}

/** The value of the reference's root followed through its first `count` segments. */
function follow(root: Value, reference: Reference, count: number, env: Environment): Value {
  let value = root;
  for (const segment of reference.segments.slice(0, count)) {
    if (value === null) return null;
    if (segment.kind === 'property') {
      value = getProperty(value, segment.name);
    } else if (segment.kind === 'index') {
      value = getIndex(value, evaluate(segment.index, env));
    } else {
      const target = value;
      value = callMethod(
        target,
        segment.name,
        segment.args.map((arg) => evaluate(arg, env)),
      );
      // A method may have grown its target (`$list.add`) or made a large result (`$s.concat($s)`).
      env.checkSize(target, reference.offset);
      env.checkSize(value, reference.offset);
    }
  }
  return value;
}

/**
 * `#set($target = value)`. As in Velocity 1.7, a null value assigns nothing: the target keeps what
 * it had. A property or index target sets a map entry or list element.
 */
export function assign(target: Reference, value: Value, env: Environment): void {
  if (value === null) return;
  const last = target.segments.at(-1);
  if (last === undefined) {
    env.vars.set(target.name, value);
    return;
  }
  const container = follow(env.vars.get(target.name) ?? null, target, target.segments.length - 1, env);
  if (last.kind === 'property') setMember(container, last.name, value);
  else if (last.kind === 'index') setMember(container, evaluate(last.index, env), value);
  env.checkSize(container, target.offset);
}
