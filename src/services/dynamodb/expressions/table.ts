/**
 * The expression rules that depend on the table, checked once the service has found it (so that
 * a missing table is ResourceNotFoundException even when an expression would also fail these):
 * the key condition against the key schema the Query reads, no update of a key attribute, no
 * look inside a key attribute with `.` or `[]`, and no filter on a Query's key attributes.
 */
import type { KeySchema } from '../table-schema.js';
import type { IndexKeySchema } from '../values/validate-key.js';
import type { Condition, DocumentPath, KeyCondition, Operand, Update, UpdateOperand } from './ast.js';
import type { CompiledExpressions } from './compile.js';
import { ExpressionError } from './errors.js';
import { bindKeyCondition } from './key-condition.js';

export interface ExpressionTable {
  KeySchema: KeySchema;
  Indexes?: readonly IndexKeySchema[];
}

export interface BoundExpressions extends CompiledExpressions {
  keyCondition?: KeyCondition;
}

/**
 * Checks the compiled expressions against the table. `queried` is the key schema a Query reads:
 * its index's when it names one (the table's by default).
 */
export function bindTable(
  compiled: CompiledExpressions,
  table: ExpressionTable,
  queried: KeySchema = table.KeySchema,
): BoundExpressions {
  const tableKeys = keyNames(table.KeySchema);
  const indexKeys = (table.Indexes ?? [])
    .flatMap((index) => keyNames(index.key))
    .filter((name) => !tableKeys.includes(name));
  const scalarOnly = (paths: readonly DocumentPath[]) => {
    for (const path of paths) {
      if (path.length < 2) continue;
      const [name] = path;
      const where = tableKeys.includes(name) ? 'Key' : indexKeys.includes(name) ? 'IndexKey' : undefined;
      if (where) {
        throw new ExpressionError(
          `Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: ${where}: ${name}`,
        );
      }
    }
  };
  const bound: BoundExpressions = { ...compiled };
  if (compiled.keyConditionParts) bound.keyCondition = bindKeyCondition(compiled.keyConditionParts, queried);
  if (compiled.update) {
    for (const { path } of compiled.update.actions) {
      if (tableKeys.includes(path[0])) {
        throw new ExpressionError(
          `One or more parameter values were invalid: Cannot update attribute ${path[0]}. This attribute is part of the key`,
        );
      }
    }
    scalarOnly(updatePaths(compiled.update));
  }
  if (compiled.condition) scalarOnly(conditionPaths(compiled.condition));
  if (compiled.projection) scalarOnly(compiled.projection);
  if (compiled.filter) {
    if (compiled.keyConditionParts) {
      const queriedKeys = keyNames(queried);
      const onKey = conditionPaths(compiled.filter).find((path) => queriedKeys.includes(path[0]));
      if (onKey) {
        const parameter =
          compiled.filterParameter === 'FilterExpression' ? 'Filter Expression' : compiled.filterParameter;
        throw new ExpressionError(
          `${parameter} can only contain non-primary key attributes: Primary key attribute: ${onKey[0]}`,
        );
      }
    }
    scalarOnly(conditionPaths(compiled.filter));
  }
  return bound;
}

function keyNames(schema: KeySchema): string[] {
  return [schema.hash, ...(schema.range ? [schema.range] : [])].map((key) => key.name);
}

/** Every document path a condition reads, in the order written. */
function conditionPaths(condition: Condition): DocumentPath[] {
  switch (condition.kind) {
    case 'and':
    case 'or':
      return [...conditionPaths(condition.left), ...conditionPaths(condition.right)];
    case 'not':
      return conditionPaths(condition.condition);
    case 'comparison':
      return [condition.left, condition.right].flatMap(operandPaths);
    case 'between':
      return [condition.operand, condition.lower, condition.upper].flatMap(operandPaths);
    case 'in':
      return [condition.operand, ...condition.list].flatMap(operandPaths);
    case 'begins_with':
      return [condition.operand, condition.prefix].flatMap(operandPaths);
    case 'contains':
      return [condition.operand, condition.element].flatMap(operandPaths);
    default:
      return [condition.path];
  }
}

function operandPaths(operand: Operand | UpdateOperand): DocumentPath[] {
  switch (operand.kind) {
    case 'path':
      return [operand.path];
    case 'value':
      return [];
    case 'size':
      return operandPaths(operand.operand);
    case 'if_not_exists':
      return [operand.path, ...operandPaths(operand.fallback)];
    case 'list_append':
      return [...operandPaths(operand.first), ...operandPaths(operand.second)];
  }
}

/** Every document path an update writes or reads. */
function updatePaths(update: Update): DocumentPath[] {
  return update.actions.flatMap((action) => {
    if (action.action !== 'SET') return [action.path];
    const value = action.value;
    const read =
      value.kind === 'arithmetic' ? [value.left, value.right].flatMap(operandPaths) : operandPaths(value);
    return [action.path, ...read];
  });
}
