/**
 * ExecuteStatement and BatchExecuteStatement: PartiQL statements run on the service's own read
 * and write paths. A SELECT is page reads (reads.ts) — a Query of each partition its WHERE
 * clause names, or a Scan — with the WHERE clause as the filter; `Limit` counts the items read
 * and `NextToken` carries on where a page stopped. INSERT, UPDATE and DELETE are the single-item
 * writes of items.ts under the condition their statement implies. A batch runs each statement on
 * its own, answering a result or an error for each; its SELECTs read one item by its key.
 */
import type * as DDB from '@aws-sdk/client-dynamodb';
import { isServiceError } from '../../protocol/errors.js';
import type { RequestContext } from '../service.js';
import type { AttributeValue, Item } from './attribute-value.js';
import type { Table, TableCatalog } from './catalog.js';
import { mergeCapacities } from './capacity.js';
import { DuplicateItemException } from './errors.js';
import { bind } from './expressions-for.js';
import { optional, returnedAttributes, writeCapacity, type ItemOperations } from './items.js';
import { invalid } from './partiql/errors.js';
import {
  decodeNextToken,
  encodeNextToken,
  statementFingerprint,
  type Continuation,
} from './partiql/next-token.js';
import { itemKey, readPlan, type ReadPlan } from './partiql/plan.js';
import {
  checkedParameters,
  isSelect,
  prepare,
  projectItem,
  returnValue,
  tableOf,
  type PreparedSelect,
  type PreparedWrite,
} from './partiql/prepare.js';
import { DUPLICATE_ITEM, planWrite } from './partiql/write-plan.js';
import { queryRange } from './query-scan.js';
import { checkStartKey, type PageReader, type RowRange, type Source } from './reads.js';
import type { KeySchema } from './table-schema.js';
import { validateKey } from './values/validate-key.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

const ALL_ROWS: RowRange = { conditions: [], params: [], descending: false };

/** The codes of BatchStatementError for the errors a statement can meet. */
const BATCH_CODES: Readonly<Record<string, DDB.BatchStatementErrorCodeEnum>> = {
  ValidationException: 'ValidationError',
  ConditionalCheckFailedException: 'ConditionalCheckFailed',
  DuplicateItemException: 'DuplicateItem',
  ResourceNotFoundException: 'ResourceNotFound',
  TransactionConflictException: 'TransactionConflict',
  ItemCollectionSizeLimitExceededException: 'ItemCollectionSizeLimitExceeded',
};

export class PartiQL {
  constructor(
    private readonly catalog: TableCatalog,
    private readonly items: ItemOperations,
    private readonly pages: PageReader,
  ) {}

  async execute(input: DDB.ExecuteStatementInput, at: Place): Promise<DDB.ExecuteStatementOutput> {
    const prepared = prepare(input.Statement!, checkedParameters(input.Parameters));
    if (isSelect(prepared)) return this.select(prepared, input, at);
    const table = await this.catalog.require(at, tableOf(prepared.statement));
    const { item, capacity } = await this.write(
      prepared,
      table,
      input.ReturnConsumedCapacity,
      input.ReturnValuesOnConditionCheckFailure,
    );
    return { Items: item ? [item] : [], ...optional('ConsumedCapacity', capacity) };
  }

  async batch(input: DDB.BatchExecuteStatementInput, at: Place): Promise<DDB.BatchExecuteStatementOutput> {
    const responses: DDB.BatchStatementResponse[] = [];
    const capacities: (DDB.ConsumedCapacity | undefined)[] = [];
    for (const request of input.Statements!) {
      // A statement's table is echoed once the statement has run, failed or not.
      let ran: Table | undefined;
      try {
        const prepared = prepare(request.Statement!, checkedParameters(request.Parameters));
        const table = await this.catalog.require(at, tableOf(prepared.statement));
        const running = () => (ran = table);
        const result = isSelect(prepared)
          ? await this.readOne(
              prepared,
              table,
              request.ConsistentRead ?? false,
              input.ReturnConsumedCapacity,
              running,
            )
          : await this.write(prepared, table, input.ReturnConsumedCapacity, undefined, running);
        capacities.push(result.capacity);
        responses.push({
          TableName: table.name,
          ...(result.item ? { Item: result.item } : {}),
        } as DDB.BatchStatementResponse);
      } catch (err) {
        if (!isServiceError(err)) throw err;
        const Code = BATCH_CODES[err.code] ?? 'InternalServerError';
        responses.push({ ...(ran ? { TableName: ran.name } : {}), Error: { Code, Message: err.message } });
      }
    }
    const consumed = mergeCapacities(capacities);
    return { Responses: responses, ...(consumed.length > 0 ? { ConsumedCapacity: consumed } : {}) };
  }

