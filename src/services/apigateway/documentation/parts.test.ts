import { describe, expect, it } from 'vitest';
import { importedParts, partMatches } from './parts.js';

describe('partMatches', () => {
  const part = { id: 'a', location: { type: 'QUERY_PARAMETER' as const, path: '/pets', name: 'limit' } };

  it('filters by type, name prefix and exact path', () => {
    expect(partMatches(part, { restApiId: 'x' })).toBe(true);
    expect(
      partMatches(part, { restApiId: 'x', type: 'QUERY_PARAMETER', nameQuery: 'li', path: '/pets' }),
    ).toBe(true);
    expect(partMatches(part, { restApiId: 'x', type: 'MODEL' })).toBe(false);
    expect(partMatches(part, { restApiId: 'x', path: '/pet' })).toBe(false);
    expect(partMatches(part, { restApiId: 'x', locationStatus: 'UNDOCUMENTED' })).toBe(false);
  });
});

describe('importedParts', () => {
  it('reads the extension from JSON or YAML, none when it is absent', () => {
    expect(
      importedParts(
        'openapi: 3.0.1\nx-amazon-apigateway-documentation:\n  documentationParts:\n    - location: {type: API}\n      properties: {description: d}\n',
      ),
    ).toEqual([{ location: { type: 'API' }, properties: { description: 'd' } }]);
    expect(importedParts('{"swagger":"2.0"}')).toEqual([]);
  });

  it('refuses what is not a document', () => {
    expect(() => importedParts('')).toThrow('Invalid OpenAPI input.');
    expect(() => importedParts('[1]')).toThrow('Invalid OpenAPI input.');
  });
});
