/**
 * BatchGetItem and BatchWriteItem. Every request of a batch is checked before any runs (one bad
 * request fails the whole batch, as on DynamoDB); the writes then go in one transaction, so a
 * batch is never half-applied even though DynamoDB does not promise that (concurrent batches may
 * share that transaction). `UnprocessedItems`
 * stays empty; `UnprocessedKeys` holds the keys left once a BatchGetItem answer reaches 16 MB.
 */
import type * as DDB from '@aws-sdk/client-dynamodb';
import { GroupCommit } from '../../storage/group-commit.js';
import type { Store } from '../../storage/store.js';
import type { RequestContext } from '../service.js';
import type { Item } from './attribute-value.js';
import type { Table, TableCatalog } from './catalog.js';
import { consumedCapacity, mergeCapacities, readUnits, writeUnits } from './capacity.js';
import type { ChangeRecorder } from './changes.js';
import { ValidationException } from './errors.js';
import { project } from './expressions/index.js';
import { bind, compile } from './expressions-for.js';
import type { ItemRows } from './item-store.js';
import { checkWrittenItem, keepsOldItems, keyOf, storageKeyOf, type StorageKey } from './item-store.js';
import { validateKey } from './values/validate-key.js';
import { validateItem } from './values/validate.js';
import { runWrite } from './writes.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

const MAX_GET_KEYS = 100;
const MAX_WRITES = 25;
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** Identifies an item across the tables of one request, to find duplicates. */
export function itemIdentity(table: Table, key: StorageKey): string {
  return `${table.id}:${key.pk.toString('base64')}:${key.sk.toString('base64')}`;
}

interface PlannedWrite {
  table: Table;
  key: StorageKey;
  keyItem: Item;
  put?: Item;
}

export class Batches {
  /**
   * Concurrent batches share a commit: 25 small writes cost less than the commit that follows
   * them on SQLite. A batch has no conditions, so one batch cannot fail the others' transaction
   * for a reason of its own except a broken store, and each runs again alone if it does.
   */
  private readonly commits: GroupCommit;

  constructor(
    private readonly store: Store,
    private readonly catalog: TableCatalog,
    private readonly rows: ItemRows,
    private readonly changes: ChangeRecorder,
  ) {
    this.commits = new GroupCommit(store, runWrite);
  }

  async get(input: DDB.BatchGetItemInput, at: Place): Promise<DDB.BatchGetItemOutput> {
    const requests = Object.entries(input.RequestItems!);
    const total = requests.reduce((n, [, r]) => n + (r.Keys?.length ?? 0), 0);
    if (total > MAX_GET_KEYS)
      throw new ValidationException('Too many items requested for the BatchGetItem call');
    const planned = [];
    for (const [name, request] of requests) {
      const compiled = compile('GetItem', request);
      const table = await this.catalog.require(at, name);
      const expressions = bind(compiled, table);
      const seen = new Set<string>();
      const keys = request.Keys!.map((raw) => {
        const keyItem = validateItem(raw as Item);
        validateKey(keyItem, table.definition.key);
        const key = storageKeyOf(table.definition.key, keyItem);
        const identity = itemIdentity(table, key);
        if (seen.has(identity))
          throw new ValidationException('Provided list of item keys contains duplicates');
        seen.add(identity);
        return { key, raw };
      });
      planned.push({ name, table, request, expressions, keys });
    }
    const responses: Record<string, Item[]> = {};
    const unprocessed: Record<string, DDB.KeysAndAttributes> = {};
    const capacities: (DDB.ConsumedCapacity | undefined)[] = [];
    let bytes = 0;
    for (const { name, table, request, expressions, keys } of planned) {
      const items: Item[] = (responses[name] = []);
      let units = 0;
      for (const { key, raw } of keys) {
        if (bytes >= MAX_RESPONSE_BYTES) {
          (unprocessed[name] ??= { ...request, Keys: [] }).Keys!.push(raw);
          continue;
        }
        const stored = await this.rows.get(this.store, table, key);
        units += readUnits(stored?.size ?? 0, request.ConsistentRead ?? false);
        if (!stored) continue;
        bytes += stored.size;
        items.push(expressions.projection ? project(expressions.projection, stored.item) : stored.item);
      }
      capacities.push(consumedCapacity(input.ReturnConsumedCapacity, table, 'read', units));
    }
    const consumed = mergeCapacities(capacities);
    return {
      Responses: responses as DDB.BatchGetItemOutput['Responses'],
      UnprocessedKeys: unprocessed,
      ...(consumed.length > 0 ? { ConsumedCapacity: consumed } : {}),
    };
  }

