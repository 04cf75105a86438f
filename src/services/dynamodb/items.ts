/**
 * The single-item operations: PutItem, GetItem, UpdateItem and DeleteItem, with conditions,
 * projections, ReturnValues and consumed capacity. Their writes, once the request is checked, are
 * also PartiQL's INSERT, UPDATE and DELETE (`putChecked`, `updateChecked`, `deleteChecked`).
 */
import type * as DDB from '@aws-sdk/client-dynamodb';
import type { Store } from '../../storage/store.js';
import type { RequestContext } from '../service.js';
import type { Item } from './attribute-value.js';
import type { Table, TableCatalog } from './catalog.js';
import { consumedCapacity, readUnits, writeUnits } from './capacity.js';
import type { ChangeRecorder } from './changes.js';
import { conditionFailed, ValidationException } from './errors.js';
import { applyUpdate, evaluateCondition, project, type Condition, type Update } from './expressions/index.js';
import { bind, compile } from './expressions-for.js';
import {
  checkWrittenItem,
  keepsOldItems,
  keyOf,
  storageKeyOf,
  type ItemRows,
  type WriteSizes,
} from './item-store.js';
import { wireItem } from './item-codec.js';
import { UPDATED_ITEM_TOO_LARGE } from './values/size.js';
import { validateKey } from './values/validate-key.js';
import { validateItem } from './values/validate.js';
import { itemCollectionMetrics } from './item-collections.js';
import { runWrite } from './writes.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

/** A write's item before and after it, the sizes its capacity is counted from, and its item collection. */
export interface WriteOutcome {
  old: Item | undefined;
  item?: Item;
  sizes: WriteSizes | undefined;
  collection?: DDB.ItemCollectionMetrics | undefined;
}

/** How a checked write reports: the condition it must meet and what it returns. */
export interface WriteOptions {
  condition: Condition | undefined;
  returnOnFailure: DDB.ReturnValuesOnConditionCheckFailure | undefined;
  collectionMetrics?: DDB.ReturnItemCollectionMetrics | undefined;
  /** The caller needs nothing of the replaced item (no ReturnValues, no capacity to report). */
  oldItemUnused?: boolean;
}

/** What a write consumed, as ReturnConsumedCapacity asks for it. */
export function writeCapacity(
  mode: DDB.ReturnConsumedCapacity | undefined,
  table: Table,
  sizes: WriteSizes | undefined,
  factor = 1,
): DDB.ConsumedCapacity | undefined {
  const indexUnits = new Map(
    [...(sizes?.indexes ?? [])].map(([name, bytes]) => [name, writeUnits(bytes) * factor]),
  );
  return consumedCapacity(mode, table, 'write', writeUnits(sizes?.size ?? 0) * factor, indexUnits);
}

function checkReturnValues(value: DDB.ReturnValue | undefined, allowed: readonly DDB.ReturnValue[]): void {
  if (value !== undefined && !allowed.includes(value)) {
    throw new ValidationException(
      `ReturnValues can only be ${allowed.filter((v) => v !== 'NONE').join(' or ')} or NONE`,
    );
  }
}

export class ItemOperations {
  constructor(
    private readonly store: Store,
    private readonly catalog: TableCatalog,
    private readonly rows: ItemRows,
    private readonly changes: ChangeRecorder,
  ) {}

  table(at: Place, name: string): Promise<Table> {
    return this.catalog.require(at, name);
  }

  /**
   * What an operation on one key starts with, in DynamoDB's order: its expressions, its key's
   * values, the table, the key against the table's schema, then the expressions against the table.
   */
  private async keyed(
    operation: 'GetItem' | 'DeleteItem' | 'UpdateItem',
    input: { TableName?: string | undefined; Key?: Record<string, unknown> | undefined },
    at: Place,
  ) {
    const compiled = compile(operation, input);
    const keyItem = validateItem(input.Key as Item);
    const table = await this.table(at, input.TableName!);
    validateKey(keyItem, table.definition.key);
    return { table, keyItem, expressions: bind(compiled, table) };
  }

