import { describe, expect, it } from 'vitest';
import {
  evaluateTemplate,
  parseTemplate,
  renderTemplate,
  TemplateError,
  type RenderOptions,
} from './index.js';

function render(text: string, body = '{}', options: RenderOptions = {}): string {
  const variables = {
    input: { body, params: { path: {}, querystring: {}, header: {} } },
    context: { map: { a: 1, b: 2 }, list: ['x', 'y', 'z'] },
    stageVariables: {},
  };
  return renderTemplate(parseTemplate(text), variables, options);
}

describe('#set', () => {
  it.each([
    ['a variable', '#set($a = "x")$a', 'x'],
    ['a map entry by property', '#set($m = {})#set($m.k = 1)$m', '{k=1}'],
    ['a map entry by index', '#set($m = {})#set($m["k"] = 1)$m.k', '1'],
    ['a list element', '#set($l = [1, 2])#set($l[1] = 5)$l', '[1, 5]'],
    ['a list element from the end', '#set($l = [1, 2])#set($l[-1] = 5)$l', '[1, 5]'],
    ['outside a list does nothing', '#set($l = [1])#set($l[3] = 5)$l', '[1]'],
    ['an entry of a nested map', '#set($m = {"in": {}})#set($m.in.k = "v")$m', '{in={k=v}}'],
    ['on a missing container does nothing', '#set($nothing.k = 1)[$!nothing]', '[]'],
    ['an entry of $context', '#set($context.map.c = 3)$context.map', '{a=1, b=2, c=3}'],
  ])('%s', (_, template, expected) => {
    expect(render(template)).toBe(expected);
  });

  it('a value is shared, not copied, as Java references are', () => {
    expect(render('#set($a = [1])#set($b = $a)#set($ignored = $b.add(2))$a')).toBe('[1, 2]');
  });
});

describe('#if', () => {
  it.each([
    ['the first true branch', '#if(false)a#elseif(true)b#elseif(true)c#{else}d#end', 'b'],
    ['the else branch', '#if(false)a#elseif(false)b#{else}c#end', 'c'],
    ['no branch', '#if(false)a#end.', '.'],
    ['nested', '#if(true)#if(false)a#{else}b#end#end', 'b'],
  ])('%s', (_, template, expected) => {
    expect(render(template)).toBe(expected);
  });
});

describe('#foreach', () => {
  it.each([
    ['a list', '#foreach($x in $context.list)$x#end', 'xyz'],
    ['a map, by its values', '#foreach($v in $context.map)$v#end', '12'],
    ['a range', '#foreach($i in [1..3])$i#end', '123'],
    [
      '$foreach.index, count, hasNext',
      '#foreach($x in $context.list)$foreach.index$foreach.count$foreach.hasNext #end',
      '01true 12true 23false ',
    ],
    [
      '$foreach.first and last',
      '#foreach($x in [1,2,3])#if($foreach.first)[#end$x#if($foreach.last)]#end#end',
      '[123]',
    ],
    [
      'getter forms',
      '#foreach($x in [1,2])$foreach.getIndex()$foreach.hasNext()$foreach.isLast()#end',
      '0truefalse1falsetrue',
    ],
    ['$velocityCount counts from 1', '#foreach($x in $context.list)$velocityCount#end', '123'],
    [
      '$foreach.parent in a nested loop',
      '#foreach($a in [1,2])#foreach($b in [1])$foreach.parent.index#end#end',
      '01',
    ],
    ['#break leaves the loop', '#foreach($i in [1..5])#if($i == 3)#break#end$i#end.', '12.'],
    [
      '#break($foreach) leaves the loop',
      '#foreach($i in [1..5])#if($i == 2)#break($foreach)#end$i#end.',
      '1.',
    ],
    ['#break leaves only the inner loop', '#foreach($a in [1,2])#foreach($b in [1,2])#break#end$a#end', '12'],
    ['null iterates nothing', '#foreach($x in $missing)x#end.', '.'],
    ['a string iterates nothing', '#foreach($x in "abc")x#end.', '.'],
    [
      'the variable gets its value back afterwards',
      '#set($x = "before")#foreach($x in [1])$x#end$x',
      '1before',
    ],
    ['$foreach is gone afterwards', '#foreach($x in [1])#end[$!foreach]', '[]'],
    [
      'the body may grow the list it iterates',
      '#set($l = [1,2])#foreach($x in $l)#set($ignored = $l.add($x))#end$l',
      '[1, 2, 1, 2]',
    ],
    [
      'a JSON array from $input.path',
      "#foreach($p in $input.path('$.items'))$p.name#if($foreach.hasNext),#end#end",
      'a,b',
    ],
  ])('%s', (_, template, expected) => {
    expect(render(template, '{"items":[{"name":"a"},{"name":"b"}]}')).toBe(expected);
  });

  it('the AWS separator pattern gives valid JSON', () => {
    const template =
      '[#foreach($elem in $input.path(\'$.items\')) {"n": "$elem.name"}#if($foreach.hasNext),#end #end]';
    const output = render(template, '{"items":[{"name":"a"},{"name":"b"},{"name":"c"}]}');
    expect(JSON.parse(output)).toEqual([{ n: 'a' }, { n: 'b' }, { n: 'c' }]);
  });
});

