import { describe, it, expect } from 'vitest';
import type { AttributeValue } from '../attribute-value.js';
import { compareValues } from './compare.js';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('compareValues', () => {
  it.each<[string, AttributeValue, AttributeValue, number]>([
    ['equal strings', { S: 'a' }, { S: 'a' }, 0],
    ['strings by bytes', { S: 'a' }, { S: 'b' }, -1],
    ['a prefix first', { S: 'ab' }, { S: 'a' }, 1],
    ['upper case before lower case', { S: 'Z' }, { S: 'a' }, -1],
    ['strings by UTF-8, not UTF-16 (astral after U+FFFD)', { S: '😀' }, { S: '\uFFFD' }, 1],
    ['numbers by value', { N: '10' }, { N: '9' }, 1],
    ['numbers equal in any notation', { N: '1e1' }, { N: '10.0' }, 0],
    ['negative numbers', { N: '-10' }, { N: '-9' }, -1],
    [
      '38-digit numbers exactly',
      { N: '0.12345678901234567890123456789012345679' },
      { N: '0.12345678901234567890123456789012345678' },
      1,
    ],
    ['binaries by unsigned bytes', { B: bytes(0x80) }, { B: bytes(0x7f) }, 1],
    ['equal binaries', { B: bytes(1, 2) }, { B: bytes(1, 2) }, 0],
    ['an empty binary first', { B: bytes() }, { B: bytes(0) }, -1],
  ])('%s', (_, a, b, expected) => {
    expect(compareValues(a, b)).toBe(expected);
  });

  it.each<[string, AttributeValue, AttributeValue]>([
    ['a string and a number', { S: '1' }, { N: '1' }],
    ['a number and a binary', { N: '1' }, { B: bytes(1) }],
    ['booleans', { BOOL: false }, { BOOL: true }],
    ['sets', { SS: ['a'] }, { SS: ['b'] }],
    ['lists', { L: [] }, { L: [] }],
  ])('does not order %s', (_, a, b) => {
    expect(compareValues(a, b)).toBeUndefined();
  });
});
