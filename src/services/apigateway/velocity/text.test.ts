import { describe, expect, it } from 'vitest';
import { parseJson } from './json.js';
import { javaDoubleText, toJson, toText } from './text.js';
import { isJsonArray, JavaDouble, type Value } from './values.js';

describe("Java's Double.toString", () => {
  it.each([
    [1, '1.0'],
    [2.5, '2.5'],
    [-0.5, '-0.5'],
    [0, '0.0'],
    [-0, '-0.0'],
    [0.001, '0.001'],
    [0.0001, '1.0E-4'],
    [1234567.5, '1234567.5'],
    [1e7, '1.0E7'],
    [12345678.9, '1.23456789E7'],
    [1.5e-10, '1.5E-10'],
    [1e21, '1.0E21'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
  ])('%d prints as %s', (value, expected) => {
    expect(javaDoubleText(value)).toBe(expected);
  });
});

describe('parseJson keeps what a template can see', () => {
  it('integers and decimals stay apart', () => {
    const value = parseJson('{"i": 1, "d": 1.0, "e": 1e2, "big": 12345678901234567890, "neg": -3}');
    expect(value).toEqual(
      new Map<string, Value>([
        ['i', 1],
        ['d', new JavaDouble(1)],
        ['e', new JavaDouble(100)],
        ['big', 12345678901234567890n],
        ['neg', -3],
      ]),
    );
  });

  it('keeps the key order, numeric keys included', () => {
    expect([...(parseJson('{"b": 1, "2": 2, "a": 3, "1": 4}') as Map<string, Value>).keys()]).toEqual([
      'b',
      '2',
      'a',
      '1',
    ]);
  });

  it('marks arrays as JSON arrays', () => {
    const value = parseJson('[[1]]') as Value[];
    expect(isJsonArray(value)).toBe(true);
    expect(isJsonArray(value[0] as Value[])).toBe(true);
  });

  it.each([
    ['a string with escapes', '"a\\"b\\u00e9\\n"', 'a"bé\n'],
    ['true', ' true ', true],
    ['null', 'null', null],
  ])('reads %s', (_, text, expected) => {
    expect(parseJson(text)).toEqual(expected);
  });

  it.each([[''], ['{'], ['{"a":1,}'], ['[1 2]'], ['01'], ['"raw\ncontrol"'], ['{} x'], ["{'a':1}"], ['nul']])(
    'refuses %j',
    (text) => {
      expect(parseJson(text)).toBeUndefined();
    },
  );

  it('refuses documents nested too deep for the stack', () => {
    expect(parseJson('['.repeat(10_000) + ']'.repeat(10_000))).toBeUndefined();
  });
});

describe('printing values', () => {
  const document = parseJson('{"a": 1, "b": [1, {"c": "x"}], "d": {"e": null, "f": 2.0}}') as Value;

  it.each<[string, Value, string, string]>([
    [
      'a JSON document',
      document,
      '{a=1, b=[1,{"c":"x"}], d={e=null, f=2.0}}',
      '{"a":1,"b":[1,{"c":"x"}],"d":{"e":null,"f":2.0}}',
    ],
    ['a Java list', [1, 'two', null, new JavaDouble(0.5)], '[1, two, null, 0.5]', '[1,"two",null,0.5]'],
    [
      'a Java map',
      new Map<string, Value>([
        ['k', 'v'],
        ['l', [true]],
      ]),
      '{k=v, l=[true]}',
      '{"k":"v","l":[true]}',
    ],
    ['a string', 'he said "hi"', 'he said "hi"', '"he said \\"hi\\""'],
    ['a big integer', 12345678901234567890n, '12345678901234567890', '12345678901234567890'],
    ['NaN', new JavaDouble(NaN), 'NaN', 'null'],
  ])('%s', (_, value, text, json) => {
    expect(toText(value)).toBe(text);
    expect(toJson(value)).toBe(json);
  });

  it('a collection that holds itself prints as Java does, and as null in JSON', () => {
    const list: Value[] = [1];
    list.push(list);
    const map = new Map<string, Value>();
    map.set('self', map);
    expect(toText(list)).toBe('[1, (this Collection)]');
    expect(toText(map)).toBe('{self=(this Map)}');
    expect(toJson(list)).toBe('[1,null]');
  });
});
