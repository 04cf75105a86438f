import { describe, expect, it } from 'vitest';
import type { Item } from '../attribute-value.js';
import type { DocumentPath } from './ast.js';
import { compileExpressions } from './compile.js';
import { project } from './projection.js';

const S = (S: string) => ({ S });

const ITEM: Item = {
  pk: S('key'),
  a: S('a'),
  m: { M: { x: S('x'), y: { M: { z: S('z'), w: S('w') } }, 'dotted.name': S('d') } },
  l: { L: [S('0'), { M: { k: S('k0'), j: S('j0') } }, S('2'), { M: { k: S('k3') } }] },
  nested: { L: [{ L: [S('00'), S('01')] }, { L: [S('10'), S('11')] }] },
};

function paths(expression: string, names?: Record<string, string>): DocumentPath[] {
  return compileExpressions('GetItem', {
    ProjectionExpression: expression,
    ...(names && { ExpressionAttributeNames: names }),
  }).projection as DocumentPath[];
}

describe('project', () => {
  it.each<[string, Item]>([
    ['pk, a', { pk: S('key'), a: S('a') }],
    ['a, absent', { a: S('a') }],
    ['m.x', { m: { M: { x: S('x') } } }],
    ['m.y.z, m.x', { m: { M: { y: { M: { z: S('z') } }, x: S('x') } } }],
    ['m.absent', {}],
    ['m.x.deeper', {}],
    ['a.b', {}],
    ['l[2]', { l: { L: [S('2')] } }],
    ['l[3], l[0]', { l: { L: [S('0'), { M: { k: S('k3') } }] } }],
    ['l[1].k, l[3].k', { l: { L: [{ M: { k: S('k0') } }, { M: { k: S('k3') } }] } }],
    ['l[0].k, l[9]', {}],
    ['l.k', {}],
    ['nested[1][0], nested[0][1]', { nested: { L: [{ L: [S('01')] }, { L: [S('10')] }] } }],
  ])('%s', (expression, expected) => {
    expect(project(paths(expression), ITEM)).toEqual(expected);
  });

  it('reads names through placeholders', () => {
    expect(project(paths('m.#d', { '#d': 'dotted.name' }), ITEM)).toEqual({
      m: { M: { 'dotted.name': S('d') } },
    });
  });

  it('keeps a whole attribute when one path names it and another names inside it', () => {
    expect(project([['m'], ['m', 'x']], ITEM)).toEqual({ m: ITEM.m });
    expect(project([['m', 'x'], ['m']], ITEM)).toEqual({ m: ITEM.m });
  });

  it('copies what it keeps', () => {
    const projected = project(paths('m'), ITEM);
    expect(projected.m).toEqual(ITEM.m);
    expect(projected.m).not.toBe(ITEM.m);
  });
});
