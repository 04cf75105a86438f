import { describe, expect, it } from 'vitest';
import { parseTemplate, renderTemplate } from './index.js';

/** `reference` printed, with `$s`, `$list` and `$map` set up. */
function call(reference: string): string {
  const template = `#set($s = " Hello, World ")#set($list = ["a", "b", "c"])#set($map = {"k": "v", "n": 1})${reference}`;
  const variables = {
    input: { body: '{}', params: { path: {}, querystring: {}, header: {} } },
    context: {},
    stageVariables: {},
  };
  return renderTemplate(parseTemplate(template), variables);
}

describe('String methods', () => {
  it.each([
    ['$s.length()', '14'],
    ['$s.trim()', 'Hello, World'],
    ['$s.toLowerCase()', ' hello, world '],
    ['$s.toUpperCase()', ' HELLO, WORLD '],
    ['$s.substring(1, 6)', 'Hello'],
    ['$s.substring(8)', 'World '],
    ['[$s.substring(5, 99)]', '[]'],
    ['$s.contains("World")', 'true'],
    ['$s.startsWith(" He")', 'true'],
    ['$s.startsWith("He", 1)', 'true'],
    ['$s.endsWith("d ")', 'true'],
    ['$s.equals(" Hello, World ")', 'true'],
    ['#set($t = "ABC")$t.equalsIgnoreCase("abc")', 'true'],
    ['#set($t = "abc")$t.equals(1)', 'false'],
    ['$s.isEmpty()', 'false'],
    ['#set($t = "")$t.isEmpty()', 'true'],
    ['$s.empty', 'false'],
    ['$s.indexOf("o")', '5'],
    ['$s.indexOf("o", 6)', '9'],
    ['$s.lastIndexOf("o")', '9'],
    ['$s.indexOf("zz")', '-1'],
    ['$s.charAt(1)', 'H'],
    ['#set($t = "a.b.c")$t.replace(".", "$")', 'a$b$c'],
    ['#set($t = "abc")$t.replace("", "-")', '-a-b-c-'],
    ['#set($t = "a1b22c")$t.replaceAll("[0-9]+", "#")', 'a#b#c'],
    ['#set($t = "john smith")$t.replaceAll("(\\w+) (\\w+)", "$2, $1")', 'smith, john'],
    ['#set($t = "a.b")$t.replaceAll("\\.", "\\$")', 'a$b'],
    ['#set($t = "x1y2")$t.replaceFirst("[0-9]", "_")', 'x_y2'],
    ['#set($t = "it\\\'s")$t.replaceAll("\\\\\'", "\'")', "it's"],
    ['#set($t = "Hi There")$t.replaceAll("(?i)h", "J")', 'Ji TJere'],
    ['#set($t = "a,b,,c,,")$t.split(",")', '[a, b, , c]'],
    ['#set($t = "a1b2c3")$t.split("[0-9]")', '[a, b, c]'],
    ['#set($t = "abc")$t.split("")', '[a, b, c]'],
    ['#set($t = "a,b,c")$t.split(",", 2)', '[a, b,c]'],
    ['#set($t = "a,b")$t.split(",").size()', '2'],
    ['#set($t = "abc123")$t.matches("[a-z]+[0-9]+")', 'true'],
    ['#set($t = "abc123")$t.matches("[a-z]+")', 'false'],
    ['#set($t = "a")$t.concat("b")', 'ab'],
    ['#set($t = "a")$t.compareTo("c")', '-2'],
    ['#set($t = "x")$t.toString()', 'x'],
  ])('%s is %s', (reference, expected) => {
    expect(call(reference)).toBe(expected);
  });

  it.each([
    ['an int argument that is a string', '$s.substring("1")'],
    ['a string argument that is a number', '$s.contains(1)'],
    ['an index out of range', '$s.charAt(99)'],
    ['a bad regex', '$s.replaceAll("(", "")'],
    ['a possessive quantifier JavaScript lacks', '$s.matches("a++")'],
    ['a bad group in the replacement', '$s.replaceAll("o", "$9")'],
    ['an unknown method', '$s.frobnicate()'],
    ['a prototype name', '$s.constructor()'],
  ])('%s gives null', (_, reference) => {
    expect(call(`[${reference}]`)).toBe('[]');
  });
});

