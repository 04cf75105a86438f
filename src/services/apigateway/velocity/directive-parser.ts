/**
 * The directives: `#set`, `#if`/`#elseif`/`#else`, `#foreach`, `#break`, `#stop`, `#macro` and its
 * calls, `#define`, and the `#elseif`/`#else`/`#end` that close blocks. The scanner is at the `#`.
 */
import type { Expression, Node } from './ast.js';
import { peekToken, readToken, skipSpace } from './expression-lexer.js';
import {
  expectSymbol,
  parseArguments,
  parseExpression,
  parseExpressionReference,
  peekSymbol,
} from './expression-parser.js';
import { type NodeList, skipRestOfLine } from './node-list.js';
import {
  isIdentifierStart,
  isWordPart,
  readWhile,
  type ParseContext,
  type Scanner,
  type Terminator,
} from './scanner.js';

/** The directives this engine knows; `#parse`, `#include` and `#evaluate` need files API Gateway does not have. */
export const directiveNames: ReadonlySet<string> = new Set([
  'set',
  'if',
  'elseif',
  'else',
  'end',
  'foreach',
  'break',
  'stop',
  'macro',
  'define',
]);

const closingDirectives: Record<string, string> = {
  elseif: '#elseif without a matching #if',
  else: '#else without a matching #if',
  end: '#end without a matching #if, #foreach, #macro or #define',
};

/**
 * Parses the directive `name` (spelled over `length` characters, `#name` or `#{name}`) into
 * `list`, or returns it when it is one of `terminators`.
 */
export function parseDirective(
  scanner: Scanner,
  context: ParseContext,
  list: NodeList,
  { name, length }: { name: string; length: number },
  terminators: readonly string[],
): Terminator | undefined {
  const start = scanner.pos;
  const reason = closingDirectives[name];
  if (reason !== undefined) {
    if (!terminators.includes(name)) throw scanner.error(reason);
    scanner.pos += length;
    if (name !== 'elseif') skipRestOfLine(scanner);
    return { name, start };
  }
  if (!directiveNames.has(name)) {
    parseMacroCall(scanner, context, list, name, length);
    return undefined;
  }
  scanner.pos += length;
  switch (name) {
    case 'set':
      // `#set` takes the spaces and tabs before it.
      list.trimTrailingSpace();
      list.add(parseSet(scanner, context, start));
      break;
    case 'if':
      list.add(parseIf(scanner, context, start));
      break;
    case 'foreach':
      list.add(parseForeach(scanner, context, start));
      break;
    case 'break':
    case 'stop':
      // `#break($foreach)` names the scope to leave; the innermost loop or macro is the only one here.
      if (scanner.peek() === '(') parseArguments(scanner, context);
      list.add({ kind: name });
      break;
    case 'macro':
      parseMacroDefinition(scanner, context, start);
      break;
    case 'define':
      list.add(parseDefine(scanner, context, start));
      break;
  }
  return undefined;
}

function openArguments(scanner: Scanner, directive: string, start: number): void {
  readWhile(scanner, (ch) => ch === ' ' || ch === '\t');
  if (scanner.peek() !== '(') throw scanner.error(`Expected '(' after #${directive}`, start);
  scanner.pos++;
}

/** The `)` ending a directive's arguments, with the rest of its line when nothing else is on it. */
function closeArguments(scanner: Scanner): void {
  expectSymbol(scanner, ')');
  skipRestOfLine(scanner);
}

/** A block's nodes up to one of `terminators`; an error at the directive that opened it if none comes. */
function parseBody(
  scanner: Scanner,
  context: ParseContext,
  terminators: readonly string[],
  directive: string,
  start: number,
): { nodes: Node[]; terminator: Terminator } {
  const { nodes, terminator } = context.parseBlock(scanner, terminators);
  if (terminator === undefined) throw scanner.error(`#${directive} is missing its #end`, start);
  return { nodes, terminator };
}

function parseSet(scanner: Scanner, context: ParseContext, start: number): Node {
  openArguments(scanner, 'set', start);
  skipSpace(scanner);
  if (scanner.peek() !== '$') throw scanner.error('Expected a reference to #set');
  const target = parseExpressionReference(scanner, context);
  if (target.segments.at(-1)?.kind === 'method') throw scanner.error('Cannot #set a method call', start);
  expectSymbol(scanner, '=');
  const value = parseExpression(scanner, context);
  closeArguments(scanner);
  return { kind: 'set', target, value };
}

