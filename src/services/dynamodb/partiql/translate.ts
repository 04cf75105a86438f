/**
 * PartiQL conditions and SET/REMOVE clauses in the expression language: the translator writes
 * the expression parser's nodes (every attribute name as a `#name`, every value as a `:value`)
 * and hands them to the expression checkers, so a WHERE clause is evaluated by
 * `evaluateCondition` and an UPDATE applied by `applyUpdate` — with the same checks and messages
 * as ConditionExpression and UpdateExpression (operand types, BETWEEN bounds, overlapping
 * paths…). What PartiQL adds is mapped here: `IS [NOT] MISSING` is attribute_(not_)exists,
 * `IS NULL` and the other type tests are attribute_type, `set_add` and `set_delete` are ADD and
 * DELETE.
 */
import type { AttributeType, AttributeValue, Item } from '../attribute-value.js';
import {
  compileCondition,
  compileUpdate,
  Placeholders,
  type Condition,
  type ConditionNode,
  type OperandNode,
  type PathNode,
  type SetValueNode,
  type Update,
  type UpdateActionNode,
  type UpdateSection,
  type ValueNode,
} from '../expressions/index.js';
import type { Expr, PathExpr, UpdateClause } from './ast.js';
import { invalid } from './errors.js';
import { bindValue, isValue } from './values.js';

const CONDITION_FUNCTIONS = [
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'begins_with',
  'contains',
];
const KNOWN_FUNCTIONS = [
  ...CONDITION_FUNCTIONS,
  'size',
  'list_append',
  'if_not_exists',
  'set_add',
  'set_delete',
];

/** The types IS can test for, as the attribute types they are. */
const IS_TYPES: Readonly<Record<string, AttributeType>> = {
  NULL: 'NULL',
  BOOL: 'BOOL',
  BOOLEAN: 'BOOL',
  BLOB: 'B',
  STRING: 'S',
  NUMERIC: 'N',
  STRUCT: 'M',
  TUPLE: 'M',
  LIST: 'L',
};

export class Translator {
  private readonly names: Record<string, string> = {};
  private readonly values: Item = {};
  private readonly placeholders = new Placeholders(this.names, this.values);

  constructor(private readonly parameters: readonly AttributeValue[]) {}

  condition(expr: Expr): Condition {
    return compileCondition(
      this.conditionNode(expr, 'WHERE clause must contain an expression that resolves to a boolean'),
      this.placeholders,
    );
  }

  update(clauses: readonly UpdateClause[]): Update {
    const sections = new Map<UpdateSection, UpdateActionNode[]>();
    const add = (section: UpdateSection, action: UpdateActionNode) => {
      sections.set(section, [...(sections.get(section) ?? []), action]);
    };
    for (const clause of clauses) {
      const path = this.path(clause.path);
      if (clause.action === 'REMOVE') {
        add('REMOVE', { action: 'REMOVE', path });
        continue;
      }
      const value = clause.value;
      if (value.kind === 'call' && (value.name === 'set_add' || value.name === 'set_delete')) {
        const action = value.name === 'set_add' ? 'ADD' : 'DELETE';
        add(action, { action, path, value: this.setArgument(action, clause.path, value.args) });
      } else {
        add('SET', { action: 'SET', path, value: this.setValue(value) });
      }
    }
    return compileUpdate(
      [...sections].map(([section, actions]) => ({ section, actions })),
      this.placeholders,
    );
  }

  private conditionNode(expr: Expr, notACondition: string): ConditionNode {
    switch (expr.kind) {
      case 'and':
      case 'or': {
        const message = 'The arguments to AND/OR must be Expressions';
        return {
          kind: expr.kind,
          left: this.conditionNode(expr.left, message),
          right: this.conditionNode(expr.right, message),
        };
      }
      case 'not':
        return {
          kind: 'not',
          condition: this.conditionNode(expr.operand, 'The argument to NOT must be a Type or Expression'),
        };
      case 'compare':
        return {
          kind: 'compare',
          comparator: expr.comparator,
          left: this.operand(expr.left),
          right: this.operand(expr.right),
        };
      case 'between':
        return {
          kind: 'between',
          operand: this.operand(expr.operand),
          lower: this.operand(expr.lower),
          upper: this.operand(expr.upper),
        };
      case 'in': {
        if (expr.operand.kind !== 'path' || expr.list.kind !== 'list' || expr.list.items.length === 0) {
          throw invalid(
            'IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member',
          );
        }
        return {
          kind: 'in',
          operand: this.operand(expr.operand),
          list: expr.list.items.map((item) => this.operand(item)),
        };
      }
      case 'is':
        return this.typeTest(expr);
      case 'call':
        checkKnown(expr.name);
        return { kind: 'call', name: expr.name, args: expr.args.map((arg) => this.operand(arg)) };
      case 'arithmetic':
        throw invalid(`Unsupported operator in Condition Expression. Operator: ${expr.operator}`);
      default:
        throw invalid(notACondition);
    }
  }

