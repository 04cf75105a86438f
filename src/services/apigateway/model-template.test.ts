import { describe, expect, it } from 'vitest';
import { modelTemplate } from './model-template.js';
import { parseTemplate, renderTemplate } from './velocity/index.js';

const render = (template: string, body: unknown) =>
  renderTemplate(parseTemplate(template), {
    input: { body: JSON.stringify(body), params: { path: {}, querystring: {}, header: {} } },
    context: {},
    stageVariables: {},
  });

describe('modelTemplate', () => {
  it('rebuilds an object property by property: strings quoted, numbers and booleans bare', () => {
    const template = modelTemplate({
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'integer' }, admin: { type: 'boolean' } },
    });
    expect(template).toBe(
      [
        "#set($inputRoot = $input.path('$'))",
        '{',
        '  "name" : "$inputRoot.name",',
        '  "age" : $inputRoot.age,',
        '  "admin" : $inputRoot.admin',
        '}',
      ].join('\n'),
    );
    expect(JSON.parse(render(template, { name: 'ann', age: 41, admin: true, extra: 1 }))).toEqual({
      name: 'ann',
      age: 41,
      admin: true,
    });
  });

  it('walks arrays with #foreach, nested objects and arrays of arrays included', () => {
    const template = modelTemplate({
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'number' },
          owner: { properties: { city: { type: 'string' } } },
          grid: { type: 'array', items: { type: 'array', items: { type: ['integer', 'null'] } } },
        },
      },
    });
    const body = [
      { id: 1, owner: { city: 'Oslo' }, grid: [[1, 2], [3]] },
      { id: 2, owner: { city: 'Rome' }, grid: [] },
    ];
    expect(JSON.parse(render(template, body))).toEqual(body);
  });

  it('leaves a schema without a type, or not a schema at all, as the value itself', () => {
    expect(modelTemplate({ $ref: 'https://apigateway.amazonaws.com/restapis/a/models/Pet' })).toBe(
      "#set($inputRoot = $input.path('$'))\n$inputRoot",
    );
    expect(modelTemplate('nonsense')).toBe("#set($inputRoot = $input.path('$'))\n$inputRoot");
  });
});
