import { describe, it, expect } from 'vitest';
import type { Item } from '../attribute-value.js';
import { ValueError } from './validate.js';
import type { KeySchema } from '../table-schema.js';
import { validateItemKey, validateKey, type IndexKeySchema } from './validate-key.js';

const hashOnly: KeySchema = { hash: { name: 'pk', type: 'S' } };
const composite: KeySchema = {
  hash: { name: 'pk', type: 'S' },
  range: { name: 'sk', type: 'N' },
};
const binaryKey: KeySchema = { hash: { name: 'id', type: 'B' } };
const indexes: IndexKeySchema[] = [
  { name: 'zeta', key: { hash: { name: 'g', type: 'S' } } },
  {
    name: 'alpha',
    key: { hash: { name: 'g', type: 'S' }, range: { name: 'h', type: 'B' } },
  },
];

const INVALID = 'One or more parameter values were invalid: ';
const MISMATCH = 'The provided key element does not match the schema';
const HASH_TOO_LONG = `${INVALID}Size of hashkey has exceeded the maximum size limit of2048 bytes`;
const RANGE_TOO_LONG = `${INVALID}Aggregated size of all range keys has exceeded the size limit of 1024 bytes`;
const emptyKey = (kind: string, name: string) =>
  `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${kind} value. Key: ${name}`;

describe('validateKey', () => {
  it.each<[string, Item, KeySchema]>([
    ['a partition key', { pk: { S: 'a' } }, hashOnly],
    ['a composite key', { pk: { S: 'a' }, sk: { N: '1' } }, composite],
    ['a 2048-byte partition key', { pk: { S: 'é'.repeat(1024) } }, hashOnly],
    ['a binary key', { id: { B: new Uint8Array(2048) } }, binaryKey],
  ])('accepts %s', (_, key, schema) => {
    expect(() => validateKey(key, schema)).not.toThrow();
  });

  it.each<[string, Item, KeySchema, string]>([
    ['a missing sort key', { pk: { S: 'a' } }, composite, MISMATCH],
    ['an extra attribute', { pk: { S: 'a' }, x: { S: 'b' } }, hashOnly, MISMATCH],
    ['a wrong name', { id: { S: 'a' } }, hashOnly, MISMATCH],
    ['a wrong type', { pk: { N: '1' } }, hashOnly, MISMATCH],
    ['a set', { pk: { SS: ['a'] } }, hashOnly, MISMATCH],
    ['an empty string', { pk: { S: '' } }, hashOnly, emptyKey('string', 'pk')],
    ['an empty binary', { id: { B: new Uint8Array() } }, binaryKey, emptyKey('binary', 'id')],
    ['a partition key over 2048 bytes', { pk: { S: 'é'.repeat(1024) + 'a' } }, hashOnly, HASH_TOO_LONG],
    ['a binary partition key over 2048 bytes', { id: { B: new Uint8Array(2049) } }, binaryKey, HASH_TOO_LONG],
  ])('refuses %s', (_, key, schema, message) => {
    expect(() => validateKey(key, schema)).toThrow(new ValueError(message));
  });

  it('refuses a string sort key over 1024 bytes', () => {
    const schema: KeySchema = { ...composite, range: { name: 'sk', type: 'S' } };
    expect(() => validateKey({ pk: { S: 'a' }, sk: { S: 'x'.repeat(1024) } }, schema)).not.toThrow();
    expect(() => validateKey({ pk: { S: 'a' }, sk: { S: 'x'.repeat(1025) } }, schema)).toThrow(
      new ValueError(RANGE_TOO_LONG),
    );
  });

  it('does not take an inherited property for a key', () => {
    expect(() => validateKey({ constructor: { S: 'a' } }, hashOnly)).toThrow(new ValueError(MISMATCH));
  });
});

describe('validateItemKey', () => {
  it.each<[string, Item]>([
    ['the key and other attributes', { pk: { S: 'a' }, sk: { N: '1' }, x: { S: '' } }],
    ['index keys absent (a sparse index)', { pk: { S: 'a' }, sk: { N: '1' } }],
    [
      'index keys of the right types',
      { pk: { S: 'a' }, sk: { N: '1' }, g: { S: 'x' }, h: { B: new Uint8Array(1) } },
    ],
  ])('accepts %s', (_, item) => {
    expect(() => validateItemKey(item, composite, indexes)).not.toThrow();
  });

  it.each<[string, Item, string]>([
    ['a missing partition key', { sk: { N: '1' } }, `${INVALID}Missing the key pk in the item`],
    ['a missing sort key', { pk: { S: 'a' } }, `${INVALID}Missing the key sk in the item`],
    [
      'a mistyped key',
      { pk: { S: 'a' }, sk: { S: '1' } },
      `${INVALID}Type mismatch for key sk expected: N actual: S`,
    ],
    [
      'a set for a key',
      { pk: { SS: ['a'] }, sk: { N: '1' } },
      `${INVALID}Type mismatch for key pk expected: S actual: SS`,
    ],
    ['an empty string key', { pk: { S: '' }, sk: { N: '1' } }, emptyKey('string', 'pk')],
    ['an oversized key', { pk: { S: 'x'.repeat(2049) }, sk: { N: '1' } }, HASH_TOO_LONG],
    [
      'a mistyped index key (first index by name)',
      { pk: { S: 'a' }, sk: { N: '1' }, g: { N: '1' } },
      `${INVALID}Type mismatch for Index Key g Expected: S Actual: N IndexName: alpha`,
    ],
    [
      'an empty string index key',
      { pk: { S: 'a' }, sk: { N: '1' }, g: { S: '' } },
      'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: alpha, IndexKey: g',
    ],
    [
      'an empty binary index key',
      { pk: { S: 'a' }, sk: { N: '1' }, h: { B: new Uint8Array() } },
      'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty binary value. IndexName: alpha, IndexKey: h',
    ],
  ])('refuses %s', (_, item, message) => {
    expect(() => validateItemKey(item, composite, indexes)).toThrow(new ValueError(message));
  });

  it('checks the table key before any index key', () => {
    expect(() =>
      validateItemKey({ pk: { S: '' }, sk: { N: '1' }, g: { N: '1' } }, composite, indexes),
    ).toThrow(new ValueError(emptyKey('string', 'pk')));
  });
});
