import { describe, it, expect } from 'vitest';
import {
  NumberError,
  addNumbers,
  compareNumbers,
  normalizeNumber,
  parseNumber,
  subtractNumbers,
} from './numbers.js';

const OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
const UNDERFLOW =
  'Number underflow. Attempting to store a number with magnitude smaller than supported range';
const PRECISION = 'Attempting to store more than 38 significant digits in a Number';
const MAX = '9.9999999999999999999999999999999999999E+125';
const MAX_PLAIN = '99999999999999999999999999999999999999' + '0'.repeat(88);
const MIN = '1E-130';
const MIN_PLAIN = `0.${'0'.repeat(129)}1`;

describe('normalizeNumber', () => {
  it.each([
    ['0', '0'],
    ['-0', '0'],
    ['+0', '0'],
    ['0.000', '0'],
    ['0e99999999999999999999', '0'],
    ['00012', '12'],
    ['00042', '42'],
    ['+1', '1'],
    ['1e3', '1000'],
    ['1E+3', '1000'],
    ['1.5E2', '150'],
    ['1.50', '1.5'],
    ['3.1400', '3.14'],
    ['1.0', '1'],
    ['.5', '0.5'],
    ['+.5', '0.5'],
    ['5.', '5'],
    ['-5.', '-5'],
    ['1E-5', '0.00001'],
    ['-1.23e-2', '-0.0123'],
    ['123.456e1', '1234.56'],
    ['123.456e-3', '0.123456'],
    ['100', '100'],
    ['1E2', '100'],
    ['1E+100', '1' + '0'.repeat(100)],
    ['12345678901234567890123456789012345678', '12345678901234567890123456789012345678'],
    ['-1.2345678901234567890123456789012345678', '-1.2345678901234567890123456789012345678'],
    ['1234567890123456789012345678901234567800000', '1234567890123456789012345678901234567800000'],
    [MAX, MAX_PLAIN],
    [`-${MAX}`, `-${MAX_PLAIN}`],
    [MIN, MIN_PLAIN],
    ['-1e-130', `-${MIN_PLAIN}`],
    ['0.00000000000000000000000000000000000001', '0.00000000000000000000000000000000000001'],
  ])('%s → %s', (text, expected) => {
    expect(normalizeNumber(text)).toBe(expected);
  });

  it.each([
    ['', 'The parameter cannot be converted to a numeric value'],
    ['b', 'The parameter cannot be converted to a numeric value: b'],
    [' 5', 'The parameter cannot be converted to a numeric value:  5'],
    ['5 ', 'The parameter cannot be converted to a numeric value: 5 '],
    ['.', 'The parameter cannot be converted to a numeric value: .'],
    ['+', 'The parameter cannot be converted to a numeric value: +'],
    ['++5', 'The parameter cannot be converted to a numeric value: ++5'],
    ['1+2', 'The parameter cannot be converted to a numeric value: 1+2'],
    ['1.2.3', 'The parameter cannot be converted to a numeric value: 1.2.3'],
    ['+e2', 'The parameter cannot be converted to a numeric value: +e2'],
    ['e2', 'The parameter cannot be converted to a numeric value: e2'],
    ['1e', 'The parameter cannot be converted to a numeric value: 1e'],
    ['1e+', 'The parameter cannot be converted to a numeric value: 1e+'],
    ['1e2.5', 'The parameter cannot be converted to a numeric value: 1e2.5'],
    ['NaN', 'The parameter cannot be converted to a numeric value: NaN'],
    ['Infinity', 'The parameter cannot be converted to a numeric value: Infinity'],
    ['0x10', 'The parameter cannot be converted to a numeric value: 0x10'],
    ['1_000', 'The parameter cannot be converted to a numeric value: 1_000'],
    ['"42.0"', 'The parameter cannot be converted to a numeric value: "42.0"'],
    ['１', 'The parameter cannot be converted to a numeric value: １'],
    ['123456789012345678901234567890123456789', PRECISION],
    ['-1.23456789012345678901234567890123456789', PRECISION],
    ['1e126', OVERFLOW],
    ['-1e126', OVERFLOW],
    ['1E+126', OVERFLOW],
    ['1e99999999999999999999999', OVERFLOW],
    ['99999999999999999999999999999999999999.5e89', OVERFLOW],
    ['99999999999999999999999999999999999999.5e88', PRECISION],
    ['1e-131', UNDERFLOW],
    ['-1e-131', UNDERFLOW],
    ['0.9e-130', UNDERFLOW],
    ['1e-99999999999999999999999', UNDERFLOW],
  ])('refuses %j: %s', (text, message) => {
    expect(() => normalizeNumber(text)).toThrow(new NumberError(message));
  });

  it('throws NumberError instances', () => {
    expect(() => parseNumber('x')).toThrow(NumberError);
  });
});

