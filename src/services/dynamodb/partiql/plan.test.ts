import { describe, expect, it } from 'vitest';
import type { AttributeValue } from '../attribute-value.js';
import type { KeySchema } from '../table-schema.js';
import type { Expr, SelectStatement } from './ast.js';
import { conditionCheckTarget, itemKey, readPlan, writeTarget } from './plan.js';
import { parseStatement } from './parser.js';
import { refusal } from './testing.js';

const schema: KeySchema = { hash: { name: 'pk', type: 'S' }, range: { name: 'sk', type: 'N' } };
const hashOnly: KeySchema = { hash: { name: 'id', type: 'N' } };

const select = (where: string): SelectStatement =>
  parseStatement(`SELECT * FROM T ${where}`).statement as SelectStatement;
const condition = (where: string): Expr | undefined => select(`WHERE ${where}`).where;

describe('writeTarget: the key of an UPDATE or DELETE', () => {
  it.each<[string, Record<string, AttributeValue>, boolean]>([
    [`pk = 'a' AND sk = 1`, { pk: { S: 'a' }, sk: { N: '1' } }, false],
    [`1 = sk AND (pk = 'a' AND x > 2)`, { pk: { S: 'a' }, sk: { N: '1' } }, true],
    [`pk = 'a' AND sk = 1 AND pk = 'a'`, { pk: { S: 'a' }, sk: { N: '1' } }, false],
    [`pk = ? AND sk = 1.0`, { pk: { S: 'p' }, sk: { N: '1' } }, false],
  ])('%s', (where, key, hasRest) => {
    const target = writeTarget(condition(where), schema, [{ S: 'p' }]);
    expect(target.key).toEqual(key);
    expect(target.rest !== undefined).toBe(hasRest);
  });

  it.each([
    [`pk = 'a'`, 'Where clause does not contain a mandatory equality on all key attributes'],
    [`pk = 'a' AND sk > 1`, 'Where clause does not contain a mandatory equality on all key attributes'],
    [`pk = 'a' OR sk = 1`, 'Where clause does not contain a mandatory equality on all key attributes'],
    [
      `pk = 'a' AND sk = 1 AND pk = 'b'`,
      'Multiple conditions on same key pk. Only single item Update/Insert/Delete are supported',
    ],
  ])('%s', (where, message) => {
    expect(refusal(() => writeTarget(condition(where), schema, []))).toBe(message);
  });
});

describe('itemKey: a batch or transaction SELECT names one item by its key alone', () => {
  it.each<[string, Record<string, AttributeValue> | undefined]>([
    [`pk = 'a' AND sk = 1`, { pk: { S: 'a' }, sk: { N: '1' } }],
    [`pk IN ['a'] AND sk IN [1]`, { pk: { S: 'a' }, sk: { N: '1' } }],
    [`(sk = 1) AND pk = 'a' AND pk = 'a'`, { pk: { S: 'a' }, sk: { N: '1' } }],
    [`pk = 'a' AND sk = 1 AND x = 2`, undefined],
    [`pk = 'a' AND sk = 1 AND pk = 'b'`, undefined],
    [`pk IN ['a', 'b'] AND sk = 1`, undefined],
    [`pk = 'a'`, undefined],
  ])('%s', (where, key) => {
    expect(itemKey(condition(where), schema, [])).toEqual(key);
  });
});

describe('conditionCheckTarget: EXISTS names one item and adds a condition', () => {
  it('takes the first equality on each key attribute, the rest is the condition', () => {
    const target = conditionCheckTarget(
      condition(`pk = 'a' AND sk = 1 AND pk = 'b' AND x IS MISSING`),
      schema,
      [],
    );
    expect(target.key).toEqual({ pk: { S: 'a' }, sk: { N: '1' } });
    expect(target.rest).toMatchObject({ kind: 'and', left: { kind: 'compare' }, right: { kind: 'is' } });
  });

  it.each([`pk = 'a' AND sk = 1`, `pk IN ['a'] AND sk = 1 AND x = 1`])('%s', (where) => {
    expect(refusal(() => conditionCheckTarget(condition(where), schema, []))).toBe(
      'EXISTS() must contain a single item read with additional condition',
    );
  });
});

describe('readPlan: a Query of each partition named, or a Scan', () => {
  it.each<[string, KeySchema, unknown]>([
    [`WHERE x = 1`, schema, { descending: false }],
    [`WHERE pk > 'a'`, schema, { descending: false }],
    [`WHERE pk = 'a' OR x = 1`, schema, { descending: false }],
    [`WHERE pk = 'a'`, schema, { partitions: [{ S: 'a' }], descending: false }],
    [
      `WHERE x = 1 AND 'a' = pk AND 3 > sk`,
      schema,
      { partitions: [{ S: 'a' }], sort: { operator: 'LT', values: [{ N: '3' }] }, descending: false },
    ],
    [
      `WHERE pk = 'a' AND sk BETWEEN 1 AND 5 ORDER BY sk DESC`,
      schema,
      {
        partitions: [{ S: 'a' }],
        sort: { operator: 'BETWEEN', values: [{ N: '1' }, { N: '5' }] },
        descending: true,
      },
    ],
    [
      `WHERE pk IN ['b', 'a'] ORDER BY pk`,
      schema,
      { partitions: [{ S: 'a' }, { S: 'b' }], descending: false },
    ],
    [
      `WHERE pk = 'b' OR pk = 'a' ORDER BY pk DESC, sk`,
      schema,
      { partitions: [{ S: 'b' }, { S: 'a' }], descending: false },
    ],
    [
      `WHERE id IN [3, 1, 2]`,
      hashOnly,
      { partitions: [{ N: '3' }, { N: '1' }, { N: '2' }], descending: false },
    ],
  ])('%s', (where, keySchema, plan) => {
    expect(readPlan(select(where), keySchema, [])).toEqual(plan);
  });

  it('reads begins_with on a string sort key as a range', () => {
    const stringSort: KeySchema = { hash: { name: 'pk', type: 'S' }, range: { name: 'sk', type: 'S' } };
    expect(readPlan(select(`WHERE pk = 'a' AND begins_with(sk, 'x')`), stringSort, []).sort).toEqual({
      operator: 'BEGINS_WITH',
      values: [{ S: 'x' }],
    });
  });

  it.each([
    [`WHERE pk = 1`, "Key attribute's data type should match its data type in table's schema: Key pk"],
    [
      `WHERE pk = 1 OR pk = 'a'`,
      "Key attribute's data type should match its data type in table's schema: Key pk",
    ],
    [
      `WHERE pk = 'a' AND sk IN [1, 'x']`,
      "Key attribute's data type should match its data type in table's schema: Key sk",
    ],
    [`WHERE pk IN ['a', 'a']`, 'Overlapping conditions with range keys are not supported in where clause'],
    [`ORDER BY sk`, 'Must have WHERE clause in the statement when using ORDER BY clause.'],
    [`WHERE pk = 'a' ORDER BY x`, 'Attribute x in ORDER BY clause must be part of the primary key'],
    [
      `WHERE pk > 'a' ORDER BY sk`,
      'Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.',
    ],
    [
      `WHERE pk IN ['a', 'b'] ORDER BY sk DESC`,
      'Must have hash key in ORDER BY clause when more than one hash key condition specified in WHERE clause.',
    ],
  ])('%s', (where, message) => {
    expect(refusal(() => readPlan(select(where), schema, []))).toBe(message);
  });
});
