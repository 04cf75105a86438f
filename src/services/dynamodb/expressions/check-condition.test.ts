import { describe, expect, it } from 'vitest';
import type { AttributeValue, Item } from '../attribute-value.js';
import { compileExpressions } from './compile.js';
import { refusal } from './testing/expressions.js';

const bytes = (text: string) => new TextEncoder().encode(text);

/** The message DynamoDB gives for a Scan with this filter. */
function filterRefusal(FilterExpression: string, names?: Record<string, string>, values?: Item): string {
  const message = refusal(() =>
    compileExpressions('Scan', {
      FilterExpression,
      ...(names && { ExpressionAttributeNames: names }),
      ...(values && { ExpressionAttributeValues: values }),
    }),
  );
  return message.replace(/^Invalid FilterExpression: /, '');
}

describe('function names and places', () => {
  it.each([
    ['a=a and whatever((:things)) > a', 'Invalid function name; function: whatever'],
    ['attRIbute_exIsts((views), #a)', 'Invalid function name; function: attRIbute_exIsts'],
    [
      'a = :v AND if_not_exists(a, :v) = :v',
      'The function is not allowed in a condition expression; function: if_not_exists',
    ],
    [
      'list_append(a, :v) = :v',
      'The function is not allowed in a condition expression; function: list_append',
    ],
  ])('%s', (expression, message) => {
    expect(filterRefusal(expression)).toBe(message);
  });

  it.each([
    ['a=a and attribute_exists((views), (#a)) > b', 'attribute_exists'],
    ['attribute_not_exists(things) > b', 'attribute_not_exists'],
    ['attribute_type(things, :a) > b', 'attribute_type'],
    ['begins_with(things, a) > b', 'begins_with'],
    ['contains(:things, c) > b', 'contains'],
    ['size(contains(a, b)) > a', 'contains'],
    ['size(things)', 'size'],
    ['NOT size(things)', 'size'],
    ['a between b and attribute_exists(things)', 'attribute_exists'],
    ['a in (b, attribute_exists(things))', 'attribute_exists'],
  ])('%s uses %s out of place', (expression, name) => {
    expect(filterRefusal(expression)).toBe(
      `The function is not allowed to be used this way in an expression; function: ${name}`,
    );
  });
});

describe('reserved words and list indexes', () => {
  it.each([
    ['attribute_exists(views, #a)', 'views'],
    [':a < abOrT', 'abOrT'],
    ['status = :s', 'status'],
    ['a.b.Comment = :c', 'Comment'],
  ])('%s', (expression, word) => {
    expect(filterRefusal(expression)).toBe(`Attribute name is a reserved keyword; reserved keyword: ${word}`);
  });

  it('accepts a reserved word as an expression attribute name or a function name', () => {
    expect(() =>
      compileExpressions('Scan', {
        FilterExpression: '#status = :s AND size(a) > :n',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':s': { S: 'x' }, ':n': { N: '1' } },
      }),
    ).not.toThrow();
  });

  it.each([
    ['a[2147483648] = :v', '[2147483648]'],
    ['a[99999999999] = :v', '[99999999999]'],
  ])('%s', (expression, index) => {
    expect(filterRefusal(expression, undefined, { ':v': { N: '1' } })).toBe(
      `List index is not within the allowable range; index: ${index}`,
    );
  });
});

describe('placeholders', () => {
  it.each([
    ['attribute_exists(#Pictures.RearView, :a) and a=a', '#Pictures'],
    ['begins_with(Pictures.#RearView)', '#RearView'],
    ['(#P between :lo and :hi) and (#PC in (:cat1, :cat2))', '#P'],
    ['#4g > a', '#4g'],
    ['#_ > a', '#_'],
    ['(a)between(b.c[45].#d)and(:a)', '#d'],
  ])('%s', (expression, name) => {
    expect(filterRefusal(expression)).toBe(
      `An expression attribute name used in the document path is not defined; attribute name: ${name}`,
    );
  });

  it.each([
    ['begins_with(:hello, #a, #b)', ':hello'],
    [':a < :b', ':a'],
    [':_ > a', ':_'],
  ])('%s', (expression, value) => {
    expect(filterRefusal(expression, { '#a': 'a', '#b': 'b' })).toBe(
      `An expression attribute value used in expression is not defined; attribute value: ${value}`,
    );
  });

  it('refuses a path more than 32 levels deep', () => {
    const path = ['a', ...Array.from({ length: 32 }, (_, i) => `b${i}`)].join('.');
    expect(filterRefusal(`attribute_exists(${path})`)).toBe(
      'The document path has too many nesting levels; nesting levels: 33',
    );
  });
});

