/**
 * Checks a parsed UpdateExpression the way DynamoDB does and compiles it. DynamoDB reports the
 * first problem of the first kind:
 *
 * 1. section by section, in the order each first appears: reserved words, list indexes out of
 *    range, unknown or misplaced functions, then a section written twice;
 * 2. too many operators;
 * 3. undefined `#names` anywhere, then undefined `:values` anywhere, in the order written;
 * 4. two paths that overlap, then two that conflict;
 * 5. ADD and DELETE values of a type they cannot take;
 * 6. functions and arithmetic, operands before the operator: operand counts, if_not_exists'
 *    document path, operand types.
 */
import type { AttributeType, AttributeValue } from '../attribute-value.js';
import { typeOf } from '../attribute-value.js';
import type { DocumentPath, SetValue, Update, UpdateAction, UpdateOperand } from './ast.js';
import { ExpressionError } from './errors.js';
import { checkFunctionPlace, checkKnownType, checkOperandCount, requiresPath } from './functions.js';
import { checkPathsApart, checkPathWording, resolvePath } from './paths.js';
import type { Placeholders } from './placeholders.js';
import type {
  OperandNode,
  PathNode,
  SetValueNode,
  UpdateActionNode,
  UpdateClauseNode,
  UpdateSection,
  ValueNode,
} from './syntax.js';

const MAX_OPERATORS = 300;

/** The types ADD and DELETE take, and how DynamoDB names a type it refuses there. */
const ALLOWED: Record<'ADD' | 'DELETE', readonly AttributeType[]> = {
  ADD: ['N', 'SS', 'NS', 'BS'],
  DELETE: ['SS', 'NS', 'BS'],
};
const TYPE_NAMES: Partial<Record<AttributeType, string>> = {
  S: 'STRING',
  N: 'NUMBER',
  B: 'BINARY',
  BOOL: 'BOOLEAN',
  NULL: 'NULL',
  L: 'LIST',
  M: 'MAP',
};

export function compileUpdate(clauses: UpdateClauseNode[], placeholders: Placeholders): Update {
  checkSections(clauses);
  const actions = clauses.flatMap((clause) => clause.actions);
  const operators = actions.reduce((count, action) => count + countOperators(action), 0);
  if (operators > MAX_OPERATORS) {
    throw new ExpressionError(`The expression contains too many operators; operator count: ${operators}`);
  }
  const leaves = actions.flatMap(leavesOf);
  const paths = new Map<PathNode, DocumentPath>();
  for (const leaf of leaves) {
    if (leaf.kind === 'path') paths.set(leaf, resolvePath(leaf, placeholders));
  }
  const values = new Map<ValueNode, AttributeValue>();
  for (const leaf of leaves) {
    if (leaf.kind === 'value') values.set(leaf, placeholders.value(leaf));
  }
  const pathOf = (node: PathNode) => paths.get(node) as DocumentPath;
  const valueOf = (node: ValueNode) => values.get(node) as AttributeValue;
  checkPathsApart(actions.map((action) => pathOf(action.path)));
  for (const action of actions) {
    if (action.action !== 'ADD' && action.action !== 'DELETE') continue;
    const type = typeOf(valueOf(action.value));
    if (!ALLOWED[action.action].includes(type)) {
      throw new ExpressionError(
        `Incorrect operand type for operator or function; operator: ${action.action}, operand type: ${TYPE_NAMES[type] ?? type}, typeSet: ALLOWED_FOR_${action.action}_OPERAND`,
      );
    }
  }
  const compiler = new SetValueCompiler(pathOf, valueOf);
  return {
    source: 'UpdateExpression',
    actions: actions.map((action): UpdateAction => {
      const path = pathOf(action.path);
      switch (action.action) {
        case 'SET':
          return { action: 'SET', path, value: compiler.setValue(action.value) };
        case 'REMOVE':
          return { action: 'REMOVE', path };
        default:
          return { action: action.action, path, value: valueOf(action.value) };
      }
    }),
  };
}

/** Each of SET, REMOVE, ADD and DELETE at most once; each section's wording checked first. */
function checkSections(clauses: UpdateClauseNode[]): void {
  const sections: UpdateSection[] = [];
  for (const clause of clauses) if (!sections.includes(clause.section)) sections.push(clause.section);
  for (const section of sections) {
    const written = clauses.filter((clause) => clause.section === section);
    for (const action of written.flatMap((clause) => clause.actions)) checkWording(action);
    if (written.length > 1) {
      throw new ExpressionError(`The "${section}" section can only be used once in an update expression;`);
    }
  }
}

function checkWording(action: UpdateActionNode): void {
  checkPathWording(action.path);
  if (action.action === 'SET') checkValueWording(action.value);
}

function checkValueWording(node: SetValueNode): void {
  switch (node.kind) {
    case 'paren':
      return checkValueWording(node.inner);
    case 'path':
      return checkPathWording(node);
    case 'value':
      return;
    case 'arithmetic':
      checkValueWording(node.left);
      return checkValueWording(node.right);
    case 'call':
      checkFunctionPlace(node.name, 'update');
      for (const arg of node.args) checkValueWording(arg);
  }
}

function countOperators(action: UpdateActionNode): number {
  const count = (node: SetValueNode): number => {
    switch (node.kind) {
      case 'paren':
        return count(node.inner);
      case 'arithmetic':
        return 1 + count(node.left) + count(node.right);
      case 'call':
        return 1 + node.args.reduce((total, arg) => total + count(arg), 0);
      default:
        return 0;
    }
  };
  return action.action === 'SET' ? count(action.value) : 0;
}

/** An action's paths and values, in the order they are written. */
function leavesOf(action: UpdateActionNode): (PathNode | ValueNode)[] {
  const leaves = (node: SetValueNode): (PathNode | ValueNode)[] => {
    switch (node.kind) {
      case 'paren':
        return leaves(node.inner);
      case 'path':
      case 'value':
        return [node];
      case 'arithmetic':
        return [...leaves(node.left), ...leaves(node.right)];
      case 'call':
        return node.args.flatMap(leaves);
    }
  };
  if (action.action === 'REMOVE') return [action.path];
  return [action.path, ...leaves(action.value)];
}

class SetValueCompiler {
  constructor(
    private readonly pathOf: (node: PathNode) => DocumentPath,
    private readonly valueOf: (node: ValueNode) => AttributeValue,
  ) {}

  setValue(node: SetValueNode): SetValue {
    if (node.kind === 'paren') return this.setValue(node.inner);
    if (node.kind !== 'arithmetic') return this.operand(node);
    const left = this.operand(node.left);
    const right = this.operand(node.right);
    for (const operand of [left, right]) checkKnownType(node.operator, operand, ['N']);
    return { kind: 'arithmetic', operator: node.operator, left, right };
  }

  private operand(node: OperandNode): UpdateOperand {
    switch (node.kind) {
      case 'paren':
        return this.operand(node.inner);
      case 'path':
        return { kind: 'path', path: this.pathOf(node) };
      case 'value':
        return { kind: 'value', value: this.valueOf(node) };
      case 'call': {
        const args = node.args.map((arg) => this.operand(arg));
        checkOperandCount(node.name, args.length);
        const [first, second] = args as [UpdateOperand, UpdateOperand];
        if (node.name === 'if_not_exists') {
          if (first.kind !== 'path') throw requiresPath(node.name);
          return { kind: 'if_not_exists', path: first.path, fallback: second };
        }
        for (const operand of args) checkKnownType(node.name, operand, ['L']);
        return { kind: 'list_append', first, second };
      }
    }
  }
}
