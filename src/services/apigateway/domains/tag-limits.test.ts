import { describe, expect, it } from 'vitest';
import { withTags } from './tag-limits.js';

const many = (count: number, prefix = 'k') =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, 'v']));

describe('tag limits', () => {
  it('adds to and replaces the tags a resource has', () => {
    expect(withTags({ a: '1', b: '2' }, { b: '3', c: '' })).toEqual({ a: '1', b: '3', c: '' });
  });

  it('allows 50 tags, replacing one when at the limit, and refuses a 51st', () => {
    expect(Object.keys(withTags(many(49), { extra: 'v' }))).toHaveLength(50);
    expect(withTags(many(50), { k0: 'changed' })['k0']).toBe('changed');
    expect(() => withTags(many(50), { extra: 'v' })).toThrow('A resource can have at most 50 tags');
  });

  it('counts characters, not bytes, against the key and value lengths', () => {
    expect(() => withTags({}, { ['é'.repeat(128)]: 'v'.repeat(256) })).not.toThrow();
    expect(() => withTags({}, { ['k'.repeat(129)]: 'v' })).toThrow('between 1 and 128 characters');
    expect(() => withTags({}, { '': 'v' })).toThrow('between 1 and 128 characters');
    expect(() => withTags({}, { k: 'v'.repeat(257) })).toThrow('at most 256 characters');
  });

  it("refuses keys with AWS's prefix, whatever its case", () => {
    expect(() => withTags({}, { 'AWS:cloudformation:stack-name': 's' })).toThrow('reserved for AWS use');
  });
});