describe('List methods', () => {
  it.each([
    ['$list.size()', '3'],
    ['$list.get(1)', 'b'],
    ['[$list.get(5)]', '[]'],
    ['$list[0]', 'a'],
    ['$list[-1]', 'c'],
    ['[$list[3]]', '[]'],
    ['$list.isEmpty()', 'false'],
    ['$list.empty', 'false'],
    ['[$list.size]', '[]'],
    ['$list.contains("b")', 'true'],
    ['$list.indexOf("c")', '2'],
    ['$list.add("d") $list', 'true [a, b, c, d]'],
    ['[$list.add(0, "z")] $list', '[] [z, a, b, c]'],
    ['$list.addAll(["d", "e"]) $list.size()', 'true 5'],
    ['$list.remove(0) $list', 'a [b, c]'],
    ['$list.remove("c") $list', 'true [a, b]'],
    ['$list.set(0, "A") $list', 'a [A, b, c]'],
    ['$list.subList(1, 3)', '[b, c]'],
    ['[$list.clear()]$list', '[][]'],
    ['$list.equals(["a", "b", "c"])', 'true'],
    ['$list.toString()', '[a, b, c]'],
  ])('%s is %s', (reference, expected) => {
    expect(call(reference)).toBe(expected);
  });
});

describe('Map methods', () => {
  it.each([
    ['$map.get("k")', 'v'],
    ['$map.k', 'v'],
    ['$map["n"]', '1'],
    ['[$map.missing]', '[]'],
    ['$map.size()', '2'],
    ['$map.isEmpty()', 'false'],
    ['[$map.empty]', '[]'],
    ['$map.containsKey("k")', 'true'],
    ['$map.containsKey("x")', 'false'],
    ['$map.containsValue(1)', 'true'],
    ['$map.keySet()', '[k, n]'],
    ['$map.values()', '[v, 1]'],
    ['#foreach($e in $map.entrySet())$e.key:$e.value;#end', 'k:v;n:1;'],
    ['#foreach($e in $map.entrySet())$e.getKey()=$e.getValue() #end', 'k=v n=1 '],
    ['$map.entrySet()', '[k=v, n=1]'],
    ['[$map.put("k", "w")] $map', '[v] {k=w, n=1}'],
    ['[$map.put("z", 2)] $map', '[] {k=v, n=1, z=2}'],
    ['[$map.putAll({"a": 0})] $map', '[] {k=v, n=1, a=0}'],
    ['$map.remove("k") $map', 'v {n=1}'],
    ['$map.getOrDefault("x", "d")', 'd'],
    ['#set($m = {1: "one"})$m.get(1) $m["1"]', 'one one'],
  ])('%s is %s', (reference, expected) => {
    expect(call(reference)).toBe(expected);
  });
});

describe('Number and boolean methods', () => {
  it.each([
    ['#set($Integer = 0)$Integer.parseInt("42")', '42'],
    ['#set($Integer = 0)[$Integer.parseInt("4x")]', '[]'],
    ['#set($Integer = 0)[$Integer.parseInt("9999999999")]', '[]'],
    ['#set($Long = 0)$Long.parseLong("9999999999")', '9999999999'],
    ['#set($Integer = 0)#set($n = $Integer.valueOf("7") + 1)$n', '8'],
    ['#set($Double = 0.0)$Double.parseDouble("2.5") $Double.valueOf("1")', '2.5 1.0'],
    ['#set($d = 2.75)$d.intValue() $d.doubleValue()', '2 2.75'],
    ['#set($n = 7)$n.doubleValue() $n.toString() $n.equals(7) $n.compareTo(9)', '7.0 7 true -1'],
    ['#set($b = true)$b.booleanValue() $b.parseBoolean("TRUE")', 'true true'],
  ])('%s is %s', (reference, expected) => {
    expect(call(reference)).toBe(expected);
  });
});
