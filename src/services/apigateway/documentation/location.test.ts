import { describe, expect, it } from 'vitest';
import { checkProperties, locationKey, normalizeLocation } from './location.js';

describe('normalizeLocation', () => {
  it('fills AWS defaults for the fields each type has', () => {
    expect(normalizeLocation({ type: 'API' })).toEqual({ type: 'API' });
    expect(normalizeLocation({ type: 'RESOURCE' })).toEqual({ type: 'RESOURCE', path: '/' });
    expect(normalizeLocation({ type: 'METHOD', path: '/pets' })).toEqual({
      type: 'METHOD',
      path: '/pets',
      method: '*',
    });
    expect(normalizeLocation({ type: 'RESPONSE_HEADER', name: 'X-A' })).toEqual({
      type: 'RESPONSE_HEADER',
      path: '/',
      method: '*',
      statusCode: '*',
      name: 'X-A',
    });
    expect(normalizeLocation({ type: 'REQUEST_BODY', path: '/p', method: 'POST' })).toMatchObject({
      type: 'REQUEST_BODY',
    });
  });

  it('refuses fields a type does not have, and a missing name', () => {
    expect(() => normalizeLocation({ type: 'API', path: '/' })).toThrow(
      'path is not a valid field for type API',
    );
    expect(() => normalizeLocation({ type: 'RESOURCE', method: 'GET' })).toThrow(
      'method is not a valid field',
    );
    expect(() => normalizeLocation({ type: 'METHOD', statusCode: '200' })).toThrow('statusCode is not');
    expect(() => normalizeLocation({ type: 'METHOD', name: 'x' })).toThrow('name is not a valid field');
    expect(() => normalizeLocation({ type: 'MODEL' })).toThrow('name is required for type MODEL');
    expect(() => normalizeLocation({ type: 'RESPONSE', statusCode: '99' })).toThrow('invalid status code');
    expect(() => normalizeLocation({ type: 'RESOURCE', path: 'pets' })).toThrow("path must start with '/'");
    expect(() => normalizeLocation({ type: 'NOPE' as 'API' })).toThrow('Invalid documentation part type');
  });

  it('gives one key to one place however it is named', () => {
    expect(locationKey(normalizeLocation({ type: 'METHOD' }))).toBe(
      locationKey(normalizeLocation({ type: 'METHOD', path: '/', method: '*' })),
    );
  });
});

describe('checkProperties', () => {
  it('takes a JSON object only', () => {
    expect(checkProperties('{"description":"d"}')).toBe('{"description":"d"}');
    expect(() => checkProperties('[1]')).toThrow('properties must be a JSON object');
    expect(() => checkProperties('nope')).toThrow('properties must be a JSON object');
  });
});
