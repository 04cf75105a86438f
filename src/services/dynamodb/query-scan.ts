/** Query and Scan requests turned into page reads (reads.ts). */
import type * as DDB from '@aws-sdk/client-dynamodb';
import type { RawJson } from '../../protocol/raw-json.js';
import type { RequestContext } from '../service.js';
import type { AttributeValue, Item } from './attribute-value.js';
import { typeOf } from './attribute-value.js';
import type { TableCatalog } from './catalog.js';
import { invalidParameters, ValidationException } from './errors.js';
import type { KeyCondition } from './expressions/index.js';
import { bind, compile, type BoundExpressions } from './expressions-for.js';
import { partitionHash } from './item-store.js';
import {
  checkStartKey,
  selectOf,
  sourceOf,
  type Page,
  type PageReader,
  type PageRequest,
  type RowRange,
  type Source,
} from './reads.js';
import type { KeySchema } from './table-schema.js';
import { encodeKey, prefixUpperBound } from './values/key-encoding.js';
import { compareValues } from './values/compare.js';
import { validateItem } from './values/validate.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

function checkType(key: KeySchema, name: string, value: AttributeValue): void {
  const attribute = key.hash.name === name ? key.hash : key.range;
  if (!attribute || typeOf(value) !== attribute.type) {
    throw invalidParameters('Condition parameter type does not match schema type');
  }
}

const comparators = { EQ: '=', LT: '<', LE: '<=', GT: '>', GE: '>=' } as const;

/** The key condition as a range of rows: one partition, and bounds on the sort key (also PartiQL's SELECT). */
export function queryRange(
  key: KeySchema,
  condition: Pick<KeyCondition, 'partition' | 'sort'>,
  descending: boolean,
): RowRange {
  checkType(key, condition.partition.name, condition.partition.value);
  const pk = encodeKey(condition.partition.value);
  const conditions = ['hash = ?', 'pk = ?'];
  const params: (number | Buffer)[] = [partitionHash(pk), pk];
  const range = condition.sort;
  if (range) {
    for (const value of range.values) checkType(key, range.name, value);
    const [first, second] = range.values.map(encodeKey) as [Buffer, Buffer | undefined];
    switch (range.operator) {
      case 'EQ':
      case 'LT':
      case 'LE':
      case 'GT':
      case 'GE':
        conditions.push(`sk ${comparators[range.operator]} ?`);
        params.push(first);
        break;
      case 'BETWEEN': {
        const [low, high] = range.values as [AttributeValue, AttributeValue];
        if ((compareValues(low, high) ?? 0) > 0) {
          throw new ValidationException(
            `Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {${typeOf(low)}:${String(Object.values(low)[0])}}, upper bound operand: AttributeValue: {${typeOf(high)}:${String(Object.values(high)[0])}}`,
          );
        }
        conditions.push('sk >= ?', 'sk <= ?');
        params.push(first, second!);
        break;
      }
      case 'BEGINS_WITH': {
        const value = range.values[0]!;
        if ('N' in value) {
          throw new ValidationException(
            'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
          );
        }
        conditions.push('sk >= ?');
        params.push(first);
        const upper = prefixUpperBound(first);
        if (upper) {
          conditions.push('sk < ?');
          params.push(upper);
        }
        break;
      }
    }
  }
  return { conditions, params, descending };
}

/** Scan segment i of n: the i-th of n equal ranges of the 32-bit partition hash. */
function segmentRange(segment: number | undefined, total: number | undefined): RowRange {
  if (segment === undefined && total === undefined) return { conditions: [], params: [], descending: false };
  if (total === undefined) {
    throw new ValidationException(
      'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
    );
  }
  if (segment === undefined) {
    throw new ValidationException(
      'The Segment parameter is required but was not present in the request when parameter TotalSegments is present',
    );
  }
  if (segment >= total) {
    throw new ValidationException(
      `The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment} is not less than TotalSegments: ${total}`,
    );
  }
  const span = 2 ** 32;
  return {
    conditions: ['hash >= ?', 'hash < ?'],
    params: [Math.floor((segment * span) / total), Math.floor(((segment + 1) * span) / total)],
    descending: false,
  };
}

export class QueryScan {
  constructor(
    private readonly catalog: TableCatalog,
    private readonly pages: PageReader,
  ) {}

  async query(input: DDB.QueryInput, at: Place): Promise<Page<Item | RawJson>> {
    const compiled = compile('Query', input);
    const table = await this.catalog.require(at, input.TableName!);
    const consistent = input.ConsistentRead ?? false;
    const source = sourceOf(table, input.IndexName, consistent);
    const key = source.index?.key ?? table.definition.key;
    const expressions = bind(compiled, table, key);
    const range = queryRange(key, expressions.keyCondition!, input.ScanIndexForward === false);
    return this.pages.answer(pageRequest(source, range, input, expressions, consistent));
  }

  async scan(input: DDB.ScanInput, at: Place): Promise<Page<Item | RawJson>> {
    const compiled = compile('Scan', input);
    const table = await this.catalog.require(at, input.TableName!);
    const consistent = input.ConsistentRead ?? false;
    const source = sourceOf(table, input.IndexName, consistent);
    const expressions = bind(compiled, table);
    const range = segmentRange(input.Segment, input.TotalSegments);
    return this.pages.answer(pageRequest(source, range, input, expressions, consistent));
  }
}

/** What Query and Scan share: the start key, limit, filter, projection, Select and capacity. */
function pageRequest(
  source: Source,
  range: RowRange,
  input: DDB.QueryInput | DDB.ScanInput,
  expressions: BoundExpressions,
  consistent: boolean,
): PageRequest {
  const start = input.ExclusiveStartKey && validateItem(input.ExclusiveStartKey as Item);
  if (start) checkStartKey(source, start);
  return {
    source,
    range,
    ...(start ? { exclusiveStartKey: start } : {}),
    ...(input.Limit !== undefined ? { limit: input.Limit } : {}),
    ...(expressions.filter ? { filter: expressions.filter } : {}),
    ...(expressions.projection ? { projection: expressions.projection } : {}),
    select: selectOf(source, input.Select, expressions.projection !== undefined),
    consistent,
    ...(input.ReturnConsumedCapacity ? { returnConsumedCapacity: input.ReturnConsumedCapacity } : {}),
  };
}
