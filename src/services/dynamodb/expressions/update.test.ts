import { describe, expect, it } from 'vitest';
import type { Item } from '../attribute-value.js';
import type { Update } from './ast.js';
import { compileExpressions, type ExpressionRequest } from './compile.js';
import { applyUpdate } from './update.js';
import { refusal, valuesUsedBy } from './testing/expressions.js';

const S = (S: string) => ({ S });
const N = (N: string) => ({ N });

function update(UpdateExpression: string, values?: Item, names?: Record<string, string>): Update {
  return compileExpressions('UpdateItem', {
    UpdateExpression,
    ...(values && { ExpressionAttributeValues: values }),
    ...(names && { ExpressionAttributeNames: names }),
  }).update as Update;
}

function legacy(AttributeUpdates: ExpressionRequest['AttributeUpdates']): Update {
  return compileExpressions('UpdateItem', { AttributeUpdates }).update as Update;
}

function updateRefusal(change: Update, item: Item): string {
  return refusal(() => applyUpdate(change, item));
}

describe('SET', () => {
  it('works every value out from the item as it was', () => {
    const item = { pk: S('k'), a: N('1'), b: N('2') };
    expect(applyUpdate(update('SET a = b, b = a'), item)).toEqual({ pk: S('k'), a: N('2'), b: N('1') });
    expect(item).toEqual({ pk: S('k'), a: N('1'), b: N('2') });
  });

  it('adds and subtracts numbers exactly', () => {
    const item = { n: N('0.1'), big: N('99999999999999999999999999999999999998') };
    expect(
      applyUpdate(
        update('SET n = n + :v, big = big + :one, d = :v - n', { ':v': N('0.2'), ':one': N('1') }),
        item,
      ),
    ).toEqual({
      n: N('0.3'),
      big: N('99999999999999999999999999999999999999'),
      d: N('0.1'),
    });
  });

  it('refuses a sum DynamoDB cannot store', () => {
    expect(
      updateRefusal(update('SET n = n + :v', { ':v': N('9.9999999999999999999999999999999999999E+125') }), {
        n: N('9.9999999999999999999999999999999999999E+125'),
      }),
    ).toBe('Number overflow. Attempting to store a number with magnitude larger than supported range');
  });

  it('takes if_not_exists and list_append', () => {
    const item = { l: { L: [S('a')] }, kept: S('kept') };
    expect(
      applyUpdate(
        update(
          'SET l = list_append(:front, l), c = if_not_exists(c, :zero) + :one, kept = if_not_exists(kept, :zero)',
          {
            ':front': { L: [S('z')] },
            ':zero': N('0'),
            ':one': N('1'),
          },
        ),
        item,
      ),
    ).toEqual({ l: { L: [S('z'), S('a')] }, kept: S('kept'), c: N('1') });
  });

  it('sets inside maps and lists, appending past the end of a list in index order', () => {
    const item: Item = {
      a: S('key'),
      b: { M: { a: N('1'), b: N('2'), c: N('3') } },
      c: { L: [N('1'), N('3')] },
    };
    const change = update(
      'set b.c=((c[1])+(b.a)),b.a = a,c[1] = a, c[4] = b.a - b.b, c[2] = b.c add c[8] :b, c[6] :a',
      {
        ':a': N('2'),
        ':b': { SS: ['a'] },
      },
    );
    expect(applyUpdate(change, item)).toEqual({
      a: S('key'),
      b: { M: { a: S('key'), b: N('2'), c: N('4') } },
      c: { L: [N('1'), S('key'), N('3'), N('-1'), N('2'), { SS: ['a'] }] },
    });
  });

  it.each<[string, Item, string]>([
    [
      'SET c = b',
      { a: S('k') },
      'The provided expression refers to an attribute that does not exist in the item',
    ],
    [
      'SET e = list_append(b, c)',
      { a: S('k') },
      'The provided expression refers to an attribute that does not exist in the item',
    ],
    ['SET e = a + :one', { a: S('k') }, 'An operand in the update expression has an incorrect data type'],
    ['SET e = b - :one', { b: { M: {} } }, 'An operand in the update expression has an incorrect data type'],
    [
      'SET e = list_append(d, if_not_exists(f, :l))',
      { d: { NS: ['1'] } },
      'An operand in the update expression has an incorrect data type',
    ],
    [
      'SET b.a = :one',
      { a: S('k') },
      'The document path provided in the update expression is invalid for update',
    ],
    [
      'SET b[1] = :one',
      { a: S('k') },
      'The document path provided in the update expression is invalid for update',
    ],
    [
      'SET b.a = :one',
      { b: S('x') },
      'The document path provided in the update expression is invalid for update',
    ],
    [
      'SET c[1] = :one',
      { c: { M: { 1: S('a') } } },
      'The document path provided in the update expression is invalid for update',
    ],
    [
      'SET d.#1 = :one',
      { d: { L: [S('a')] } },
      'The document path provided in the update expression is invalid for update',
    ],
    [
      'SET x[5].y = :one',
      { x: { L: [] } },
      'The document path provided in the update expression is invalid for update',
    ],
    // A parent of the wrong kind before an operand of the wrong type; that before a missing parent; that before a missing attribute.
    [
      'SET e = a + :one, b.x = :one',
      { a: S('k'), b: S('x') },
      'The document path provided in the update expression is invalid for update',
    ],
    [
      'SET e = a + :one, y.x = :one',
      { a: S('k') },
      'An operand in the update expression has an incorrect data type',
    ],
    [
      'SET e = absent, y.x = :one',
      {},
      'The document path provided in the update expression is invalid for update',
    ],
  ])('%s on %j', (expression, item, message) => {
    const values = valuesUsedBy(expression, { ':one': N('1'), ':l': { L: [] } });
    const names = expression.includes('#1') ? { '#1': '1' } : undefined;
    expect(updateRefusal(update(expression, values, names), item)).toBe(message);
  });
});

