/**
 * SNS subscription filter policies, as a pure interpreter: `compileFilterPolicy` validates a policy
 * the way SNS does on Subscribe / SetSubscriptionAttributes (throwing `FilterPolicyError` with the
 * reason AWS gives after "Invalid parameter: FilterPolicy: "), and the compiled policy tells whether
 * a message's attributes (scope `MessageAttributes`) or its JSON body (scope `MessageBody`) match.
 *
 * Semantics (AWS's subscription-filter-policy docs): keys are ANDed, the values in a key's array
 * are ORed, `$or` ORs whole sub-policies; a key absent from the message matches only
 * `{"exists": false}`; an array in the message (String.Array attributes, JSON arrays in the body)
 * matches when any element does. Numbers compare with five decimal digits of precision.
 *
 * The tests SNS shares with EventBridge — exact strings, booleans and null, `prefix`, `suffix`,
 * `equals-ignore-case`, `cidr` and `exists` — are EventBridge's (src/patterns/). SNS keeps its own:
 * - validation and limits (its reasons, five keys, 150 combinations, numbers within ±10^9);
 * - numbers (exact values and `numeric`), which it compares to five decimals, not as doubles;
 * - `anything-but`, which in SNS matches only values of the excluded kind (`{"anything-but":
 *   "x"}` does not match the number 5), where EventBridge's matches any other value;
 * - reading the message: attributes by their DataType, and a body whose arrays are searched
 *   element by element without EventBridge's rule that fields come from the same array element.
 */
import { isIPv4, isIPv6 } from 'node:net';
import {
  cidrRange,
  ipBytesIfAddress,
  matchesLeaf,
  type Leaf,
  type LeafCondition,
} from '../../patterns/index.js';

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

/** A validation failure; the message is AWS's reason. */
export class FilterPolicyError extends Error {}

/** Message attributes as Publish receives them (only the members filtering reads). */
export interface FilterAttribute {
  DataType: string;
  StringValue?: string;
}

export interface FilterInput {
  attributes: Record<string, FilterAttribute>;
  /** The message as published (for the `MessageBody` scope). */
  body: string;
}

export interface CompiledFilterPolicy {
  readonly scope: FilterPolicyScope;
  matches(input: FilterInput): boolean;
}

/** EventBridge's tests where SNS's agree (exact strings, affixes, cidr, exists); SNS's own otherwise. */
type Condition =
  | Extract<LeafCondition, { kind: 'exact' | 'cidr' }>
  | { kind: 'prefix' | 'suffix' | 'equals-ignore-case'; value: string }
  | { kind: 'exists'; value: boolean }
  | { kind: 'sns-number'; value: number }
  | { kind: 'sns-anything-but'; values: (string | number)[] }
  | { kind: 'sns-anything-but-prefix' | 'sns-anything-but-suffix'; value: string }
  | { kind: 'sns-numeric'; lower?: Bound; upper?: Bound; equal?: number };

interface Bound {
  value: number;
  inclusive: boolean;
}

/** A policy (or `$or` branch): every field must match and, for every `$or`, one of its branches. */
interface PolicyNode {
  fields: { path: string[]; conditions: Condition[] }[];
  ors: PolicyNode[][];
}

const maxKeys = 5;
const maxCombinations = 150;
const maxPolicyBytes = 256 * 1024;
const numericLimit = 1e9;

export function compileFilterPolicy(text: string, scope: FilterPolicyScope): CompiledFilterPolicy {
  if (Buffer.byteLength(text, 'utf8') > maxPolicyBytes)
    throw new FilterPolicyError('Filter policy is too long');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new FilterPolicyError(`failed to parse JSON. ${(err as Error).message}`);
  }
  if (!isObject(json)) throw new FilterPolicyError('Filter policy must be a JSON object');
  const keys = new Set<string>();
  const node = compileNode(json, [], scope, keys);
  if (keys.size > maxKeys)
    throw new FilterPolicyError(`Filter policy can not have more than ${maxKeys} keys`);
  if (combinations(node) > maxCombinations) throw new FilterPolicyError('Filter policy is too complex');
  return {
    scope,
    matches(input) {
      const lookup =
        scope === 'MessageAttributes' ? attributeLookup(input.attributes) : bodyLookup(input.body);
      return lookup !== undefined && matchNode(node, lookup);
    },
  };
}

function compileNode(
  policy: Record<string, unknown>,
  path: string[],
  scope: FilterPolicyScope,
  keys: Set<string>,
): PolicyNode {
  const node: PolicyNode = { fields: [], ors: [] };
  for (const [key, value] of Object.entries(policy)) {
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every(isObject)) {
        throw new FilterPolicyError('$or must be an array of at least two filter policy objects');
      }
      node.ors.push(value.map((branch) => compileNode(branch, path, scope, keys)));
      continue;
    }
    const fieldPath = [...path, key];
    if (isObject(value)) {
      if (scope === 'MessageAttributes') {
        throw new FilterPolicyError(
          'Filter policy scope MessageAttributes does not support nested filter policy',
        );
      }
      const nested = compileNode(value, fieldPath, scope, keys);
      node.fields.push(...nested.fields);
      node.ors.push(...nested.ors);
      continue;
    }
    if (!Array.isArray(value)) throw new FilterPolicyError(`"${key}" must be an object or an array`);
    if (value.length === 0) throw new FilterPolicyError('Empty arrays are not allowed');
    keys.add(fieldPath.join('.'));
    node.fields.push({ path: fieldPath, conditions: value.map(compileCondition) });
  }
  return node;
}

