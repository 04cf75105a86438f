import { describe, expect, it } from 'vitest';
import type { AttributeValue } from '../attribute-value.js';
import { checkedParameters, prepare, projectItem, type PreparedSelect } from './prepare.js';
import { refusal } from './testing.js';

const where = (statement: string, parameters: AttributeValue[] = []) => prepare(statement, parameters).where;

describe('WHERE clauses compile to the expression language', () => {
  it.each<[string, unknown]>([
    [
      `a = 1 AND b.c[0] IS MISSING`,
      {
        kind: 'and',
        left: {
          kind: 'comparison',
          comparator: '=',
          left: { kind: 'path', path: ['a'] },
          right: { kind: 'value', value: { N: '1' } },
        },
        right: { kind: 'attribute_not_exists', path: ['b', 'c', 0] },
      },
    ],
    [`a IS NOT MISSING`, { kind: 'attribute_exists', path: ['a'] }],
    [`a IS NULL`, { kind: 'attribute_type', path: ['a'], type: 'NULL' }],
    [`a IS NOT STRING`, { kind: 'not', condition: { kind: 'attribute_type', path: ['a'], type: 'S' } }],
    [
      `"name" != 'x' OR a BETWEEN 1 AND 2.50`,
      {
        kind: 'or',
        left: {
          kind: 'comparison',
          comparator: '<>',
          left: { kind: 'path', path: ['name'] },
          right: { kind: 'value', value: { S: 'x' } },
        },
        right: {
          kind: 'between',
          operand: { kind: 'path', path: ['a'] },
          lower: { kind: 'value', value: { N: '1' } },
          upper: { kind: 'value', value: { N: '2.5' } },
        },
      },
    ],
    [
      `a IN [1, ?]`,
      {
        kind: 'in',
        operand: { kind: 'path', path: ['a'] },
        list: [
          { kind: 'value', value: { N: '1' } },
          { kind: 'value', value: { S: 'p' } },
        ],
      },
    ],
    [
      `BEGINS_WITH(a, 'x') AND contains(s, 1) AND attribute_type(a, 'S') AND size(l) >= 2`,
      {
        kind: 'and',
        left: {
          kind: 'and',
          left: {
            kind: 'and',
            left: {
              kind: 'begins_with',
              operand: { kind: 'path', path: ['a'] },
              prefix: { kind: 'value', value: { S: 'x' } },
            },
            right: {
              kind: 'contains',
              operand: { kind: 'path', path: ['s'] },
              element: { kind: 'value', value: { N: '1' } },
            },
          },
          right: { kind: 'attribute_type', path: ['a'], type: 'S' },
        },
        right: {
          kind: 'comparison',
          comparator: '>=',
          left: { kind: 'size', operand: { kind: 'path', path: ['l'] } },
          right: { kind: 'value', value: { N: '2' } },
        },
      },
    ],
  ])('%s', (condition, expected) => {
    expect(where(`SELECT * FROM T WHERE ${condition}`, [{ S: 'p' }])).toEqual(expected);
  });
});

describe('SET and REMOVE compile to an update', () => {
  it('maps set_add and set_delete to ADD and DELETE, the rest to SET and REMOVE', () => {
    const { update } = prepare(
      `UPDATE T SET n = n - 1 SET s = set_add(s, <<'a'>>), t = SET_DELETE(t, ?) REMOVE l[1] SET m.k = if_not_exists(m.k, 0) WHERE pk = 1`,
      [{ NS: ['2'] }],
    ) as { update: unknown };
    expect(update).toEqual({
      source: 'UpdateExpression',
      actions: [
        {
          action: 'SET',
          path: ['n'],
          value: {
            kind: 'arithmetic',
            operator: '-',
            left: { kind: 'path', path: ['n'] },
            right: { kind: 'value', value: { N: '1' } },
          },
        },
        {
          action: 'SET',
          path: ['m', 'k'],
          value: { kind: 'if_not_exists', path: ['m', 'k'], fallback: { kind: 'value', value: { N: '0' } } },
        },
        { action: 'ADD', path: ['s'], value: { SS: ['a'] } },
        { action: 'DELETE', path: ['t'], value: { NS: ['2'] } },
        { action: 'REMOVE', path: ['l', 1] },
      ],
    });
  });
});

