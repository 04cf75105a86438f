import { describe, expect, it } from 'vitest';
import {
  checkModelSchema,
  flattenModel,
  modelUri,
  parseModelSchema,
  referencedModels,
} from './model-schemas.js';

const api = 'abc123';
const ref = (name: string) => modelUri(api, name);

describe('model schemas', () => {
  it('takes draft 4 object schemas, with or without $schema, unknown keywords ignored', () => {
    expect(() =>
      parseModelSchema(
        JSON.stringify({
          $schema: 'http://json-schema.org/draft-04/schema#',
          type: 'object',
          properties: { name: { type: 'string', example: 'x' } },
        }),
      ),
    ).not.toThrow();
    expect(() => parseModelSchema('{"type":"array","items":{"type":"integer"}}')).not.toThrow();
  });

  it.each([
    ['', 'Model schema must have at least 1 property or array items defined'],
    [
      '{not json',
      'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]',
    ],
    ['[1]', 'errors : [Invalid model schema specified]'],
    ['{"type":"objekt"}', 'errors : [Invalid model schema specified]'],
    ['{"type":"object","required":[]}', 'errors : [Invalid model schema specified]'],
    [
      '{"$schema":"http://json-schema.org/draft-07/schema#","type":"object"}',
      'Invalid model schema specified',
    ],
  ])('refuses %j', (text, message) => {
    expect(() => parseModelSchema(text)).toThrow(message);
  });

  it("lets a schema name the API's models by canonical URI only", () => {
    const models = new Set(['Pet']);
    const naming = (target: string) => JSON.stringify({ type: 'array', items: { $ref: target } });
    expect(() => checkModelSchema(naming(ref('Pet')), api, models)).not.toThrow();
    expect(() => checkModelSchema(naming('#/definitions/local'), api, models)).not.toThrow();
    expect(() => checkModelSchema(naming('#/components/schemas/Pet'), api, models)).not.toThrow();
    expect(() => checkModelSchema(naming('Pet'), api, models)).toThrow(
      'errors : [Invalid model schema specified, Model reference must be in canonical form]',
    );
    expect(() => checkModelSchema(naming(modelUri('other', 'Pet')), api, models)).toThrow(
      'Model reference must be in canonical form',
    );
    expect(() => checkModelSchema(naming(ref('Nope')), api, models)).toThrow(
      'errors : [Invalid model specified: Nope]',
    );
  });

  it('finds the models a schema names', () => {
    const text = JSON.stringify({ properties: { a: { $ref: ref('A') }, b: { items: { $ref: ref('B') } } } });
    expect(referencedModels(text, api)).toEqual(['A', 'B']);
  });

  it('flattens: named models (and theirs) under definitions, references made local', () => {
    const models = [
      {
        name: 'Owner',
        schema: JSON.stringify({ $schema: 'x', type: 'object', properties: { pets: { $ref: ref('Pets') } } }),
      },
      { name: 'Pets', schema: JSON.stringify({ type: 'array', items: { $ref: ref('Pet') } }) },
      {
        name: 'Pet',
        schema: JSON.stringify({ type: 'object', properties: { owner: { $ref: ref('Owner') } } }),
      },
    ];
    expect(JSON.parse(flattenModel(models[0]!, models, api))).toEqual({
      $schema: 'x',
      type: 'object',
      properties: { pets: { $ref: '#/definitions/Pets' } },
      definitions: {
        Pets: { type: 'array', items: { $ref: '#/definitions/Pet' } },
        Pet: { type: 'object', properties: { owner: { $ref: '#/definitions/Owner' } } },
      },
    });
  });
});
