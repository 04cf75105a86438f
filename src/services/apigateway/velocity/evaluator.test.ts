import { describe, expect, it } from 'vitest';
import { parseTemplate, renderTemplate } from './index.js';

function render(text: string, context: Record<string, unknown> = {}): string {
  const variables = {
    input: { body: '{}', params: { path: {}, querystring: {}, header: {} } },
    context,
    stageVariables: {},
  };
  return renderTemplate(parseTemplate(text), variables);
}

/** What `expression` evaluates to, printed. */
function value(expression: string, context: Record<string, unknown> = {}): string {
  return render(`#set($result = ${expression})$!result`, context);
}

describe('literals', () => {
  it.each([
    ['an integer', '42', '42'],
    ['a negative integer', '-42', '-42'],
    ['a decimal', '2.50', '2.5'],
    ['a whole decimal keeps its fraction', '2.0', '2.0'],
    ['an integer beyond 2^53', '123456789012345678901', '123456789012345678901'],
    ['true', 'true', 'true'],
    ['false', 'false', 'false'],
    ['a single-quoted string is literal', "'$context.x #if'", '$context.x #if'],
    ['a double-quoted string interpolates', '"a-${context.x}-b"', 'a-1-b'],
    ['a double-quoted string runs directives', '"#if($context.x == 1)one#{else}other#end"', 'one'],
    ['backslashes stay in strings', '"a\\nb\\\\c"', 'a\\nb\\\\c'],
    ['a doubled quote is a quote', '"say ""hi"""', 'say "hi"'],
    ['a doubled single quote is a quote', "'it''s'", "it's"],
    ['a string may span lines', '"a\nb"', 'a\nb'],
    ['a list', '[1, "two", [3]]', '[1, two, [3]]'],
    ['an empty list', '[]', '[]'],
    ['a map', '{"a": 1, "b": [2]}', '{a=1, b=[2]}'],
    ['an empty map', '{}', '{}'],
    ['a range', '[1..4]', '[1, 2, 3, 4]'],
    ['a descending range', '[3..1]', '[3, 2, 1]'],
    ['a range from references', '[$context.x..$context.three]', '[1, 2, 3]'],
  ])('%s', (_, expression, expected) => {
    expect(value(expression, { x: 1, three: 3 })).toBe(expected);
  });

  it('null assigns nothing: #set keeps the old value (Velocity 1.7)', () => {
    expect(render('#set($a = 1)#set($a = $missing)$a|#set($a = null)$a')).toBe('1|1');
  });
});

describe('arithmetic, Java style', () => {
  it.each([
    ['5 / 2', '2'],
    ['-7 / 2', '-3'],
    ['-7 % 2', '-1'],
    ['5 / 2.0', '2.5'],
    ['4 / 2.0', '2.0'],
    ['0.1 + 0.2', '0.30000000000000004'],
    ['1.0 * 10000000', '1.0E7'],
    ['1 + 2 * 3', '7'],
    ['(1 + 2) * 3', '9'],
    ['10 - 2 - 3', '5'],
    ['2147483647 + 1', '2147483648'],
    ['9007199254740993 + 1', '9007199254740994'],
    ['-(2 + 3)', '-5'],
    ['"n=" + 1 + 2', 'n=12'],
    ['1 + 2 + "=n"', '3=n'],
    ['"a" + $context.list', 'a[1, 2]'],
    ['"a" + $missing', 'a'],
  ])('%s is %s', (expression, expected) => {
    expect(value(expression, { list: [1, 2] })).toBe(expected);
  });

  it.each([['1 / 0'], ['1 % 0'], ['1.5 / 0'], ['"a" - 1'], ['$missing + 1'], ['[1] * 2'], ['-"a"']])(
    '%s is null, not an error',
    (expression) => {
      expect(render(`#set($result = 'before')#set($result = ${expression})$result`)).toBe('before');
    },
  );
});

describe('comparisons and logic', () => {
  it.each([
    ['1 == 1', true],
    ['1 == 1.0', true],
    ['"1" == 1', true],
    ['"a" == "a"', true],
    ['"a" == "b"', false],
    ['$missing == $alsoMissing', true],
    ['$missing == ""', true],
    ['$missing == 0', false],
    ['[1, 2] == [1, 2]', true],
    ['{"a": 1} == {"a": 1}', true],
    ['true == "true"', true],
    ['1 != 2', true],
    ['2 > 1', true],
    ['2 >= 2', true],
    ['1.5 < 2', true],
    ['2 <= 1', false],
    ['"b" > "a"', false],
    ['1 eq 1', true],
    ['1 ne 1', false],
    ['1 lt 2 and 2 gt 1', true],
    ['1 le 0 or 2 ge 2', true],
    ['not false', true],
    ['!true', false],
    ['true && false', false],
    ['false || true', true],
    ['!$missing', true],
    ['$missing && $missing.size() > 0', false],
    ['true || $missing.boom()', true],
  ])('%s is %s', (expression, expected) => {
    expect(render(`#if(${expression})true#{else}false#end`)).toBe(String(expected));
  });

  it.each([
    ['null', '$missing', false],
    ['false', 'false', false],
    ['an empty string (truth is only null and false in 1.7)', '""', true],
    ['zero', '0', true],
    ['an empty list', '[]', true],
    ['a string', '"x"', true],
  ])('#if of %s', (_, expression, expected) => {
    expect(render(`#if(${expression})true#{else}false#end`)).toBe(String(expected));
  });
});
