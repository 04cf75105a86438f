import { describe, expect, it } from 'vitest';
import { apiMappingKey, basePathKey, checkMappingsFit, selectMapping } from './mapping-keys.js';

const mappings = [
  { mapping_key: '', api: 1 },
  { mapping_key: 'orders', api: 2 },
  { mapping_key: 'orders/v1/items', api: 3 },
  { mapping_key: 'orders/v2/items', api: 4 },
  { mapping_key: 'orders/v2/items/categories', api: 5 },
];

describe('API mapping keys', () => {
  // The example of AWS's "Routing API requests" (HTTP API mappings) table.
  it.each([
    ['/orders', 2, '/'],
    ['/orders/v1/items', 3, '/'],
    ['/orders/v2/items', 4, '/'],
    ['/orders/v1/items/123', 3, '/123'],
    ['/orders/v2/items/categories/5', 5, '/5'],
    ['/customers', 1, '/customers'],
    ['/ordersandmore', 1, '/ordersandmore'],
    ['/orders/v3/items', 2, '/v3/items'],
    ['/', 1, '/'],
  ])('sends %s to the longest matching mapping (API %d), path %s after it', (path, api, rest) => {
    expect(selectMapping(mappings, path)).toEqual({ mapping: mappings[api - 1], rest });
  });

  it('keeps the path after the key as sent, a trailing slash and escapes included', () => {
    expect(selectMapping(mappings, '/orders/a%20b/')).toEqual({ mapping: mappings[1], rest: '/a%20b/' });
    expect(selectMapping(mappings, '/orders/')).toEqual({ mapping: mappings[1], rest: '/' });
  });

  it('compares keys with the path percent-decoded', () => {
    const quoted = [{ mapping_key: "it's" }];
    expect(selectMapping(quoted, '/it%27s/x')).toEqual({ mapping: quoted[0], rest: '/x' });
  });

  it('selects nothing when no key matches and there is no root mapping', () => {
    expect(selectMapping(mappings.slice(1), '/customers')).toBeUndefined();
    expect(selectMapping([], '/')).toBeUndefined();
  });

  it('stores the root as an empty key, whichever way it was named', () => {
    for (const key of [undefined, '', '(none)', '   ']) expect(apiMappingKey(key, true)).toBe('');
    for (const path of [undefined, '', '(none)']) expect(basePathKey(path)).toBe('');
  });

  it.each([
    ['/', "API mapping key should not end with a '/'."],
    ['a/', "API mapping key should not end with a '/'."],
    ['/a', "API mapping key should not start with a '/' or have consecutive '/'s."],
    ['a//b', "API mapping key should not start with a '/' or have consecutive '/'s."],
    [' a', "An API mapping key may contain only letters, numbers and one of $-_.+!*'(), characters."],
    ['a~b', "An API mapping key may contain only letters, numbers and one of $-_.+!*'(), characters."],
    ['a'.repeat(301), 'ApiMapping key length must be under 300 characters.'],
  ])('refuses the key %j: %s', (key, message) => {
    expect(() => apiMappingKey(key, true)).toThrow(message);
  });

  it("accepts AWS's characters, several levels and 300 characters", () => {
    expect(apiMappingKey("$-_.+!*'(),x/y", true)).toBe("$-_.+!*'(),x/y");
    expect(apiMappingKey('a'.repeat(300), true)).toBe('a'.repeat(300));
  });

  it('refuses a blank key on an update, and a slash in a v1 base path', () => {
    expect(() => apiMappingKey('  ', false)).toThrow("should not start with a '/'");
    expect(() => basePathKey('api/v1')).toThrow(
      "API Gateway V1 doesn't support the slash character (/) in base path mappings.",
    );
    expect(basePathKey('v1')).toBe('v1');
  });
});

describe('what a domain may be mapped to', () => {
  const regional = { endpointType: 'REGIONAL', securityPolicy: 'TLS_1_2' };
  const rest = { mapping_key: 'v1', api_kind: 'REST' };
  const http = { mapping_key: 'v2', api_kind: 'HTTP' };
  const deep = { mapping_key: 'api/v1', api_kind: 'REST' };
  const ws = { mapping_key: 'ws', api_kind: 'WEBSOCKET' };

  it('takes REST, HTTP and multi-level mappings on a regional TLS 1.2 domain', () => {
    expect(() => checkMappingsFit(regional, [rest, http, deep])).not.toThrow();
    expect(() => checkMappingsFit({ endpointType: 'EDGE', securityPolicy: 'TLS_1_0' }, [rest])).not.toThrow();
  });

  it('refuses HTTP APIs and multi-level keys elsewhere', () => {
    for (const domain of [
      { endpointType: 'EDGE', securityPolicy: 'TLS_1_2' },
      { endpointType: 'REGIONAL', securityPolicy: 'TLS_1_0' },
    ]) {
      expect(() => checkMappingsFit(domain, [http])).toThrow('HTTP APIs can only be mapped');
      expect(() => checkMappingsFit(domain, [deep])).toThrow('Multi-level API mappings');
    }
  });

  it('keeps WebSocket APIs apart from HTTP and REST APIs', () => {
    expect(() => checkMappingsFit(regional, [ws, { ...ws, mapping_key: 'ws2' }])).not.toThrow();
    expect(() => checkMappingsFit(regional, [ws, rest])).toThrow("WebSocket APIs can't be mapped");
  });
});
