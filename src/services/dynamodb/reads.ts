/**
 * Query and Scan: pages read as B-tree range reads in chunks, never the whole table. A page ends
 * at `Limit` items evaluated or once 1 MB has been read, as on DynamoDB; the filter runs on what
 * was read (so a page may hold fewer items than it evaluated) and the projection last.
 */
import type * as DDB from '@aws-sdk/client-dynamodb';
import type { SqlValue, Store } from '../../storage/store.js';
import type { Item } from './attribute-value.js';
import type { Table } from './catalog.js';
import { consumedCapacity, readUnits } from './capacity.js';
import { ValidationException, invalidParameters } from './errors.js';
import { evaluateCondition, project, type Condition, type DocumentPath } from './expressions/index.js';
import { itemFromText } from './item-codec.js';
import { RawJson } from '../../protocol/raw-json.js';
import { keyNames, storageKeyOf, type ItemRows } from './item-store.js';
import type { IndexDefinition, KeySchema } from './table-schema.js';

/** DynamoDB stops a page once it has read this much. */
const PAGE_BYTES = 1024 * 1024;
const CHUNK = 256;

/** Where rows come from: the table's rows or one index's. */
export interface Source {
  table: Table;
  index?: IndexDefinition;
}

/** The range of rows a page walks, as SQL conditions on the source's key columns. */
export interface RowRange {
  conditions: string[];
  params: SqlValue[];
  descending: boolean;
}

export interface PageRequest {
  source: Source;
  range: RowRange;
  exclusiveStartKey?: Item;
  limit?: number;
  filter?: Condition;
  projection?: DocumentPath[];
  select: DDB.Select;
  consistent: boolean;
  returnConsumedCapacity?: DDB.ReturnConsumedCapacity;
}

export interface Page<I = Item> {
  Items?: I[];
  Count: number;
  ScannedCount: number;
  LastEvaluatedKey?: Item;
  ConsumedCapacity?: DDB.ConsumedCapacity;
}

/**
 * A row as a page reads it: only the item and its size. The key columns it is ordered by are
 * worked out again from the item where needed (the next chunk's start), which costs far less
 * than reading them (a Buffer per column per row).
 */
interface SourceRow extends Record<string, unknown> {
  item: string;
  size: number;
}

/** The key columns a source's rows are ordered by, in order. */
function orderColumns(source: Source): string[] {
  return source.index ? ['hash', 'pk', 'sk', 'table_pk', 'table_sk'] : ['hash', 'pk', 'sk'];
}

/** The attributes that name a row of the source: its key, and for an index the table's key too. */
export function sourceKeyNames(source: Source): string[] {
  const names = keyNames(source.table.definition.key);
  if (!source.index) return names;
  return [...new Set([...keyNames(source.index.key), ...names])];
}

function cursorValues(source: Source, key: Item): SqlValue[] {
  const tableKey = storageKeyOf(source.table.definition.key, key);
  if (!source.index) return [tableKey.hash, tableKey.pk, tableKey.sk];
  const indexKey = storageKeyOf(source.index.key, key);
  return [indexKey.hash, indexKey.pk, indexKey.sk, tableKey.pk, tableKey.sk];
}

/** Checks an ExclusiveStartKey names a row of the source. */
export function checkStartKey(source: Source, key: Item): void {
  const expected = sourceKeyNames(source);
  const schemas: KeySchema[] = source.index
    ? [source.index.key, source.table.definition.key]
    : [source.table.definition.key];
  const types = new Map(
    schemas.flatMap((s) => (s.range ? [s.hash, s.range] : [s.hash])).map((a) => [a.name, a.type]),
  );
  const names = Object.keys(key);
  if (
    names.length !== expected.length ||
    expected.some((name) => !key[name] || !(types.get(name)! in key[name]!))
  ) {
    throw new ValidationException(
      'The provided starting key is invalid: The provided key element does not match the schema',
    );
  }
}

export class PageReader {
  constructor(
    private readonly store: Store,
    private readonly rows: ItemRows,
  ) {}

  async read(request: PageRequest): Promise<Page> {
    return (await this.readPage(request, false)) as Page;
  }

  /**
   * A page for a Query or Scan answer: items that need no filter, projection or table fetch come
   * as the text they are stored as (their wire form), which the protocol layer writes as it is.
   */
  answer(request: PageRequest): Promise<Page<Item | RawJson>> {
    return this.readPage(request, true);
  }