describe('values', () => {
  it('binds literals and parameters to attribute values, numbers canonical', () => {
    const prepared = prepare(
      `INSERT INTO T VALUE {'pk': ?, 'n': 1E3, 'd': -0, 'l': [1.50, 'x'], 'm': {'k': <<2, 1>>}, 'b': FALSE}`,
      [{ B: Buffer.from('hi') }],
    );
    expect(prepared).toMatchObject({
      item: {
        pk: { B: Buffer.from('hi') },
        n: { N: '1000' },
        d: { N: '0' },
        l: { L: [{ N: '1.5' }, { S: 'x' }] },
        m: { M: { k: { NS: ['2', '1'] } } },
        b: { BOOL: false },
      },
    });
  });

  it.each([
    [
      `INSERT INTO T VALUE {'pk': 1e126}`,
      'Number overflow. Attempting to store a number with magnitude larger than supported range under root',
    ],
    [
      `SELECT * FROM T WHERE pk = 1e-131`,
      'Number underflow. Attempting to store a number with magnitude smaller than supported range under root',
    ],
    [
      `INSERT INTO T VALUE {'pk': 1, 'l': [1, 1e126]}`,
      'Number overflow. Attempting to store a number with magnitude larger than supported range under root[1]',
    ],
    [
      `INSERT INTO T VALUE {'pk': 1, 'm': {'x': 123456789012345678901234567890123456789}}`,
      'Attempting to store more than 38 significant digits in a Number under root.x',
    ],
    [`INSERT INTO T VALUE {'pk': 1, 's': <<>>}`, 'Empty bags are not supported'],
    [
      `INSERT INTO T VALUE {'pk': 1, 's': <<1, 'a'>>}`,
      'Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags',
    ],
    [
      `INSERT INTO T VALUE {'pk': 1, 's': <<'a', 'a'>>}`,
      'One or more parameter values were invalid: Input collection [a, a] contains duplicates.',
    ],
    [
      `UPDATE T SET n = <<2, 2.0>> WHERE pk = 1`,
      'One or more parameter values were invalid: Input collection [2, 2.0] contains duplicates! under root',
    ],
    [`UPDATE T SET x = [?] WHERE pk = 1`, 'Unsupported data type: Parameter under key root[0]'],
    [`INSERT INTO T VALUE {'pk': 1, 'm': {'k': ?}}`, 'Unsupported data type: Parameter under key root.k'],
    [
      `INSERT INTO T VALUE {'pk': 1, 'm': {1: 'a'}}`,
      'Tuple keys must be of type String. Actual type: INT under root',
    ],
    [`INSERT INTO T VALUE {'pk': 1, 'pk': 2}`, 'Duplicate keys in tuple. Key: pk under root'],
    [
      `INSERT INTO T VALUE ['pk']`,
      'Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.',
    ],
    [
      `UPDATE T SET d = ${"{'a':".repeat(32)}1${'}'.repeat(32)} WHERE pk = 1`,
      `Nesting Levels have exceeded supported limits under root${'.a'.repeat(32)}`,
    ],
  ])('%s', (statement, message) => {
    expect(refusal(() => prepare(statement, [{ S: 'v' }]))).toBe(message);
  });

  it('refuses a parameter that is not a valid attribute value', () => {
    expect(refusal(() => checkedParameters([{ NULL: false }]))).toBe(
      'One or more parameter values were invalid: Null attribute value types must have the value of true',
    );
    expect(checkedParameters([{ N: '1.0' }])).toEqual([{ N: '1' }]);
  });
});

describe('what a statement cannot say', () => {
  it.each([
    [`SELECT * FROM T WHERE a = ?`, "Number of parameters in request and statement don't match."],
    [
      `SELECT * FROM T WHERE a < TRUE`,
      'Incorrect operand type for operator or function; operator or function: <, operand type: BOOL',
    ],
    [
      `SELECT * FROM T WHERE a BETWEEN 2 AND 1`,
      'The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}',
    ],
    [`SELECT * FROM T WHERE a = MISSING`, 'MISSING must be compared using IS operator'],
    [
      `SELECT * FROM T WHERE a IS INT`,
      'Unsupported data type for IS operator: INT. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]',
    ],
    [`SELECT * FROM T WHERE a`, 'WHERE clause must contain an expression that resolves to a boolean'],
    [`SELECT * FROM T WHERE a = b + 1`, 'Unsupported operator in Condition Expression. Operator: +'],
    [
      `SELECT * FROM T WHERE a IN 1`,
      'IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member',
    ],
    [`SELECT * FROM T WHERE utcnow() = 1`, 'Unrecognized function: utcnow'],
    [
      `SELECT * FROM T WHERE attribute_type(a, 'X')`,
      'Invalid attribute type name found; type: X, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}',
    ],
    [`SELECT a.b, c.b FROM T`, 'Duplicate identifiers in select clause: b'],
    [
      `UPDATE T SET n = 'a' + 1 WHERE pk = 1`,
      'Incorrect operand type for operator or function; operator or function: +, operand type: S',
    ],
    [
      `UPDATE T SET s = set_add(t, <<'x'>>) WHERE pk = 1`,
      'The first argument to SET_ADD must equal the assignment value',
    ],
    [
      `UPDATE T SET s = set_add(s, 'x') WHERE pk = 1`,
      'The second argument to SET_ADD must be a value with type SET',
    ],
    [`UPDATE T SET s = set_delete(s) WHERE pk = 1`, 'SET_DELETE must have exactly two arguments'],
    [`UPDATE T SET s = (a IS NULL) WHERE pk = 1`, 'IS operator is not supported in update expressions'],
    [
      `UPDATE T SET a = 1 SET a = 2 WHERE pk = 1`,
      'Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]',
    ],
    [
      `DELETE FROM T WHERE pk = 1 RETURNING MODIFIED OLD *`,
      'Invalid returning clause: RETURNING MODIFIED OLD *. Only RETURNING ALL OLD * is allowed in DELETE statements.',
    ],
  ])('%s', (statement, message) => {
    expect(refusal(() => prepare(statement, []))).toBe(message);
  });
});

describe('projection', () => {
  it('answers each path under its last name, with the indexes after it', () => {
    const prepared = prepare(`SELECT m.k[1], l[0], m.z, absent FROM T`, []) as PreparedSelect;
    const item = {
      m: { M: { k: { L: [{ S: 'a' }, { S: 'b' }] }, z: { N: '1' } } },
      l: { L: [{ BOOL: true }] },
    };
    expect(projectItem(prepared.projection, item)).toEqual({
      'k[1]': { S: 'b' },
      'l[0]': { BOOL: true },
      z: { N: '1' },
    });
    expect(projectItem(undefined, item)).toBe(item);
  });
});
