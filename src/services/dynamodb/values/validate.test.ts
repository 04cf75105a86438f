import { describe, it, expect } from 'vitest';
import type { AttributeValue, Item } from '../attribute-value.js';
import {
  MAX_NESTING_DEPTH,
  ValueError,
  validateExpressionAttributeValues,
  validateItem,
  validateValue,
} from './validate.js';

const bytes = (text: string) => new Uint8Array(Buffer.from(text));
/** A value as a client may send it, not as the type allows. */
const raw = (value: Record<string, unknown>) => value as unknown as AttributeValue;
const nested = (depth: number, leaf: AttributeValue): AttributeValue =>
  depth === 0 ? leaf : { L: [nested(depth - 1, leaf)] };

const INVALID = 'One or more parameter values were invalid: ';
const NESTING =
  'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';

describe('validateValue', () => {
  it.each<[string, AttributeValue, AttributeValue]>([
    ['a string, empty or not', { S: '' }, { S: '' }],
    ['a number, normalized', { N: '1.50' }, { N: '1.5' }],
    ['a binary', { B: bytes('b') }, { B: bytes('b') }],
    ['a BOOL', { BOOL: false }, { BOOL: false }],
    ['a NULL', { NULL: true }, { NULL: true }],
    ['a string set', { SS: ['a', 'b'] }, { SS: ['a', 'b'] }],
    ['a number set, members normalized', { NS: ['1e3', '-0'] }, { NS: ['1000', '0'] }],
    ['a binary set', { BS: [bytes('a'), bytes('b')] }, { BS: [bytes('a'), bytes('b')] }],
    ['an empty list', { L: [] }, { L: [] }],
    ['an empty map', { M: {} }, { M: {} }],
    [
      'numbers inside lists and maps',
      { L: [{ N: '01' }, { M: { x: { NS: ['2.0'] } } }] },
      { L: [{ N: '1' }, { M: { x: { NS: ['2'] } } }] },
    ],
    [
      `a document ${MAX_NESTING_DEPTH} levels deep`,
      nested(MAX_NESTING_DEPTH - 1, { M: {} }),
      nested(MAX_NESTING_DEPTH - 1, { M: {} }),
    ],
  ])('accepts %s', (_, value, expected) => {
    expect(validateValue(value)).toEqual(expected);
  });

  it.each<[string, AttributeValue, string]>([
    [
      'no type',
      raw({}),
      'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    ],
    [
      'only undefined members',
      raw({ S: undefined }),
      'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    ],
    [
      'two types',
      raw({ S: 'a', N: '1' }),
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    ],
    [
      'two types, one a bad number (the number is reported first)',
      raw({ S: 'a', N: 'b' }),
      'The parameter cannot be converted to a numeric value: b',
    ],
    ['an empty number', { N: '' }, 'The parameter cannot be converted to a numeric value'],
    ['a bad number', { N: 'b' }, 'The parameter cannot be converted to a numeric value: b'],
    [
      'too many digits',
      { N: '123456789012345678901234567890123456789' },
      'Attempting to store more than 38 significant digits in a Number',
    ],
    [
      'too large a number',
      { N: '1e126' },
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    ],
    [
      'too small a number',
      { N: '1e-131' },
      'Number underflow. Attempting to store a number with magnitude smaller than supported range',
    ],
    [
      'a false NULL',
      raw({ NULL: false }),
      `${INVALID}Null attribute value types must have the value of true`,
    ],
    ['an empty string set', { SS: [] }, `${INVALID}An string set  may not be empty`],
    ['an empty number set', { NS: [] }, `${INVALID}An number set  may not be empty`],
    ['an empty binary set', { BS: [] }, `${INVALID}Binary sets should not be empty`],
    ['duplicate strings', { SS: ['a', 'a'] }, `${INVALID}Input collection [a, a] contains duplicates.`],
    ['duplicate numbers', { NS: ['1', '1'] }, 'Input collection contains duplicates'],
    ['numbers equal once normalized', { NS: ['1', '1.0'] }, 'Input collection contains duplicates'],
    ['a bad number in a set', { NS: ['1', 'b'] }, 'The parameter cannot be converted to a numeric value: b'],
    [
      'duplicate binaries',
      { BS: [bytes('b'), bytes('b')] },
      `${INVALID}Input collection [Yg==, Yg==]of type BS contains duplicates.`,
    ],
    [
      'a bad value inside a list',
      { L: [{ S: 'a' }, { SS: [] }] },
      `${INVALID}An string set  may not be empty`,
    ],
    [
      'a bad value inside a map',
      { M: { a: { N: 'x' } } },
      'The parameter cannot be converted to a numeric value: x',
    ],
    [`a document ${MAX_NESTING_DEPTH + 1} levels deep`, nested(MAX_NESTING_DEPTH, { S: 'a' }), NESTING],
  ])('refuses %s', (_, value, message) => {
    expect(() => validateValue(value)).toThrow(new ValueError(message));
  });

  it('keeps string set members exact (no normalization)', () => {
    expect(validateValue({ SS: ['1', '1.0'] })).toEqual({ SS: ['1', '1.0'] });
  });
});

describe('validateItem', () => {
  it('returns a normalized copy, leaving the input untouched', () => {
    const item: Item = { id: { S: 'k' }, n: { N: '+5.' } };
    expect(validateItem(item)).toEqual({ id: { S: 'k' }, n: { N: '5' } });
    expect(item.n).toEqual({ N: '+5.' });
  });

  it('keeps an attribute named __proto__ an attribute', () => {
    const item = JSON.parse('{"__proto__": {"N": "1.0"}}') as Item;
    const checked = validateItem(item);
    expect(Object.getPrototypeOf(checked)).toBe(Object.prototype);
    expect(Object.entries(checked)).toEqual([['__proto__', { N: '1' }]]);
  });

  it('refuses the first bad attribute', () => {
    expect(() => validateItem({ a: { S: 'x' }, b: { NS: [] } })).toThrow(
      new ValueError(`${INVALID}An number set  may not be empty`),
    );
  });
});

describe('validateExpressionAttributeValues', () => {
  it('accepts empty strings and normalizes numbers', () => {
    expect(validateExpressionAttributeValues({ ':s': { S: '' }, ':n': { N: '2E1' } })).toEqual({
      ':s': { S: '' },
      ':n': { N: '20' },
    });
  });

  it.each<[string, AttributeValue, string]>([
    [
      'an empty value',
      raw({}),
      'ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key :v',
    ],
    [
      'a bad number',
      { N: 'x' },
      'ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value: x for key :v',
    ],
    [
      'an empty set',
      { SS: [] },
      `ExpressionAttributeValues contains invalid value: ${INVALID}An string set  may not be empty for key :v`,
    ],
    [
      'duplicate numbers',
      { NS: ['1', '01'] },
      'ExpressionAttributeValues contains invalid value: Input collection contains duplicates for key :v',
    ],
    [
      'a false NULL (reported bare)',
      raw({ NULL: false }),
      `${INVALID}Null attribute value types must have the value of true`,
    ],
    ['too deep a document (reported bare)', nested(MAX_NESTING_DEPTH, { S: 'a' }), NESTING],
  ])('refuses %s', (_, value, message) => {
    expect(() => validateExpressionAttributeValues({ ':v': value })).toThrow(new ValueError(message));
  });
});