describe('REMOVE', () => {
  it('removes attributes, map keys and list elements by their positions before the update', () => {
    const item: Item = {
      a: N('1'),
      l: { L: [S('0'), S('1'), S('2'), S('3')] },
      m: { M: { k: S('v'), j: S('w') } },
    };
    expect(applyUpdate(update('REMOVE a, l[1], l[2], m.k, absent, l[9], m.absent'), item)).toEqual({
      l: { L: [S('0'), S('3')] },
      m: { M: { j: S('w') } },
    });
  });

  it('replaces and removes in one list by the old positions', () => {
    const item: Item = { l: { L: [S('0'), S('1'), S('2')] } };
    expect(
      applyUpdate(update('SET l[2] = :x, l[7] = :y REMOVE l[0]', { ':x': S('x'), ':y': S('y') }), item),
    ).toEqual({
      l: { L: [S('1'), S('x'), S('y')] },
    });
  });

  it.each<[string, Item]>([
    ['REMOVE y.a', {}],
    ['REMOVE y[1]', {}],
    ['REMOVE b.a', { b: S('x') }],
    ['REMOVE c[1]', { c: { M: {} } }],
  ])('%s on %j is invalid for update', (expression, item) => {
    expect(updateRefusal(update(expression), item)).toBe(
      'The document path provided in the update expression is invalid for update',
    );
  });
});

