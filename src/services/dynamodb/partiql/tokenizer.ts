/**
 * PartiQL's tokens as DynamoDB reads them: bare names (a reserved word among them is a keyword,
 * in any case), `"quoted"` names and `'quoted'` strings (a doubled quote stands for itself),
 * numbers with an optional fraction and exponent, `?` parameters numbered in the order written,
 * and the operators and brackets — `<<` and `>>` being a bag's. `--` comments run to the end of
 * the line, `/* … *\/` ones to their close; an unclosed comment or string is a statement DynamoDB
 * cannot read at all, so its message has nothing after the colon.
 */
import { isKeyword } from './keywords.js';
import { malformed } from './errors.js';

export type TokenType =
  'name' | 'quoted' | 'keyword' | 'string' | 'number' | 'parameter' | 'operator' | 'end';

export interface Token {
  type: TokenType;
  /** The name, string or number as meant (quotes removed); keywords upper-cased. */
  text: string;
  /** For a parameter: its position among the statement's `?`, from 0. */
  index?: number;
}

const OPERATORS = [
  '<<',
  '>>',
  '<>',
  '!=',
  '<=',
  '>=',
  '||',
  '=',
  '<',
  '>',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  '.',
  ':',
  ';',
  '*',
  '+',
  '-',
  '/',
  '%',
];

const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$';
const isDigit = (c: string) => c >= '0' && c <= '9';
const isWhitespace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let parameters = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (isWhitespace(c)) {
      i++;
    } else if (text.startsWith('--', i)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw malformed('');
      i = end + 2;
    } else if (c === "'" || c === '"') {
      const { value, next } = quoted(text, i);
      tokens.push({ type: c === "'" ? 'string' : 'quoted', text: value });
      i = next;
    } else if (isDigit(c) || (c === '.' && isDigit(text[i + 1] ?? ''))) {
      const match = /^(\d*\.?\d*)([eE][+-]?\d+)?/.exec(text.slice(i))!;
      tokens.push({ type: 'number', text: match[0] });
      i += match[0].length;
    } else if (isLetter(c)) {
      let end = i + 1;
      while (end < text.length && (isLetter(text[end]!) || isDigit(text[end]!))) end++;
      const word = text.slice(i, end);
      tokens.push(
        isKeyword(word) ? { type: 'keyword', text: word.toUpperCase() } : { type: 'name', text: word },
      );
      i = end;
    } else if (c === '?') {
      tokens.push({ type: 'parameter', text: '?', index: parameters++ });
      i++;
    } else {
      const operator = OPERATORS.find((candidate) => text.startsWith(candidate, i));
      if (!operator) throw malformed('');
      tokens.push({ type: 'operator', text: operator });
      i += operator.length;
    }
  }
  tokens.push({ type: 'end', text: '' });
  return tokens;
}

/** A quoted string or name from its opening quote: its content and where it ends. */
function quoted(text: string, start: number): { value: string; next: number } {
  const quote = text[start]!;
  let value = '';
  let i = start + 1;
  for (;;) {
    const end = text.indexOf(quote, i);
    if (end < 0) throw malformed('');
    value += text.slice(i, end);
    if (text[end + 1] !== quote) return { value, next: end + 1 };
    value += quote;
    i = end + 2;
  }
}
