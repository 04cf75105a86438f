/**
 * A streaming JSON reader that fails the way EventBridge's pattern parser fails. EventBridge reads a
 * pattern token by token and rejects it at the first problem, whether that is bad JSON or a bad
 * pattern, with the parser's own wording and a location suffix such as
 * `\n at [Source: (String)"{\"a\": 1}"; line: 1, column: 8]`. To give the same reason at the same
 * place, this reader keeps the same idea of "where it is":
 *
 * - after a field name, the value's first token has already been read (a number or literal whole,
 *   a string only up to its opening quote, a bracket itself);
 * - a string's text is read only when asked for (`text()`) or when the reader moves on;
 * - an unexpected character is reported at that character, everything else after what was read.
 *
 * Text after the first complete value is never read: EventBridge ignores it too.
 */

export type JsonToken =
  | 'startObject'
  | 'endObject'
  | 'startArray'
  | 'endArray'
  | 'fieldName'
  | 'string'
  | 'number'
  | 'true'
  | 'false'
  | 'null';

/** Bad JSON; the message ends with the location suffix. */
export class JsonSyntaxError extends Error {}

interface Context {
  type: 'root' | 'Array' | 'Object';
  line: number;
  column: number;
  entries: number;
}

const maxSnippet = 500;
const maxErrorToken = 256;
const validValues = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isControl = (code: number) => code < 0x20 || (code >= 0x7f && code <= 0x9f);

/** Java's idea of a character that starts (or continues) an identifier, which bounds a bad word. */
const identifierStart = /[\p{L}\p{Nl}\p{Sc}\p{Pc}]/u;
const identifierLetter = /[\p{L}\p{Nl}\p{Sc}\p{Pc}\p{Nd}\p{Mn}\p{Mc}]/u;
function isIdentifierPart(c: string): boolean {
  const code = c.charCodeAt(0);
  // Java also counts the control characters it ignores in identifiers: all but tab, LF, VT,
  // FF, CR and 0x1c-0x1f.
  return (
    identifierLetter.test(c) ||
    (isControl(code) && (code <= 8 || (code >= 0x0e && code <= 0x1b) || code >= 0x7f))
  );
}

/** How the parser names a character in its messages. */
export function describeChar(c: string): string {
  const code = c.charCodeAt(0);
  if (isControl(code)) return `(CTRL-CHAR, code ${code})`;
  if (code > 255) return `'${c}' (code ${code} / 0x${code.toString(16)})`;
  return `'${c}' (code ${code})`;
}

export class JsonReader {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private readonly contexts: Context[] = [{ type: 'root', line: 1, column: 0, entries: 0 }];
  private current: JsonToken | undefined;
  /** The value token read together with a field name, handed out by the next `next()`. */
  private pending: { token: JsonToken; text: string; line: number; column: number } | undefined;
  private tokenText = '';
  private name = '';
  private stringIncomplete = false;

  constructor(private readonly source: string) {}

  /** The next token, or undefined at the end of the input. */
  next(): JsonToken | undefined {
    if (this.current === 'fieldName' && this.pending) {
      const { token, text, line, column } = this.pending;
      this.pending = undefined;
      if (token === 'startArray' || token === 'startObject') this.open(token, line, column);
      this.tokenText = text;
      return (this.current = token);
    }
    if (this.stringIncomplete) this.readString('string value');
    let c = this.skipSpace();
    if (c === undefined) return (this.current = undefined);
    if (c === ']' || c === '}') return (this.current = this.close(c));
    const context = this.context;
    if (context.type !== 'root' && context.entries > 0) {
      if (c !== ',') this.unexpected(c, `was expecting comma to separate ${context.type} entries`);
      c = this.skipSpace(` within/between ${context.type} entries`)!;
    }
    context.entries++;
    if (context.type === 'Object') {
      if (c !== '"') this.unexpected(c, 'was expecting double-quote to start field name');
      const name = this.readString('name');
      c = this.skipSpace(' within/between Object entries')!;
      if (c !== ':') this.unexpected(c, 'was expecting a colon to separate field name and value');
      c = this.skipSpace(' within/between Object entries')!;
      const line = this.line;
      const column = this.pos - this.lineStart;
      const token = this.value(c);
      this.pending = { token, text: this.tokenText, line, column };
      this.name = name;
      return (this.current = 'fieldName');
    }
    const line = this.line;
    const column = this.pos - this.lineStart;
    const token = this.value(c);
    if (token === 'startArray' || token === 'startObject') this.open(token, line, column);
    return (this.current = token);
  }

