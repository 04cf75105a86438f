import { describe, it, expect } from 'vitest';
import type { AttributeValue } from '../attribute-value.js';
import { decodeKey, encodeKey, prefixUpperBound } from './key-encoding.js';
import { compareNumbers, normalizeNumber } from './numbers.js';

/** A seeded generator, so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** `0.digits × 10^exponent`, over the whole range and precision DynamoDB allows. */
function randomNumber(next: () => number): string {
  if (next() < 0.05) return '0';
  const length = 1 + Math.floor(next() * 38);
  let digits = '';
  for (let i = 0; i < length; i++) digits += String(Math.floor(next() * 10));
  digits = `${1 + Math.floor(next() * 9)}${digits.slice(1)}`;
  const exponent = next() < 0.5 ? Math.floor(next() * 11) - 5 : Math.floor(next() * 256) - 129;
  return `${next() < 0.5 ? '-' : ''}0.${digits}e${exponent}`;
}

describe('encodeKey / decodeKey for numbers', () => {
  it.each([
    ['0', '0'],
    ['-0', '0'],
    ['1', '1'],
    ['-1', '-1'],
    ['1.50', '1.5'],
    ['1e3', '1000'],
    ['-0.000123', '-0.000123'],
    ['12345678901234567890123456789012345678', '12345678901234567890123456789012345678'],
    [
      '9.9999999999999999999999999999999999999E+125',
      normalizeNumber('9.9999999999999999999999999999999999999E+125'),
    ],
    [
      '-9.9999999999999999999999999999999999999E+125',
      normalizeNumber('-9.9999999999999999999999999999999999999E+125'),
    ],
    ['1E-130', normalizeNumber('1E-130')],
    ['-1E-130', normalizeNumber('-1E-130')],
  ])('%s round-trips as %s', (text, normalized) => {
    expect(decodeKey('N', encodeKey({ N: text }))).toEqual({ N: normalized });
  });

  const ordered = [
    '-9.9999999999999999999999999999999999999E+125',
    '-1E+125',
    '-1000',
    '-123',
    '-12.5',
    '-12',
    '-1.2',
    '-1',
    '-0.99',
    '-0.9',
    '-1E-130',
    '0',
    '1E-130',
    '0.9',
    '0.99',
    '1',
    '1.2',
    '12',
    '12.5',
    '123',
    '1000',
    '1E+125',
    '9.9999999999999999999999999999999999999E+125',
  ];

  it('orders the boundaries and prefixes bytewise as numbers', () => {
    const shuffled = [...ordered].reverse();
    const sorted = shuffled.sort((a, b) => Buffer.compare(encodeKey({ N: a }), encodeKey({ N: b })));
    expect(sorted).toEqual(ordered);
  });

  it('agrees with compareNumbers on random numbers of every precision and exponent', () => {
    const next = random(42);
    const generated = Array.from({ length: 1000 }, () => randomNumber(next));
    // Truncations share an exponent and a digit prefix with their source: the hard cases.
    const numbers = [
      ...generated,
      ...generated.map((n) =>
        n.replace(/\.(\d+)/, (_, d: string) => `.${d.slice(0, Math.ceil(d.length / 2))}`),
      ),
    ];
    const byValue = [...numbers].sort(compareNumbers).map(normalizeNumber);
    const byBytes = [...numbers]
      .sort((a, b) => Buffer.compare(encodeKey({ N: a }), encodeKey({ N: b })))
      .map(normalizeNumber);
    expect(byBytes).toEqual(byValue);
    for (const n of numbers) expect(decodeKey('N', encodeKey({ N: n }))).toEqual({ N: normalizeNumber(n) });
  });

  it('encodes equal numbers identically', () => {
    expect(encodeKey({ N: '1.0' })).toEqual(encodeKey({ N: '01' }));
    expect(encodeKey({ N: '-0' })).toEqual(encodeKey({ N: '0' }));
  });
});

describe('encodeKey / decodeKey for strings and binaries', () => {
  it.each<[string, AttributeValue]>([
    ['ASCII', { S: 'abc' }],
    ['multi-byte UTF-8', { S: 'é€' }],
    ['astral-plane characters', { S: '😀𝄞' }],
    ['bytes', { B: new Uint8Array([0, 255, 1]) }],
  ])('round-trips %s', (_, value) => {
    const type = 'S' in value ? 'S' : 'B';
    expect(decodeKey(type, encodeKey(value))).toEqual(value);
  });

  it('orders strings by UTF-8 bytes, not UTF-16 code units', () => {
    const strings = ['😀', '\uFFFD', 'z', 'a', 'é', 'ab', ''];
    const sorted = [...strings].sort((a, b) => Buffer.compare(encodeKey({ S: a }), encodeKey({ S: b })));
    expect(sorted).toEqual(['', 'a', 'ab', 'z', 'é', '\uFFFD', '😀']);
  });

  it('orders binaries by unsigned bytes', () => {
    const values = [[0x80], [0x7f, 0xff], [], [0x00], [0x7f]].map((b) => new Uint8Array(b));
    const sorted = [...values].sort((a, b) => Buffer.compare(encodeKey({ B: a }), encodeKey({ B: b })));
    expect(sorted.map((b) => [...b])).toEqual([[], [0x00], [0x7f], [0x7f, 0xff], [0x80]]);
  });
});

describe('prefixUpperBound', () => {
  it.each<[number[], number[] | undefined]>([
    [[0x61], [0x62]],
    [
      [0x61, 0x62],
      [0x61, 0x63],
    ],
    [[0x61, 0xff], [0x62]],
    [[0x61, 0xff, 0xff], [0x62]],
    [[0xff], undefined],
    [[], undefined],
  ])('%j → %j', (prefix, bound) => {
    const result = prefixUpperBound(Buffer.from(prefix));
    expect(result && [...result]).toEqual(bound);
  });

  it('bounds every string with the prefix and nothing past it', () => {
    const prefix = Buffer.from('ab');
    const bound = prefixUpperBound(prefix) as Buffer;
    for (const inside of ['ab', 'ab\u0000', 'abz', 'ab😀']) {
      expect(Buffer.compare(Buffer.from(inside), bound)).toBe(-1);
    }
    expect(Buffer.compare(Buffer.from('ac'), bound)).toBe(0);
  });
});