function compileCondition(value: unknown): Condition {
  if (value === null || typeof value === 'string' || typeof value === 'boolean')
    return { kind: 'exact', value };
  if (typeof value === 'number') return { kind: 'sns-number', value: checkedNumber(value) };
  if (!isObject(value))
    throw new FilterPolicyError('Match value must be String, number, true, false, or null');
  const entries = Object.entries(value);
  if (entries.length !== 1) throw new FilterPolicyError('Only one key allowed in match expression');
  const [operator, operand] = entries[0]!;
  switch (operator) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof operand !== 'string')
        throw new FilterPolicyError(`${operator} match pattern must be a string`);
      return { kind: operator, value: operand };
    case 'anything-but':
      return compileAnythingBut(operand);
    case 'numeric':
      return compileNumeric(operand);
    case 'exists':
      if (typeof operand !== 'boolean')
        throw new FilterPolicyError('exists match pattern must be either true or false.');
      return { kind: 'exists', value: operand };
    case 'cidr':
      return compileCidr(operand);
    default:
      throw new FilterPolicyError(`Unrecognized match type ${operator}`);
  }
}

function compileAnythingBut(operand: unknown): Condition {
  if (typeof operand === 'string') return { kind: 'sns-anything-but', values: [operand] };
  if (typeof operand === 'number') return { kind: 'sns-anything-but', values: [checkedNumber(operand)] };
  if (Array.isArray(operand)) {
    if (operand.length === 0) throw new FilterPolicyError('Empty arrays are not allowed');
    const allStrings = operand.every((v) => typeof v === 'string');
    const allNumbers = operand.every((v) => typeof v === 'number');
    if (!allStrings && !allNumbers) {
      throw new FilterPolicyError('Inside anything but list, start|null|boolean is not supported.');
    }
    return {
      kind: 'sns-anything-but',
      values: allNumbers ? operand.map(checkedNumber) : (operand as string[]),
    };
  }
  if (isObject(operand)) {
    const entries = Object.entries(operand);
    const [inner, value] = entries[0] ?? [];
    if (entries.length === 1 && (inner === 'prefix' || inner === 'suffix')) {
      if (typeof value !== 'string' || value === '') {
        throw new FilterPolicyError(`Value of ${inner} must be a non-empty string`);
      }
      return { kind: inner === 'prefix' ? 'sns-anything-but-prefix' : 'sns-anything-but-suffix', value };
    }
    throw new FilterPolicyError('Unsupported anything-but pattern: only prefix and suffix are supported');
  }
  throw new FilterPolicyError('Value of anything-but must be an array or single string/number value.');
}

const lowerOperators = new Set(['>', '>=']);
const upperOperators = new Set(['<', '<=']);

function compileNumeric(operand: unknown): Condition {
  if (!Array.isArray(operand) || operand.length === 0) {
    throw new FilterPolicyError('Value of numeric must be an array.');
  }
  const condition: Condition & { kind: 'sns-numeric' } = { kind: 'sns-numeric' };
  for (let i = 0; i < operand.length; i += 2) {
    const operator = operand[i];
    const value = operand[i + 1];
    if (typeof operator !== 'string')
      throw new FilterPolicyError(`Invalid member in numeric match: ${String(operator)}`);
    if (typeof value !== 'number') throw new FilterPolicyError(`Value of ${operator} must be numeric`);
    const number = checkedNumber(value);
    if (operator === '=') {
      if (operand.length !== 2) throw new FilterPolicyError('Too many elements in numeric expression');
      condition.equal = number;
    } else if (lowerOperators.has(operator)) {
      if (condition.lower || condition.upper)
        throw new FilterPolicyError('Too many elements in numeric expression');
      condition.lower = { value: number, inclusive: operator === '>=' };
    } else if (upperOperators.has(operator)) {
      if (condition.upper) throw new FilterPolicyError('Too many elements in numeric expression');
      condition.upper = { value: number, inclusive: operator === '<=' };
    } else {
      throw new FilterPolicyError(`Unrecognized numeric range operator: ${operator}`);
    }
  }
  if (condition.lower && condition.upper && condition.lower.value >= condition.upper.value) {
    throw new FilterPolicyError('Bottom must be less than top');
  }
  return condition;
}

