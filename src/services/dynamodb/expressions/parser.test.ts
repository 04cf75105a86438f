import { describe, expect, it } from 'vitest';
import { parseCondition, parseProjection, parseUpdate } from './parser.js';
import { tokenize } from './tokenizer.js';
import { refusal } from './testing/expressions.js';

describe('tokenize', () => {
  it.each([
    [
      'a.b[10] = :v',
      [
        'name:a',
        'punctuation:.',
        'name:b',
        'punctuation:[',
        'index:10',
        'punctuation:]',
        'punctuation:=',
        'attributeValue::v',
      ],
    ],
    ['#n <> :v_1', ['attributeName:#n', 'punctuation:<>', 'attributeValue::v_1']],
    [
      'a <= b >= c < d > e',
      [
        'name:a',
        'punctuation:<=',
        'name:b',
        'punctuation:>=',
        'name:c',
        'punctuation:<',
        'name:d',
        'punctuation:>',
        'name:e',
      ],
    ],
    [
      'between AnD Or nOt IN set remove add delete',
      [
        'keyword:BETWEEN',
        'keyword:AND',
        'keyword:OR',
        'keyword:NOT',
        'keyword:IN',
        'keyword:SET',
        'keyword:REMOVE',
        'keyword:ADD',
        'keyword:DELETE',
      ],
    ],
    ['a[01]', ['name:a', 'punctuation:[', 'index:0', 'index:1', 'punctuation:]']],
    ['_id # : ü 😀', ['invalid:_', 'name:id', 'invalid:#', 'invalid::', 'invalid:ü', 'invalid:😀']],
    ['anderson orange', ['name:anderson', 'name:orange']],
  ])('%s', (text, expected) => {
    const tokens = tokenize(text);
    expect(tokens.at(-1)).toMatchObject({ type: 'end', text: '<EOF>', start: text.length });
    expect(tokens.slice(0, -1).map((token) => `${token.type}:${token.text}`)).toEqual(expected);
  });
});

describe('syntax errors name the token and the text around it', () => {
  it.each([
    // DynamoDB's own answers.
    ['things are not gonna be ok', 'Syntax error; token: "are", near: "things are not"'],
    ['foo', 'Syntax error; token: "<EOF>", near: "foo"'],
    ['contains (themes, :theme', 'Syntax error; token: "<EOF>", near: ":theme"'],
    ['NOT (#attr0)', 'Syntax error; token: "<EOF>", near: ")"'],
    ['!!', 'Syntax error; token: "!", near: "!!"'],
    ['a > 4', 'Syntax error; token: "4", near: "> 4"'],
    ['a > between', 'Syntax error; token: "between", near: "> between"'],
    ['a in b', 'Syntax error; token: "b", near: "in b"'],
    ['a in (b,c,)', 'Syntax error; token: ")", near: ",)"'],
    ['ü > a', 'Syntax error; token: "ü", near: "ü >"'],
    ['(a)', 'Syntax error; token: "<EOF>", near: ")"'],
    ['(a = b) = c', 'Syntax error; token: "=", near: ") = c"'],
    ['a = :v AND', 'Syntax error; token: "<EOF>", near: "AND"'],
    ['a = :v AND b', 'Syntax error; token: "<EOF>", near: "b"'],
    ['a BETWEEN :a OR :b', 'Syntax error; token: "OR", near: ":a OR :b"'],
    ['a = :v trailing  ', 'Syntax error; token: "trailing", near: ":v trailing  "'],
    ['attribute_exists(Pictures-RearView)', 'Syntax error; token: "-", near: "Pictures-RearView"'],
    ['attribute_exists(Pi#ctures.RearView)', 'Syntax error; token: "#ctures", near: "Pi#ctures."'],
    ['attribute_exists(asdf[a])', 'Syntax error; token: "a", near: "[a]"'],
    ['size(a).b > a', 'Syntax error; token: ".", near: ").b"'],
    ['(size(a))[0] > a', 'Syntax error; token: "[", near: ")[0"'],
    ['#$.b > a', 'Syntax error; token: "#", near: "#$"'],
    ['foo()', 'Syntax error; token: ")", near: "()"'],
  ])('condition %j', (text, message) => {
    expect(refusal(() => parseCondition(text))).toBe(message);
  });

  it.each([
    ['INVALID SYNTAX HERE', 'Syntax error; token: "INVALID", near: "INVALID SYNTAX"'],
    ['ADD hits : incr', 'Syntax error; token: ":", near: "hits : incr"'],
    ['ADD numx', 'Syntax error; token: "<EOF>", near: "numx"'],
    ['SET a = :v,', 'Syntax error; token: "<EOF>", near: ","'],
    ['set a', 'Syntax error; token: "<EOF>", near: "a"'],
    ['set a =', 'Syntax error; token: "<EOF>", near: "="'],
    ['set a=set', 'Syntax error; token: "set", near: "=set"'],
    ['remove a = b', 'Syntax error; token: "=", near: "a = b"'],
    ['delete a b', 'Syntax error; token: "b", near: "a b"'],
    ['set :a = b', 'Syntax error; token: ":a", near: "set :a ="'],
    ['set a = b / c', 'Syntax error; token: "/", near: "b / c"'],
    ['set a[1] = 1', 'Syntax error; token: "1", near: "= 1"'],
    ['set a = b + c + d', 'Syntax error; token: "+", near: "c + d"'],
    ['set a = (b.c).d + e', 'Syntax error; token: ".", near: ").d"'],
    ['SET if_not_exist(a, b) = a', 'Syntax error; token: "(", near: "if_not_exist(a"'],
    ['set (a = (b + c))', 'Syntax error; token: "(", near: "set (a"'],
    ['set a = if_not_exists(a, b + c)', 'Syntax error; token: "+", near: "b + c"'],
  ])('update %j', (text, message) => {
    expect(refusal(() => parseUpdate(text))).toBe(message);
  });

  it.each([
    ['a b', 'Syntax error; token: "b", near: "a b"'],
    ['a,', 'Syntax error; token: "<EOF>", near: ","'],
    ['a.:v', 'Syntax error; token: ":v", near: ".:v"'],
    ['a[-1]', 'Syntax error; token: "-", near: "[-1"'],
  ])('projection %j', (text, message) => {
    expect(refusal(() => parseProjection(text))).toBe(message);
  });
});

