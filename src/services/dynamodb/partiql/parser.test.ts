import { describe, expect, it } from 'vitest';
import type { Expr } from './ast.js';
import { parseStatement } from './parser.js';
import { refusal } from './testing.js';

const path = (...steps: [string, ...(string | number)[]]): Expr => ({ kind: 'path', steps });
const S = (value: string): Expr => ({ kind: 'literal', value: { S: value } });
const N = (value: string): Expr => ({ kind: 'literal', value: { N: value } });

describe('parseStatement', () => {
  it.each<[string, unknown]>([
    [
      `SELECT * FROM "Music" WHERE Artist = 'Acme' AND "Song" > ?`,
      {
        kind: 'select',
        projection: '*',
        table: 'Music',
        where: {
          kind: 'and',
          left: { kind: 'compare', comparator: '=', left: path('Artist'), right: S('Acme') },
          right: {
            kind: 'compare',
            comparator: '>',
            left: path('Song'),
            right: { kind: 'parameter', index: 0 },
          },
        },
        orderBy: [],
      },
    ],
    [
      `select a.b[2], "x.y" from Music."ByYear" where a <> 1 or not b = -2.5e1 order by sk desc, pk`,
      {
        kind: 'select',
        projection: [path('a', 'b', 2), path('x.y')],
        table: 'Music',
        index: 'ByYear',
        where: {
          kind: 'or',
          left: { kind: 'compare', comparator: '<>', left: path('a'), right: N('1') },
          right: {
            kind: 'not',
            operand: { kind: 'compare', comparator: '=', left: path('b'), right: N('-2.5e1') },
          },
        },
        orderBy: [
          { name: 'sk', descending: true },
          { name: 'pk', descending: false },
        ],
      },
    ],
    [
      `INSERT INTO T VALUE {'pk': 'it''s', 'l': [1, TRUE, NULL], 's': <<'a'>>}`,
      {
        kind: 'insert',
        table: 'T',
        item: {
          kind: 'tuple',
          entries: [
            { key: S('pk'), value: S("it's") },
            {
              key: S('l'),
              value: {
                kind: 'list',
                items: [
                  N('1'),
                  { kind: 'literal', value: { BOOL: true } },
                  { kind: 'literal', value: { NULL: true } },
                ],
              },
            },
            { key: S('s'), value: { kind: 'bag', items: [S('a')] } },
          ],
        },
      },
    ],
    [
      `UPDATE T SET a = a + 1, m['k'] = list_append(m.k, [2]) REMOVE x[0] WHERE pk = 'p' RETURNING MODIFIED NEW *`,
      {
        kind: 'update',
        table: 'T',
        clauses: [
          {
            action: 'SET',
            path: path('a'),
            value: { kind: 'arithmetic', operator: '+', left: path('a'), right: N('1') },
          },
          {
            action: 'SET',
            path: path('m', 'k'),
            value: {
              kind: 'call',
              name: 'list_append',
              args: [path('m', 'k'), { kind: 'list', items: [N('2')] }],
            },
          },
          { action: 'REMOVE', path: path('x', 0) },
        ],
        where: { kind: 'compare', comparator: '=', left: path('pk'), right: S('p') },
        returning: 'MODIFIED NEW',
      },
    ],
    [
      `FROM T WHERE pk = 'p' SET a = 1`,
      {
        kind: 'update',
        table: 'T',
        clauses: [{ action: 'SET', path: path('a'), value: N('1') }],
        where: { kind: 'compare', comparator: '=', left: path('pk'), right: S('p') },
      },
    ],
    [
      `DELETE FROM T WHERE pk = 'p' AND a IS NOT MISSING AND b NOT BETWEEN 1 AND 2 AND c IN [1, 2];`,
      {
        kind: 'delete',
        table: 'T',
        where: {
          kind: 'and',
          left: {
            kind: 'and',
            left: {
              kind: 'and',
              left: { kind: 'compare', comparator: '=', left: path('pk'), right: S('p') },
              right: { kind: 'is', operand: path('a'), type: 'MISSING', negated: true },
            },
            right: {
              kind: 'not',
              operand: { kind: 'between', operand: path('b'), lower: N('1'), upper: N('2') },
            },
          },
          right: { kind: 'in', operand: path('c'), list: { kind: 'list', items: [N('1'), N('2')] } },
        },
      },
    ],
    [
      `EXISTS(SELECT * FROM T WHERE pk = 'p' -- a comment\n AND size(a) > /* inline */ 2)`,
      {
        kind: 'exists',
        select: {
          kind: 'select',
          projection: '*',
          table: 'T',
          where: {
            kind: 'and',
            left: { kind: 'compare', comparator: '=', left: path('pk'), right: S('p') },
            right: {
              kind: 'compare',
              comparator: '>',
              left: { kind: 'call', name: 'size', args: [path('a')] },
              right: N('2'),
            },
          },
          orderBy: [],
        },
      },
    ],
  ])('%s', (text, statement) => {
    expect(parseStatement(text).statement).toEqual(statement);
  });

  it('counts the parameters, a ? in a string not among them', () => {
    expect(parseStatement(`SELECT * FROM T WHERE a = ? AND b = '?' AND c IN [?, ?]`).parameterCount).toBe(3);
  });

  it('folds signs into the number after them', () => {
    const where = (
      parseStatement(`SELECT * FROM T WHERE n = - - 1 AND m > -/* c */-2`).statement as { where: Expr }
    ).where;
    expect(where).toMatchObject({ left: { right: N('1') }, right: { right: N('2') } });
  });
});

