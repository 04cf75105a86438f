import { describe, expect, it } from 'vitest';
import { missingValues, renderTemplate } from './render-template.js';

describe('renderTemplate', () => {
  const data = { name: 'Ann & <Bob>', plan: { tier: 'gold', seats: 3 }, tags: ['a', 'b'], none: null };
  it.each([
    ['Hi {{name}}', false, 'Hi Ann & <Bob>'],
    ['Hi {{name}}', true, 'Hi Ann &amp; &lt;Bob&gt;'],
    ['Hi {{{name}}}', true, 'Hi Ann & <Bob>'],
    ['{{ plan.tier }} x{{plan.seats}}', false, 'gold x3'],
    ['[{{missing}}][{{plan.missing.deeper}}][{{none}}]', false, '[][][]'],
    ['{{tags}}', false, '["a","b"]'],
    ['{{#if name}}kept{{/if}}', false, '{{#if name}}kept{{/if}}'],
    ['no placeholders', true, 'no placeholders'],
  ])('%j (html: %s) renders %j', (template, html, expected) => {
    expect(renderTemplate(template, data, { html })).toBe(expected);
  });
});

describe('missingValues', () => {
  it.each([
    ['{{a}} {{b.c}} {{{d}}} {{a}}', { b: {} }, ['a', 'b.c', 'd']],
    ['{{a}} {{b.c}}', { a: 0, b: { c: '' } }, []],
    ['{{n}}', { n: null }, []],
  ])('%j with %j lacks %j', (template, data, missing) => {
    expect(missingValues(template, data)).toEqual(missing);
  });
});
