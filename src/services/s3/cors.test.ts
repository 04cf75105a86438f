import { describe, expect, it } from 'vitest';
import { corsHeaders, matchCorsRule, requestedHeaders } from './cors.js';

const rules = [
  { AllowedOrigins: ['https://*.example.com'], AllowedMethods: ['GET'], AllowedHeaders: ['x-amz-*'] },
  { AllowedOrigins: ['*'], AllowedMethods: ['PUT'], MaxAgeSeconds: 60 },
];

describe('CORS rules', () => {
  it('admits origins and headers by their one wildcard, headers case-insensitively', () => {
    expect(matchCorsRule(rules, 'https://app.example.com', 'GET', ['X-Amz-Meta-A'])).toBe(rules[0]);
    expect(matchCorsRule(rules, 'https://example.com', 'GET')).toBeUndefined();
    expect(matchCorsRule(rules, 'https://app.example.com', 'GET', ['authorization'])).toBeUndefined();
  });

  it('takes the first rule that admits the method', () => {
    expect(matchCorsRule(rules, 'http://anywhere', 'PUT')).toBe(rules[1]);
    expect(matchCorsRule(rules, 'http://anywhere', 'DELETE')).toBeUndefined();
  });

  it('answers * without credentials for a rule open to any origin, and the max age on a preflight', () => {
    expect(corsHeaders(rules[1]!, 'http://anywhere', { headers: ['x'] })).toMatchObject({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'PUT',
      'access-control-allow-headers': 'x',
      'access-control-max-age': '60',
    });
    expect(corsHeaders(rules[0]!, 'https://app.example.com')).toMatchObject({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-credentials': 'true',
    });
    expect(requestedHeaders(' Content-Type , x-amz-meta-a')).toEqual(['content-type', 'x-amz-meta-a']);
  });
});
