import { describe, it, expect } from 'vitest';
import type { AttributeValue, Item } from '../attribute-value.js';
import { MAX_ITEM_SIZE, itemSize, numberSize, valueSize } from './size.js';

const bytes = (length: number) => new Uint8Array(length);

describe('numberSize', () => {
  // Sizes DynamoDB charges, as bisected against its 400 KB limit.
  it.each([
    ['0', 1],
    ['-0', 1],
    ['1', 2],
    ['12', 2],
    ['123', 3],
    ['1234', 3],
    ['12345', 4],
    ['123456789', 6],
    ['1234567890123456789', 11],
    ['12345678901234567890123456789012345678', 20],
    ['0042', 2],
    ['100', 2],
    ['1010', 3],
    ['0.0000001', 2],
    ['1E125', 2],
    ['1E-100', 2],
    ['1.5', 3],
    ['1.200', 3],
    ['1.234', 4],
    ['3.14159', 5],
    ['100.5', 4],
    ['0.15', 2],
    ['15', 2],
    ['-42', 3],
    ['-12345', 5],
    ['-1E125', 3],
    ['-0.15', 3],
  ])('%s takes %d bytes', (text, size) => {
    expect(numberSize(text)).toBe(size);
  });

  it.each([
    ['150', 3],
    ['0.015', 3],
    ['0.0015', 2],
  ])('%s takes %d bytes (digit pairs align on the decimal point)', (text, size) => {
    expect(numberSize(text)).toBe(size);
  });
});

describe('valueSize', () => {
  it.each<[string, AttributeValue, number]>([
    ['an ASCII string', { S: 'hello' }, 5],
    ['an empty string', { S: '' }, 0],
    ['a string in UTF-8 bytes', { S: 'é€😀' }, 2 + 3 + 4],
    ['a binary in raw bytes', { B: bytes(10) }, 10],
    ['a BOOL', { BOOL: true }, 1],
    ['a NULL', { NULL: true }, 1],
    ['a string set', { SS: ['ab', 'é'] }, 4],
    ['a number set', { NS: ['1', '-42'] }, 5],
    ['a binary set', { BS: [bytes(3), bytes(4)] }, 7],
    ['an empty list', { L: [] }, 3],
    ['an empty map', { M: {} }, 3],
    ['a list', { L: [{ S: 'ab' }, { N: '1' }] }, 3 + (1 + 2) + (1 + 2)],
    ['a map', { M: { ab: { S: 'xyz' }, c: { BOOL: false } } }, 3 + (1 + 2 + 3) + (1 + 1 + 1)],
    ['nested documents', { L: [{ M: { a: { L: [] } } }] }, 3 + 1 + (3 + 1 + 1 + 3)],
  ])('%s', (_, value, size) => {
    expect(valueSize(value)).toBe(size);
  });
});

describe('itemSize', () => {
  it('adds each attribute name in UTF-8 to its value', () => {
    const item: Item = { id: { S: 'abc' }, ñ: { N: '12' } };
    expect(itemSize(item)).toBe(2 + 3 + 2 + 2);
  });

  it('measures an empty item as 0', () => {
    expect(itemSize({})).toBe(0);
  });

  it('lets a 400 KB item fill the limit exactly', () => {
    const item: Item = { a: { S: 'k' }, b: { S: 'x'.repeat(MAX_ITEM_SIZE - 3) } };
    expect(itemSize(item)).toBe(MAX_ITEM_SIZE);
  });
});