describe('operands', () => {
  it.each([
    ['attribute_exists(things, a) and a=a', 'attribute_exists', 2],
    ['attribute_not_exists(things, b)', 'attribute_not_exists', 2],
    ['attribute_type(things)', 'attribute_type', 1],
    ['begins_with(things)', 'begins_with', 1],
    ['begins_with(things, size(a), b)', 'begins_with', 3],
    ['contains(things)', 'contains', 1],
    ['size(things, a) > b', 'size', 2],
  ])('%s', (expression, name, count) => {
    expect(filterRefusal(expression)).toBe(
      `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${count}`,
    );
  });

  it.each<[string, string, AttributeValue, string?]>([
    ['attribute_type(a, size(a)) and a=a and a=:a', 'attribute_type', { N: '1' }, 'N'],
    ['attribute_type(a, :a)', 'attribute_type', { N: '1' }],
    ['attribute_type(a, :a)', 'attribute_type', { B: bytes('a') }],
    ['attribute_type(a, :a)', 'attribute_type', { BOOL: true }],
    ['attribute_type(a, :a)', 'attribute_type', { L: [] }],
    ['attribute_type(a, :a)', 'attribute_type', { SS: ['1'] }],
    ['begins_with(a, size(a)) and a=:a', 'begins_with', { N: '1' }, 'N'],
    ['begins_with(a, :a)', 'begins_with', { N: '1' }],
    ['begins_with(a, :a)', 'begins_with', { M: {} }],
    ['begins_with(:a, a)', 'begins_with', { NULL: true }],
    ['begins_with(:a, a)', 'begins_with', { BS: [bytes('a')] }],
    ['size(size(a)) > :a', 'size', { N: '1' }],
    ['attribute_not_exists(size(:a))', 'size', { N: '1' }],
    ['size(:a) > a', 'size', { BOOL: true }],
    ['size(:a) > a', 'size', { NULL: true }],
    ['a < :a', '<', { BOOL: true }],
    ['a >= :a', '>=', { SS: ['x'] }],
    ['size(a) <= :a', '<=', { M: {} }],
    ['a BETWEEN :a AND :a', 'BETWEEN', { L: [] }],
  ])('%s with %j', (expression, operator, value, type) => {
    expect(filterRefusal(expression, undefined, { ':a': value })).toBe(
      `Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type ?? Object.keys(value)[0]}`,
    );
  });

  it('names every type a path might have when attribute_type is given one', () => {
    expect(filterRefusal('attribute_type(a, b)')).toBe(
      'Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}',
    );
  });

  it('refuses a type name attribute_type does not know', () => {
    expect(filterRefusal('attribute_type(a, :a)', undefined, { ':a': { S: 'FOO' } })).toBe(
      'Invalid attribute type name found; type: FOO, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}',
    );
  });

  it.each([
    ['attribute_exists(:a) and a=a', 'attribute_exists'],
    ['attribute_not_exists(size(:a))', 'attribute_not_exists'],
    ['attribute_type(:a, :a)', 'attribute_type'],
  ])('%s', (expression, name) => {
    expect(filterRefusal(expression, undefined, { ':a': { S: '1' } })).toBe(
      `Operator or function requires a document path; operator or function: ${name}`,
    );
  });

  it.each([
    ['a = a AND #a = b AND :views > a', '=', '[a]'],
    ['#a <> a', '<>', '[a]'],
    ['a > #a', '>', '[a]'],
    ['((a=a) OR (a=a))', '=', '[a]'],
    ['contains(ab.bc[1].a, ab.bc[1].#a)', 'contains', '[ab, bc, [1], a]'],
    ['attribute_type(ab.bc[1].#a, ab.bc[1].a)', 'attribute_type', '[ab, bc, [1], a]'],
    ['begins_with(ab.bc[1].a, ab.bc[1].#a)', 'begins_with', '[ab, bc, [1], a]'],
    ['a BETWEEN b AND #a', 'BETWEEN', '[a]'],
    ['a IN (b, #a)', 'IN', '[a]'],
  ])('%s', (expression, operator, path) => {
    expect(filterRefusal(expression, { '#a': 'a' })).toBe(
      `The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${path}`,
    );
  });

  it('compares two values freely', () => {
    expect(() =>
      compileExpressions('Scan', {
        FilterExpression: ':a > :a',
        ExpressionAttributeValues: { ':a': { N: '1' } },
      }),
    ).not.toThrow();
  });
});

