/**
 * TransactWriteItems and TransactGetItems: every action of a transaction is checked first, then
 * all run in one store transaction that reads each item under lock — so either every write
 * lands or none does, and concurrent transactions on the same items are serialized (on
 * PostgreSQL, one that loses a race for a new key runs again and decides on the winner's item).
 * A failed condition cancels the whole transaction with one reason per action, as DynamoDB does.
 * `ClientRequestToken` makes a repeat of the same request within 10 minutes a no-op that
 * succeeds again. PartiQL's ExecuteTransaction plans its statements into the same actions and
 * runs them here (`writePlanned`, `readPlanned`).
 */
import { createHash } from 'node:crypto';
import type * as DDB from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../engine/clock.js';
import type { Queryable, Store } from '../../storage/store.js';
import type { RequestContext } from '../service.js';
import type { Item } from './attribute-value.js';
import { isServiceError } from '../../protocol/errors.js';
import type { Table, TableCatalog } from './catalog.js';
import { consumedCapacity, mergeCapacities, readUnits, writeUnits } from './capacity.js';
import type { ChangeRecorder } from './changes.js';
import {
  IdempotentParameterMismatchException,
  TransactionCanceledException,
  ValidationException,
} from './errors.js';
import { applyUpdate, evaluateCondition, project } from './expressions/index.js';
import { bind, compile, type BoundExpressions } from './expressions-for.js';
import { wireItem } from './item-codec.js';
import { checkWrittenItem, keyOf, storageKeyOf, type ItemRows, type StorageKey } from './item-store.js';
import { itemIdentity } from './batch.js';
import { UPDATED_ITEM_TOO_LARGE } from './values/size.js';
import { validateKey } from './values/validate-key.js';
import { validateItem } from './values/validate.js';
import { runWrite } from './writes.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

const TOKEN_TTL_MS = 10 * 60 * 1000;

type ActionKind = 'ConditionCheck' | 'Put' | 'Delete' | 'Update';

/** One action of a write transaction, checked and bound to its table. */
export interface PlannedAction {
  kind: ActionKind;
  table: Table;
  key: StorageKey;
  keyItem: Item;
  expressions: Pick<BoundExpressions, 'condition' | 'update'>;
  put?: Item;
  returnOnFailure?: DDB.ReturnValuesOnConditionCheckFailure;
  /** The reason when the condition fails, if not ConditionalCheckFailed (PartiQL's INSERT of a key that exists). */
  failure?: Reason;
}

/** A cancellation reason of TransactionCanceledException, one per action. */
export interface Reason {
  Code: string;
  Message?: string;
  Item?: Record<string, unknown>;
}

/** Thrown inside the store transaction to roll it back with the reasons. */
class Cancelled extends Error {
  constructor(readonly reasons: Reason[]) {
    super('transaction cancelled');
  }
}

