import { describe, expect, it } from 'vitest';
import { functionUrlOf, randomUrlId } from './function-urls.js';

describe('function URL ids and addresses', () => {
  it('makes ids of 32 lower-case letters and digits', () => {
    expect(randomUrlId()).toMatch(/^[a-z0-9]{32}$/);
    expect(randomUrlId((size) => Buffer.alloc(size, 36 + 25))).toBe('z'.repeat(32));
  });

  it.each([
    ['http://127.0.0.1:4566', 'http://abc.lambda-url.us-east-1.localhost:4566/'],
    ['http://127.0.0.1', 'http://abc.lambda-url.us-east-1.localhost/'],
  ])('names the edge’s port (%s)', (endpoint, expected) => {
    expect(functionUrlOf('abc', 'us-east-1', endpoint)).toBe(expected);
  });
});