function parseIf(scanner: Scanner, context: ParseContext, start: number): Node {
  const branches: { condition: Expression; body: Node[] }[] = [];
  let directive = 'if';
  let directiveStart = start;
  for (;;) {
    openArguments(scanner, directive, directiveStart);
    const condition = parseExpression(scanner, context);
    closeArguments(scanner);
    const { nodes, terminator } = parseBody(scanner, context, ['elseif', 'else', 'end'], 'if', start);
    branches.push({ condition, body: nodes });
    if (terminator.name === 'end') return { kind: 'if', branches, otherwise: [] };
    if (terminator.name === 'else') {
      const otherwise = parseBody(scanner, context, ['end'], 'if', start).nodes;
      return { kind: 'if', branches, otherwise };
    }
    directive = 'elseif';
    directiveStart = terminator.start;
  }
}

function parseForeach(scanner: Scanner, context: ParseContext, start: number): Node {
  openArguments(scanner, 'foreach', start);
  const variable = parseVariableName(scanner, context);
  const keyword = readToken(scanner);
  if (keyword.kind !== 'word' || keyword.text !== 'in') throw scanner.error("Expected 'in'", keyword.start);
  const iterable = parseExpression(scanner, context);
  closeArguments(scanner);
  const { nodes } = parseBody(scanner, context, ['end'], 'foreach', start);
  return { kind: 'foreach', variable, iterable, body: nodes, offset: scanner.absolute(start) };
}

/** A plain `$name`, as `#foreach`, `#define` and `#macro` parameters take. */
function parseVariableName(scanner: Scanner, context: ParseContext): string {
  skipSpace(scanner);
  const at = scanner.pos;
  if (scanner.peek() !== '$') throw scanner.error('Expected a variable', at);
  const reference = parseExpressionReference(scanner, context);
  if (reference.segments.length > 0) throw scanner.error('Expected a variable', at);
  return reference.name;
}

function parseDefine(scanner: Scanner, context: ParseContext, start: number): Node {
  openArguments(scanner, 'define', start);
  const name = parseVariableName(scanner, context);
  closeArguments(scanner);
  return { kind: 'define', name, body: parseBody(scanner, context, ['end'], 'define', start).nodes };
}

/** `#macro(name $a $b)…#end`: registered while parsing, so later `#name(…)` calls are calls. */
function parseMacroDefinition(scanner: Scanner, context: ParseContext, start: number): void {
  openArguments(scanner, 'macro', start);
  skipSpace(scanner);
  if (!isIdentifierStart(scanner.peek())) throw scanner.error('Expected a macro name');
  const name = readWhile(scanner, isWordPart);
  const parameters: string[] = [];
  for (;;) {
    skipSpace(scanner);
    if (scanner.peek() === ',') scanner.pos++;
    if (peekSymbol(scanner, ')')) break;
    parameters.push(parseVariableName(scanner, context));
  }
  closeArguments(scanner);
  // Registered before its body is read, so that the macro can call itself.
  const definition = { parameters, body: [] as Node[] };
  context.macros.set(name, definition);
  definition.body = parseBody(scanner, context, ['end'], 'macro', start).nodes;
}

/** `#name(a b)` or `#name(a, b)`; without `(` the text is just text. */
function parseMacroCall(
  scanner: Scanner,
  context: ParseContext,
  list: NodeList,
  name: string,
  length: number,
): void {
  const start = scanner.pos;
  scanner.pos += length;
  readWhile(scanner, (ch) => ch === ' ' || ch === '\t');
  if (scanner.peek() !== '(') {
    scanner.pos = start + length;
    list.addText(scanner.text.slice(start, scanner.pos));
    return;
  }
  scanner.pos++;
  const args: Expression[] = [];
  for (;;) {
    const token = peekToken(scanner);
    if (token.kind === 'symbol' && token.text === ',') readToken(scanner);
    if (peekSymbol(scanner, ')')) break;
    args.push(parseExpression(scanner, context));
  }
  closeArguments(scanner);
  list.add({ kind: 'macroCall', name, args, offset: scanner.absolute(start) });
}