  async put(input: DDB.PutItemInput, at: Place): Promise<DDB.PutItemOutput> {
    checkReturnValues(input.ReturnValues, ['NONE', 'ALL_OLD']);
    const compiled = compile('PutItem', input);
    const item = validateItem(input.Item as Item);
    const table = await this.table(at, input.TableName!);
    checkWrittenItem(table, item);
    const expressions = bind(compiled, table);
    const { old, sizes, collection } = await this.putChecked(table, item, {
      condition: expressions.condition,
      returnOnFailure: input.ReturnValuesOnConditionCheckFailure,
      collectionMetrics: input.ReturnItemCollectionMetrics,
      oldItemUnused:
        input.ReturnValues !== 'ALL_OLD' &&
        (input.ReturnConsumedCapacity ?? 'NONE') === 'NONE' &&
        (input.ReturnItemCollectionMetrics ?? 'NONE') === 'NONE',
    });
    return {
      ...(input.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {}),
      ...optional('ConsumedCapacity', writeCapacity(input.ReturnConsumedCapacity, table, sizes)),
      ...optional('ItemCollectionMetrics', collection),
    } as DDB.PutItemOutput;
  }

  /** PutItem once its request is checked, with the condition its expressions give; also PartiQL's INSERT. */
  async putChecked(table: Table, item: Item, options: WriteOptions): Promise<WriteOutcome> {
    const key = storageKeyOf(table.definition.key, item);
    if (options.oldItemUnused && !options.condition && !keepsOldItems(table)) {
      // Nobody needs the item this one replaces: one upsert, no read.
      await this.rows.overwrite(this.store, table, key, item);
      return { old: undefined, item, sizes: undefined };
    }
    return runWrite(this.store, async (tx) => {
      const stored = await this.rows.get(tx, table, key, true);
      const old = stored?.item;
      checkCondition(options.condition, old, options.returnOnFailure);
      const sizes = await this.rows.put(tx, table, key, item, old);
      const keys = keyOf(table.definition.key, item);
      await this.changes.record(tx, table, { keys, old, new: item });
      const collection = await itemCollectionMetrics(tx, options.collectionMetrics, table, key, keys);
      return { old, item, sizes: { ...sizes, size: Math.max(sizes.size, stored?.size ?? 0) }, collection };
    });
  }

  async get(input: DDB.GetItemInput, at: Place): Promise<DDB.GetItemOutput> {
    const { table, keyItem: key, expressions } = await this.keyed('GetItem', input, at);
    const stored = await this.rows.get(this.store, table, storageKeyOf(table.definition.key, key));
    const capacity = consumedCapacity(
      input.ReturnConsumedCapacity,
      table,
      'read',
      readUnits(stored?.size ?? 0, input.ConsistentRead ?? false),
    );
    return {
      ...(stored
        ? { Item: expressions.projection ? project(expressions.projection, stored.item) : stored.item }
        : {}),
      ...optional('ConsumedCapacity', capacity),
    } as DDB.GetItemOutput;
  }

  async delete(input: DDB.DeleteItemInput, at: Place): Promise<DDB.DeleteItemOutput> {
    checkReturnValues(input.ReturnValues, ['NONE', 'ALL_OLD']);
    const { table, keyItem, expressions } = await this.keyed('DeleteItem', input, at);
    const { old, sizes, collection } = await this.deleteChecked(table, keyItem, {
      condition: expressions.condition,
      returnOnFailure: input.ReturnValuesOnConditionCheckFailure,
      collectionMetrics: input.ReturnItemCollectionMetrics,
    });
    return {
      ...(input.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {}),
      ...optional('ConsumedCapacity', writeCapacity(input.ReturnConsumedCapacity, table, sizes)),
      ...optional('ItemCollectionMetrics', collection),
    } as DDB.DeleteItemOutput;
  }