describe('redundant parentheses are refused as soon as read', () => {
  it.each([
    'a=a and a > ((views))',
    '(a)between(((b.c)).d)and(c)',
    'a > whatever((:things), ((a)))',
    'a=a AND ((a=a AND a=a)) AND a=a',
    'a=a OR ((a=a OR a=a)) OR a=a',
    '((#a = :v))',
    '((((a < b))))',
    // Before the syntax error that follows.
    '((a = :v)) =',
  ])('%s', (text) => {
    expect(refusal(() => parseCondition(text))).toBe('The expression has redundant parentheses;');
  });

  it.each([
    '(attribute_not_exists(pk)) AND (attribute_not_exists(#s))',
    '(attribute_not_exists(pk) AND attribute_not_exists(#s))',
    '(attribute_not_exists(pk) AND (attribute_not_exists(#s)))',
    '(#m = :m) AND ((#t = :a) OR (#t = :b))',
    '(#m = :m) AND (#t = :a OR #t = :b)',
    '(#m = :m) AND (NOT (#s = :s))',
    '((:p1 = :p1 AND :p1 = :p1) AND :p1 = :p1)',
    '(#pk = :pk) AND (#sk = :sk)',
    '(size(b)) = :b AND c = :c',
    '((size(b)) = :b) AND c = :c',
    '(a)between(b)and(c)',
    'NOT NOT a = :v',
    '#a = :b OR (#c = :d AND #e = :f)',
    '(attribute_exists (#0)) AND (((#1 <> :0) AND (#1 <> :1)) AND (#2 = :3))',
    '((#a = :b) OR (#c = :d) AND (#e = :f))',
  ])('accepts %s', (text) => {
    expect(() => parseCondition(text)).not.toThrow();
  });

  it('in updates too', () => {
    expect(refusal(() => parseUpdate('set a = ((b))'))).toBe('The expression has redundant parentheses;');
    expect(() => parseUpdate('set a = ((b.c.d)+(e)), f = (g - :h)')).not.toThrow();
  });
});

describe('what the parser builds', () => {
  it('gives NOT, AND and OR their precedence', () => {
    expect(parseCondition('NOT a = :a AND b = :b OR c = :c')).toEqual({
      kind: 'or',
      left: {
        kind: 'and',
        left: {
          kind: 'not',
          condition: { kind: 'compare', comparator: '=', left: path('a'), right: value(':a') },
        },
        right: { kind: 'compare', comparator: '=', left: path('b'), right: value(':b') },
      },
      right: { kind: 'compare', comparator: '=', left: path('c'), right: value(':c') },
    });
  });

  it('reads BETWEEN before the AND that joins conditions', () => {
    expect(parseCondition('a BETWEEN :a AND :b AND c IN (:c, :d)')).toEqual({
      kind: 'and',
      left: { kind: 'between', operand: path('a'), lower: value(':a'), upper: value(':b') },
      right: { kind: 'in', operand: path('c'), list: [value(':c'), value(':d')] },
    });
  });

  it('reads document paths with placeholders and indexes', () => {
    expect(parseProjection('a.#b[3].c, d')).toEqual([
      {
        kind: 'path',
        steps: [
          { kind: 'name', name: 'a' },
          { kind: 'attributeName', name: '#b' },
          { kind: 'index', text: '3' },
          { kind: 'name', name: 'c' },
        ],
      },
      path('d'),
    ]);
  });

  it('reads every section of an update', () => {
    expect(parseUpdate('SET a = b - :c, d = list_append(d, :e) REMOVE f[1] ADD g :h DELETE i :j')).toEqual([
      {
        section: 'SET',
        actions: [
          {
            action: 'SET',
            path: path('a'),
            value: { kind: 'arithmetic', operator: '-', left: path('b'), right: value(':c') },
          },
          {
            action: 'SET',
            path: path('d'),
            value: { kind: 'call', name: 'list_append', args: [path('d'), value(':e')] },
          },
        ],
      },
      {
        section: 'REMOVE',
        actions: [
          {
            action: 'REMOVE',
            path: {
              kind: 'path',
              steps: [
                { kind: 'name', name: 'f' },
                { kind: 'index', text: '1' },
              ],
            },
          },
        ],
      },
      { section: 'ADD', actions: [{ action: 'ADD', path: path('g'), value: value(':h') }] },
      { section: 'DELETE', actions: [{ action: 'DELETE', path: path('i'), value: value(':j') }] },
    ]);
  });

  it('stops at a thousand nested parentheses instead of overflowing the stack', () => {
    expect(() => parseCondition('NOT ('.repeat(1000) + 'a = :v' + ')'.repeat(1000))).not.toThrow();
    expect(refusal(() => parseCondition('NOT ('.repeat(1001) + 'a = :v' + ')'.repeat(1001)))).toBe(
      'Syntax error; token: "(", near: "NOT (a"',
    );
  });
});

function path(name: string) {
  return { kind: 'path', steps: [{ kind: 'name', name }] };
}

function value(name: string) {
  return { kind: 'value', name };
}