  private async readPage(request: PageRequest, textWhereItCan: boolean): Promise<Page<Item | RawJson>> {
    const { source, range } = request;
    const columns = orderColumns(source);
    const direction = range.descending ? 'DESC' : 'ASC';
    const from = source.index
      ? 'dynamodb_index_items WHERE table_id = ? AND index_no = ?'
      : 'dynamodb_items WHERE table_id = ?';
    const fromParams: SqlValue[] = source.index ? [source.table.id, source.index.no] : [source.table.id];
    const fetchFromTable = this.needsTableItems(request);
    let cursor = request.exclusiveStartKey && cursorValues(source, request.exclusiveStartKey);
    const limit = request.limit ?? Infinity;
    // Without a filter, projection or table fetch, an item goes into the answer as the text it is
    // stored as (its wire form): parsed only when its key is needed.
    const asText = textWhereItCan && !request.filter && !request.projection && !fetchFromTable;
    const items: (Item | RawJson)[] = [];
    let scanned = 0;
    let bytes = 0;
    let lastText: string | undefined;
    let stopped = false;
    while (!stopped) {
      const conditions = [...range.conditions];
      const params = [...fromParams, ...range.params];
      if (cursor) {
        conditions.push(
          `(${columns.join(', ')}) ${range.descending ? '<' : '>'} (${columns.map(() => '?').join(', ')})`,
        );
        params.push(...cursor);
      }
      const chunk = Math.min(CHUNK, limit - scanned);
      const rows = await this.store.all<SourceRow>(
        `SELECT item, size FROM ${from}${conditions.map((c) => ` AND ${c}`).join('')}
         ORDER BY ${columns.map((c) => `${c} ${direction}`).join(', ')} LIMIT ${chunk}`,
        params,
      );
      for (const row of rows) {
        scanned++;
        bytes += row.size;
        lastText = row.item;
        if (asText) items.push(new RawJson(row.item));
        else {
          let item = itemFromText(row.item);
          if (fetchFromTable) {
            const tableKey = storageKeyOf(source.table.definition.key, item);
            const full = await this.rows.get(this.store, source.table, tableKey);
            if (full) item = full.item;
          }
          if (!request.filter || evaluateCondition(request.filter, item)) items.push(item);
        }
        if (scanned >= limit || bytes >= PAGE_BYTES) {
          stopped = true;
          break;
        }
      }
      if (rows.length < chunk || lastText === undefined) break;
      cursor = cursorValues(source, itemFromText(lastText));
    }
    const page: Page<Item | RawJson> = { Count: items.length, ScannedCount: scanned };
    if (request.select !== 'COUNT') {
      page.Items = request.projection
        ? (items as Item[]).map((item) => project(request.projection!, item))
        : items;
    }
    const last = lastText === undefined ? undefined : itemFromText(lastText);
    if (stopped && last)
      page.LastEvaluatedKey = Object.fromEntries(sourceKeyNames(source).map((n) => [n, last![n]!]));
    const capacity = consumedCapacity(
      request.returnConsumedCapacity,
      source.table,
      'read',
      readUnits(bytes, request.consistent),
      source.index ? new Map([[source.index.name, readUnits(bytes, request.consistent)]]) : undefined,
    );
    if (capacity) page.ConsumedCapacity = capacity;
    return page;
  }

  /** An LSI query asking for attributes its projection lacks reads them from the table. */
  private needsTableItems(request: PageRequest): boolean {
    const index = request.source.index;
    if (!index || index.kind !== 'local' || index.projection.type === 'ALL') return false;
    return (
      request.select === 'ALL_ATTRIBUTES' || request.filter !== undefined || request.projection !== undefined
    );
  }
}

/** Resolves `IndexName` and checks what the request may do with it. */
export function sourceOf(table: Table, indexName: string | undefined, consistent: boolean): Source {
  if (indexName === undefined) return { table };
  const index = table.definition.indexes.find((i) => i.name === indexName);
  if (!index) throw new ValidationException(`The table does not have the specified index: ${indexName}`);
  if (index.kind === 'global' && consistent) {
    throw new ValidationException('Consistent reads are not supported on global secondary indexes');
  }
  if (index.status === 'CREATING') {
    throw new ValidationException(`Cannot read from backfilling global secondary index: ${indexName}`);
  }
  return { table, index };
}

/** `Select`, checked against the index and projection as DynamoDB checks it. */
export function selectOf(source: Source, select: DDB.Select | undefined, hasProjection: boolean): DDB.Select {
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && !source.index) {
    throw new ValidationException(
      'ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName',
    );
  }
  if (select !== undefined && select !== 'SPECIFIC_ATTRIBUTES' && hasProjection) {
    throw new ValidationException(
      select === 'COUNT'
        ? 'Cannot specify the AttributesToGet when choosing to get only the Count'
        : `Cannot specify the AttributesToGet when choosing to get ${select}`,
    );
  }
  if (select === 'SPECIFIC_ATTRIBUTES' && !hasProjection) {
    throw new ValidationException(
      'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES',
    );
  }
  const index = source.index;
  if (select === 'ALL_ATTRIBUTES' && index?.kind === 'global' && index.projection.type !== 'ALL') {
    throw invalidParameters(
      `Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.name} because its projection type is not ALL`,
    );
  }
  if (select) return select;
  if (hasProjection) return 'SPECIFIC_ATTRIBUTES';
  return index ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES';
}