  /** The current token's text: a field name, a string's content, a number as written, `]` … */
  text(): string {
    if (this.current === 'fieldName') return this.name;
    if (this.stringIncomplete) this.tokenText = this.readString('string value');
    return this.tokenText;
  }

  /** The suffix EventBridge appends to a reason: where the reader is now. */
  location(): string {
    return this.describe(this.line, this.pos - this.lineStart + 1);
  }

  private describe(line: number, column: number): string {
    return `\n at [${this.sourceAt(line, column)}]`;
  }

  private sourceAt(line: number, column: number): string {
    // Control characters other than CR and LF are shown escaped.
    const snippet = [...this.source.slice(0, maxSnippet)]
      .map((c) => {
        const code = c.charCodeAt(0);
        return isControl(code) && c !== '\r' && c !== '\n'
          ? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`
          : c;
      })
      .join('');
    const truncated =
      this.source.length > maxSnippet ? `[truncated ${this.source.length - maxSnippet} chars]` : '';
    return `Source: (String)"${snippet}"${truncated}; line: ${line}, column: ${column}`;
  }

  private get context(): Context {
    return this.contexts[this.contexts.length - 1]!;
  }

  private open(token: 'startArray' | 'startObject', line: number, column: number): void {
    this.contexts.push({ type: token === 'startArray' ? 'Array' : 'Object', line, column, entries: 0 });
  }

  private close(c: ']' | '}'): JsonToken {
    const context = this.context;
    const wanted = c === ']' ? 'Array' : 'Object';
    if (context.type !== wanted) {
      this.fail(
        `Unexpected close marker '${c}': expected '${c === ']' ? '}' : ']'}' (for ${context.type} starting at [${this.sourceAt(context.line, context.column)}])`,
      );
    }
    this.contexts.pop();
    this.tokenText = c;
    return c === ']' ? 'endArray' : 'endObject';
  }

  /** Reads the start of a value whose first character `c` was just consumed. */
  private value(c: string): JsonToken {
    switch (c) {
      case '"':
        this.stringIncomplete = true;
        return 'string';
      case '[':
        this.tokenText = '[';
        return 'startArray';
      case '{':
        this.tokenText = '{';
        return 'startObject';
      case 't':
      case 'f':
      case 'n': {
        const word = c === 't' ? 'true' : c === 'f' ? 'false' : 'null';
        this.literal(word);
        this.tokenText = word;
        return word;
      }
      case '-':
        return this.number(this.pos - 1);
      case ']':
        if (this.context.type !== 'Array') break;
        this.unexpected(c, 'expected a value');
        break;
      case ',':
      case '}':
        this.unexpected(c, 'expected a value');
    }
    if (isDigit(c)) return this.number(this.pos - 1);
    for (const word of ['NaN', 'Infinity']) {
      if (this.source.startsWith(word, this.pos - 1)) {
        this.pos += word.length - 1;
        this.fail(
          `Non-standard token '${word}': enable JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS to allow`,
        );
      }
    }
    if (identifierStart.test(c)) this.invalidToken(c);
    return this.unexpected(c, `expected a valid value ${validValues}`);
  }

  private literal(word: string): void {
    for (let i = 1; i < word.length; i++) {
      if (this.source[this.pos] !== word[i]) this.invalidToken(word.slice(0, i));
      this.pos++;
    }
    const after = this.source[this.pos];
    if (after !== undefined && isIdentifierPart(after)) this.invalidToken(word);
  }

  private number(start: number): JsonToken {
    if (this.source[start] === '-') {
      const c = this.source[this.pos];
      if (c === undefined) this.fail('Unexpected end-of-input in a Number value');
      if (!isDigit(c)) {
        this.pos++;
        this.numberChar(c, 'expected digit (0-9) to follow minus sign, for valid numeric value');
      }
      this.pos++;
    }
    if (this.source[this.pos - 1] === '0' && isDigit(this.source[this.pos])) {
      this.fail('Invalid numeric value: Leading zeroes not allowed');
    }
    this.digits();
    if (this.source[this.pos] === '.') {
      this.pos++;
      if (this.digits() === 0)
        this.numberChar(this.source[this.pos], 'Decimal point not followed by a digit');
    }
    if (this.source[this.pos] === 'e' || this.source[this.pos] === 'E') {
      this.pos++;
      if (this.source[this.pos] === '+' || this.source[this.pos] === '-') this.pos++;
      if (this.digits() === 0)
        this.numberChar(this.source[this.pos], 'Exponent indicator not followed by a digit');
    }
    this.tokenText = this.source.slice(start, this.pos);
    return 'number';
  }

  private digits(): number {
    const start = this.pos;
    while (isDigit(this.source[this.pos])) this.pos++;
    return this.pos - start;
  }

  private numberChar(c: string | undefined, comment: string): never {
    if (c === undefined) this.fail('Unexpected end-of-input in a Number value');
    return this.fail(`Unexpected character (${describeChar(c)}) in numeric value: ${comment}`);
  }

  /** Reads the rest of a string whose opening quote was consumed; `what` names it in messages. */
  private readString(what: 'name' | 'string value'): string {
    this.stringIncomplete = false;
    let text = '';
    for (;;) {
      const c = this.source[this.pos++];
      if (c === undefined) {
        this.pos--;
        this.fail(
          what === 'name'
            ? 'Unexpected end-of-input in field name'
            : 'Unexpected end-of-input: was expecting closing quote for a string value',
        );
      }
      if (c === '"') return text;
      if (c === '\\') text += this.escape();
      else if (c < ' ') {
        this.fail(
          `Illegal unquoted character (${describeChar(c)}): has to be escaped using backslash to be included in ${what}`,
        );
      } else text += c;
    }
  }

  private escape(): string {
    const c = this.source[this.pos++];
    if (c === undefined) {
      this.pos--;
      this.fail('Unexpected end-of-input in character escape sequence');
    }
    const simple: Record<string, string> = {
      b: '\b',
      t: '\t',
      n: '\n',
      f: '\f',
      r: '\r',
      '"': '"',
      '/': '/',
      '\\': '\\',
    };
    if (simple[c] !== undefined) return simple[c];
    if (c !== 'u') this.fail(`Unrecognized character escape ${describeChar(c)}`);
    let code = 0;
    for (let i = 0; i < 4; i++) {
      const h = this.source[this.pos++];
      if (h === undefined) {
        this.pos--;
        this.fail('Unexpected end-of-input in character escape sequence');
      }
      if (!/[0-9a-fA-F]/.test(h)) this.unexpected(h, 'expected a hex-digit for character escape sequence');
      code = code * 16 + parseInt(h, 16);
    }
    return String.fromCharCode(code);
  }

  /**
   * Skips white space and returns the next character (consumed). At the end of the input: in the
   * root, undefined; inside a value, an error naming what is open, or `eofWithin` when given.
   */
  private skipSpace(eofWithin?: string): string | undefined {
    for (;;) {
      const c = this.source[this.pos++];
      if (c === undefined) {
        this.pos--;
        if (eofWithin !== undefined) this.fail(`Unexpected end-of-input${eofWithin}`);
        const context = this.context;
        if (context.type === 'root') return undefined;
        this.fail(
          `Unexpected end-of-input: expected close marker for ${context.type} (start marker at [${this.sourceAt(context.line, context.column)}])`,
        );
      }
      if (c === ' ' || c === '\t') continue;
      if (c === '\n' || c === '\r') {
        if (c === '\r' && this.source[this.pos] === '\n') this.pos++;
        this.line++;
        this.lineStart = this.pos;
        continue;
      }
      if (c === '/') {
        this.unexpected(
          c,
          "maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)",
        );
      }
      if (c < ' ') {
        this.fail(
          `Illegal character (${describeChar(c)}): only regular white space (\\r, \\n, \\t) is allowed between tokens`,
        );
      }
      return c;
    }
  }

  /** An unrecognized word: the part read plus what follows of it, up to 256 characters. */
  private invalidToken(start: string): never {
    let token = start;
    for (;;) {
      const c = this.source[this.pos];
      if (c === undefined || !isIdentifierPart(c)) break;
      this.pos++;
      token += c;
      if (token.length >= maxErrorToken) {
        token += '...';
        break;
      }
    }
    return this.fail(`Unrecognized token '${token}': was expecting ${validValues}`);
  }

  /** A character that cannot be here; reported at that character. */
  private unexpected(c: string, comment: string): never {
    throw new JsonSyntaxError(
      `Unexpected character (${describeChar(c)}): ${comment}${this.describe(this.line, this.pos - this.lineStart)}`,
    );
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(message + this.location());
  }
}