describe('statements DynamoDB cannot parse', () => {
  const NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: ";
  it.each([
    [`SELECT * FROM T WHERE pk = 1 foo`, `${NOT_WELL_FORMED}Unexpected token after expression`],
    [`SELECT * FROM T WHERE pk = 1 e5`, `${NOT_WELL_FORMED}Unexpected token after expression`],
    [`DELETE FROM T WHERE pk = 1 ORDER BY pk`, `${NOT_WELL_FORMED}Unexpected token after expression`],
    [`SELECT * FROM T ORDER BY pk WHERE pk = 1`, `${NOT_WELL_FORMED}Unexpected token after expression`],
    [`INSERT INTO T t VALUE {'pk': 1}`, `${NOT_WELL_FORMED}Unexpected token after expression`],
    [`FROM T SET c = 1 WHERE pk = 'x'`, `${NOT_WELL_FORMED}Unexpected token after expression`],
    [`SELECT * FROM T WHERE pk = 1 # note`, NOT_WELL_FORMED],
    [`SELECT * FROM T WHERE pk = 1 /* note`, NOT_WELL_FORMED],
    [`SELECT * FROM T WHERE pk = 'open`, NOT_WELL_FORMED],
    [`SELECT * FROM T WHERE`, `${NOT_WELL_FORMED}Unexpected term`],
    [`SELECT * FROM T WHERE;`, `${NOT_WELL_FORMED}Unexpected term`],
    [`SELECT * FROM T WHERE NOT`, `${NOT_WELL_FORMED}Unexpected term`],
    [`SELECT * FROM T WHERE (`, `${NOT_WELL_FORMED}Unexpected term`],
    [`SELECT * FROM`, `${NOT_WELL_FORMED}Unexpected term`],
    [
      `SELECT * FROM T WHERE pk = 'p1' AND`,
      `${NOT_WELL_FORMED}Missing right-hand side expression of infix operator`,
    ],
    [
      `SELECT * FROM T WHERE pk = 'p1' OR`,
      `${NOT_WELL_FORMED}Missing right-hand side expression of infix operator`,
    ],
    [`SELECT * FROM T WHERE ORDER BY pk`, `${NOT_WELL_FORMED}Unexpected keyword`],
    [`SELECT * FROM T WHERE value = 1`, `${NOT_WELL_FORMED}Unexpected keyword`],
    [`SELECT * FROM T WHERE IS NULL`, `${NOT_WELL_FORMED}Unexpected operator`],
    [`SELECT * FROM T WHERE pk = LIKE`, `${NOT_WELL_FORMED}Unexpected operator`],
    [`SELECT * FROM T WHERE pk = 'a' AND x IS FOO`, `${NOT_WELL_FORMED}Expected type name`],
    [`DELETE FROM`, `${NOT_WELL_FORMED}Expected identifier for simple path`],
    [`DELETE FROM WHERE pk = 'a'`, `${NOT_WELL_FORMED}Expected identifier for simple path`],
    [`SLECT * FROM T`, `${NOT_WELL_FORMED}Expected data manipulation`],
    [`SELECT * FROM T t WHERE pk = 'x'`, 'Aliasing is not supported'],
    [`SELECT * FROM T AS t`, 'Aliasing is not supported'],
    [`UPDATE T t SET a = 3 WHERE pk = 'x'`, 'Aliasing is not supported'],
    [`DELETE FROM T t WHERE pk = 'x'`, 'Aliasing is not supported'],
    [`SELECT a, * FROM T`, "Other attributes should not be present in the projection when '*' is used."],
    [`SELECT VALUE a FROM T`, "Select projection doesn't support value or pivot keywords"],
    [`SELECT * FROM a.b.c`, 'A path may contain at most 2 components in the FROM clause'],
    [`SELECT l[-1] FROM T`, 'List index is not within the allowable range; index: [-1]'],
    [`SELECT l[2147483648] FROM T`, 'List index is not within the allowable range; index: [2147483648]'],
    [`SELECT l[*] FROM T`, 'Wildcard path component like a[*].b are not supported'],
    [
      `INSERT INTO T VALUES ({'pk': 1})`,
      'Unsupported operation: Inserting multiple items in a single statement is not supported, use "INSERT INTO tableName VALUE item" instead',
    ],
    [`INSERT INTO T VALUE {'pk': 1} RETURNING ALL OLD *`, 'RETURNING is not supported in INSERT'],
    [
      `DELETE FROM T WHERE pk = 1 RETURNING ALL OLD`,
      "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause",
    ],
    [`SELECT * FROM T WHERE n > -?`, 'Unsupported operation: a sign before a term that is not a number'],
  ])('%s', (statement, message) => {
    expect(refusal(() => parseStatement(statement))).toBe(message);
  });

  it('reads l[-0] as l[0]', () => {
    expect(parseStatement('SELECT l[-0] FROM T').statement).toMatchObject({ projection: [path('l', 0)] });
  });
});
