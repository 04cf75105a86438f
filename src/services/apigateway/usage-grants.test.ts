import { describe, expect, it } from 'vitest';
import { remainingOf } from './usage-grants.js';

describe('remainingOf', () => {
  it('reads replace /remaining, the last one winning', () => {
    expect(
      remainingOf([
        { op: 'replace', path: '/remaining', value: '3' },
        { op: 'replace', path: '/remaining', value: '0' },
      ]),
    ).toBe(0);
  });

  it('refuses other paths and operations, and values that are not counts', () => {
    expect(() => remainingOf([{ op: 'add', path: '/remaining', value: '1' }])).toThrow(
      "Invalid patch path '/remaining' specified for op 'add'",
    );
    expect(() => remainingOf([{ op: 'replace', path: '/used', value: '1' }])).toThrow('Invalid patch path');
    expect(() => remainingOf([{ op: 'replace', path: '/remaining', value: '-1' }])).toThrow(
      'Invalid remaining quota value: -1',
    );
    expect(() => remainingOf([{ op: 'replace', path: '/remaining', value: '1.5' }])).toThrow();
    expect(() => remainingOf([])).toThrow('none specified');
  });
});
