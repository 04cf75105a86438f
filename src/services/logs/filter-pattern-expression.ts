/**
 * The pieces JSON patterns (`{ $.a = 1 && $.b != x }`) and space-delimited patterns
 * (`[ip, status = 4* || status = 5*, bytes > 1000]`) share: the error type, a lexer for their condition
 * language, value comparisons (exact strings with `*` at either end, numbers, `%regex%`) and a parser for
 * `&&` / `||` / parentheses. Everything here runs once per pattern; what it returns are closures that run
 * once per log event.
 */

/** Thrown by `compileFilterPattern` for a pattern CloudWatch Logs would reject; the message says what is wrong. */
export class FilterPatternSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterPatternSyntaxError';
  }
}

export type Predicate<Context> = (context: Context) => boolean;

/** A value a comparison can look at: a JSON string/number/boolean, or a space-delimited field (always text). */
export type ScalarValue = string | number | boolean;

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Token =
  | { kind: 'lparen' | 'rparen' | 'and' | 'or' | 'comma'; at: number }
  | { kind: 'operator'; operator: ComparisonOperator; at: number }
  | { kind: 'quoted'; text: string; at: number }
  | { kind: 'regex'; source: string; at: number }
  | { kind: 'word'; text: string; at: number };

// The docs' number grammar: optional sign, integer or decimal, optional exponent (`+1000`, `55.5`, `10e-3`).
const NUMBER_LITERAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

// "Filter patterns with regex can only include" letters, digits, the symbols : _ # = @ / ; , - and the
// operators ^ $ ? [ ] { } | \ * + . — so no parentheses, no spaces (use \s) and no multi-byte characters.
const REGEX_ALLOWED_CHARACTER = /^[A-Za-z0-9:_#=@/;,\-^$?[\]{}|\\*+.]$/;

// The documented quota for regular expressions inside one JSON or space-delimited pattern.
const MAX_REGEXES_PER_STRUCTURED_PATTERN = 2;

export function syntaxError(what: string, at: number): FilterPatternSyntaxError {
  return new FilterPatternSyntaxError(`Invalid filter pattern: ${what} at position ${at + 1}`);
}

/** Reads `"..."` starting at `start` (the opening quote); backslash escapes the next character, as the CDK emits. */
export function readQuoted(source: string, start: number): { text: string; end: number } {
  let text = '';
  for (let i = start + 1; i < source.length; i++) {
    const ch = source[i];
    if (ch === '"') return { text, end: i + 1 };
    if (ch === '\\' && i + 1 < source.length) {
      i++;
      text += source[i];
    } else {
      text += ch;
    }
  }
  throw syntaxError('unterminated quoted string', start);
}

export function isWhitespace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

function endsWord(source: string, i: number): boolean {
  const ch = source[i] as string;
  if (isWhitespace(ch) || '()&|,=<>"'.includes(ch)) return true;
  return ch === '!' && source[i + 1] === '=';
}

/**
 * Splits the inside of `{ ... }` or `[ ... ]` into tokens. `offset` is where `body` starts in the whole
 * pattern, so positions in error messages point into what the user wrote.
 */
export function tokenizeCondition(body: string, offset: number): Token[] {
  const tokens: Token[] = [];
  let regexCount = 0;
  let i = 0;
  while (i < body.length) {
    const ch = body[i] as string;
    const at = offset + i;
    const pair = body.slice(i, i + 2);
    if (isWhitespace(ch)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : 'comma', at });
      i++;
    } else if (pair === '&&' || pair === '||') {
      tokens.push({ kind: pair === '&&' ? 'and' : 'or', at });
      i += 2;
    } else if (ch === '&' || ch === '|') {
      throw syntaxError(`'${ch}' must be doubled ('${ch}${ch}')`, at);
    } else if (pair === '!=' || pair === '<=' || pair === '>=') {
      tokens.push({ kind: 'operator', operator: pair, at });
      i += 2;
    } else if (pair === '==') {
      throw syntaxError("'==' is not an operator (use '=')", at);
    } else if (ch === '=' || ch === '<' || ch === '>') {
      tokens.push({ kind: 'operator', operator: ch, at });
      i++;
    } else if (ch === '"') {
      const quoted = readQuoted(body, i);
      tokens.push({ kind: 'quoted', text: quoted.text, at });
      i = quoted.end;
    } else if (ch === '%') {
      const close = body.indexOf('%', i + 1);
      if (close === -1) throw syntaxError("regular expression is missing its closing '%'", at);
      if (++regexCount > MAX_REGEXES_PER_STRUCTURED_PATTERN) {
        throw syntaxError(
          `more than ${MAX_REGEXES_PER_STRUCTURED_PATTERN} regular expressions in one pattern`,
          at,
        );
      }
      tokens.push({ kind: 'regex', source: body.slice(i + 1, close), at });
      i = close + 1;
    } else {
      let end = i + 1;
      while (end < body.length && !endsWord(body, end)) end++;
      tokens.push({ kind: 'word', text: body.slice(i, end), at });
      i = end;
    }
  }
  return tokens;
}

/** Reads a token list front to back; `end` is the position reported when tokens run out. */
export class TokenCursor {
  private index = 0;

  constructor(
    private readonly tokens: readonly Token[],
    readonly end: number,
  ) {}

  peek(): Token | undefined {
    return this.tokens[this.index];
  }

  next(expected: string): Token {
    const token = this.tokens[this.index++];
    if (!token) throw syntaxError(`expected ${expected} but the pattern ended`, this.end);
    return token;
  }

