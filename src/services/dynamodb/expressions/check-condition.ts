/**
 * Checks a parsed ConditionExpression, FilterExpression or KeyConditionExpression the way
 * DynamoDB does and compiles it. DynamoDB reports the first problem of the first kind:
 *
 * 1. too many operators;
 * 2. in the order written: reserved words, list indexes out of range, unknown functions and
 *    functions out of place;
 * 3. node by node, operands before the operator that takes them: undefined `#names` and
 *    `:values`, paths nested too deep, then the operator's own rules — operand counts, document
 *    paths where required, the same path on both sides, operand types, BETWEEN's bounds, IN's
 *    hundred operands.
 */
import type { AttributeType, AttributeValue } from '../attribute-value.js';
import { typeOf } from '../attribute-value.js';
import { compareValues } from '../values/compare.js';
import type { Condition, Operand } from './ast.js';
import { ExpressionError } from './errors.js';
import {
  checkFunctionPlace,
  checkKnownType,
  checkOperandCount,
  incorrectOperandType,
  requiresPath,
} from './functions.js';
import { checkPathWording, pathText, resolvePath, samePath } from './paths.js';
import type { Placeholders } from './placeholders.js';
import type { CallNode, ConditionNode, OperandNode } from './syntax.js';

const MAX_OPERATORS = 300;
const MAX_IN_OPERANDS = 100;
const ORDERED: readonly AttributeType[] = ['S', 'N', 'B'];
const SIZED: readonly AttributeType[] = ['S', 'B', 'SS', 'NS', 'BS', 'L', 'M'];
const ATTRIBUTE_TYPES: readonly string[] = ['S', 'SS', 'N', 'NS', 'B', 'BS', 'BOOL', 'NULL', 'L', 'M'];

export function compileCondition(node: ConditionNode, placeholders: Placeholders): Condition {
  const operators = countOperators(node);
  if (operators > MAX_OPERATORS) {
    throw new ExpressionError(`The expression contains too many operators; operator count: ${operators}`);
  }
  checkWording(node, 'condition');
  return new Resolver(placeholders).condition(node);
}

/** Operators and functions: comparisons, BETWEEN, IN, AND, OR, NOT and calls. */
function countOperators(node: ConditionNode | OperandNode): number {
  switch (node.kind) {
    case 'paren':
      return countOperators(node.inner);
    case 'path':
    case 'value':
      return 0;
    case 'call':
      return 1 + sum(node.args.map(countOperators));
    case 'and':
    case 'or':
      return 1 + countOperators(node.left) + countOperators(node.right);
    case 'not':
      return 1 + countOperators(node.condition);
    case 'compare':
      return 1 + countOperators(node.left) + countOperators(node.right);
    case 'between':
      return 1 + sum([node.operand, node.lower, node.upper].map(countOperators));
    case 'in':
      return 1 + sum([node.operand, ...node.list].map(countOperators));
  }
}

const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);

function checkWording(node: ConditionNode | OperandNode, place: 'condition' | 'operand'): void {
  switch (node.kind) {
    case 'paren':
      return checkWording(node.inner, place);
    case 'path':
      return checkPathWording(node);
    case 'value':
      return;
    case 'call':
      checkFunctionPlace(node.name, place);
      for (const arg of node.args) checkWording(arg, 'operand');
      return;
    case 'and':
    case 'or':
      checkWording(node.left, 'condition');
      return checkWording(node.right, 'condition');
    case 'not':
      return checkWording(node.condition, 'condition');
    case 'compare':
      checkWording(node.left, 'operand');
      return checkWording(node.right, 'operand');
    case 'between':
      for (const operand of [node.operand, node.lower, node.upper]) checkWording(operand, 'operand');
      return;
    case 'in':
      for (const operand of [node.operand, ...node.list]) checkWording(operand, 'operand');
      return;
  }
}

class Resolver {
  constructor(private readonly placeholders: Placeholders) {}