export class Transactions {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly catalog: TableCatalog,
    private readonly rows: ItemRows,
    private readonly changes: ChangeRecorder,
  ) {}

  async write(input: DDB.TransactWriteItemsInput, at: Place): Promise<DDB.TransactWriteItemsOutput> {
    const actions: PlannedAction[] = [];
    const seen = new Set<string>();
    for (const action of input.TransactItems!) {
      const planned = await this.plan(action, at);
      checkNewItem(seen, planned.table, planned.key);
      actions.push(planned);
    }
    const token = input.ClientRequestToken;
    return this.writePlanned(
      actions,
      token,
      token === undefined ? '' : requestFingerprint(input),
      input.ReturnConsumedCapacity,
      at,
    );
  }

  /**
   * Runs planned write actions as one transaction: TransactWriteItems', and PartiQL's
   * ExecuteTransaction's. `fingerprint` tells a repeat of the request under `token` from another.
   */
  async writePlanned(
    actions: readonly PlannedAction[],
    token: string | undefined,
    fingerprint: string,
    mode: DDB.ReturnConsumedCapacity | undefined,
    at: Place,
  ): Promise<{ ConsumedCapacity?: DDB.ConsumedCapacity[] }> {
    try {
      const capacities = await runWrite(this.store, async (tx) => {
        if (token !== undefined && (await this.repeated(tx, at, token, fingerprint))) return [];
        const capacities = await this.apply(tx, actions, mode);
        if (token !== undefined) await this.remember(tx, at, token, fingerprint);
        return capacities;
      });
      const consumed = mergeCapacities(capacities);
      return consumed.length > 0 ? { ConsumedCapacity: consumed } : {};
    } catch (err) {
      if (err instanceof Cancelled) throw cancelled(err.reasons);
      throw err;
    }
  }

  private async apply(
    tx: Queryable,
    actions: readonly PlannedAction[],
    mode: DDB.ReturnConsumedCapacity | undefined,
  ): Promise<(DDB.ConsumedCapacity | undefined)[]> {
    const olds: ({ item: Item; size: number } | undefined)[] = [];
    const reasons: Reason[] = [];
    let failed = false;
    for (const action of actions) {
      const stored = await this.rows.get(tx, action.table, action.key, true);
      olds.push(stored);
      const condition = action.expressions.condition;
      if (condition && !evaluateCondition(condition, stored?.item)) {
        failed = true;
        reasons.push({
          ...(action.failure ?? {
            Code: 'ConditionalCheckFailed',
            Message: 'The conditional request failed',
          }),
          ...(action.returnOnFailure === 'ALL_OLD' && stored ? { Item: wireItem(stored.item) } : {}),
        });
      } else reasons.push({ Code: 'None' });
    }
    if (failed) throw new Cancelled(reasons);
    const capacities: (DDB.ConsumedCapacity | undefined)[] = [];
    for (const [i, action] of actions.entries()) {
      const stored = olds[i];
      const old = stored?.item;
      let bytes = stored?.size ?? 0;
      if (action.kind === 'Put' || action.kind === 'Update') {
        let item: Item;
        try {
          item = action.put ?? applyUpdate(action.expressions.update!, old ?? { ...action.keyItem });
          if (!action.put) checkWrittenItem(action.table, item, UPDATED_ITEM_TOO_LARGE);
        } catch (err) {
          if (!isServiceError(err)) throw err;
          throw new Cancelled(
            actions.map((_, j) =>
              j === i ? { Code: 'ValidationError', Message: err.message } : { Code: 'None' },
            ),
          );
        }
        const sizes = await this.rows.put(tx, action.table, action.key, item, old);
        await this.changes.record(tx, action.table, { keys: action.keyItem, old, new: item });
        bytes = Math.max(bytes, sizes.size);
      } else if (action.kind === 'Delete' && old) {
        await this.rows.delete(tx, action.table, action.key, old);
        await this.changes.record(tx, action.table, { keys: action.keyItem, old, new: undefined });
      }
      const units = action.kind === 'ConditionCheck' ? readUnits(bytes, true) : writeUnits(bytes);
      capacities.push(
        consumedCapacity(mode, action.table, action.kind === 'ConditionCheck' ? 'read' : 'write', units * 2),
      );
    }
    return capacities;
  }

  private async plan(action: DDB.TransactWriteItem, at: Place): Promise<PlannedAction> {
    const kinds = (['ConditionCheck', 'Put', 'Delete', 'Update'] as const).filter(
      (k) => action[k] !== undefined,
    );
    if (kinds.length !== 1) {
      throw new ValidationException(
        'The action or operation requested is invalid. Verify that the action is typed correctly.',
      );
    }
    const kind = kinds[0]!;
    const body = action[kind]!;
    const compiled = compile(
      kind === 'Put'
        ? 'PutItem'
        : kind === 'Delete'
          ? 'DeleteItem'
          : kind === 'Update'
            ? 'UpdateItem'
            : 'ConditionCheck',
      body,
    );
    const table = await this.catalog.require(at, body.TableName!);
    const schema = table.definition.key;
    if (kind === 'Put') {
      const put = validateItem(action.Put!.Item as Item);
      checkWrittenItem(table, put);
      return {
        kind,
        table,
        key: storageKeyOf(schema, put),
        keyItem: keyOf(schema, put),
        expressions: bind(compiled, table),
        put,
        ...returnOnFailure(body),
      };
    }
    const keyItem = validateItem((body as DDB.Delete).Key as Item);
    validateKey(keyItem, schema);
    if (kind === 'ConditionCheck' && !action.ConditionCheck!.ConditionExpression) {
      throw new ValidationException('The ConditionExpression parameter is required for a ConditionCheck');
    }
    return {
      kind,
      table,
      key: storageKeyOf(schema, keyItem),
      keyItem,
      expressions: bind(compiled, table),
      ...returnOnFailure(body),
    };
  }

  /** Whether the token names a transaction done in the last 10 minutes (an error if it was another one). */
  private async repeated(tx: Queryable, at: Place, token: string, fingerprint: string): Promise<boolean> {
    const row = await tx.get<{ fingerprint: string; created_at: number }>(
      'SELECT fingerprint, created_at FROM dynamodb_client_tokens WHERE account_id = ? AND region = ? AND token = ?',
      [at.accountId, at.region, token],
    );
    if (!row || row.created_at <= this.clock.now() - TOKEN_TTL_MS) return false;
    if (row.fingerprint !== fingerprint) {
      throw new IdempotentParameterMismatchException(
        'The request uses the same client token as a previous, but non-identical request.',
      );
    }
    return true;
  }

  private async remember(tx: Queryable, at: Place, token: string, fingerprint: string): Promise<void> {
    const now = this.clock.now();
    await tx.run('DELETE FROM dynamodb_client_tokens WHERE created_at <= ?', [now - TOKEN_TTL_MS]);
    await tx.run(
      `INSERT INTO dynamodb_client_tokens (account_id, region, token, fingerprint, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account_id, region, token) DO UPDATE SET fingerprint = excluded.fingerprint, created_at = excluded.created_at`,
      [at.accountId, at.region, token, fingerprint, now],
    );
  }

  async get(input: DDB.TransactGetItemsInput, at: Place): Promise<DDB.TransactGetItemsOutput> {
    const planned: { table: Table; key: StorageKey; expressions: BoundExpressions }[] = [];
    const seen = new Set<string>();
    for (const { Get: get } of input.TransactItems!) {
      const compiled = compile('GetItem', get!);
      const table = await this.catalog.require(at, get!.TableName!);
      const keyItem = validateItem(get!.Key as Item);
      validateKey(keyItem, table.definition.key);
      const key = storageKeyOf(table.definition.key, keyItem);
      checkNewItem(seen, table, key);
      planned.push({ table, key, expressions: bind(compiled, table) });
    }
    const { items, ConsumedCapacity } = await this.readPlanned(planned, input.ReturnConsumedCapacity);
    return {
      Responses: items.map((item, i) => {
        const projection = planned[i]!.expressions.projection;
        if (!item) return {};
        return { Item: projection ? project(projection, item) : item };
      }) as DDB.ItemResponse[],
      ...(ConsumedCapacity ? { ConsumedCapacity } : {}),
    };
  }

  /** Reads items as of one instant: TransactGetItems', and PartiQL's ExecuteTransaction of SELECTs. */
  async readPlanned(
    planned: readonly { table: Table; key: StorageKey }[],
    mode: DDB.ReturnConsumedCapacity | undefined,
  ): Promise<{ items: (Item | undefined)[]; ConsumedCapacity?: DDB.ConsumedCapacity[] }> {
    const read = await this.store.transaction(async (tx) => {
      const out = [];
      for (const { table, key } of planned) out.push(await this.rows.get(tx, table, key));
      return out;
    });
    const consumed = mergeCapacities(
      planned.map(({ table }, i) =>
        consumedCapacity(mode, table, 'read', readUnits(read[i]?.size ?? 0, true) * 2),
      ),
    );
    return {
      items: read.map((stored) => stored?.item),
      ...(consumed.length > 0 ? { ConsumedCapacity: consumed } : {}),
    };
  }
}

/** Refuses a second action on an item the transaction already names. */
export function checkNewItem(seen: Set<string>, table: Table, key: StorageKey): void {
  const identity = itemIdentity(table, key);
  if (seen.has(identity)) {
    throw new ValidationException('Transaction request cannot include multiple operations on one item');
  }
  seen.add(identity);
}

function returnOnFailure(body: {
  ReturnValuesOnConditionCheckFailure?: DDB.ReturnValuesOnConditionCheckFailure;
}) {
  return body.ReturnValuesOnConditionCheckFailure
    ? { returnOnFailure: body.ReturnValuesOnConditionCheckFailure }
    : {};
}

export function cancelled(reasons: Reason[]) {
  return new TransactionCanceledException(
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    { CancellationReasons: reasons },
  );
}

/** What makes two requests with one token "the same request". */
export function requestFingerprint(input: { ClientRequestToken?: string }): string {
  const { ClientRequestToken: _token, ...rest } = input;
  return createHash('sha256')
    .update(
      JSON.stringify(rest, (_, v: unknown) =>
        v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v,
      ),
    )
    .digest('hex');
}