  private typeTest(expr: Expr & { kind: 'is' }): ConditionNode {
    if (expr.operand.kind !== 'path') {
      throw invalid('The left hand side argument to IS must be a Variable Reference, Literal, or Path');
    }
    const path = this.path(expr.operand);
    if (expr.type === 'MISSING') {
      return { kind: 'call', name: expr.negated ? 'attribute_exists' : 'attribute_not_exists', args: [path] };
    }
    const type = IS_TYPES[expr.type];
    if (type === undefined) {
      throw invalid(
        `Unsupported data type for IS operator: ${expr.type}. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]`,
      );
    }
    const test: ConditionNode = {
      kind: 'call',
      name: 'attribute_type',
      args: [path, this.value({ S: type })],
    };
    return expr.negated ? { kind: 'not', condition: test } : test;
  }

  private operand(expr: Expr): OperandNode {
    if (expr.kind === 'path') return this.path(expr);
    if (isValue(expr)) return this.value(bindValue(expr, this.parameters));
    switch (expr.kind) {
      case 'call':
        checkKnown(expr.name);
        return { kind: 'call', name: expr.name, args: expr.args.map((arg) => this.operand(arg)) };
      case 'missing':
        throw invalid('MISSING must be compared using IS operator');
      case 'arithmetic':
        throw invalid(`Unsupported operator in Condition Expression. Operator: ${expr.operator}`);
      default:
        throw invalid(`Unsupported operation: a ${expr.kind} condition used as a value`);
    }
  }

  private setValue(expr: Expr): SetValueNode {
    if (expr.kind !== 'arithmetic') return this.updateOperand(expr);
    return {
      kind: 'arithmetic',
      operator: expr.operator,
      left: this.updateOperand(expr.left),
      right: this.updateOperand(expr.right),
    };
  }

  private updateOperand(expr: Expr): OperandNode {
    if (expr.kind === 'path') return this.path(expr);
    if (isValue(expr)) return this.value(bindValue(expr, this.parameters));
    if (expr.kind === 'call') {
      checkKnown(expr.name);
      return { kind: 'call', name: expr.name, args: expr.args.map((arg) => this.updateOperand(arg)) };
    }
    if (expr.kind === 'is') throw invalid('IS operator is not supported in update expressions');
    const operator = expr.kind === 'arithmetic' ? expr.operator : expr.kind.toUpperCase();
    throw invalid(`Unsupported operator in Update Expression. Operator: ${operator}`);
  }

  /** `SET s = set_add(s, <<…>>)`: the set to add or delete, checked as DynamoDB checks it. */
  private setArgument(action: 'ADD' | 'DELETE', target: PathExpr, args: Expr[]): ValueNode {
    const name = `SET_${action}`;
    if (args.length !== 2) throw invalid(`${name} must have exactly two arguments`);
    const [first, second] = args as [Expr, Expr];
    if (first.kind !== 'path' || !samePath(first, target)) {
      throw invalid(`The first argument to ${name} must equal the assignment value`);
    }
    const value = isValue(second) ? bindValue(second, this.parameters) : undefined;
    if (!value || !('SS' in value || 'NS' in value || 'BS' in value)) {
      throw invalid(`The second argument to ${name} must be a value with type SET`);
    }
    return this.value(value);
  }

  private path(expr: PathExpr): PathNode {
    return {
      kind: 'path',
      steps: expr.steps.map((step) =>
        typeof step === 'number'
          ? { kind: 'index', text: String(step) }
          : { kind: 'attributeName', name: this.name(step) },
      ),
    };
  }

  private name(name: string): string {
    const existing = Object.keys(this.names).find((key) => this.names[key] === name);
    if (existing) return existing;
    const placeholder = `#p${Object.keys(this.names).length}`;
    this.names[placeholder] = name;
    return placeholder;
  }

  private value(value: AttributeValue): ValueNode {
    const placeholder = `:p${Object.keys(this.values).length}`;
    this.values[placeholder] = value;
    return { kind: 'value', name: placeholder };
  }
}

function checkKnown(name: string): void {
  if (!KNOWN_FUNCTIONS.includes(name)) throw invalid(`Unrecognized function: ${name}`);
}

function samePath(a: PathExpr, b: PathExpr): boolean {
  return a.steps.length === b.steps.length && a.steps.every((step, i) => step === b.steps[i]);
}
