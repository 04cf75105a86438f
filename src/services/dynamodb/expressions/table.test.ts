import { describe, expect, it } from 'vitest';
import type { KeySchema } from '../table-schema.js';
import { compileExpressions, type ExpressionRequest } from './compile.js';
import type { ExpressionOperation } from './parameters.js';
import { bindTable, type ExpressionTable } from './table.js';
import { refusal } from './testing/expressions.js';

const HASH: ExpressionTable = { KeySchema: { hash: { name: 'a', type: 'S' } } };
const RANGE: ExpressionTable = {
  KeySchema: {
    hash: { name: 'a', type: 'S' },
    range: { name: 'b', type: 'S' },
  },
  Indexes: [
    { name: 'index1', key: { hash: { name: 'a', type: 'S' }, range: { name: 'c', type: 'S' } } },
    { name: 'index3', key: { hash: { name: 'c', type: 'S' } } },
    { name: 'index4', key: { hash: { name: 'c', type: 'S' }, range: { name: 'd', type: 'S' } } },
  ],
};
const index = (name: string) => RANGE.Indexes!.find((each) => each.name === name)!.key;

function bind(
  operation: ExpressionOperation,
  request: ExpressionRequest,
  table: ExpressionTable,
  queried?: KeySchema,
) {
  return bindTable(compileExpressions(operation, request), table, queried);
}

function bindRefusal(
  operation: ExpressionOperation,
  request: ExpressionRequest,
  table: ExpressionTable,
  queried?: KeySchema,
) {
  return refusal(() => bind(operation, request, table, queried));
}

const S = (S: string) => ({ S });

