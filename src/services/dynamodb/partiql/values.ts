/**
 * Values written in a statement — strings, numbers, TRUE/FALSE, NULL, lists `[…]`, tuples
 * `{'k': v}` and bags `<<…>>` — and `?` parameters, as the attribute values they stand for. Each
 * value is checked the way DynamoDB converts it, its messages naming where in the value the
 * problem is: `root` for the value itself, `root.k` and `root[1]` inside it. A bag is a string
 * set or a number set; a `?` stands only for a whole value, never for a member of one.
 */
import type { AttributeValue, Item } from '../attribute-value.js';
import { typeOf } from '../attribute-value.js';
import { compareNumbers, NumberError, normalizeNumber } from '../values/numbers.js';
import { MAX_NESTING_DEPTH } from '../values/validate.js';
import type { Expr } from './ast.js';
import { invalid } from './errors.js';

const DUPLICATES = 'One or more parameter values were invalid: Input collection';

/** Whether the expression is a value (as opposed to a path, a call or a condition). */
export function isValue(expr: Expr): boolean {
  return ['literal', 'parameter', 'list', 'bag', 'tuple'].includes(expr.kind);
}

export function bindValue(expr: Expr, parameters: readonly AttributeValue[]): AttributeValue {
  return bind(expr, parameters, 'root', 1);
}

/** An INSERT's item: a tuple whose members are the attributes, or a `?` holding a map. */
export function bindItem(expr: Expr, parameters: readonly AttributeValue[]): Item {
  if (expr.kind === 'parameter') {
    const value = parameters[expr.index]!;
    if ('M' in value) return value.M;
  }
  if (expr.kind !== 'tuple') {
    throw invalid(
      'Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.',
    );
  }
  const item: Item = {};
  for (const { key, value } of expr.entries) {
    const name = tupleKey(key, 'root');
    if (Object.hasOwn(item, name)) throw invalid(`Duplicate keys in tuple. Key: ${name} under root`);
    item[name] = bind(value, parameters, 'root', 1);
  }
  return item;
}

function bind(
  expr: Expr,
  parameters: readonly AttributeValue[],
  where: string,
  depth: number,
): AttributeValue {
  if (depth > MAX_NESTING_DEPTH) {
    throw invalid(`Nesting Levels have exceeded supported limits under ${where}`);
  }
  switch (expr.kind) {
    case 'literal':
      return 'N' in expr.value ? { N: number(expr.value.N, where) } : expr.value;
    case 'parameter':
      if (where !== 'root') throw invalid(`Unsupported data type: Parameter under key ${where}`);
      return parameters[expr.index]!;
    case 'list':
      return { L: expr.items.map((item, i) => bind(item, parameters, `${where}[${i}]`, depth + 1)) };
    case 'tuple': {
      const map: Item = {};
      for (const { key, value } of expr.entries) {
        const name = tupleKey(key, where);
        if (Object.hasOwn(map, name)) throw invalid(`Duplicate keys in tuple. Key: ${name} under ${where}`);
        map[name] = bind(value, parameters, `${where}.${name}`, depth + 1);
      }
      return { M: map };
    }
    case 'bag':
      return bag(expr.items, where);
    default:
      throw invalid(`Unsupported data type: ${typeName(expr)} under key ${where}`);
  }
}

function tupleKey(key: Expr, where: string): string {
  if (key.kind === 'literal' && 'S' in key.value) return key.value.S;
  throw invalid(`Tuple keys must be of type String. Actual type: ${typeName(key)} under ${where}`);
}

/** A bag's members, all strings or all numbers, as a string or number set. */
function bag(items: Expr[], where: string): AttributeValue {
  if (items.length === 0) throw invalid('Empty bags are not supported');
  const members = items.map((item) => (item.kind === 'literal' ? item.value : undefined));
  const unsupported = () =>
    invalid('Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags');
  if (members.every((member) => member !== undefined && 'S' in member)) {
    const strings = members.map((member) => (member as { S: string }).S);
    if (new Set(strings).size !== strings.length) {
      throw invalid(`${DUPLICATES} [${strings.join(', ')}] contains duplicates.`);
    }
    return { SS: strings };
  }
  if (members.every((member) => member !== undefined && 'N' in member)) {
    const written = members.map((member) => (member as { N: string }).N);
    const numbers = written.map((text) => number(text, where));
    if (numbers.some((n, i) => numbers.findIndex((m) => compareNumbers(m, n) === 0) !== i)) {
      throw invalid(`${DUPLICATES} [${written.join(', ')}] contains duplicates! under ${where}`);
    }
    return { NS: numbers };
  }
  throw unsupported();
}

function number(text: string, where: string): string {
  try {
    return normalizeNumber(text);
  } catch (error) {
    if (error instanceof NumberError) throw invalid(`${error.message} under ${where}`);
    throw error;
  }
}

const KIND_NAMES: Partial<Record<Expr['kind'], string>> = {
  parameter: 'Parameter',
  list: 'LIST',
  bag: 'BAG',
  tuple: 'STRUCT',
  missing: 'MISSING',
};

/** How DynamoDB names the type of something that is not the value it wanted. */
function typeName(expr: Expr): string {
  if (expr.kind !== 'literal') return KIND_NAMES[expr.kind] ?? 'Expression';
  const value = expr.value;
  if ('S' in value) return 'STRING';
  if ('N' in value) return /^-?\d+$/.test(value.N) ? 'INT' : 'DECIMAL';
  return typeOf(value);
}
