/**
 * Expressions (directive arguments, method arguments, indexes) and references, by precedence
 * climbing: `||` < `&&` < `== !=` < `< > <= >=` < `+ -` < `* / %` < unary `! -`. Velocity's word
 * forms (`or and not eq ne lt gt le ge`) are the same operators.
 */
import type { BinaryOperator, Expression, Reference, Segment } from './ast.js';
import { TemplateError } from './errors.js';
import { peekToken, readToken, type Token } from './expression-lexer.js';
import { isIdentifierStart, isReferencePart, readWhile, type ParseContext, type Scanner } from './scanner.js';
import { JavaDouble, javaInteger } from './values.js';

const wordOperators: Record<string, BinaryOperator | '!'> = {
  or: '||',
  and: '&&',
  eq: '==',
  ne: '!=',
  lt: '<',
  gt: '>',
  le: '<=',
  ge: '>=',
  not: '!',
};

const levels: BinaryOperator[][] = [
  ['||'],
  ['&&'],
  ['==', '!='],
  ['<', '>', '<=', '>='],
  ['+', '-'],
  ['*', '/', '%'],
];

export function parseExpression(scanner: Scanner, context: ParseContext): Expression {
  return parseLevel(scanner, context, 0);
}

function operatorOf(token: Token): BinaryOperator | '!' | undefined {
  if (token.kind === 'word') return wordOperators[token.text];
  if (token.kind === 'symbol') return token.text as BinaryOperator | '!';
  return undefined;
}

function parseLevel(scanner: Scanner, context: ParseContext, level: number): Expression {
  const operators = levels[level];
  if (operators === undefined) return parseUnary(scanner, context);
  let left = parseLevel(scanner, context, level + 1);
  for (;;) {
    const token = peekToken(scanner);
    const operator = operatorOf(token);
    if (operator === undefined || operator === '!' || !operators.includes(operator)) return left;
    readToken(scanner);
    const right = parseLevel(scanner, context, level + 1);
    left = { kind: 'binary', operator, left, right, offset: scanner.absolute(token.start) };
  }
}

function parseUnary(scanner: Scanner, context: ParseContext): Expression {
  const token = peekToken(scanner);
  const operator = operatorOf(token);
  if (operator === '!') {
    readToken(scanner);
    return { kind: 'not', operand: parseUnary(scanner, context) };
  }
  if (operator === '-') {
    readToken(scanner);
    return { kind: 'negate', operand: parseUnary(scanner, context) };
  }
  return parsePrimary(scanner, context);
}

function parsePrimary(scanner: Scanner, context: ParseContext): Expression {
  const token = peekToken(scanner);
  if (token.kind === 'dollar') {
    scanner.pos = token.start;
    return { kind: 'reference', reference: parseExpressionReference(scanner, context) };
  }
  readToken(scanner);
  switch (token.kind) {
    case 'number':
      return { kind: 'literal', value: numberLiteral(token.text) };
    case 'string':
      return stringLiteral(scanner, context, token);
    case 'word':
      if (token.text === 'true' || token.text === 'false')
        return { kind: 'literal', value: token.text === 'true' };
      if (token.text === 'null') return { kind: 'literal', value: null };
      break;
    case 'symbol':
      if (token.text === '(') {
        const inner = parseExpression(scanner, context);
        expectSymbol(scanner, ')');
        return inner;
      }
      if (token.text === '[') return parseListOrRange(scanner, context, token.start);
      if (token.text === '{') return parseMap(scanner, context);
      break;
  }
  throw scanner.error(
    token.kind === 'end' ? 'Expression ends too early' : 'Malformed expression',
    token.start,
  );
}

function numberLiteral(text: string): JavaDouble | number | bigint {
  return text.includes('.') ? new JavaDouble(Number(text)) : javaInteger(BigInt(text));
}

