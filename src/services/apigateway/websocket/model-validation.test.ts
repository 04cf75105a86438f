import { describe, expect, it } from 'vitest';
import { fitsModel, modelFor, schemaProblem } from './model-validation.js';

const pet = JSON.stringify({
  $schema: 'http://json-schema.org/draft-04/schema#',
  id: 'https://example.com/pet',
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
});

describe('schemaProblem', () => {
  it('accepts a draft-4 schema', () => {
    expect(schemaProblem(pet)).toBeUndefined();
  });

  it.each([
    ['text that is not JSON', '{type: object}'],
    ['JSON that is not an object', '[1, 2]'],
    ['a schema with a keyword of the wrong type', '{"type": 5}'],
  ])('names what is wrong with %s', (_name, text) => {
    expect(schemaProblem(text)).toEqual(expect.any(String));
  });
});

describe('modelFor', () => {
  const route = {
    ModelSelectionExpression: '$request.body.kind',
    RequestModels: { pet: 'Pet', $default: 'Anything' },
  };

  it('picks the model the expression names, else $default', () => {
    expect(modelFor(route, '{"kind":"pet"}')).toBe('Pet');
    expect(modelFor(route, '{"kind":"car"}')).toBe('Anything');
    expect(modelFor(route, 'not json')).toBe('Anything');
  });

  it('fails (null) without a match or $default, and checks nothing without an expression', () => {
    expect(modelFor({ ...route, RequestModels: { pet: 'Pet' } }, '{"kind":"car"}')).toBeNull();
    expect(modelFor({ RequestModels: { $default: 'Pet' } }, '{}')).toBeUndefined();
  });
});

describe('fitsModel', () => {
  it('checks a JSON message against the schema, twice with the same id', () => {
    expect(fitsModel(pet, '{"name":"rex","age":3}')).toBe(true);
    expect(fitsModel(pet, '{"age":-1}')).toBe(false);
    expect(fitsModel(pet.replace('"age"', '"years"'), '{"name":"rex"}')).toBe(true);
  });

  it('refuses a message that is not JSON, or binary', () => {
    expect(fitsModel(pet, 'rex')).toBe(false);
    expect(fitsModel(pet, undefined)).toBe(false);
  });

  it('lets everything through a schema it cannot compile', () => {
    const referring = JSON.stringify({ $ref: 'https://apigateway.amazonaws.com/restapis/a/models/Other' });
    expect(fitsModel(referring, '"anything"')).toBe(true);
  });
});