function compileCidr(operand: unknown): Condition {
  const match = typeof operand === 'string' ? /^([^/]+)\/(\d{1,3})$/.exec(operand) : null;
  const address = match?.[1] ?? '';
  const prefix = Number(match?.[2]);
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
  const bytes = ipBytesIfAddress(address);
  if (!family || !bytes || prefix > (family === 'ipv4' ? 32 : 128)) {
    throw new FilterPolicyError(`Malformed CIDR, one '/' required`);
  }
  return { kind: 'cidr', range: cidrRange(bytes, prefix) };
}

function checkedNumber(value: unknown): number {
  if (typeof value !== 'number' || Math.abs(value) > numericLimit) {
    throw new FilterPolicyError(`Numeric values must be between -${numericLimit} and ${numericLimit}`);
  }
  return value;
}

/** The product of the number of values per key, `$or` branches adding up (AWS's complexity rule). */
function combinations(node: PolicyNode): number {
  let total = 1;
  for (const field of node.fields) total *= field.conditions.length;
  for (const branches of node.ors) total *= branches.reduce((sum, branch) => sum + combinations(branch), 0);
  return total;
}

/** The leaves at a path, or undefined when the message lacks it. */
type Lookup = (path: string[]) => Leaf[] | undefined;

function matchNode(node: PolicyNode, lookup: Lookup): boolean {
  for (const field of node.fields) {
    const leaves = lookup(field.path);
    if (!field.conditions.some((condition) => matchCondition(condition, leaves))) return false;
  }
  return node.ors.every((branches) => branches.some((branch) => matchNode(branch, lookup)));
}

function matchCondition(condition: Condition, leaves: Leaf[] | undefined): boolean {
  if (condition.kind === 'exists') return condition.value === (leaves !== undefined && leaves.length > 0);
  if (!leaves) return false;
  return leaves.some((leaf) => matchLeaf(condition, leaf));
}

function matchLeaf(condition: Exclude<Condition, { kind: 'exists' }>, leaf: Leaf): boolean {
  switch (condition.kind) {
    case 'sns-number':
      return typeof leaf === 'number' && sameNumber(leaf, condition.value);
    case 'sns-anything-but':
      if (typeof condition.values[0] === 'number') {
        return typeof leaf === 'number' && !condition.values.some((v) => sameNumber(leaf, v as number));
      }
      return typeof leaf === 'string' && !condition.values.includes(leaf);
    case 'sns-anything-but-prefix':
      return typeof leaf === 'string' && !leaf.startsWith(condition.value);
    case 'sns-anything-but-suffix':
      return typeof leaf === 'string' && !leaf.endsWith(condition.value);
    case 'sns-numeric':
      return typeof leaf === 'number' && inRange(condition, leaf);
    default:
      return matchesLeaf(condition, leaf);
  }
}

function inRange(condition: { lower?: Bound; upper?: Bound; equal?: number }, value: number): boolean {
  if (condition.equal !== undefined) return sameNumber(value, condition.equal);
  const { lower, upper } = condition;
  if (lower && !(lower.inclusive ? fixed(value) >= fixed(lower.value) : fixed(value) > fixed(lower.value)))
    return false;
  if (upper && !(upper.inclusive ? fixed(value) <= fixed(upper.value) : fixed(value) < fixed(upper.value)))
    return false;
  return true;
}

/** SNS keeps five digits after the decimal point. */
const fixed = (n: number) => Math.round(n * 1e5);
const sameNumber = (a: number, b: number) => fixed(a) === fixed(b);

/** Attribute leaves: String as is, Number as a number, String.Array's elements; Binary never matches. */
function attributeLookup(attributes: Record<string, FilterAttribute>): Lookup {
  return ([name]) => {
    const attribute = name === undefined ? undefined : attributes[name];
    if (!attribute || attribute.StringValue === undefined) return undefined;
    const type = attribute.DataType.split('.')[0];
    if (attribute.DataType.startsWith('String.Array')) {
      const parsed = parseJson(attribute.StringValue);
      return Array.isArray(parsed) ? flatten(parsed) : undefined;
    }
    if (type === 'Number') {
      const value = Number(attribute.StringValue);
      return Number.isFinite(value) ? [value] : undefined;
    }
    if (type === 'String') return [attribute.StringValue];
    return undefined;
  };
}

/** Body leaves: follows the path through nested objects, arrays at any level matching by element. */
function bodyLookup(body: string): Lookup | undefined {
  const root = parseJson(body);
  if (!isObject(root)) return undefined;
  return (path) => {
    let current: unknown[] = [root];
    for (const key of path) {
      const next: unknown[] = [];
      for (const value of current.flatMap((v) => (Array.isArray(v) ? v : [v]))) {
        if (isObject(value) && key in value) next.push(value[key]);
      }
      if (next.length === 0) return undefined;
      current = next;
    }
    const leaves = flatten(current);
    return leaves.length > 0 ? leaves : undefined;
  };
}

function flatten(values: unknown[]): Leaf[] {
  const leaves: Leaf[] = [];
  for (const value of values) {
    if (Array.isArray(value)) leaves.push(...flatten(value));
    else if (value === null || ['string', 'number', 'boolean'].includes(typeof value))
      leaves.push(value as Leaf);
  }
  return leaves;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