describe('parseNumber', () => {
  it.each([
    ['0', { negative: false, digits: '', exponent: 0 }],
    ['-0.0', { negative: false, digits: '', exponent: 0 }],
    ['12', { negative: false, digits: '12', exponent: 2 }],
    ['-0.0012', { negative: true, digits: '12', exponent: -2 }],
    ['1200', { negative: false, digits: '12', exponent: 4 }],
    ['1.5e-3', { negative: false, digits: '15', exponent: -2 }],
  ])('%s', (text, parts) => {
    expect(parseNumber(text)).toEqual(parts);
  });
});

describe('compareNumbers', () => {
  it.each([
    ['1', '2', -1],
    ['2', '1', 1],
    ['1', '1.0', 0],
    ['1e3', '1000', 0],
    ['-0', '0', 0],
    ['-1', '0', -1],
    ['0', '1E-130', -1],
    ['-1E-130', '0', -1],
    ['-2', '-1', -1],
    ['-1', '-1.5', 1],
    ['10', '9', 1],
    ['0.1', '0.09', 1],
    ['1.1', '1.10000000001', -1],
    ['1.2', '1.19999999999999999999999999999999999', 1],
    ['12345678901234567890123456789012345678', '12345678901234567890123456789012345677', 1],
    ['-12345678901234567890123456789012345678', '-12345678901234567890123456789012345677', -1],
    [MAX, '1e125', 1],
    [`-${MAX}`, MIN, -1],
    ['01', '1', 0],
  ])('%s vs %s → %d', (a, b, expected) => {
    expect(compareNumbers(a, b)).toBe(expected);
  });

  it('refuses an invalid operand', () => {
    expect(() => compareNumbers('1', 'x')).toThrow(NumberError);
  });
});

describe('addNumbers and subtractNumbers', () => {
  it.each([
    ['1', '2', '3'],
    ['0.1', '0.2', '0.3'],
    ['1.5', '1.5', '3'],
    ['-1', '1', '0'],
    ['-5', '3', '-2'],
    ['1e3', '1', '1001'],
    ['0.3', '-0.1', '0.2'],
    ['100000000000000000000.00000001', '-1', '99999999999999999999.00000001'],
    ['9007199254740992', '1', '9007199254740993'],
    ['99999999999999999999999999999999999998', '1', '99999999999999999999999999999999999999'],
    ['1e125', '1e125', '2' + '0'.repeat(125)],
    [MIN, MIN, `0.${'0'.repeat(129)}2`],
    [MIN, `-${MIN}`, '0'],
  ])('%s + %s = %s', (a, b, expected) => {
    expect(addNumbers(a, b)).toBe(expected);
  });

  it.each([
    ['3', '1', '2'],
    ['1', '3', '-2'],
    ['0.3', '0.1', '0.2'],
    ['-1', '-1', '0'],
    ['1', '-1', '2'],
    ['1e-5', '1e-6', '0.000009'],
  ])('%s - %s = %s', (a, b, expected) => {
    expect(subtractNumbers(a, b)).toBe(expected);
  });

  it.each([
    [MAX, '1e88', OVERFLOW],
    [`-${MAX}`, '-1e88', OVERFLOW],
    ['99999999999999999999999999999999999999', '1', '100000000000000000000000000000000000000'],
    ['99999999999999999999999999999999999999', '0.1', PRECISION],
    ['1', MIN, PRECISION],
    ['1.5e-130', '-1e-130', UNDERFLOW],
  ])('%s + %s is checked like a stored number', (a, b, outcome) => {
    if (/^\d+$/.test(outcome)) expect(addNumbers(a, b)).toBe(outcome);
    else expect(() => addNumbers(a, b)).toThrow(new NumberError(outcome));
  });

  it('refuses an invalid operand', () => {
    expect(() => addNumbers('1', '')).toThrow(
      new NumberError('The parameter cannot be converted to a numeric value'),
    );
  });
});