  private async select(
    prepared: PreparedSelect,
    input: DDB.ExecuteStatementInput,
    at: Place,
  ): Promise<DDB.ExecuteStatementOutput> {
    const statement = prepared.statement;
    const table = await this.catalog.require(at, statement.table);
    const consistent = input.ConsistentRead ?? false;
    const source = sourceOf(table, statement.index, consistent);
    const schema = source.index?.key ?? table.definition.key;
    if (prepared.where) bind({ filter: prepared.where }, table);
    const plan = readPlan(statement, schema, prepared.parameters);
    const fingerprint = statementFingerprint(input.Statement!, prepared.parameters);
    const from: Continuation = input.NextToken
      ? decodeNextToken(input.NextToken, fingerprint)
      : { partition: 0 };
    if (from.key) checkStartKey(source, from.key);
    const ranges = plan.partitions
      ? plan.partitions.map((value) => partitionRange(schema, value, plan.sort, plan.descending))
      : [ALL_ROWS];
    const items: Item[] = [];
    const capacities: (DDB.ConsumedCapacity | undefined)[] = [];
    let remaining = input.Limit;
    let next: Continuation | undefined;
    for (
      let partition = from.partition, start = from.key;
      partition < ranges.length;
      partition++, start = undefined
    ) {
      const page = await this.pages.read({
        source,
        range: ranges[partition]!,
        ...(start ? { exclusiveStartKey: start } : {}),
        ...(remaining !== undefined ? { limit: remaining } : {}),
        ...(prepared.where ? { filter: prepared.where } : {}),
        select: source.index ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES',
        consistent,
        ...(input.ReturnConsumedCapacity ? { returnConsumedCapacity: input.ReturnConsumedCapacity } : {}),
      });
      items.push(...(page.Items ?? []));
      capacities.push(page.ConsumedCapacity);
      if (page.LastEvaluatedKey) {
        next = { partition, key: page.LastEvaluatedKey };
        break;
      }
      if (remaining !== undefined) remaining -= page.ScannedCount;
    }
    return {
      Items: items.map((item) => projectItem(prepared.projection, item)),
      ...(next ? { NextToken: encodeNextToken(fingerprint, next) } : {}),
      ...optional('ConsumedCapacity', mergeCapacities(capacities)[0]),
    };
  }

  /** A batch's SELECT: one item, named by its full primary key and nothing else. */
  private async readOne(
    prepared: PreparedSelect,
    table: Table,
    consistent: boolean,
    mode: DDB.ReturnConsumedCapacity | undefined,
    running: () => void,
  ): Promise<{ item?: Item; capacity?: DDB.ConsumedCapacity }> {
    const statement = prepared.statement;
    const schema = table.definition.key;
    const key =
      statement.index === undefined ? itemKey(statement.where, schema, prepared.parameters) : undefined;
    if (!key) {
      throw invalid(
        'Select statements within BatchExecuteStatement must specify the primary key in the where clause.',
      );
    }
    validateKey(key, schema);
    running();
    const sort = schema.range ? { operator: 'EQ' as const, values: [key[schema.range.name]!] } : undefined;
    const page = await this.pages.read({
      source: { table },
      range: partitionRange(schema, key[schema.hash.name]!, sort, false),
      select: 'ALL_ATTRIBUTES',
      consistent,
      ...(mode ? { returnConsumedCapacity: mode } : {}),
    });
    const item = page.Items?.[0];
    return {
      ...(item ? { item: projectItem(prepared.projection, item) } : {}),
      ...optional('capacity', page.ConsumedCapacity),
    };
  }

  /** An INSERT, UPDATE or DELETE; `running` is called once the write is checked and about to run. */
  private async write(
    prepared: PreparedWrite,
    table: Table,
    mode: DDB.ReturnConsumedCapacity | undefined,
    returnOnFailure: DDB.ReturnValuesOnConditionCheckFailure | undefined,
    running: () => void = () => undefined,
  ): Promise<{ item?: Item; capacity?: DDB.ConsumedCapacity }> {
    const planned = planWrite(prepared, table);
    const statement = prepared.statement;
    const returning =
      statement.kind === 'update' || statement.kind === 'delete' ? statement.returning : undefined;
    switch (planned.kind) {
      case 'Put': {
        running();
        const outcome = await this.items
          .putChecked(table, planned.put!, { condition: planned.condition, returnOnFailure: undefined })
          .catch((err: unknown) => {
            if (isServiceError(err) && err.code === 'ConditionalCheckFailedException') {
              throw new DuplicateItemException(DUPLICATE_ITEM);
            }
            throw err;
          });
        return optional('capacity', writeCapacity(mode, table, outcome.sizes));
      }
      case 'Update': {
        running();
        const outcome = await this.items.updateChecked(table, planned.keyItem, planned.update, {
          condition: planned.condition,
          returnOnFailure,
        });
        const item = returnedAttributes(returnValue(returning), planned.update, outcome.old, outcome.item!);
        return {
          ...optional('item', item),
          ...optional('capacity', writeCapacity(mode, table, outcome.sizes)),
        };
      }
      case 'Delete': {
        running();
        const outcome = await this.items.deleteChecked(table, planned.keyItem, {
          condition: planned.condition,
          returnOnFailure,
        });
        return {
          ...optional('item', returning ? outcome.old : undefined),
          ...optional('capacity', writeCapacity(mode, table, outcome.sizes)),
        };
      }
      case 'ConditionCheck':
        throw invalid('EXISTS can only be used in ExecuteTransaction write requests.');
    }
  }
}

/** The rows of one partition a SELECT reads, narrowed by its condition on the sort key. */
function partitionRange(
  schema: KeySchema,
  value: AttributeValue,
  sort: ReadPlan['sort'],
  descending: boolean,
): RowRange {
  const partition = { name: schema.hash.name, value };
  return queryRange(
    schema,
    sort && schema.range ? { partition, sort: { name: schema.range.name, ...sort } } : { partition },
    descending,
  );
}

/** `"Table"."Index"`: the index, if the table has it and the read may use it. */
function sourceOf(table: Table, indexName: string | undefined, consistent: boolean): Source {
  if (indexName === undefined) return { table };
  const index = table.definition.indexes.find((candidate) => candidate.name === indexName);
  if (!index) throw invalid('The table does not have the specified index');
  if (index.kind === 'global' && consistent) {
    throw invalid('Strongly consistent read is not supported on Global Secondary Indexes');
  }
  if (index.status === 'CREATING') {
    throw invalid(`Cannot read from backfilling global secondary index: ${indexName}`);
  }
  return { table, index };
}
