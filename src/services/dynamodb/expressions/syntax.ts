/**
 * The parser's output: an expression as written, before any placeholder is looked up. Names stay
 * as typed (`status`, `#s`, `:v`) and parentheses stay as nodes, because the checks that follow
 * report both the way the client wrote them. The checkers turn this into the AST of ast.ts.
 */

export type PathStep =
  { kind: 'name'; name: string } | { kind: 'attributeName'; name: string } | { kind: 'index'; text: string };

export interface PathNode {
  kind: 'path';
  steps: PathStep[];
}

export interface ValueNode {
  kind: 'value';
  name: string;
}

export interface CallNode {
  kind: 'call';
  name: string;
  args: OperandNode[];
}

export interface ParenNode<T> {
  kind: 'paren';
  inner: T;
}

export type OperandNode = PathNode | ValueNode | CallNode | ParenNode<OperandNode>;

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type ConditionNode =
  | { kind: 'compare'; comparator: Comparator; left: OperandNode; right: OperandNode }
  | { kind: 'between'; operand: OperandNode; lower: OperandNode; upper: OperandNode }
  | { kind: 'in'; operand: OperandNode; list: OperandNode[] }
  | { kind: 'not'; condition: ConditionNode }
  | { kind: 'and' | 'or'; left: ConditionNode; right: ConditionNode }
  | CallNode
  | ParenNode<ConditionNode>;

interface ArithmeticNode {
  kind: 'arithmetic';
  operator: '+' | '-';
  left: OperandNode;
  right: OperandNode;
}

export type SetValueNode = OperandNode | ArithmeticNode | ParenNode<SetValueNode>;

export type UpdateActionNode =
  | { action: 'SET'; path: PathNode; value: SetValueNode }
  | { action: 'REMOVE'; path: PathNode }
  | { action: 'ADD' | 'DELETE'; path: PathNode; value: ValueNode };

export type UpdateSection = 'SET' | 'REMOVE' | 'ADD' | 'DELETE';

export interface UpdateClauseNode {
  section: UpdateSection;
  actions: UpdateActionNode[];
}

/** Strips the parentheses around a node. */
export function unwrap<T>(node: T | ParenNode<T>): T {
  let current = node;
  while ((current as { kind?: string }).kind === 'paren') current = (current as ParenNode<T>).inner;
  return current as T;
}