  async write(input: DDB.BatchWriteItemInput, at: Place): Promise<DDB.BatchWriteItemOutput> {
    const requests = Object.entries(input.RequestItems!);
    const total = requests.reduce((n, [, r]) => n + r.length, 0);
    if (total > MAX_WRITES)
      throw new ValidationException('Too many items requested for the BatchWriteItem call');
    const planned: PlannedWrite[] = [];
    const seen = new Set<string>();
    for (const [name, writes] of requests) {
      const table = await this.catalog.require(at, name);
      for (const write of writes) {
        const entry = this.plan(table, write);
        const identity = itemIdentity(table, entry.key);
        if (seen.has(identity))
          throw new ValidationException('Provided list of item keys contains duplicates');
        seen.add(identity);
        planned.push(entry);
      }
    }
    // Without capacity to report, a table that keeps nothing of replaced items is written blind.
    const reportsCapacity =
      input.ReturnConsumedCapacity === 'TOTAL' || input.ReturnConsumedCapacity === 'INDEXES';
    const capacities = await this.commits.run(async (tx) => {
      const capacities: (DDB.ConsumedCapacity | undefined)[] = [];
      for (const { table, key, keyItem, put } of planned) {
        if (!reportsCapacity && !keepsOldItems(table)) {
          if (put) await this.rows.overwrite(tx, table, key, put);
          else await this.rows.erase(tx, table, key);
          continue;
        }
        const stored = await this.rows.get(tx, table, key, true);
        const old = stored?.item;
        if (put) {
          const sizes = await this.rows.put(tx, table, key, put, old);
          await this.changes.record(tx, table, { keys: keyItem, old, new: put });
          capacities.push(
            consumedCapacity(
              input.ReturnConsumedCapacity,
              table,
              'write',
              writeUnits(Math.max(sizes.size, stored?.size ?? 0)),
            ),
          );
        } else {
          if (old) {
            await this.rows.delete(tx, table, key, old);
            await this.changes.record(tx, table, { keys: keyItem, old, new: undefined });
          }
          capacities.push(
            consumedCapacity(input.ReturnConsumedCapacity, table, 'write', writeUnits(stored?.size ?? 0)),
          );
        }
      }
      return capacities;
    });
    const consumed = mergeCapacities(capacities);
    return { UnprocessedItems: {}, ...(consumed.length > 0 ? { ConsumedCapacity: consumed } : {}) };
  }

  private plan(table: Table, write: DDB.WriteRequest): PlannedWrite {
    if ((write.PutRequest === undefined) === (write.DeleteRequest === undefined)) {
      throw new ValidationException(
        'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
      );
    }
    if (write.PutRequest) {
      const item = validateItem(write.PutRequest.Item as Item);
      checkWrittenItem(table, item);
      const keyItem = keyOf(table.definition.key, item);
      return { table, key: storageKeyOf(table.definition.key, item), keyItem, put: item };
    }
    const keyItem = validateItem(write.DeleteRequest!.Key as Item);
    validateKey(keyItem, table.definition.key);
    return { table, key: storageKeyOf(table.definition.key, keyItem), keyItem };
  }
}