  /** DeleteItem once its request is checked; also PartiQL's DELETE. */
  async deleteChecked(table: Table, keyItem: Item, options: WriteOptions): Promise<WriteOutcome> {
    const key = storageKeyOf(table.definition.key, keyItem);
    return runWrite(this.store, async (tx) => {
      const old = (await this.rows.get(tx, table, key, true))?.item;
      checkCondition(options.condition, old, options.returnOnFailure);
      const sizes = old && (await this.rows.delete(tx, table, key, old));
      if (old) await this.changes.record(tx, table, { keys: keyItem, old, new: undefined });
      const collection = await itemCollectionMetrics(tx, options.collectionMetrics, table, key, keyItem);
      return { old, sizes, collection };
    });
  }

  async update(input: DDB.UpdateItemInput, at: Place): Promise<DDB.UpdateItemOutput> {
    checkReturnValues(input.ReturnValues, ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW']);
    const { table, keyItem, expressions } = await this.keyed('UpdateItem', input, at);
    const { old, item, sizes, collection } = await this.updateChecked(table, keyItem, expressions.update, {
      condition: expressions.condition,
      returnOnFailure: input.ReturnValuesOnConditionCheckFailure,
      collectionMetrics: input.ReturnItemCollectionMetrics,
    });
    return {
      ...optional('Attributes', returnedAttributes(input.ReturnValues, expressions.update, old, item!)),
      ...optional('ConsumedCapacity', writeCapacity(input.ReturnConsumedCapacity, table, sizes)),
      ...optional('ItemCollectionMetrics', collection),
    } as DDB.UpdateItemOutput;
  }

  /** UpdateItem once its request is checked; also PartiQL's UPDATE. */
  async updateChecked(
    table: Table,
    keyItem: Item,
    update: Update | undefined,
    options: WriteOptions,
  ): Promise<WriteOutcome> {
    const key = storageKeyOf(table.definition.key, keyItem);
    return runWrite(this.store, async (tx) => {
      const stored = await this.rows.get(tx, table, key, true);
      const old = stored?.item;
      checkCondition(options.condition, old, options.returnOnFailure);
      const base: Item = old ?? { ...keyItem };
      const item = update ? applyUpdate(update, base) : base;
      checkWrittenItem(table, item, UPDATED_ITEM_TOO_LARGE);
      const sizes = await this.rows.put(tx, table, key, item, old);
      await this.changes.record(tx, table, { keys: keyItem, old, new: item });
      const collection = await itemCollectionMetrics(tx, options.collectionMetrics, table, key, keyItem);
      return { old, item, sizes: { ...sizes, size: Math.max(sizes.size, stored?.size ?? 0) }, collection };
    });
  }
}

/** ReturnValues' attributes of an update: the whole item before or after it, or only what it wrote. */
export function returnedAttributes(
  mode: DDB.ReturnValue | undefined,
  update: Update | undefined,
  old: Item | undefined,
  item: Item,
): Item | undefined {
  switch (mode) {
    case 'ALL_OLD':
      return old;
    case 'ALL_NEW':
      return item;
    case 'UPDATED_OLD':
      return old && update ? nonEmpty(project(updatedPaths(update), old)) : undefined;
    case 'UPDATED_NEW':
      return update ? nonEmpty(project(updatedPaths(update), item)) : undefined;
    default:
      return undefined;
  }
}

/** Fails the write when its condition does not hold for the item as it is (or its absence). */
export function checkCondition(
  condition: Condition | undefined,
  old: Item | undefined,
  returnOnFailure: DDB.ReturnValuesOnConditionCheckFailure | undefined,
): void {
  if (condition && !evaluateCondition(condition, old)) {
    throw conditionFailed(returnOnFailure === 'ALL_OLD' && old ? wireItem(old) : undefined);
  }
}

/** The paths an update wrote: what UPDATED_OLD and UPDATED_NEW return. */
function updatedPaths(update: Update) {
  return update.actions.map((action) => action.path);
}

function nonEmpty(item: Item): Item | undefined {
  return Object.keys(item).length > 0 ? item : undefined;
}

/** `{ [name]: value }` when there is a value, so outputs carry no undefined members. */
export function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}
