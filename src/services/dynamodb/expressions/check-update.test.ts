import { describe, expect, it } from 'vitest';
import type { AttributeValue, Item } from '../attribute-value.js';
import { compileExpressions } from './compile.js';
import { refusal } from './testing/expressions.js';

const bytes = (text: string) => new TextEncoder().encode(text);

function compile(UpdateExpression: string, names?: Record<string, string>, values?: Item) {
  return compileExpressions('UpdateItem', {
    UpdateExpression,
    ...(names && { ExpressionAttributeNames: names }),
    ...(values && { ExpressionAttributeValues: values }),
  });
}

function updateRefusal(expression: string, names?: Record<string, string>, values?: Item): string {
  return refusal(() => compile(expression, names, values)).replace(/^Invalid UpdateExpression: /, '');
}

const VALUES: Item = { ':a': { S: 'a' }, ':b': { S: 'a' } };
const NAMES = { '#a': 'a', '#b': 'b' };

describe('sections', () => {
  it.each([
    ['set a = #c set c = :d', 'SET'],
    ['remove #d set a = b remove e', 'REMOVE'],
    ['add #d :e set a = b add e :f', 'ADD'],
    ['delete #d :e set a = b delete #e :f', 'DELETE'],
  ])('%s', (expression, section) => {
    expect(updateRefusal(expression, NAMES, VALUES)).toBe(
      `The "${section}" section can only be used once in an update expression;`,
    );
  });

  it.each([
    [' set #c = :c set abOrt = true ', 'abOrt'],
    [' remove Absolute ', 'Absolute'],
  ])('reads a section before saying it is repeated: %s', (expression, word) => {
    expect(updateRefusal(expression, NAMES, VALUES)).toBe(
      `Attribute name is a reserved keyword; reserved keyword: ${word}`,
    );
  });

  it.each([
    ['set #c = if_not_exist(:c) set c = d', 'Invalid function name; function: if_not_exist'],
    ['SET a = size(b)', 'The function is not allowed in an update expression; function: size'],
    [
      'SET a = :a REMOVE b SET c = contains(d, :b)',
      'The function is not allowed in an update expression; function: contains',
    ],
  ])('%s', (expression, message) => {
    expect(updateRefusal(expression, NAMES, VALUES)).toBe(message);
  });
});

describe('placeholders', () => {
  it('names, anywhere, before values', () => {
    expect(updateRefusal('SET #c = if_not_exists(:c)', NAMES, VALUES)).toBe(
      'An expression attribute name used in the document path is not defined; attribute name: #c',
    );
    expect(updateRefusal('SET a = :c, b = #c', NAMES, VALUES)).toBe(
      'An expression attribute name used in the document path is not defined; attribute name: #c',
    );
  });

  it('values before operand counts', () => {
    expect(updateRefusal('SET #a = if_not_exists(:c)', NAMES, VALUES)).toBe(
      'An expression attribute value used in expression is not defined; attribute value: :c',
    );
  });
});

describe('paths that clash', () => {
  it.each([
    ['set d[1] = a, d.b = a, c[1].a = a, #c = if_not_exists(a)', '[c, [1], a]', '[c]'],
    ['set #c[3].#d = a, #c[3] = a', '[c, [3], [3]]', '[c, [3]]'],
    ['SET a = :v REMOVE a', '[a]', '[a]'],
    ['SET a.b = :v ADD a :n', '[a, b]', '[a]'],
  ])('%s overlap', (expression, one, two) => {
    expect(
      updateRefusal(expression, { '#c': 'c', '#d': '[3]' }, { ':v': { S: 'v' }, ':n': { N: '1' } }),
    ).toBe(
      `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`,
    );
  });

  it.each([
    ['set #c[3].#d = a, #c.#d[3] = if_not_exists(a)', '[c, [3], [3]]', '[c, [3], [3]]'],
    ['remove a.#c set a[1] = #d', '[a, c]', '[a, [1]]'],
  ])('%s conflict', (expression, one, two) => {
    expect(updateRefusal(expression, { '#b': 'b', '#c': 'c', '#d': '[3]' })).toBe(
      `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${one}, path two: ${two}`,
    );
  });

  it('takes paths apart by an index or a key', () => {
    expect(() =>
      compile('SET a[0] = :v, a[1] = :v, b.c = :v, b.d = :v', undefined, { ':v': { S: 'v' } }),
    ).not.toThrow();
  });
});

