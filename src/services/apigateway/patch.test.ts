import { describe, expect, it } from 'vitest';
import { applyPatch, type PatchRules } from './patch.js';

const rules: PatchRules = {
  '/name': 'string',
  '/enabled': { target: 'boolean', ops: ['replace'] },
  '/requestParameters/*': 'booleanMap',
  '/requestTemplates/*': 'map',
  '/cacheKeyParameters/*': { target: 'list', ops: ['add', 'remove'] },
  '/authorizationScopes': { target: 'values', ops: ['add', 'remove'] },
};

describe('patch operations', () => {
  it('sets booleans in a boolean map and strings in a map, keys unescaped', () => {
    const patched = applyPatch(
      {},
      [
        { op: 'add', path: '/requestParameters/method.request.querystring.q', value: 'true' },
        { op: 'add', path: '/requestTemplates/application~1json', value: '{}' },
      ],
      rules,
    );
    expect(patched).toEqual({
      requestParameters: { 'method.request.querystring.q': true },
      requestTemplates: { 'application/json': '{}' },
    });
  });

  it('adds and removes list items named by the path or given as the value', () => {
    const patched = applyPatch(
      { authorizationScopes: ['a'], cacheKeyParameters: ['x'] },
      [
        { op: 'add', path: '/authorizationScopes', value: 'b' },
        { op: 'remove', path: '/authorizationScopes', value: 'a' },
        { op: 'add', path: '/cacheKeyParameters/y' },
        { op: 'remove', path: '/cacheKeyParameters/x' },
      ],
      rules,
    );
    expect(patched).toEqual({ authorizationScopes: ['b'], cacheKeyParameters: ['y'] });
  });

  it('removes a map entry and drops the map once empty', () => {
    const patched = applyPatch(
      { requestTemplates: { 'text/plain': 'x' } },
      [{ op: 'remove', path: '/requestTemplates/text~1plain' }],
      rules,
    );
    expect(patched).toEqual({});
  });

  it.each([
    [{ op: 'add', path: '/enabled', value: 'true' }, "Invalid patch path '/enabled' specified for op 'add'"],
    [
      { op: 'replace', path: '/cacheKeyParameters/x' },
      "Invalid patch path '/cacheKeyParameters/x' specified for op 'replace'",
    ],
    [{ op: 'replace', path: '/nope', value: 'x' }, "Invalid patch path '/nope' specified for op 'replace'"],
    [
      { op: 'add', path: '/requestParameters/x', value: 'yes' },
      'Invalid boolean value for /requestParameters/x: yes',
    ],
  ] as const)('refuses %j', (operation, message) => {
    expect(() => applyPatch({}, [operation], rules)).toThrow(message);
  });
});
