import { describe, expect, it } from 'vitest';
import { JsonReader, JsonSyntaxError, type JsonToken } from './json-reader.js';

/** Reads every token of `source`, asking for each string's text as a pattern compiler does. */
function readAll(source: string): (JsonToken | string)[] {
  const reader = new JsonReader(source);
  const tokens: (JsonToken | string)[] = [];
  for (let token = reader.next(); token !== undefined; token = reader.next()) {
    tokens.push(token === 'string' || token === 'fieldName' || token === 'number' ? reader.text() : token);
  }
  return tokens;
}

const at = (source: string, column: number, line = 1) =>
  `\n at [Source: (String)"${source}"; line: ${line}, column: ${column}]`;

describe('JsonReader', () => {
  it('reads tokens, names and texts (numbers as written)', () => {
    expect(readAll('{"a": [1.50, "x\\n\\u0041", true, false, null, {}], "b": -2e3}')).toEqual([
      'startObject',
      'a',
      'startArray',
      '1.50',
      'x\nA',
      'true',
      'false',
      'null',
      'startObject',
      'endObject',
      'endArray',
      'b',
      '-2e3',
      'endObject',
    ]);
  });

  it('stands after a field name’s value start, and after a string only once its text is read', () => {
    const reader = new JsonReader('{"a": "xyz", "b": 12}');
    reader.next();
    expect(reader.next()).toBe('fieldName');
    expect(reader.location()).toBe(at('{"a": "xyz", "b": 12}', 8));
    expect(reader.next()).toBe('string');
    expect(reader.location()).toContain('column: 8]');
    expect(reader.text()).toBe('xyz');
    expect(reader.location()).toContain('column: 12]');
    expect(reader.next()).toBe('fieldName');
    expect(reader.location()).toContain('column: 21]');
  });

  it.each([
    [
      '{"a" 1}',
      "Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value",
      6,
    ],
    [
      '{"a": 1 "b": 2}',
      "Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries",
      9,
    ],
    ['[1 2]', "Unexpected character ('2' (code 50)): was expecting comma to separate Array entries", 4],
    ['{"a": }', "Unexpected character ('}' (code 125)): expected a value", 7],
    [
      '{"a": ]',
      "Unexpected character (']' (code 93)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
      7,
    ],
    ['[,]', "Unexpected character (',' (code 44)): expected a value", 2],
    [
      '{"a": #}',
      "Unexpected character ('#' (code 35)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
      7,
    ],
    [
      '{/* c */}',
      "Unexpected character ('/' (code 47)): maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)",
      2,
    ],
    [
      '{"a": tru}',
      "Unrecognized token 'tru': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
      10,
    ],
    [
      '{"a": nullx}',
      "Unrecognized token 'nullx': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
      12,
    ],
    [
      '{"a": NaN}',
      "Non-standard token 'NaN': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS to allow",
      10,
    ],
    ['{"a": 01}', 'Invalid numeric value: Leading zeroes not allowed', 8],
    [
      '{"a": -x}',
      "Unexpected character ('x' (code 120)) in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value",
      9,
    ],
    [
      '{"a": 1.}',
      "Unexpected character ('}' (code 125)) in numeric value: Decimal point not followed by a digit",
      9,
    ],
    [
      '{"a": 1e}',
      "Unexpected character ('}' (code 125)) in numeric value: Exponent indicator not followed by a digit",
      9,
    ],
    ['{"a": "x\\q"}', "Unrecognized character escape 'q' (code 113)", 11],
    [
      '{"a": "\\u12G4"}',
      "Unexpected character ('G' (code 71)): expected a hex-digit for character escape sequence",
      12,
    ],
    [
      '{"a\u0001": 1}',
      'Illegal unquoted character ((CTRL-CHAR, code 1)): has to be escaped using backslash to be included in name',
      5,
    ],
    [
      '{"a": [1}',
      'Unexpected close marker \'}\': expected \']\' (for Array starting at [Source: (String)"{"a": [1}"; line: 1, column: 7])',
      10,
    ],
    [
      '{"a": [1',
      'Unexpected end-of-input: expected close marker for Array (start marker at [Source: (String)"{"a": [1"; line: 1, column: 7])',
      9,
    ],
    ['{"a": [1,', 'Unexpected end-of-input within/between Array entries', 10],
    ['{"a"', 'Unexpected end-of-input within/between Object entries', 5],
    ['{"a', 'Unexpected end-of-input in field name', 4],
    ['{"a": "x', 'Unexpected end-of-input: was expecting closing quote for a string value', 9],
  ])('%j: %s', (source, message, column) => {
    const shown = source.replace('\u0001', '\\u0001');
    expect(() => readAll(source)).toThrow(JsonSyntaxError);
    expect(() => readAll(source)).toThrow(new JsonSyntaxError(message + at(shown, column)));
  });

  it('counts lines and columns over CR, LF and CRLF', () => {
    const source = '{\r\n  "a":\n  [\r  x]}';
    expect(() => readAll(source)).toThrow(
      "Unrecognized token 'x': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')" +
        at(source, 4, 4),
    );
  });

  it('shows at most 500 characters of the source', () => {
    const source = `{"a": ${'1'.repeat(600)}`;
    expect(() => readAll(source)).toThrow(
      `(String)"${source.slice(0, 500)}"[truncated 106 chars]; line: 1, column: 607]`,
    );
  });

  it('shows control characters other than CR and LF escaped', () => {
    expect(() => readAll('{"a":\t\u0002}')).toThrow(
      'Illegal character ((CTRL-CHAR, code 2)): only regular white space (\\r, \\n, \\t) is allowed between tokens' +
        at('{"a":\\u0009\\u0002}', 8),
    );
  });

  it('never reads past the end of the first value', () => {
    const reader = new JsonReader('{} not json');
    expect(reader.next()).toBe('startObject');
    expect(reader.next()).toBe('endObject');
  });
});
