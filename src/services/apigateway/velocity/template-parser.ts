/**
 * Template text to nodes: plain text, `$references`, `#directives`, comments and escapes.
 *
 * White space follows Velocity 1.7, whose rules give exactly the output the AWS docs show for their
 * templates (API Gateway also takes 1.x's hyphenated names, `$context.requestOverride.header.X-Amz-Target`,
 * which Velocity 2 refuses by default):
 * - `#set` takes the spaces and tabs before it;
 * - the `)` closing a directive's arguments, and `#else` and `#end`, take the rest of their line
 *   when only spaces or tabs follow before the line break;
 * - `## comment` takes its line break, `#* … *#` nothing more.
 * So a line holding `  #if($foreach.hasNext),#end` prints `  ,` and no line break, which is how the
 * AWS docs' templates come out as the JSON the docs show.
 */
import type { MacroDefinition, Node, Template } from './ast.js';
import { directiveNames, parseDirective } from './directive-parser.js';
import { TemplateError } from './errors.js';
import { parseReference } from './expression-parser.js';
import { NodeList, skipLineBreak } from './node-list.js';
import {
  isIdentifierStart,
  isWordPart,
  readWhile,
  Scanner,
  type ParseContext,
  type Terminator,
} from './scanner.js';

export function parseTemplate(text: string): Template {
  const macros = new Map<string, MacroDefinition>();
  const context: ParseContext = {
    macros,
    parseInterpolated: (scanner) => parseNodes(scanner, context, []).nodes,
    parseBlock: (scanner, terminators) => parseNodes(scanner, context, terminators),
  };
  try {
    const { nodes } = parseNodes(new Scanner(text, { source: text, offset: 0 }), context, []);
    return { source: text, nodes, macros };
  } catch (error) {
    if (error instanceof RangeError) throw new TemplateError('Template nests too deeply', 1, 1);
    throw error;
  }
}

/**
 * Nodes up to the end of the scanner's text or to one of `terminators` (`#elseif`, `#else`, `#end`),
 * which is consumed and returned.
 */
function parseNodes(
  scanner: Scanner,
  context: ParseContext,
  terminators: readonly string[],
): { nodes: Node[]; terminator?: Terminator } {
  const list = new NodeList();
  while (!scanner.atEnd) {
    const ch = scanner.peek();
    if (ch === '\\') {
      parseBackslashes(scanner, context, list);
    } else if (ch === '$') {
      const reference = parseReference(scanner, context, 'text');
      if (reference) {
        list.add({ kind: 'output', reference });
      } else {
        list.addText('$');
        scanner.pos++;
      }
    } else if (ch === '#') {
      const terminator = parseHash(scanner, context, list, terminators);
      if (terminator) return { nodes: list.finish(), terminator };
    } else {
      list.addText(readWhile(scanner, (each) => each !== '\\' && each !== '$' && each !== '#'));
    }
  }
  return { nodes: list.finish() };
}

function parseHash(
  scanner: Scanner,
  context: ParseContext,
  list: NodeList,
  terminators: readonly string[],
): Terminator | undefined {
  if (scanner.startsWith('##')) {
    readWhile(scanner, (ch) => ch !== '\n' && ch !== '\r');
    skipLineBreak(scanner);
    return undefined;
  }
  if (scanner.startsWith('#*')) {
    scanner.pos = skipPast(scanner, '*#', 'Unterminated #* comment *#');
    return undefined;
  }
  if (scanner.startsWith('#[[')) {
    const end = skipPast(scanner, ']]#', 'Unterminated #[[ unparsed content ]]#');
    list.addText(scanner.text.slice(scanner.pos + 3, end - 3));
    scanner.pos = end;
    return undefined;
  }
  const directive = peekDirectiveName(scanner, context);
  if (directive === undefined) {
    list.addText('#');
    scanner.pos++;
    return undefined;
  }
  return parseDirective(scanner, context, list, directive, terminators);
}

/** `#name` or `#{name}` at the scanner when `name` is a directive or a macro defined so far. */
export function peekDirectiveName(
  scanner: Scanner,
  context: ParseContext,
): { name: string; length: number } | undefined {
  const bracketed = scanner.peek(1) === '{';
  let end = scanner.pos + (bracketed ? 2 : 1);
  if (!isIdentifierStart(scanner.text[end] ?? '')) return undefined;
  const nameStart = end;
  while (isWordPart(scanner.text[end] ?? '')) end++;
  const name = scanner.text.slice(nameStart, end);
  if (bracketed) {
    if (scanner.text[end] !== '}') return undefined;
    end++;
  }
  if (!directiveNames.has(name) && !context.macros.has(name)) return undefined;
  return { name, length: end - scanner.pos };
}

/**
 * Backslashes before a reference or directive escape it: each pair prints one backslash, and an odd
 * one left over makes the reference or directive print as written. Velocity 1.7 prints an escaped
 * reference that is null with its backslash still on (`\$nothing`); here the backslash always goes,
 * which is what a template author means by it.
 */
function parseBackslashes(scanner: Scanner, context: ParseContext, list: NodeList): void {
  const run = readWhile(scanner, (ch) => ch === '\\');
  const next = scanner.peek();
  const directive = next === '#' ? peekDirectiveName(scanner, context) : undefined;
  if (!(next === '$' && startsReference(scanner)) && directive === undefined) {
    list.addText(run);
    return;
  }
  list.addText('\\'.repeat(Math.floor(run.length / 2)));
  if (run.length % 2 === 0) return;
  if (directive !== undefined) {
    list.addText(scanner.text.slice(scanner.pos, scanner.pos + directive.length));
    scanner.pos += directive.length;
    return;
  }
  const reference = parseReference(scanner, context, 'text');
  list.addText(reference?.source ?? '');
}

function startsReference(scanner: Scanner): boolean {
  let ahead = 1;
  if (scanner.peek(ahead) === '!') ahead++;
  if (scanner.peek(ahead) === '{') ahead++;
  return isIdentifierStart(scanner.peek(ahead));
}

/** The position after `end`, searching from after the opening sequence; an error when it is missing. */
function skipPast(scanner: Scanner, end: string, reason: string): number {
  const found = scanner.text.indexOf(end, scanner.pos + 2);
  if (found < 0) throw scanner.error(reason);
  return found + end.length;
}
