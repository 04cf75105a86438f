/**
 * ExecuteTransaction: up to 100 PartiQL statements, all reads (SELECTs of one item each, read as
 * of one instant) or all writes (INSERT, UPDATE, DELETE and EXISTS conditions, applied all or
 * none) — run by transactions.ts, as TransactGetItems and TransactWriteItems are. DynamoDB
 * refuses a request in stages, and so does this:
 * 1. Parameters that are not valid attribute values, as they are;
 * 2. what is wrong with one statement on its own (syntax, values, RETURNING, a SELECT or EXISTS
 *    not naming one item of a table) as "Validation failed in TransactStatements[i]: …";
 * 3. a missing table, or a write whose key does not name one item of its table, as
 *    TransactionCanceledException with a reason for each statement;
 * 4. two statements on one item.
 */
import type * as DDB from '@aws-sdk/client-dynamodb';
import { isServiceError } from '../../protocol/errors.js';
import type { RequestContext } from '../service.js';
import type { Item } from './attribute-value.js';
import type { Table, TableCatalog } from './catalog.js';
import { ValidationException } from './errors.js';
import { storageKeyOf } from './item-store.js';
import { INCOMPLETE_KEY, invalid } from './partiql/errors.js';
import { conditionCheckTarget, itemKey } from './partiql/plan.js';
import {
  checkedParameters,
  isSelect,
  prepare,
  projectItem,
  tableOf,
  type Prepared,
} from './partiql/prepare.js';
import { DUPLICATE_ITEM, planWrite } from './partiql/write-plan.js';
import {
  cancelled,
  checkNewItem,
  requestFingerprint,
  type PlannedAction,
  type Reason,
  type Transactions,
} from './transactions.js';
import { validateKey } from './values/validate-key.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

const KEY_MISMATCH = 'The provided key element does not match the schema';

/** A statement whose table and item are known: a read of that item, or the write action on it. */
interface Resolved {
  table: Table;
  keyItem: Item;
  action?: PlannedAction;
}

export class PartiQLTransactions {
  constructor(
    private readonly catalog: TableCatalog,
    private readonly transactions: Transactions,
  ) {}

  async execute(input: DDB.ExecuteTransactionInput, at: Place): Promise<DDB.ExecuteTransactionOutput> {
    const statements = input.TransactStatements!;
    const parameters = statements.map((statement) => checkedParameters(statement.Parameters));
    const prepared = statements.map((statement, i) =>
      inStatement(i, () => prepare(statement.Statement!, parameters[i]!)),
    );
    const reads = prepared.filter(isSelect).length;
    if (reads > 0 && reads < prepared.length) {
      throw invalid(
        'ExecuteTransaction API does not support both read and write operations in the same request.',
      );
    }
    const resolved: Resolved[] = [];
    const reasons: Reason[] = [];
    for (const [i, statement] of prepared.entries()) {
      const table = await this.catalog.find(at, tableOf(statement.statement));
      if (!table) {
        reasons.push({ Code: 'ResourceNotFound', Message: 'Requested resource not found' });
        continue;
      }
      inStatement(i, () => checkStatement(statement, table));
      try {
        resolved.push(resolve(statement, table, statements[i]!.ReturnValuesOnConditionCheckFailure));
        reasons.push({ Code: 'None' });
      } catch (err) {
        if (!isServiceError(err) || err.code !== 'ValidationException') throw err;
        const message =
          err.message === INCOMPLETE_KEY || err.message.startsWith('Multiple conditions on same key')
            ? KEY_MISMATCH
            : err.message;
        reasons.push({ Code: 'ValidationError', Message: message });
      }
    }
    if (reasons.some((reason) => reason.Code !== 'None')) throw cancelled(reasons);
    const seen = new Set<string>();
    for (const { table, keyItem } of resolved) {
      checkNewItem(seen, table, storageKeyOf(table.definition.key, keyItem));
    }
    if (reads > 0) {
      const read = resolved.map(({ table, keyItem }) => ({
        table,
        key: storageKeyOf(table.definition.key, keyItem),
      }));
      const { items, ConsumedCapacity } = await this.transactions.readPlanned(
        read,
        input.ReturnConsumedCapacity,
      );
      return {
        Responses: items.map((item, i) => {
          const statement = prepared[i]!;
          return item
            ? { Item: projectItem(isSelect(statement) ? statement.projection : undefined, item) }
            : {};
        }) as DDB.ItemResponse[],
        ...(ConsumedCapacity ? { ConsumedCapacity } : {}),
      };
    }
    const actions = resolved.flatMap(({ action }) => (action ? [action] : []));
    const token = input.ClientRequestToken;
    const fingerprint = token === undefined ? '' : requestFingerprint(input);
    const written = await this.transactions.writePlanned(
      actions,
      token,
      fingerprint,
      input.ReturnConsumedCapacity,
      at,
    );
    return { Responses: [], ...written };
  }
}

/** What DynamoDB refuses about one statement once its table is known, before anything runs. */
function checkStatement(prepared: Prepared, table: Table): void {
  const statement = prepared.statement;
  switch (statement.kind) {
    case 'select':
      if (statement.index !== undefined) {
        throw invalid('Reads on indices are not supported within transactions.');
      }
      if (!itemKey(statement.where, table.definition.key, prepared.parameters)) {
        throw invalid(
          'Select statements within ExecuteTransaction must specify the primary key in the where clause.',
        );
      }
      return;
    case 'exists':
      if (statement.select.index !== undefined) {
        throw invalid('Operations on indices are not supported in transactions');
      }
      conditionCheckTarget(statement.select.where, table.definition.key, prepared.parameters);
      return;
    case 'update':
    case 'delete':
      if (statement.returning) throw invalid('RETURNING clause is not supported in ExecuteTransaction.');
  }
}

/** The statement's item and what to do with it; a key that does not fit the table is a cancellation reason. */
function resolve(
  prepared: Prepared,
  table: Table,
  returnOnFailure: DDB.ReturnValuesOnConditionCheckFailure | undefined,
): Resolved {
  const schema = table.definition.key;
  if (isSelect(prepared)) {
    const keyItem = itemKey(prepared.statement.where, schema, prepared.parameters)!;
    validateKey(keyItem, schema);
    return { table, keyItem };
  }
  const planned = planWrite(prepared, table);
  const action: PlannedAction = {
    kind: planned.kind,
    table,
    key: storageKeyOf(schema, planned.keyItem),
    keyItem: planned.keyItem,
    expressions: {
      ...(planned.condition ? { condition: planned.condition } : {}),
      ...(planned.update ? { update: planned.update } : {}),
    },
    ...(planned.put ? { put: planned.put, failure: { Code: 'DuplicateItem', Message: DUPLICATE_ITEM } } : {}),
    ...(returnOnFailure ? { returnOnFailure } : {}),
  };
  return { table, keyItem: planned.keyItem, action };
}

/** Runs a check of statement i, naming the statement in a ValidationException it throws. */
function inStatement<T>(i: number, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (isServiceError(err) && err.code === 'ValidationException') {
      throw new ValidationException(`Validation failed in TransactStatements[${i}]: ${err.message}`);
    }
    throw err;
  }
}
