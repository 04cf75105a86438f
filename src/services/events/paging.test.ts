import { describe, expect, it } from 'vitest';
import { afterToken, nextToken, page } from './paging.js';

describe('paging', () => {
  it('hands out a token naming the last item when more follow', () => {
    expect(page(['a', 'b', 'c'], 2, (x) => x)).toEqual({ items: ['a', 'b'], NextToken: nextToken('b') });
    expect(page(['a', 'b'], 2, (x) => x)).toEqual({ items: ['a', 'b'] });
  });

  it('reads a token back, and refuses one it did not hand out', () => {
    expect(afterToken(undefined)).toBe('');
    expect(afterToken(nextToken('rule-7'))).toBe('rule-7');
    expect(() => afterToken('!!')).toThrow('Parameter NextToken is not valid.');
  });
});
