import { describe, expect, it } from 'vitest';
import { RawJson, stringifyJson } from './raw-json.js';

describe('stringifyJson', () => {
  it('writes raw texts where they stand, in order, and everything else as JSON.stringify does', () => {
    const value = {
      a: [new RawJson('{"x":{"S":"1"}}'), 2, new RawJson('[true]')],
      b: 'text',
      c: new RawJson('null'),
    };
    expect(stringifyJson(value)).toBe('{"a":[{"x":{"S":"1"}},2,[true]],"b":"text","c":null}');
    expect(JSON.parse(stringifyJson(value))).toEqual({
      a: [{ x: { S: '1' } }, 2, [true]],
      b: 'text',
      c: null,
    });
  });

  it('leaves strings that look like its placeholder alone', () => {
    const tricky = { s: '\u0000raw-json-\u0000', r: new RawJson('1') };
    expect(JSON.parse(stringifyJson(tricky))).toEqual({ s: '\u0000raw-json-\u0000', r: 1 });
  });

  it('is plain JSON.stringify without raw texts', () => {
    expect(stringifyJson({ a: [1, 'b'] })).toBe('{"a":[1,"b"]}');
  });
});
