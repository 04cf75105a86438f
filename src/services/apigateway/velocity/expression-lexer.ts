/**
 * Tokens inside directive arguments and method arguments: numbers, strings, words (`true`, `in`,
 * `and`, …) and operators. A `$` is only announced: the reference after it is read by the parser
 * straight from the scanner, since references nest expressions of their own.
 */
import { isIdentifierStart, isWordPart, readWhile, type Scanner } from './scanner.js';

export type Token =
  | { kind: 'number'; text: string; start: number }
  | { kind: 'string'; quote: '"' | "'"; content: string; contentStart: number; start: number }
  | { kind: 'word'; text: string; start: number }
  | { kind: 'symbol'; text: string; start: number }
  | { kind: 'dollar'; start: number }
  | { kind: 'end'; start: number };

const symbols = [
  '..',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  '=',
  '<',
  '>',
];
const singleSymbols = '+-*/%!';

export function skipSpace(scanner: Scanner): void {
  readWhile(scanner, (ch) => /\s/.test(ch));
}

/** The next token, without moving past it. */
export function peekToken(scanner: Scanner): Token {
  const pos = scanner.pos;
  const token = readToken(scanner);
  scanner.pos = pos;
  return token;
}

/** The next token, moving past it (a `dollar` token moves only past the white space before it). */
export function readToken(scanner: Scanner): Token {
  skipSpace(scanner);
  const start = scanner.pos;
  const ch = scanner.peek();
  if (scanner.atEnd) return { kind: 'end', start };
  if (ch === '$') return { kind: 'dollar', start };
  if (/[0-9]/.test(ch)) return { kind: 'number', text: readNumber(scanner), start };
  if (ch === '"' || ch === "'") return readString(scanner, ch);
  if (isIdentifierStart(ch)) return { kind: 'word', text: readWhile(scanner, isWordPart), start };
  const symbol =
    symbols.find((each) => scanner.startsWith(each)) ?? (singleSymbols.includes(ch) ? ch : undefined);
  if (symbol === undefined) throw scanner.error(`Unexpected character '${ch}' in expression`);
  scanner.pos += symbol.length;
  return { kind: 'symbol', text: symbol, start };
}

/** Digits with an optional fraction; `1..3` is a range, not the number `1.`. */
function readNumber(scanner: Scanner): string {
  const start = scanner.pos;
  readWhile(scanner, (ch) => /[0-9]/.test(ch));
  if (scanner.peek() === '.' && /[0-9]/.test(scanner.peek(1))) {
    scanner.pos++;
    readWhile(scanner, (ch) => /[0-9]/.test(ch));
  }
  return scanner.text.slice(start, scanner.pos);
}

/**
 * A string literal as Velocity 1.7 reads one: a backslash keeps the character after it in the
 * string (so `"\\'"` is the three characters `\\'`, the regex the AWS docs pass to `replaceAll`),
 * nothing is unescaped, and a doubled quote stands for the quote.
 */
function readString(scanner: Scanner, quote: '"' | "'"): Token {
  const start = scanner.pos;
  scanner.pos++;
  const contentStart = scanner.pos;
  let content = '';
  for (;;) {
    if (scanner.atEnd) throw scanner.error('Unterminated string literal', start);
    const ch = scanner.peek();
    if (ch === quote) {
      if (scanner.peek(1) !== quote) break;
      content += quote;
      scanner.pos += 2;
    } else if (ch === '\\' && scanner.pos + 1 < scanner.text.length) {
      content += ch + scanner.peek(1);
      scanner.pos += 2;
    } else {
      content += ch;
      scanner.pos++;
    }
  }
  scanner.pos++;
  return { kind: 'string', quote, content, contentStart, start };
}
