/**
 * An INSERT, UPDATE, DELETE or EXISTS made into the single-item write it is, once its table is
 * known: the item's key and the condition the write runs under.
 * - INSERT puts the item unless one with its key exists (DuplicateItemException);
 * - UPDATE changes the item if it exists and meets the WHERE clause's other conditions —
 *   otherwise ConditionalCheckFailedException;
 * - DELETE deletes the item if it meets them; deleting an item that is not there succeeds;
 * - EXISTS checks that the item exists and meets them.
 */
import type { Item } from '../attribute-value.js';
import type { Table } from '../catalog.js';
import type { Condition, Update } from '../expressions/index.js';
import { bind } from '../expressions-for.js';
import { checkWrittenItem, keyOf } from '../item-store.js';
import { validateKey } from '../values/validate-key.js';
import type { Expr } from './ast.js';
import { conditionCheckTarget, writeTarget } from './plan.js';
import type { Prepared, PreparedWrite } from './prepare.js';
import { Translator } from './translate.js';

export interface PlannedWrite {
  kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  keyItem: Item;
  put?: Item;
  update?: Update;
  condition?: Condition;
}

export const DUPLICATE_ITEM = 'Duplicate primary key exists in table';

export function planWrite(prepared: PreparedWrite, table: Table): PlannedWrite {
  const schema = table.definition.key;
  const { statement, parameters } = prepared;
  const exists: Condition = { kind: 'attribute_exists', path: [schema.hash.name] };
  switch (statement.kind) {
    case 'insert': {
      const item = prepared.item!;
      checkWrittenItem(table, item);
      return {
        kind: 'Put',
        keyItem: keyOf(schema, item),
        put: item,
        condition: { kind: 'attribute_not_exists', path: [schema.hash.name] },
      };
    }
    case 'update': {
      const { key, rest } = writeTarget(statement.where, schema, parameters);
      validateKey(key, schema);
      const condition = rest ? and(exists, restCondition(prepared, rest)) : exists;
      const bound = bind({ update: prepared.update!, condition }, table);
      return { kind: 'Update', keyItem: key, update: bound.update!, condition };
    }
    case 'delete': {
      const { key, rest } = writeTarget(statement.where, schema, parameters);
      validateKey(key, schema);
      if (!rest) return { kind: 'Delete', keyItem: key };
      const missing: Condition = { kind: 'attribute_not_exists', path: [schema.hash.name] };
      const condition: Condition = { kind: 'or', left: missing, right: restCondition(prepared, rest) };
      bind({ condition }, table);
      return { kind: 'Delete', keyItem: key, condition };
    }
    case 'exists': {
      const { key, rest } = conditionCheckTarget(statement.select.where, schema, parameters);
      validateKey(key, schema);
      const condition = and(exists, restCondition(prepared, rest));
      bind({ condition }, table);
      return { kind: 'ConditionCheck', keyItem: key, condition };
    }
  }
}

function restCondition(prepared: Prepared, rest: Expr): Condition {
  return new Translator(prepared.parameters).condition(rest);
}

function and(left: Condition, right: Condition): Condition {
  return { kind: 'and', left, right };
}