  atEnd(): boolean {
    return this.index >= this.tokens.length;
  }
}

/**
 * `a || b && c` with parentheses; `&&` binds tighter, as the docs' "() > && > ||" order of operations says.
 * `parseCondition` reads one comparison (`$.a = 1`, `status_code != 403`).
 */
export function parseBooleanExpression<Context>(
  cursor: TokenCursor,
  parseCondition: (cursor: TokenCursor) => Predicate<Context>,
): Predicate<Context> {
  const parsePrimary = (): Predicate<Context> => {
    if (cursor.peek()?.kind !== 'lparen') return parseCondition(cursor);
    cursor.next('(');
    const inner = parseOr();
    const close = cursor.next("')'");
    if (close.kind !== 'rparen') throw syntaxError("expected ')'", close.at);
    return inner;
  };
  const parseAnd = (): Predicate<Context> => {
    let left = parsePrimary();
    while (cursor.peek()?.kind === 'and') {
      cursor.next('&&');
      const [l, r] = [left, parsePrimary()];
      left = (context) => l(context) && r(context);
    }
    return left;
  };
  const parseOr = (): Predicate<Context> => {
    let left = parseAnd();
    while (cursor.peek()?.kind === 'or') {
      cursor.next('||');
      const [l, r] = [left, parseAnd()];
      left = (context) => l(context) || r(context);
    }
    return left;
  };
  return parseOr();
}

/**
 * Compiles the body of `%...%` to a RegExp that searches anywhere in its input (`%AUTHORIZED%` matches
 * "UNAUTHORIZED"). Only the documented characters are accepted; since `(` and `)` are not, a pattern
 * cannot nest quantifiers, which keeps backtracking over many events bounded.
 */
export function compileRegex(source: string, at: number): RegExp {
  if (source === '') throw syntaxError('empty regular expression', at);
  let translated = '';
  let inCharacterClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] as string;
    if (!REGEX_ALLOWED_CHARACTER.test(ch)) {
      throw syntaxError(`character '${ch}' is not supported in a regular expression`, at + 1 + i);
    }
    if (ch === '\\') {
      const escaped = source[i + 1];
      if (escaped === undefined) {
        throw syntaxError('regular expression ends with a lone backslash', at + 1 + i);
      }
      if (!REGEX_ALLOWED_CHARACTER.test(escaped)) {
        throw syntaxError(`character '${escaped}' is not supported in a regular expression`, at + 2 + i);
      }
      translated += ch + escaped;
      i++;
    } else if (inCharacterClass) {
      inCharacterClass = ch !== ']';
      translated += ch;
    } else {
      inCharacterClass = ch === '[';
      // The docs let either bound of {m,n} be omitted; JavaScript needs the lower one spelled out.
      translated += ch === '{' && source[i + 1] === ',' ? '{0' : ch;
    }
  }
  try {
    // 's': the docs define '.' as any single character, line breaks included.
    return new RegExp(translated, 's');
  } catch (error) {
    throw syntaxError(`invalid regular expression %${source}% (${(error as Error).message})`, at);
  }
}

function compileRegexMatcher(source: string, at: number): (text: string) => boolean {
  const regex = compileRegex(source, at);
  return (text) => regex.test(text);
}

function asNumber(value: ScalarValue): number | undefined {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && NUMBER_LITERAL.test(value) ? Number(value) : undefined;
}

/**
 * `*` is a wildcard only at the start or end ("*Event", "Event*", "*html*"); elsewhere it is literal, so
 * "Ev*ent" only matches "Ev*ent".
 */
function compileWildcardString(pattern: string): (text: string) => boolean {
  const leading = pattern.startsWith('*');
  const trailing = pattern.length > 1 && pattern.endsWith('*');
  const core = pattern.slice(leading ? 1 : 0, trailing ? -1 : undefined);
  if (leading && trailing) return (text) => text.includes(core);
  if (leading) return (text) => text.endsWith(core);
  if (trailing) return (text) => text.startsWith(core);
  return (text) => text === core;
}

function compareNumbers(operator: ComparisonOperator, actual: number, expected: number): boolean {
  switch (operator) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
  }
}

/**
 * Reads the value after an operator and returns the test for one scalar. A bare number compares
 * numerically (numeric text such as a space-delimited "404" counts as a number; other text is simply
 * not equal to it); a quoted or bare string matches the value's text exactly, with `*` wildcards;
 * `%regex%` searches the value's text.
 */
export function parseComparison(operator: ComparisonOperator, cursor: TokenCursor): Predicate<ScalarValue> {
  const value = cursor.next('a value');
  if (value.kind === 'word' && NUMBER_LITERAL.test(value.text)) {
    const expected = Number(value.text);
    return (actual) => {
      const actualNumber = asNumber(actual);
      if (actualNumber === undefined) return operator === '!=';
      return compareNumbers(operator, actualNumber, expected);
    };
  }
  if (value.kind !== 'word' && value.kind !== 'quoted' && value.kind !== 'regex') {
    throw syntaxError(`expected a value after '${operator}'`, value.at);
  }
  if (operator !== '=' && operator !== '!=') {
    throw syntaxError(`'${operator}' compares numbers only`, value.at);
  }
  const matchesText =
    value.kind === 'regex' ? compileRegexMatcher(value.source, value.at) : compileWildcardString(value.text);
  return operator === '='
    ? (actual) => matchesText(String(actual))
    : (actual) => !matchesText(String(actual));
}
