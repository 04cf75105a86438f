/**
 * DynamoDB's expression language for the service: compile a request's expressions (or legacy
 * conditional parameters) once, bind them to the table, then evaluate them against items.
 */
export type {
  Comparator,
  Condition,
  DocumentPath,
  KeyCondition,
  KeyConditionPart,
  Operand,
  SetValue,
  Update,
  UpdateAction,
  UpdateOperand,
} from './ast.js';
export { compileExpressions, type CompiledExpressions, type ExpressionRequest } from './compile.js';
export { evaluateCondition } from './condition.js';
export { sameValue, valueAt } from './document.js';
export { ExpressionError, type ExpressionParameter } from './errors.js';
export type { ConditionalOperator, ExpectedAttributeValue, LegacyCondition } from './legacy.js';
export type { AttributeValueUpdate } from './legacy-update.js';
export type { ExpressionOperation } from './parameters.js';
export { project } from './projection.js';
export { bindTable, type BoundExpressions, type ExpressionTable } from './table.js';
export { applyUpdate } from './update.js';
// The checkers on their own, for languages that build the parser's nodes themselves (PartiQL).
export { compileCondition } from './check-condition.js';
export { compileUpdate } from './check-update.js';
export { Placeholders } from './placeholders.js';
export type {
  ConditionNode,
  OperandNode,
  PathNode,
  SetValueNode,
  UpdateActionNode,
  UpdateClauseNode,
  UpdateSection,
  ValueNode,
} from './syntax.js';
