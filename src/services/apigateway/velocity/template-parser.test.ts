import { describe, expect, it } from 'vitest';
import { parseTemplate, renderTemplate, TemplateError, type RenderOptions } from './index.js';

function render(text: string, options: RenderOptions = {}): string {
  const variables = {
    input: { body: '{}', params: { path: {}, querystring: {}, header: {} } },
    context: { stage: 'prod', list: [1, 2], empty: '' },
    stageVariables: { env: 'dev' },
  };
  return renderTemplate(parseTemplate(text), variables, options);
}

describe('references', () => {
  it.each([
    ['a plain reference', '$context.stage', 'prod'],
    ['a formal reference', 'x${context.stage}y', 'xprody'],
    ['a quiet formal reference', 'x$!{context.stage}y', 'xprody'],
    ['a trailing dot is text', '$context.stage.', 'prod.'],
    ['a dot before a non-identifier is text', '$context.stage.1', 'prod.1'],
    ['hyphens belong to the name (Velocity 1.x)', '$context.stage-x', ''],
    ['a $ before a digit is text', 'costs $5', 'costs $5'],
    ['a lone $ is text', 'a $ b $', 'a $ b $'],
    ['$! before a non-identifier is text', '$!5', '$!5'],
    ['a method needs a dot', '$missing(x)', '(x)'],
    ['an index', '$context.list[1]', '2'],
    ['a [ that starts no index is text', '$context.stage[not valid', 'prod[not valid'],
    ['white space ends a reference', '$context.stage .x', 'prod .x'],
    ['a map prints the Java way', '$context', '{stage=prod, list=[1, 2], empty=}'],
  ])('%s', (_, template, expected) => {
    expect(render(template)).toBe(expected);
  });

  it.each([
    ['a missing reference', '[$missing]', '[]', '[$missing]'],
    ['a missing property', '[$context.nothing]', '[]', '[$context.nothing]'],
    ['a method on null', '[$missing.size()]', '[]', '[$missing.size()]'],
    ['a quiet missing reference', '[$!missing]', '[]', '[]'],
    ['a formal missing reference', '[${missing}]', '[]', '[${missing}]'],
    ['a quiet formal missing reference', '[$!{missing}]', '[]', '[]'],
  ])('%s prints nothing on API Gateway, itself in Velocity', (_, template, aws, velocity) => {
    expect(render(template)).toBe(aws);
    expect(render(template, { nullReferences: 'source' })).toBe(velocity);
  });
});

describe('comments, escapes and unparsed content', () => {
  it.each([
    ['a line comment takes its line break', 'a ## note\nb', 'a b'],
    ['a line comment at the end', 'a ## note', 'a '],
    ['a block comment takes nothing more', 'a #* note\nmore *#\nb', 'a \nb'],
    ['an escaped reference prints as written', '\\$context.stage', '$context.stage'],
    ['a doubled backslash prints one, then the value', '\\\\$context.stage', '\\prod'],
    ['three backslashes print one and the reference as written', '\\\\\\$context.stage', '\\$context.stage'],
    ['an escaped directive prints as written', '\\#if(true)x\\#end', '#if(true)x#end'],
    ['a backslash before other text stays', 'a\\b \\$5', 'a\\b \\$5'],
    ['unparsed content is text', '#[[ $context.stage #if ]]#', ' $context.stage #if '],
    ['an unknown directive is text', '#fff #notADirective', '#fff #notADirective'],
    ['a # before a non-name is text', '# # #1', '# # #1'],
  ])('%s', (_, template, expected) => {
    expect(render(template)).toBe(expected);
  });
});

describe("Velocity 1.7's white space", () => {
  it.each([
    ['#set takes the spaces before it and its line break', 'a\n    #set($x = 1)\nb$x', 'a\nb1'],
    ['#set takes the spaces before it mid-line', '$context.stage #set($x = 1)', 'prod'],
    ['#if( ) takes the rest of its line', '#if(true)\nyes\n#end\n', 'yes\n'],
    ['indentation before a directive stays', '  #if(true)\n  yes\n  #end\n', '    yes\n  '],
    ['#else takes the rest of its line', '#if(false)\nno\n#else   \nyes\n#end', 'yes\n'],
    ['#end followed by text keeps the text', '#if(true)x#end y', 'x y'],
    ['directives inline keep everything around them', 'a #if(true)b#end c', 'a b c'],
    ['\\r\\n counts as a line break', '#if(true)\r\nyes\r\n#end\r\nz', 'yes\r\nz'],
    ['the bracketed forms', '#{if}(true)a#{else}b#{end}c', 'ac'],
    ['#{else} needs no space before text', '#if(false)a#{else}b#end', 'b'],
  ])('%s', (_, template, expected) => {
    expect(render(template)).toBe(expected);
  });
});

describe('parse errors name the line and column', () => {
  it.each([
    [
      'an #end without an opening',
      'a\n  #end',
      '#end without a matching #if, #foreach, #macro or #define',
      2,
      3,
    ],
    ['an #else without #if', '#else', '#else without a matching #if', 1, 1],
    ['an #elseif without #if', 'x #elseif(true)', '#elseif without a matching #if', 1, 3],
    ['an unterminated #if', 'ok\n#if(true)\nyes', '#if is missing its #end', 2, 1],
    ['an unterminated #foreach', '#foreach($a in [1])', '#foreach is missing its #end', 1, 1],
    ['an unterminated #macro', '#macro(m)x', '#macro is missing its #end', 1, 1],
    ['a #set without arguments', '#set x', "Expected '(' after #set", 1, 1],
    ['an #if without arguments', 'a\n#if true', "Expected '(' after #if", 2, 1],
    ['a malformed #set', '#set($a 1)', "Expected '='", 1, 9],
    ['a #set of a method call', '#set($a.b() = 1)', 'Cannot #set a method call', 1, 1],
    ['a malformed expression', '#if($a == )x#end', 'Malformed expression', 1, 11],
    ['an operator with nothing after it', '#if($a &&', 'Expression ends too early', 1, 10],
    ['an unclosed parenthesis', '#if(($a)x#end', "Expected ')'", 1, 9],
    ['a character that is no operator', '#set($a = 1 @ 2)', "Unexpected character '@' in expression", 1, 13],
    ['an unterminated string', "#set($a = 'abc)", 'Unterminated string literal', 1, 11],
    ['#foreach without in', '#foreach($a of $b)#end', "Expected 'in'", 1, 13],
    ['a method call with a bad argument', 'x $a.b(,)', 'Malformed expression', 1, 8],
    ['a method call left open', '$a.b(1', "Expected ')' before the end", 1, 7],
    ['an unclosed formal reference', '${a.b', "Expected '}' to close the reference", 1, 1],
    ['an unterminated block comment', 'a #* b', 'Unterminated #* comment *#', 1, 3],
    ['an unterminated unparsed block', '#[[ a', 'Unterminated #[[ unparsed content ]]#', 1, 1],
    [
      'an #end inside an interpolated string',
      '#set($a = "x#end")',
      '#end without a matching #if, #foreach, #macro or #define',
      1,
      13,
    ],
  ])('%s', (_, template, reason, line, column) => {
    let caught: unknown;
    try {
      parseTemplate(template);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TemplateError);
    expect(caught).toMatchObject({
      reason,
      line,
      column,
      message: `${reason} at line ${line}, column ${column}`,
    });
  });

  it('a template nested too deeply for the stack is a TemplateError', () => {
    expect(() => parseTemplate(`#set($a = ${'('.repeat(20_000)}1${')'.repeat(20_000)})`)).toThrow(
      TemplateError,
    );
  });
});
