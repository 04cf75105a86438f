import { describe, expect, it } from 'vitest';
import { parseTemplate, renderTemplate } from './index.js';
import { base64Decode, escapeJavaScript, urlDecode, urlEncode } from './util.js';

function render(text: string, body = '{}'): string {
  const variables = {
    input: {
      body,
      params: {
        path: { id: 'from-path', petId: '7' },
        querystring: { id: 'from-query', q: 'a b' },
        header: { 'X-Trace': 'abc', id: 'from-header' },
      },
    },
    context: {},
    stageVariables: {},
  };
  return renderTemplate(parseTemplate(text), variables);
}

describe('$input.params', () => {
  it.each([
    ['looks in the path first', "$input.params('id')", 'from-path'],
    ['then the query string', "$input.params('q')", 'a b'],
    ['then the headers, whatever their case', "$input.params('x-trace')", 'abc'],
    ['gives "" when absent', "[$input.params('nothing')]", '[]'],
    ['lists all parameters by kind', '$input.params().keySet()', '[path, querystring, header]'],
    ['gives each kind as a map', '$input.params().path', '{id=from-path, petId=7}'],
    ['gets one parameter of a kind', "$input.params().header.get('X-Trace')", 'abc'],
    ['and by property', '$input.params().querystring.q', 'a b'],
    ['ignores a non-string name', '[$input.params(1)]', '[]'],
  ])('%s', (_, template, expected) => {
    expect(render(template)).toBe(expected);
  });
});

describe('$input.path and $input.json', () => {
  const body = '{"items":[{"n":1,"tags":["a"]},{"n":2.5,"tags":[]}],"name":"x","none":null}';

  it.each([
    ['a string value', "$input.path('$.name')", 'x'],
    ['a number value', "$input.path('$.items[0].n')", '1'],
    ['a double value', "$input.path('$.items[1].n')", '2.5'],
    ['a list, as JSON', "$input.path('$.items[0].tags')", '["a"]'],
    ['the size of a list', "$input.path('$.items').size()", '2'],
    ['a wildcard gives a list', "$input.path('$.items[*].n')", '[1,2.5]'],
    ['a deep scan gives a list', "$input.path('$..tags').size()", '2'],
    ['a property of a selected map', "$input.path('$.items[0]').n", '1'],
    ['an explicit null prints nothing', "[$input.path('$.none')]", '[]'],
    ['a malformed path prints nothing', "[$input.path('$[')]", '[]'],
    ['json of a string is quoted', "$input.json('$.name')", '"x"'],
    ['json of an object is compact', "$input.json('$.items[0]')", '{"n":1,"tags":["a"]}'],
    ['json of an explicit null', "$input.json('$.none')", 'null'],
    ['json of a wildcard with no match', "$input.json('$.items[*].nothing')", '[]'],
    ['json of a malformed path', "$input.json('$[')", '""'],
    ['json without a path argument', '[$input.json()]', '[]'],
  ])('%s', (_, template, expected) => {
    expect(render(template, body)).toBe(expected);
  });

  it.each([
    ['a JSON string body', '"hello"', "$input.path('$')", 'hello'],
    ['a JSON number body', '42', "$input.path('$')", '42'],
    ['a text body', 'hello world', "[$input.path('$')]", '[]'],
    ['a text body as json', 'hello world', "$input.json('$')", '""'],
    ['a text body as itself', 'hello world', '$input.body', 'hello world'],
    ['an empty body', '', "$input.path('$')", '{}'],
    ['an empty body, a key', '', "[$input.path('$.a')]", '[]'],
  ])('%s', (_, bodyText, template, expected) => {
    expect(render(template, bodyText)).toBe(expected);
  });
});

describe('$util', () => {
  it.each([
    ['plain text', 'abc', 'abc'],
    ['a double quote', 'say "hi"', 'say \\"hi\\"'],
    ["a single quote (the docs' caveat)", "it's", "it\\'s"],
    ['a backslash', 'a\\b', 'a\\\\b'],
    ['a slash', '</script>', '<\\/script>'],
    ['control characters', '\b\t\n\f\r\u0001\u001f', '\\b\\t\\n\\f\\r\\u0001\\u001F'],
    ['beyond ASCII', 'é€😀', '\\u00E9\\u20AC\\uD83D\\uDE00'],
    ['DEL stays', '\u007f', '\u007f'],
  ])('escapeJavaScript of %s', (_, input, expected) => {
    expect(escapeJavaScript(input)).toBe(expected);
  });

  it.each([
    ['x=a+b', 'x%3Da%2Bb'],
    ['a b/c?d&e', 'a+b%2Fc%3Fd%26e'],
    ['safe.-*_AZaz09', 'safe.-*_AZaz09'],
    ['é', '%C3%A9'],
    ['~!', '%7E%21'],
  ])('urlEncode(%j) is %j', (input, expected) => {
    expect(urlEncode(input)).toBe(expected);
  });

  it.each<[string, string | null]>([
    ['x=a+b', 'x=a b'],
    ['a%2Bb%20c', 'a+b c'],
    ['%C3%A9', 'é'],
    ['100%', null],
    ['%zz', null],
  ])('urlDecode(%j) is %j', (input, expected) => {
    expect(urlDecode(input)).toBe(expected);
  });

  it.each<[string, string | null]>([
    ['aGVsbG8=', 'hello'],
    ['w6k=', 'é'],
    ['', ''],
    ['not base64!', null],
    ['a', null],
  ])('base64Decode(%j) is %j', (input, expected) => {
    expect(base64Decode(input)).toBe(expected);
  });

  it.each([
    ['escapeJavaScript', '$util.escapeJavaScript("it\'s")', "it\\'s"],
    ['escapeJavaScript of a number', '$util.escapeJavaScript(12)', '12'],
    ['base64Encode', '$util.base64Encode("héllo")', 'aMOpbGxv'],
    ['base64Decode', '$util.base64Decode("aMOpbGxv")', 'héllo'],
    ['urlEncode', '$util.urlEncode("a b")', 'a+b'],
    ['urlDecode', '$util.urlDecode("a+b")', 'a b'],
    ['parseJson of an object', '$util.parseJson(\'{"a":{"b":[1,2]}}\').a.b[1]', '2'],
    ['parseJson of a list', "$util.parseJson('[1,2]').size()", '2'],
    ['parseJson of a string', '$util.parseJson(\'"s"\')', 's'],
    ['parseJson of bad JSON', "[$util.parseJson('{')]", '[]'],
    ['a null argument', '[$util.escapeJavaScript($missing)]', '[]'],
    ['an unknown function', '[$util.toJson("x")]', '[]'],
  ])('%s in a template', (_, template, expected) => {
    expect(render(template)).toBe(expected);
  });
});