describe('ADD and DELETE values', () => {
  it.each<[string, AttributeValue, string, string]>([
    ['set b = list_append(:a, a), c = if_not_exists(a) add a.b :a', { S: 'a' }, 'ADD', 'STRING'],
    ['delete a.b :a', { S: 'a' }, 'DELETE', 'STRING'],
    ['add a.b :a', { NULL: true }, 'ADD', 'NULL'],
    ['delete a.b :a', { NULL: true }, 'DELETE', 'NULL'],
    ['add a.b :a', { BOOL: false }, 'ADD', 'BOOLEAN'],
    ['add a.b :a', { B: bytes('a') }, 'ADD', 'BINARY'],
    ['add a.b :a', { M: { a: { L: [{ N: '1' }] } } }, 'ADD', 'MAP'],
    ['delete a.b :a', { L: [{ N: '1' }] }, 'DELETE', 'LIST'],
    ['delete a.b :a', { N: '1' }, 'DELETE', 'NUMBER'],
  ])('%s with %j', (expression, value, operator, type) => {
    expect(updateRefusal(expression, undefined, { ':a': value, ':b': { S: 'a' } })).toBe(
      `Incorrect operand type for operator or function; operator: ${operator}, operand type: ${type}, typeSet: ALLOWED_FOR_${operator}_OPERAND`,
    );
  });
});

describe('functions and arithmetic', () => {
  it.each([
    ['set a = if_not_exists(c)', 'if_not_exists', 1],
    ['set a = list_append(c)', 'list_append', 1],
    ['set a = list_append(c, d, e)', 'list_append', 3],
  ])('%s', (expression, name, count) => {
    expect(updateRefusal(expression, NAMES, VALUES)).toBe(
      `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${count}`,
    );
  });

  it.each(['set a = if_not_exists(:a, c)', 'set a = if_not_exists(if_not_exists(a, b), c)'])(
    '%s',
    (expression) => {
      expect(updateRefusal(expression, NAMES, VALUES)).toBe(
        'Operator or function requires a document path; operator or function: if_not_exists',
      );
    },
  );

  const VALUES_OF_EACH_TYPE: Item = {
    ':a': { S: 'a' },
    ':b': { N: '1' },
    ':c': { B: bytes('a') },
    ':d': { BOOL: false },
    ':e': { NULL: true },
    ':f': { SS: ['a'] },
    ':g': { NS: ['1'] },
    ':h': { BS: [bytes('a')] },
    ':i': { M: {} },
    ':j': { L: [] },
  };

  it.each([
    ['set a = list_append(:a, a)', 'list_append', 'S'],
    ['set a = list_append(a, :b)', 'list_append', 'N'],
    ['set a = list_append(:c, a)', 'list_append', 'B'],
    ['set a = list_append(:i, a)', 'list_append', 'M'],
    ['set a = list_append(:f, a)', 'list_append', 'SS'],
    ['set a = a + :a', '+', 'S'],
    ['set a = :a + :c', '+', 'S'],
    ['set a = :c + a', '+', 'B'],
    ['set a = a + :d', '+', 'BOOL'],
    ['set a = a + :e', '+', 'NULL'],
    ['set a = a + :g', '+', 'NS'],
    ['set a = a + :j', '+', 'L'],
    ['set a = a - :h', '-', 'BS'],
    ['set a = a - :i', '-', 'M'],
  ])('%s', (expression, operator, type) => {
    expect(updateRefusal(expression, undefined, VALUES_OF_EACH_TYPE)).toBe(
      `Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`,
    );
  });
});

describe('what an update compiles to', () => {
  it('every action, with names and values substituted', () => {
    expect(
      compile(
        'SET #a = if_not_exists(#a, :zero) + :one, l = list_append(l, :list) REMOVE r[2], #m.k ADD n :one, s :set DELETE t :set',
        { '#a': 'count', '#m': 'map' },
        { ':zero': { N: '0' }, ':one': { N: '01' }, ':list': { L: [{ S: 'x' }] }, ':set': { SS: ['y'] } },
      ).update,
    ).toEqual({
      source: 'UpdateExpression',
      actions: [
        {
          action: 'SET',
          path: ['count'],
          value: {
            kind: 'arithmetic',
            operator: '+',
            left: { kind: 'if_not_exists', path: ['count'], fallback: { kind: 'value', value: { N: '0' } } },
            right: { kind: 'value', value: { N: '1' } },
          },
        },
        {
          action: 'SET',
          path: ['l'],
          value: {
            kind: 'list_append',
            first: { kind: 'path', path: ['l'] },
            second: { kind: 'value', value: { L: [{ S: 'x' }] } },
          },
        },
        { action: 'REMOVE', path: ['r', 2] },
        { action: 'REMOVE', path: ['map', 'k'] },
        { action: 'ADD', path: ['n'], value: { N: '1' } },
        { action: 'ADD', path: ['s'], value: { SS: ['y'] } },
        { action: 'DELETE', path: ['t'], value: { SS: ['y'] } },
      ],
    });
  });

  it('accepts parentheses around a value or a sum', () => {
    expect(compile('set a = (b + c), d = ((e.f)+(g))').update?.actions).toEqual([
      {
        action: 'SET',
        path: ['a'],
        value: {
          kind: 'arithmetic',
          operator: '+',
          left: { kind: 'path', path: ['b'] },
          right: { kind: 'path', path: ['c'] },
        },
      },
      {
        action: 'SET',
        path: ['d'],
        value: {
          kind: 'arithmetic',
          operator: '+',
          left: { kind: 'path', path: ['e', 'f'] },
          right: { kind: 'path', path: ['g'] },
        },
      },
    ]);
  });
});