  condition(node: ConditionNode): Condition {
    switch (node.kind) {
      case 'paren':
        return this.condition(node.inner);
      case 'and':
      case 'or':
        return { kind: node.kind, left: this.condition(node.left), right: this.condition(node.right) };
      case 'not':
        return { kind: 'not', condition: this.condition(node.condition) };
      case 'compare': {
        const left = this.operand(node.left);
        const right = this.operand(node.right);
        checkDistinct(node.comparator, left, [right]);
        if (node.comparator !== '=' && node.comparator !== '<>') {
          for (const operand of [left, right]) checkKnownType(node.comparator, operand, ORDERED);
        }
        return { kind: 'comparison', comparator: node.comparator, left, right };
      }
      case 'between': {
        const [operand, lower, upper] = [node.operand, node.lower, node.upper].map((o) =>
          this.operand(o),
        ) as [Operand, Operand, Operand];
        checkDistinct('BETWEEN', operand, [lower, upper]);
        for (const each of [operand, lower, upper]) checkKnownType('BETWEEN', each, ORDERED);
        if (lower.kind === 'value' && upper.kind === 'value') checkBounds(lower.value, upper.value);
        return { kind: 'between', operand, lower, upper };
      }
      case 'in': {
        const operand = this.operand(node.operand);
        const list = node.list.map((o) => this.operand(o));
        if (list.length > MAX_IN_OPERANDS) {
          throw new ExpressionError(
            `The IN operator is provided with too many operands; number of operands: ${list.length}`,
          );
        }
        checkDistinct('IN', operand, list);
        return { kind: 'in', operand, list };
      }
      case 'call':
        return this.functionCondition(node);
    }
  }

  operand(node: OperandNode): Operand {
    switch (node.kind) {
      case 'paren':
        return this.operand(node.inner);
      case 'path':
        return { kind: 'path', path: resolvePath(node, this.placeholders) };
      case 'value':
        return { kind: 'value', value: this.placeholders.value(node) };
      case 'call': {
        // The wording check let only size() through to an operand's place.
        const args = node.args.map((arg) => this.operand(arg));
        checkOperandCount(node.name, args.length);
        const operand = args[0] as Operand;
        checkKnownType('size', operand, SIZED);
        return { kind: 'size', operand };
      }
    }
  }

  private functionCondition(node: CallNode): Condition {
    const args = node.args.map((arg) => this.operand(arg));
    checkOperandCount(node.name, args.length);
    const [first, second] = args as [Operand, Operand];
    switch (node.name) {
      case 'attribute_exists':
      case 'attribute_not_exists':
        if (first.kind !== 'path') throw requiresPath(node.name);
        return { kind: node.name, path: first.path };
      case 'attribute_type': {
        if (first.kind !== 'path') throw requiresPath(node.name);
        checkDistinct(node.name, first, [second]);
        return { kind: 'attribute_type', path: first.path, type: attributeTypeName(second) };
      }
      case 'begins_with':
        checkDistinct(node.name, first, [second]);
        for (const operand of args) checkKnownType(node.name, operand, ['S', 'B']);
        return { kind: 'begins_with', operand: first, prefix: second };
      default:
        checkDistinct(node.name, first, [second]);
        return { kind: 'contains', operand: first, element: second };
    }
  }
}

function checkDistinct(operator: string, first: Operand, rest: Operand[]): void {
  if (first.kind !== 'path') return;
  if (rest.some((other) => other.kind === 'path' && samePath(first.path, other.path))) {
    throw new ExpressionError(
      `The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${pathText(first.path)}`,
    );
  }
}

/** attribute_type's second operand: a string value naming one of the ten types. */
function attributeTypeName(operand: Operand): AttributeType {
  if (operand.kind === 'path') {
    throw incorrectOperandType('attribute_type', '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}');
  }
  if (operand.kind === 'size') throw incorrectOperandType('attribute_type', 'N');
  if (!('S' in operand.value)) throw incorrectOperandType('attribute_type', typeOf(operand.value));
  const name = operand.value.S;
  if (!ATTRIBUTE_TYPES.includes(name)) {
    throw new ExpressionError(
      `Invalid attribute type name found; type: ${name}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`,
    );
  }
  return name as AttributeType;
}

function checkBounds(lower: AttributeValue, upper: AttributeValue): void {
  const bounds = `lower bound operand: AttributeValue: {${boundText(lower)}}, upper bound operand: AttributeValue: {${boundText(upper)}}`;
  if (typeOf(lower) !== typeOf(upper)) {
    throw new ExpressionError(
      `The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`,
    );
  }
  if ((compareValues(lower, upper) ?? 0) > 0) {
    throw new ExpressionError(
      `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`,
    );
  }
}

/** A bound as DynamoDB's Java prints it; the type check before this one let only S, N and B by. */
function boundText(value: AttributeValue): string {
  if ('S' in value) return `S:${value.S}`;
  if ('N' in value) return `N:${value.N}`;
  const length = 'B' in value ? value.B.length : 0;
  return `B:java.nio.HeapByteBuffer[pos=0 lim=${length} cap=${length}]`;
}