describe('#stop, #macro, #define', () => {
  it.each([
    ['#stop ends the render, keeping what was written', 'a#foreach($i in [1,2])$i#stop#end b', 'a1'],
    ['#break outside a loop ends the template', 'a#break b', 'a'],
    [
      'a macro with parameters',
      '#macro(greet $who $how)$how, $who!#end#greet("Ana" "Hello") #greet("Bo", "Hi")',
      'Hello, Ana! Hi, Bo!',
    ],
    ['a macro without arguments', '#macro(dash)-#end#dash()#dash()', '--'],
    ['a macro parameter gets its value back', '#set($who = "x")#macro(m $who)$who#end#m(1)$who', '1x'],
    ['a missing macro argument is null', '#macro(m $a $b)[$!b]#end#m(1)', '[]'],
    ['#break leaves a macro', '#macro(m)a#break b#end#m()c', 'ac'],
    ['a macro name without ( is text', '#macro(m)x#end#m and #m()', '#m and x'],
    [
      'a macro calls itself',
      '#macro(count $n)$n#if($n > 0)#set($next = $n - 1)#count($next)#end#end#count(3)',
      '3210',
    ],
    [
      '#define renders with the variables of the moment',
      '#define($block)[$x]#end#set($x = 1)$block#set($x = 2)$block',
      '[1][2]',
    ],
  ])('%s', (_, template, expected) => {
    expect(render(template)).toBe(expected);
  });
});

describe('runaway templates are stopped with TemplateError', () => {
  function failure(template: string, options: RenderOptions): TemplateError {
    try {
      render(template, '{}', options);
    } catch (error) {
      if (error instanceof TemplateError) return error;
      throw error;
    }
    throw new Error('rendered without error');
  }

  it.each([
    [
      'too many loop turns, nested loops counted together',
      'x\n#foreach($a in [1..10])#foreach($b in [1..10])#end#end',
      { limits: { loopIterations: 50 } },
      'Loops ran more than 50 times',
      2,
      24,
    ],
    [
      'too much output',
      '#foreach($a in [1..10])0123456789#end',
      { limits: { outputLength: 25 } },
      'Output exceeds 25 characters',
      1,
      1,
    ],
    [
      'a string grown too long',
      '#set($s = "ab")#foreach($i in [1..20])#set($s = "$s$s")#end',
      { limits: { outputLength: 1000 } },
      'A string exceeds 1000 characters',
      1,
      52,
    ],
    [
      'a string grown by concatenation',
      '#set($s = "ab")#foreach($i in [1..20])#set($s = $s + $s)#end',
      { limits: { outputLength: 1000 } },
      'A string exceeds 1000 characters',
      1,
      52,
    ],
    [
      'a string grown by a method',
      '#set($s = "ab")#foreach($i in [1..20])#set($s = $s.concat($s))#end',
      { limits: { outputLength: 1000 } },
      'A string exceeds 1000 characters',
      1,
      49,
    ],
    [
      'a list grown too long',
      '#set($l = [1])#foreach($i in [1..20])#set($x = $l.addAll($l))#end',
      { limits: { collectionSize: 100 } },
      'A collection exceeds 100 elements',
      1,
      48,
    ],
    [
      'a range too large',
      '#foreach($i in [1..1000000000])#end',
      {},
      'A range exceeds 1000000 elements',
      1,
      16,
    ],
    [
      'a macro calling itself forever',
      '#macro(m)#m()#end#m()',
      {},
      '#m nests more than 20 calls deep',
      1,
      10,
    ],
    ['a block that prints itself', '#define($a)$a#end$a', {}, '$a nests more than 20 calls deep', 1, 1],
  ])('%s', (_, template, options, reason, line, column) => {
    expect(failure(template, options)).toMatchObject({ reason, line, column });
  });

  it('the default limits let a large but finite template through', () => {
    const output = render('#foreach($a in [1..1000])#foreach($b in [1..100])#end#end done');
    expect(output).toBe(' done');
  });
});

describe('evaluateTemplate', () => {
  it('returns $context as the template left it, as plain values', () => {
    const template = parseTemplate(
      '#set($context.responseOverride.status = 400)#set($context.responseOverride.header.ratio = 0.5)',
    );
    const result = evaluateTemplate(template, {
      input: { body: '', params: { path: {}, querystring: {}, header: {} } },
      context: { responseOverride: { header: {} } },
      stageVariables: {},
    });
    expect(result).toEqual({
      output: '',
      context: { responseOverride: { header: { ratio: 0.5 }, status: 400 } },
    });
  });
});