describe('ADD and DELETE', () => {
  it('ADD creates what is missing, adds numbers and unites sets', () => {
    const item: Item = {
      n: N('5'),
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['1'] },
      bs: { BS: [new Uint8Array([1])] },
    };
    expect(
      applyUpdate(
        update('ADD n :n, ss :ss, ns :ns, bs :bs, fresh :n, fresh2 :ss', {
          ':n': N('-7'),
          ':ss': { SS: ['b', 'c'] },
          ':ns': { NS: ['1.0', '2'] },
          ':bs': { BS: [new Uint8Array([1]), new Uint8Array([2])] },
        }),
        item,
      ),
    ).toEqual({
      n: N('-2'),
      ss: { SS: ['a', 'b', 'c'] },
      ns: { NS: ['1', '2'] },
      bs: { BS: [new Uint8Array([1]), new Uint8Array([2])] },
      fresh: N('-7'),
      fresh2: { SS: ['b', 'c'] },
    });
  });

  it('DELETE takes members away, removes an emptied set and ignores a missing one', () => {
    const item: Item = {
      ss: { SS: ['a', 'b', 'c'] },
      ns: { NS: ['1', '2'] },
      m: { M: { s: { SS: ['x'] } } },
    };
    expect(
      applyUpdate(
        update('DELETE ss :ss, ns :ns, m.s :x, absent :x', {
          ':ss': { SS: ['a', 'c', 'z'] },
          ':ns': { NS: ['1', '2.0'] },
          ':x': { SS: ['x'] },
        }),
        item,
      ),
    ).toEqual({
      ss: { SS: ['b'] },
      m: { M: {} },
    });
  });

  it('ADD and DELETE into maps and lists', () => {
    const item: Item = { m: { M: { n: N('1') } }, l: { L: [{ SS: ['a'] }] } };
    expect(
      applyUpdate(
        update('ADD m.n :one, m.added :one DELETE l[0] :a', { ':one': N('1'), ':a': { SS: ['a'] } }),
        item,
      ),
    ).toEqual({
      m: { M: { n: N('2'), added: N('1') } },
      l: { L: [] },
    });
  });

  it.each<[string, Item]>([
    ['delete d :a', { d: { NS: ['1'] } }],
    ['delete b :n', { b: { M: { a: { SS: ['1'] } } } }],
    ['delete c :n', { c: N('1') }],
    ['add b :n', { b: { M: {} } }],
    ['add d :one', { d: { NS: ['1'] } }],
    ['add s :one', { s: S('x') }],
  ])('%s on %j has an incorrect data type', (expression, item) => {
    const values = valuesUsedBy(expression, { ':a': { SS: ['1'] }, ':n': { NS: ['1'] }, ':one': N('1') });
    expect(updateRefusal(update(expression, values), item)).toBe(
      'An operand in the update expression has an incorrect data type',
    );
  });

  it.each<[string, Item]>([
    ['add y.a :n', {}],
    ['delete y[1] :s', {}],
    ['add c[1] :n', { c: { M: {} } }],
    ['delete d.x :s', { d: { L: [] } }],
  ])('%s on %j is invalid for update', (expression, item) => {
    const values = valuesUsedBy(expression, { ':n': N('1'), ':s': { SS: ['a'] } });
    expect(updateRefusal(update(expression, values), item)).toBe(
      'The document path provided in the update expression is invalid for update',
    );
  });
});

describe('AttributeUpdates', () => {
  it('puts, deletes, adds and appends lists', () => {
    const item: Item = { k: S('key'), gone: S('x'), n: N('1'), ss: { SS: ['a', 'b'] }, l: { L: [S('a')] } };
    expect(
      applyUpdate(
        legacy({
          put: { Value: S('v') },
          gone: { Action: 'DELETE' },
          n: { Action: 'ADD', Value: N('4') },
          ss: { Action: 'DELETE', Value: { SS: ['a'] } },
          l: { Action: 'ADD', Value: { L: [S('b')] } },
          newList: { Action: 'ADD', Value: { L: [S('c')] } },
          newSet: { Action: 'ADD', Value: { NS: ['5'] } },
        }),
        item,
      ),
    ).toEqual({
      k: S('key'),
      put: S('v'),
      n: N('5'),
      ss: { SS: ['b'] },
      l: { L: [S('a'), S('b')] },
      newList: { L: [S('c')] },
      newSet: { NS: ['5'] },
    });
  });

  it.each<[ExpressionRequest['AttributeUpdates'], Item]>([
    [{ b: { Action: 'DELETE', Value: { NS: ['1'] } } }, { b: { SS: ['1'] } }],
    [{ c: { Action: 'DELETE', Value: { NS: ['1'] } } }, { c: N('1') }],
    [{ b: { Action: 'ADD', Value: { NS: ['1'] } } }, { b: { SS: ['1'] } }],
    [{ d: { Action: 'ADD', Value: N('1') } }, { d: { NS: ['1'] } }],
    [{ d: { Action: 'ADD', Value: { L: [] } } }, { d: N('1') }],
  ])('%j on %j is a type mismatch', (updates, item) => {
    expect(updateRefusal(legacy(updates), item)).toBe('Type mismatch for attribute to update');
  });
});
