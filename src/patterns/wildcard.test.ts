import { describe, expect, it } from 'vitest';
import {
  checkWildcard,
  maxComplexity,
  wildcardComplexity,
  WildcardError,
  wildcardMatcher,
} from './wildcard.js';

describe('wildcard values', () => {
  it.each([
    ['a**b', 'Consecutive wildcard characters at pos 2'],
    ['é**', 'Consecutive wildcard characters at pos 3'],
    ['a\\b', 'Invalid escape character at pos 2'],
    ['ab\\', 'Invalid escape character at pos 3'],
    ['\\\\\\*x\\y', 'Invalid escape character at pos 6'],
  ])('refuses %j: %s', (value, reason) => {
    expect(() => checkWildcard(value)).toThrow(new WildcardError(reason));
  });

  it.each([
    ['*.png', ['a.png', '.png'], ['a.png ', 'png']],
    ['a*b*c', ['abc', 'a-b-c', 'aXXbYYc'], ['ab', 'acb']],
    ['\\*\\\\', ['*\\'], ['x\\', '*']],
    ['(a)[b]?', ['(a)[b]?'], ['a[b]', '(a)b']],
    ['*', ['', 'anything\nat all'], []],
  ])('%j matches whole values', (value, yes, no) => {
    const matcher = wildcardMatcher(value);
    for (const s of yes) expect(matcher.test(s), s).toBe(true);
    for (const s of no) expect(matcher.test(s), s).toBe(false);
  });

  it.each([
    [['abc'], 1],
    [['*ab'], 2],
    [['a*b*bb'], 5],
    [['arn:aws:events:us-east-1:*:event-bus/*'], 3],
    [['/Users/*/dir/dir/dir/dir/dir/doc.txt'], 7],
    [['*/datasync/*.bif', '*/datasync/*.tif'], 8],
    [['*:stack/A/*', '*:stack/B/*', '*:stack/C/*'], 9],
    [['*:stack/A/*', '*:stack/B/*', '*:stack/C/*', '*:stack/D/*'], maxComplexity + 1],
    [['*:*:*:*:*:event-bus/*'], maxComplexity + 1],
  ])('complexity of %j (with quotes, as EventBridge reads them) is %i', (values, complexity) => {
    expect(wildcardComplexity(values)).toBe(complexity);
  });
});
