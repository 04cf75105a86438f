/**
 * A request's expressions for the service: compiled before the table is looked up (DynamoDB
 * reports a bad expression before a missing table), then bound to the table's keys.
 */
import type { Table } from './catalog.js';
import {
  bindTable,
  compileExpressions,
  type BoundExpressions,
  type CompiledExpressions,
  type ExpressionRequest,
} from './expressions/index.js';
import type { ExpressionOperation } from './expressions/index.js';
import type { KeySchema } from './table-schema.js';

export function compile(operation: ExpressionOperation, request: object): CompiledExpressions {
  return compileExpressions(operation, request as ExpressionRequest);
}

export function bind(compiled: CompiledExpressions, table: Table, queried?: KeySchema): BoundExpressions {
  return bindTable(
    compiled,
    {
      KeySchema: table.definition.key,
      Indexes: table.definition.indexes.map((index) => ({ name: index.name, key: index.key })),
    },
    queried,
  );
}

export type { BoundExpressions };
