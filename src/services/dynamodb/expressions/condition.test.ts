import { describe, expect, it } from 'vitest';
import type { Item } from '../attribute-value.js';
import type { Condition } from './ast.js';
import { compileExpressions } from './compile.js';
import { evaluateCondition } from './condition.js';
import { valuesUsedBy } from './testing/expressions.js';

const bytes = (...values: number[]) => new Uint8Array(values);

/** An item with one attribute of each kind. */
const ITEM: Item = {
  pk: { S: 'key' },
  s: { S: 'hello world' },
  emoji: { S: '😀' },
  n: { N: '10' },
  big: { N: '12345678901234567890123456789012345678' },
  b: { B: bytes(0x01, 0xff, 0x02) },
  yes: { BOOL: true },
  alsoYes: { BOOL: true },
  nothing: { NULL: true },
  ss: { SS: ['a', 'b', 'c'] },
  ns: { NS: ['1', '2.5'] },
  bs: { BS: [bytes(1), bytes(2, 3)] },
  l: { L: [{ S: 'x' }, { N: '2' }, { M: { k: { S: 'v' } } }] },
  m: { M: { a: { N: '1' }, b: { L: [{ S: 'deep' }] }, 'dotted.key': { S: 'ok' } } },
};

const VALUES: Item = {
  ':key': { S: 'key' },
  ':hello': { S: 'hello' },
  ':world': { S: 'world' },
  ':z': { S: 'z' },
  ':bmp': { S: '\uffff' },
  ':ten': { N: '10.00' },
  ':nine': { N: '9' },
  ':eleven': { N: '1.1e1' },
  ':big': { N: '12345678901234567890123456789012345677' },
  ':one': { N: '1' },
  ':two': { N: '2' },
  ':three': { N: '3' },
  ':twelve': { N: '12' },
  ':b01': { B: bytes(0x01) },
  ':b02': { B: bytes(0x02) },
  ':bff': { B: bytes(0xff) },
  ':bffx': { B: bytes(0xff, 0x02) },
  ':true': { BOOL: true },
  ':null': { NULL: true },
  ':ss': { SS: ['c', 'b', 'a'] },
  ':ns': { NS: ['2.50', '1'] },
  ':a': { S: 'a' },
  ':x': { S: 'x' },
  ':list': { L: [{ S: 'x' }, { N: '2.0' }, { M: { k: { S: 'v' } } }] },
  ':map': { M: { k: { S: 'v' } } },
  ':deep': { S: 'deep' },
  ':ok': { S: 'ok' },
  ':tS': { S: 'S' },
  ':tN': { S: 'N' },
  ':tL': { S: 'L' },
  ':tNULL': { S: 'NULL' },
};

function condition(expression: string): Condition {
  const compiled = compileExpressions('Scan', {
    FilterExpression: expression,
    ExpressionAttributeNames: expression.includes('#dotted') ? { '#dotted': 'dotted.key' } : undefined,
    ExpressionAttributeValues: valuesUsedBy(expression, VALUES),
  });
  return compiled.filter as Condition;
}

describe('evaluateCondition', () => {
  it.each([
    // Equality: same type and value; numbers by value, sets in any order, documents deeply.
    ['pk = :key', true],
    ['n = :ten', true],
    ['n = :eleven', false],
    ['n = :key', false],
    ['ss = :ss', true],
    ['ns = :ns', true],
    ['l = :list', true],
    ['l[2] = :map', true],
    ['n <> :nine', true],
    ['n <> :ten', false],
    ['n <> :key', true],
    ['absent = :key', false],
    ['absent <> :key', true],
    // Order: numbers exactly, strings and binaries by unsigned bytes; other types never.
    ['n > :nine', true],
    ['n >= :ten', true],
    ['n < :eleven', true],
    ['big > :big', true],
    ['s < :z', true],
    ['emoji > :bmp', true],
    ['b > :b01', true],
    ['b < :bff', true],
    ['n < :key', false],
    ['yes <= alsoYes', false],
    ['yes = alsoYes', true],
    ['absent < :z', false],
    ['n BETWEEN :nine AND :eleven', true],
    ['n BETWEEN :ten AND :ten', true],
    ['n BETWEEN :eleven AND :twelve', false],
    ['s BETWEEN :hello AND :z', true],
    ['absent BETWEEN :nine AND :eleven', false],
    ['n IN (:one, :ten)', true],
    ['n IN (:one, :two)', false],
    ['absent IN (:one, :two)', false],
    // Functions.
    ['attribute_exists(m.b[0])', true],
    ['attribute_exists(m.b[1])', false],
    ['attribute_exists(s.x)', false],
    ['attribute_not_exists(m.c)', true],
    ['attribute_exists(m.#dotted)', true],
    ['attribute_type(s, :tS)', true],
    ['attribute_type(n, :tS)', false],
    ['attribute_type(l, :tL)', true],
    ['attribute_type(nothing, :tNULL)', true],
    ['attribute_type(absent, :tN)', false],
    ['begins_with(s, :hello)', true],
    ['begins_with(s, :world)', false],
    ['begins_with(b, :b01)', true],
    ['begins_with(b, :bff)', false],
    ['begins_with(n, alsoYes)', false],
    ['begins_with(s, pk)', false],
    ['contains(s, :world)', true],
    ['contains(s, :z)', false],
    ['contains(b, :bffx)', true],
    ['contains(b, :b02)', true],
    ['contains(ss, :a)', true],
    ['contains(ss, :z)', false],
    ['contains(ns, :one)', true],
    ['contains(ss, :one)', false],
    ['contains(l, :x)', true],
    ['contains(l, :two)', true],
    ['contains(l, :map)', true],
    ['contains(l, :z)', false],
    ['contains(absent, :a)', false],
    ['contains(m.b, :deep)', true],
    // size() of strings, binaries, sets, lists and maps; nothing for other types.
    ['size(s) = :eleven', true],
    ['size(emoji) = :two', true],
    ['size(b) = :three', true],
    ['size(ss) = :three', true],
    ['size(bs) = :two', true],
    ['size(l) = :three', true],
    ['size(m) = :three', true],
    ['size(n) = :two', false],
    ['size(absent) = :one', false],
    ['size(absent) <> :one', true],
    ['size(:hello) = size(s)', false],
    // Logic.
    ['NOT absent = :key', true],
    ['pk = :key AND n = :nine', false],
    ['pk = :key OR n = :nine', true],
    ['NOT (pk = :key AND n = :nine)', true],
  ])('%s is %s', (expression, expected) => {
    expect(evaluateCondition(condition(expression), ITEM)).toBe(expected);
  });

  it('treats a absent item as one without attributes', () => {
    expect(evaluateCondition(condition('attribute_not_exists(pk)'), undefined)).toBe(true);
    expect(evaluateCondition(condition('pk = :key'), undefined)).toBe(false);
    expect(evaluateCondition(condition('pk <> :key'), undefined)).toBe(true);
  });
});