describe('BETWEEN and IN', () => {
  it.each<[AttributeValue, AttributeValue, string]>([
    [
      { N: '1' },
      { S: 'a' },
      'The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}',
    ],
    [
      { S: 'b' },
      { S: 'a' },
      'The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {S:b}, upper bound operand: AttributeValue: {S:a}',
    ],
    [
      { N: '10' },
      { N: '9' },
      'The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:9}',
    ],
    [
      { B: bytes('bb') },
      { B: bytes('a') },
      'The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {B:java.nio.HeapByteBuffer[pos=0 lim=2 cap=2]}, upper bound operand: AttributeValue: {B:java.nio.HeapByteBuffer[pos=0 lim=1 cap=1]}',
    ],
  ])('%j to %j', (lower, upper, message) => {
    expect(filterRefusal('a between :b and :a', undefined, { ':b': lower, ':a': upper })).toBe(message);
  });

  it('takes equal bounds', () => {
    expect(() =>
      compileExpressions('Scan', {
        FilterExpression: 'a between :a and :a',
        ExpressionAttributeValues: { ':a': { N: '1' } },
      }),
    ).not.toThrow();
  });

  it('takes at most 100 operands for IN', () => {
    const values: Item = {};
    for (let i = 0; i < 101; i++) values[`:v${i}`] = { N: String(i) };
    const list = (n: number) => Object.keys(values).slice(0, n).join(', ');
    expect(filterRefusal(`a IN (${list(101)})`, undefined, values)).toBe(
      'The IN operator is provided with too many operands; number of operands: 101',
    );
    const { [':v100']: _, ...hundred } = values;
    expect(() =>
      compileExpressions('Scan', {
        FilterExpression: `a IN (${list(100)})`,
        ExpressionAttributeValues: hundred,
      }),
    ).not.toThrow();
  });

  it('counts at most 300 operators', () => {
    const at = (n: number) => Array.from({ length: n }, () => 'a = :v').join(' OR ');
    expect(filterRefusal(at(151), undefined, { ':v': { N: '1' } })).toBe(
      'The expression contains too many operators; operator count: 301',
    );
    expect(() =>
      compileExpressions('Scan', {
        FilterExpression: at(150),
        ExpressionAttributeValues: { ':v': { N: '1' } },
      }),
    ).not.toThrow();
  });
});

describe('the order DynamoDB reports problems in', () => {
  it.each([
    // A function name before a reserved word inside it, wherever written.
    ['status = :v AND foo(a)', 'Attribute name is a reserved keyword; reserved keyword: status'],
    ['foo(status)', 'Invalid function name; function: foo'],
    // Reserved words before placeholders.
    ['#x = :v AND status = :v', 'Attribute name is a reserved keyword; reserved keyword: status'],
    // Placeholders of an operator's operands before the operator's own rules.
    [
      'attribute_exists(a, #x)',
      'An expression attribute name used in the document path is not defined; attribute name: #x',
    ],
    // The first condition with a problem wins.
    [
      'a = a AND #x = :v',
      'The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]',
    ],
  ])('%s', (expression, message) => {
    expect(filterRefusal(expression)).toBe(message);
  });
});

describe('what a filter compiles to', () => {
  it('substitutes names and values', () => {
    expect(
      compileExpressions('Scan', {
        FilterExpression: '#n.b[2] BETWEEN :lo AND :hi AND NOT contains(#n, :lo) OR size(c) > :hi',
        ExpressionAttributeNames: { '#n': 'name' },
        ExpressionAttributeValues: { ':lo': { N: '1.50' }, ':hi': { N: '2e1' } },
      }).filter,
    ).toEqual({
      kind: 'or',
      left: {
        kind: 'and',
        left: {
          kind: 'between',
          operand: { kind: 'path', path: ['name', 'b', 2] },
          lower: { kind: 'value', value: { N: '1.5' } },
          upper: { kind: 'value', value: { N: '20' } },
        },
        right: {
          kind: 'not',
          condition: {
            kind: 'contains',
            operand: { kind: 'path', path: ['name'] },
            element: { kind: 'value', value: { N: '1.5' } },
          },
        },
      },
      right: {
        kind: 'comparison',
        comparator: '>',
        left: { kind: 'size', operand: { kind: 'path', path: ['c'] } },
        right: { kind: 'value', value: { N: '20' } },
      },
    });
  });

  it('compiles each function to its condition', () => {
    const filter = compileExpressions('Scan', {
      FilterExpression:
        'attribute_exists(a) AND attribute_not_exists(b) AND attribute_type(c, :t) AND begins_with(d, :p)',
      ExpressionAttributeValues: { ':t': { S: 'SS' }, ':p': { S: 'x' } },
    }).filter;
    expect(filter).toEqual({
      kind: 'and',
      left: {
        kind: 'and',
        left: {
          kind: 'and',
          left: { kind: 'attribute_exists', path: ['a'] },
          right: { kind: 'attribute_not_exists', path: ['b'] },
        },
        right: { kind: 'attribute_type', path: ['c'], type: 'SS' },
      },
      right: {
        kind: 'begins_with',
        operand: { kind: 'path', path: ['d'] },
        prefix: { kind: 'value', value: { S: 'x' } },
      },
    });
  });
});
