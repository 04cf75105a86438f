import { describe, expect, it } from 'vitest';
import { modelTemplate } from './model-template.js';
import { parseTemplate, renderTemplate } from './velocity/index.js';

function render(template: string, body: unknown): unknown {
  const output = renderTemplate(parseTemplate(template), {
    input: { body: JSON.stringify(body), params: { path: {}, querystring: {}, header: {} } },
    context: {},
    stageVariables: {},
  });
  return JSON.parse(output);
}

describe('model templates', () => {
  it("writes an object's members, quoting strings only", () => {
    const template = modelTemplate(
      JSON.stringify({
        type: 'object',
        properties: { id: { type: 'integer' }, name: { type: 'string' }, good: { type: 'boolean' } },
      }),
    );
    expect(template).toBe(
      '#set($inputRoot = $input.path(\'$\'))\n{\n  "id" : $inputRoot.id,\n  "name" : "$inputRoot.name",\n  "good" : $inputRoot.good\n}',
    );
    expect(render(template, { id: 1, name: 'Rex', good: true, extra: 'x' })).toEqual({
      id: 1,
      name: 'Rex',
      good: true,
    });
  });

  it('loops over arrays and follows local references', () => {
    const template = modelTemplate(
      JSON.stringify({
        type: 'array',
        items: { $ref: '#/definitions/Pet' },
        definitions: {
          Pet: {
            type: 'object',
            properties: {
              'pet-name': { type: 'string' },
              tags: { type: 'array', items: { type: 'string' } },
            },
          },
        },
      }),
    );
    expect(
      render(template, [
        { 'pet-name': 'a', tags: ['x', 'y'] },
        { 'pet-name': 'b', tags: [] },
      ]),
    ).toEqual([
      { 'pet-name': 'a', tags: ['x', 'y'] },
      { 'pet-name': 'b', tags: [] },
    ]);
  });
});