describe('a key condition against the key schema', () => {
  it.each<[ExpressionRequest, ExpressionTable, string, KeySchema?]>([
    [
      { KeyConditions: { z: { ComparisonOperator: 'NULL' } } },
      HASH,
      'Query condition missed key schema element: a',
    ],
    [
      { KeyConditionExpression: 'z = :a', ExpressionAttributeValues: { ':a': { N: '1' } } },
      HASH,
      'Query condition missed key schema element: a',
    ],
    [
      {
        KeyConditionExpression: 'b between :a and :b',
        ExpressionAttributeValues: { ':a': { N: '1' }, ':b': { N: '1' } },
      },
      RANGE,
      'Query condition missed key schema element: a',
    ],
    [
      {
        KeyConditionExpression: 'a = :a and c = :b',
        ExpressionAttributeValues: { ':a': S('b'), ':b': { N: '1' } },
      },
      RANGE,
      'Query condition missed key schema element: b',
    ],
    [
      {
        KeyConditionExpression: 'c = :a and b = :b',
        ExpressionAttributeValues: { ':a': S('b'), ':b': { N: '1' } },
      },
      RANGE,
      'Query condition missed key schema element: d',
      index('index4'),
    ],
    [
      {
        KeyConditionExpression: 'z between :a and :b',
        ExpressionAttributeValues: { ':a': { N: '1' }, ':b': { N: '1' } },
      },
      RANGE,
      'Query condition missed key schema element: c',
      index('index3'),
    ],
    [
      { KeyConditionExpression: 'a > :a', ExpressionAttributeValues: { ':a': S('1') } },
      HASH,
      'Query key condition not supported',
    ],
    [
      { KeyConditionExpression: ':a >= a', ExpressionAttributeValues: { ':a': S('1') } },
      HASH,
      'Query key condition not supported',
    ],
    [
      { KeyConditionExpression: 'begins_with(a, :a)', ExpressionAttributeValues: { ':a': S('1') } },
      HASH,
      'Query key condition not supported',
    ],
    [
      { KeyConditionExpression: 'a between :a and :a', ExpressionAttributeValues: { ':a': S('1') } },
      HASH,
      'Query key condition not supported',
    ],
    [
      { KeyConditionExpression: 'a = :a AND b = :a', ExpressionAttributeValues: { ':a': S('1') } },
      HASH,
      'Query key condition not supported',
    ],
    [
      { KeyConditionExpression: 'y = :a and z = :a', ExpressionAttributeValues: { ':a': S('1') } },
      HASH,
      'Query key condition not supported',
    ],
    [
      { KeyConditionExpression: 'c > :a', ExpressionAttributeValues: { ':a': S('1') } },
      RANGE,
      'Query key condition not supported',
      index('index3'),
    ],
    [
      { KeyConditions: { a: { ComparisonOperator: 'LE', AttributeValueList: [S('a')] } } },
      HASH,
      'Query key condition not supported',
    ],
    [
      { KeyConditions: { a: { ComparisonOperator: 'NE', AttributeValueList: [{ N: '1' }] } } },
      HASH,
      'Attempted conditional constraint is not an indexable operation',
    ],
    [
      { KeyConditions: { a: { ComparisonOperator: 'IN', AttributeValueList: [S('a')] } } },
      HASH,
      'Attempted conditional constraint is not an indexable operation',
    ],
    [
      {
        KeyConditions: {
          a: { ComparisonOperator: 'EQ', AttributeValueList: [S('b')] },
          b: { ComparisonOperator: 'NOT_NULL' },
        },
      },
      RANGE,
      'Attempted conditional constraint is not an indexable operation',
    ],
    [
      {
        KeyConditions: {
          a: { ComparisonOperator: 'EQ', AttributeValueList: [S('a')] },
          c: { ComparisonOperator: 'NULL' },
        },
      },
      RANGE,
      'Attempted conditional constraint is not an indexable operation',
      index('index1'),
    ],
    [
      { KeyConditionExpression: ':a > a', ExpressionAttributeValues: { ':a': { N: '1' } } },
      HASH,
      'One or more parameter values were invalid: Condition parameter type does not match schema type',
    ],
    [
      { KeyConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': S('') } },
      HASH,
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: a',
    ],
  ])('%j', (request, table, message, queried) => {
    expect(bindRefusal('Query', request, table, queried)).toBe(message);
  });

  it('binds the partition and sort key conditions, with a condition to test items against', () => {
    const bound = bind(
      'Query',
      {
        KeyConditionExpression: ':s <= b AND a = :p',
        ExpressionAttributeValues: { ':p': S('p'), ':s': S('s') },
      },
      RANGE,
    );
    expect(bound.keyCondition).toEqual({
      partition: { name: 'a', value: S('p') },
      sort: { name: 'b', operator: 'GE', values: [S('s')] },
      condition: {
        kind: 'and',
        left: {
          kind: 'comparison',
          comparator: '=',
          left: { kind: 'path', path: ['a'] },
          right: { kind: 'value', value: S('p') },
        },
        right: {
          kind: 'comparison',
          comparator: '>=',
          left: { kind: 'path', path: ['b'] },
          right: { kind: 'value', value: S('s') },
        },
      },
    });
  });

  it("binds an index's key", () => {
    const bound = bind(
      'Query',
      {
        KeyConditions: {
          c: { ComparisonOperator: 'EQ', AttributeValueList: [S('x')] },
          d: { ComparisonOperator: 'BETWEEN', AttributeValueList: [S('a'), S('b')] },
        },
      },
      RANGE,
      index('index4'),
    );
    expect(bound.keyCondition?.partition).toEqual({ name: 'c', value: S('x') });
    expect(bound.keyCondition?.sort).toEqual({ name: 'd', operator: 'BETWEEN', values: [S('a'), S('b')] });
  });

  it('takes the partition key alone', () => {
    const bound = bind(
      'Query',
      { KeyConditionExpression: 'a = :a', ExpressionAttributeValues: { ':a': S('x') } },
      RANGE,
    );
    expect(bound.keyCondition?.sort).toBeUndefined();
  });
});

describe('key attributes elsewhere', () => {
  it.each<[ExpressionOperation, ExpressionRequest, ExpressionTable, string]>([
    [
      'UpdateItem',
      { AttributeUpdates: { a: { Value: S('x') } } },
      HASH,
      'One or more parameter values were invalid: Cannot update attribute a. This attribute is part of the key',
    ],
    [
      'UpdateItem',
      { UpdateExpression: 'add a.b :a', ExpressionAttributeValues: { ':a': { N: '1' } } },
      HASH,
      'One or more parameter values were invalid: Cannot update attribute a. This attribute is part of the key',
    ],
    [
      'UpdateItem',
      { UpdateExpression: 'delete b :a remove a', ExpressionAttributeValues: { ':a': { NS: ['1'] } } },
      HASH,
      'One or more parameter values were invalid: Cannot update attribute a. This attribute is part of the key',
    ],
    [
      'UpdateItem',
      { UpdateExpression: 'set d[1] = :a add b.b :a', ExpressionAttributeValues: { ':a': { N: '1' } } },
      RANGE,
      'One or more parameter values were invalid: Cannot update attribute b. This attribute is part of the key',
    ],
    [
      'UpdateItem',
      { UpdateExpression: 'add d.b :a', ExpressionAttributeValues: { ':a': { N: '1' } } },
      RANGE,
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: d",
    ],
    [
      'UpdateItem',
      { UpdateExpression: 'set e = list_append(a, b), f = d[1]' },
      RANGE,
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: d",
    ],
    [
      'UpdateItem',
      { UpdateExpression: 'set e = a.x' },
      RANGE,
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: a",
    ],
    [
      'Scan',
      { FilterExpression: 'attribute_exists(a.b.c) and #a = b', ExpressionAttributeNames: { '#a': 'a' } },
      HASH,
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: a",
    ],
    [
      'Scan',
      { FilterExpression: 'attribute_exists(#a[0])', ExpressionAttributeNames: { '#a': 'a' } },
      HASH,
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: a",
    ],
    [
      'GetItem',
      { ProjectionExpression: 'x, c.d' },
      RANGE,
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: c",
    ],
    [
      'PutItem',
      { ConditionExpression: 'b[0] = :v', ExpressionAttributeValues: { ':v': S('v') } },
      RANGE,
      "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: b",
    ],
    [
      'Query',
      {
        KeyConditionExpression: 'a = :a',
        FilterExpression: 'b = :a',
        ExpressionAttributeValues: { ':a': S('x') },
      },
      RANGE,
      'Filter Expression can only contain non-primary key attributes: Primary key attribute: b',
    ],
    [
      'Query',
      {
        KeyConditions: { a: { ComparisonOperator: 'EQ', AttributeValueList: [S('x')] } },
        QueryFilter: { b: { ComparisonOperator: 'NULL' } },
      },
      RANGE,
      'QueryFilter can only contain non-primary key attributes: Primary key attribute: b',
    ],
  ])('%s %j', (operation, request, table, message) => {
    expect(bindRefusal(operation, request, table)).toBe(message);
  });

  it("lets a Query on an index filter on the table's sort key", () => {
    expect(() =>
      bind(
        'Query',
        {
          KeyConditionExpression: 'c = :a',
          FilterExpression: 'b = :a',
          ExpressionAttributeValues: { ':a': S('x') },
        },
        RANGE,
        index('index3'),
      ),
    ).not.toThrow();
  });

  it('lets a Scan filter on key attributes', () => {
    expect(() =>
      bind('Scan', { FilterExpression: 'a = :a', ExpressionAttributeValues: { ':a': S('x') } }, RANGE),
    ).not.toThrow();
  });
});
