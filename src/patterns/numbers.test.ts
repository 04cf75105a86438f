import { describe, expect, it } from 'vitest';
import { comparableNumber, NumberError, requireComparable } from './numbers.js';

describe('comparable numbers', () => {
  it.each([
    ['0', 0],
    ['-0', -0],
    ['300', 300],
    ['3.0e2', 300],
    ['300.000', 300],
    ['0.1', 0.1],
    ['-1.5E-7', -1.5e-7],
    ['1e21', 1e21],
    ['9007199254740993', undefined],
    ['0.30000000000000001', undefined],
    ['1e400', undefined],
    ['1e-400', undefined],
  ])('%s reads as %s', (text, value) => {
    expect(comparableNumber(text)).toBe(value);
  });

  it('refuses with EventBridge’s reason', () => {
    expect(() => requireComparable('1e400')).toThrow(new NumberError('Cannot compare number : 1e400'));
  });
});