function stringLiteral(
  scanner: Scanner,
  context: ParseContext,
  token: Token & { kind: 'string' },
): Expression {
  // Only double-quoted strings interpolate, and only when there is something to interpolate.
  if (token.quote === "'" || !/[$#]/.test(token.content)) return { kind: 'literal', value: token.content };
  return {
    kind: 'interpolated',
    nodes: context.parseInterpolated(scanner.nested(token.content, token.contentStart)),
  };
}

function parseListOrRange(scanner: Scanner, context: ParseContext, start: number): Expression {
  if (peekSymbol(scanner, ']')) {
    readToken(scanner);
    return { kind: 'list', items: [] };
  }
  const first = parseExpression(scanner, context);
  if (peekSymbol(scanner, '..')) {
    readToken(scanner);
    const to = parseExpression(scanner, context);
    expectSymbol(scanner, ']');
    return { kind: 'range', from: first, to, offset: scanner.absolute(start) };
  }
  const items = [first];
  while (!peekSymbol(scanner, ']')) {
    expectSeparator(scanner, ']');
    items.push(parseExpression(scanner, context));
  }
  readToken(scanner);
  return { kind: 'list', items };
}

function parseMap(scanner: Scanner, context: ParseContext): Expression {
  const entries: [Expression, Expression][] = [];
  while (!peekSymbol(scanner, '}')) {
    if (entries.length > 0) expectSeparator(scanner, '}');
    const key = parseExpression(scanner, context);
    expectSymbol(scanner, ':');
    entries.push([key, parseExpression(scanner, context)]);
  }
  readToken(scanner);
  return { kind: 'map', entries };
}

/** `(a, b, …)` after a method name; the scanner is at the `(`. */
export function parseArguments(scanner: Scanner, context: ParseContext): Expression[] {
  expectSymbol(scanner, '(');
  const args: Expression[] = [];
  while (!peekSymbol(scanner, ')')) {
    if (args.length > 0) expectSeparator(scanner, ')');
    args.push(parseExpression(scanner, context));
  }
  readToken(scanner);
  return args;
}

export function peekSymbol(scanner: Scanner, symbol: string): boolean {
  const token = peekToken(scanner);
  return token.kind === 'symbol' && token.text === symbol;
}

/** The `,` between items of a list, map or argument list that `closing` ends. */
function expectSeparator(scanner: Scanner, closing: string): void {
  const token = readToken(scanner);
  if (token.kind === 'symbol' && token.text === ',') return;
  throw scanner.error(
    token.kind === 'end' ? `Expected '${closing}' before the end` : `Expected ',' or '${closing}'`,
    token.start,
  );
}

export function expectSymbol(scanner: Scanner, symbol: string): void {
  const token = readToken(scanner);
  if (token.kind !== 'symbol' || token.text !== symbol) {
    throw scanner.error(
      token.kind === 'end' ? `Expected '${symbol}' before the end` : `Expected '${symbol}'`,
      token.start,
    );
  }
}

/** A reference at `$` inside an expression. */
export function parseExpressionReference(scanner: Scanner, context: ParseContext): Reference {
  const reference = parseReference(scanner, context, 'expression');
  if (reference === null) throw scanner.error('Malformed reference');
  return reference;
}

/**
 * A reference at `$`. In text, something that is not a reference (`$5`, a lone `$`, `$a[` with no
 * index after it) gives null and leaves the scanner where it was, for the caller to print as text;
 * in an expression it is an error.
 */
export function parseReference(
  scanner: Scanner,
  context: ParseContext,
  mode: 'text' | 'expression',
): Reference | null {
  const start = scanner.pos;
  scanner.pos++;
  const quiet = scanner.peek() === '!';
  if (quiet) scanner.pos++;
  const formal = scanner.peek() === '{';
  if (formal) scanner.pos++;
  if (!isIdentifierStart(scanner.peek())) {
    if (mode === 'expression') throw scanner.error('Malformed reference', start);
    scanner.pos = start;
    return null;
  }
  const name = readWhile(scanner, isReferencePart);
  const segments = parseSegments(scanner, context, mode);
  if (formal) {
    if (scanner.peek() !== '}') throw scanner.error(`Expected '}' to close the reference`, start);
    scanner.pos++;
  }
  const source = scanner.text.slice(start, scanner.pos);
  return { name, quiet, segments, source, offset: scanner.absolute(start) };
}

function parseSegments(scanner: Scanner, context: ParseContext, mode: 'text' | 'expression'): Segment[] {
  const segments: Segment[] = [];
  for (;;) {
    if (scanner.peek() === '.' && isIdentifierStart(scanner.peek(1))) {
      scanner.pos++;
      const name = readWhile(scanner, isReferencePart);
      segments.push(
        scanner.peek() === '('
          ? { kind: 'method', name, args: parseArguments(scanner, context) }
          : { kind: 'property', name },
      );
    } else if (scanner.peek() === '[') {
      const index = parseIndex(scanner, context, mode);
      if (index === undefined) return segments;
      segments.push({ kind: 'index', index });
    } else {
      return segments;
    }
  }
}

/** `[expression]`; in text, `[` with no index after it is text and gives undefined. */
function parseIndex(
  scanner: Scanner,
  context: ParseContext,
  mode: 'text' | 'expression',
): Expression | undefined {
  const start = scanner.pos;
  scanner.pos++;
  try {
    const index = parseExpression(scanner, context);
    expectSymbol(scanner, ']');
    return index;
  } catch (error) {
    if (mode === 'expression' || !(error instanceof TemplateError)) throw error;
    scanner.pos = start;
    return undefined;
  }
}
