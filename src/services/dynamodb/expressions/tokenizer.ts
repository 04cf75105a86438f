/**
 * The expression language's tokens, one lexer for all five kinds of expression. A bare name
 * starts with a letter and goes on with letters, digits and `_`; `#…` and `:…` are expression
 * attribute names and values; a list index is `0` or a digit run not starting with zero; the
 * nine keywords are recognised in any case. Any other character is a token of its own that no
 * rule accepts, so it surfaces as a syntax error naming it.
 */
import { ExpressionError } from './errors.js';

type TokenType =
  'name' | 'attributeName' | 'attributeValue' | 'index' | 'keyword' | 'punctuation' | 'invalid' | 'end';

export interface Token {
  type: TokenType;
  /** The text as written; keywords upper-cased, the end of input `<EOF>` as DynamoDB calls it. */
  text: string;
  start: number;
  end: number;
}

const KEYWORDS: ReadonlySet<string> = new Set([
  'AND',
  'OR',
  'NOT',
  'BETWEEN',
  'IN',
  'SET',
  'REMOVE',
  'ADD',
  'DELETE',
]);

const TWO_CHARACTER_OPERATORS = ['<>', '<=', '>='];
const PUNCTUATION = '=<>()[],.+-';

const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isDigit = (c: string) => c >= '0' && c <= '9';
const isWordCharacter = (c: string) => isLetter(c) || isDigit(c) || c === '_';
const isWhitespace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** The tokens of `text`, always ending with the `end` token. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  const wordEnd = (from: number) => {
    let end = from;
    while (end < text.length && isWordCharacter(text.charAt(end))) end++;
    return end;
  };
  while (at < text.length) {
    const c = text.charAt(at);
    if (isWhitespace(c)) {
      at++;
      continue;
    }
    const start = at;
    let type: TokenType;
    if (isLetter(c)) {
      at = wordEnd(at);
      type = KEYWORDS.has(text.slice(start, at).toUpperCase()) ? 'keyword' : 'name';
    } else if (c === '#' || c === ':') {
      at = wordEnd(at + 1);
      if (at === start + 1) type = 'invalid';
      else type = c === '#' ? 'attributeName' : 'attributeValue';
    } else if (isDigit(c)) {
      at++;
      if (c !== '0') while (at < text.length && isDigit(text.charAt(at))) at++;
      type = 'index';
    } else if (TWO_CHARACTER_OPERATORS.includes(text.slice(at, at + 2))) {
      at += 2;
      type = 'punctuation';
    } else if (PUNCTUATION.includes(c)) {
      at++;
      type = 'punctuation';
    } else {
      // One whole code point, so an emoji is reported as itself rather than half a surrogate pair.
      at += (text.codePointAt(at) ?? 0) > 0xffff ? 2 : 1;
      type = 'invalid';
    }
    const written = text.slice(start, at);
    tokens.push({ type, text: type === 'keyword' ? written.toUpperCase() : written, start, end: at });
  }
  tokens.push({ type: 'end', text: '<EOF>', start: text.length, end: text.length });
  return tokens;
}

/**
 * DynamoDB's syntax error: the token where reading stopped, and the expression's text from the
 * start of the token before it to the end of the token after it (the end of input included, so
 * trailing blanks show).
 */
export function syntaxError(text: string, tokens: Token[], at: number): ExpressionError {
  const token = tokens[at] as Token;
  const from = at > 0 ? (tokens[at - 1] as Token).start : 0;
  const to = (tokens[at + 1] ?? token).end;
  const written = token.type === 'keyword' ? text.slice(token.start, token.end) : token.text;
  return new ExpressionError(`Syntax error; token: "${written}", near: "${text.slice(from, to)}"`);
}
