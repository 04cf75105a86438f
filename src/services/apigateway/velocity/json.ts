/**
 * JSON text to template values, keeping what `JSON.parse` loses and a template can see: integers
 * stay apart from decimals (`1` prints `1`, `1.0` prints `1.0`), integers beyond 2^53 stay exact,
 * objects keep their key order even for keys like "1" and "2", and arrays print as JSON
 * (json-smart's `JSONArray`, see values.ts).
 */
import { JavaDouble, javaInteger, jsonArray, type Value } from './values.js';

/** Deeper documents are refused rather than risk the stack. */
const maxDepth = 512;
const numberPattern = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

class JsonReader {
  private pos = 0;

  constructor(private readonly text: string) {}

  document(): Value {
    const value = this.value(0);
    this.skipSpace();
    if (this.pos < this.text.length) this.fail();
    return value;
  }

  private value(depth: number): Value {
    if (depth > maxDepth) this.fail();
    this.skipSpace();
    const ch = this.text[this.pos];
    if (ch === '{') return this.object(depth);
    if (ch === '[') return this.array(depth);
    if (ch === '"') return this.string();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    return this.number();
  }

  private object(depth: number): Value {
    const map = new Map<string, Value>();
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return map;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail();
      const key = this.string();
      this.expect(':');
      map.set(key, this.value(depth + 1));
      if (this.next() === '}') return map;
    }
  }

  private array(depth: number): Value {
    const items: Value[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return jsonArray(items);
    }
    for (;;) {
      items.push(this.value(depth + 1));
      if (this.next() === ']') return jsonArray(items);
    }
  }

  /** After an item: `,` to go on, or the closing bracket. */
  private next(): string {
    this.skipSpace();
    const ch = this.text[this.pos];
    if (ch !== ',' && ch !== '}' && ch !== ']') this.fail();
    this.pos++;
    return ch;
  }

  private string(): string {
    const start = this.pos;
    let i = start + 1;
    while (i < this.text.length && this.text[i] !== '"') i += this.text[i] === '\\' ? 2 : 1;
    if (i >= this.text.length) this.fail();
    this.pos = i + 1;
    // The escapes and the refusal of raw control characters are JSON.parse's.
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  private number(): Value {
    numberPattern.lastIndex = this.pos;
    const match = numberPattern.exec(this.text);
    if (!match) this.fail();
    this.pos += match[0].length;
    if (match[1] !== undefined || match[2] !== undefined) return new JavaDouble(Number(match[0]));
    return javaInteger(BigInt(match[0]));
  }

  private expect(ch: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== ch) this.fail();
    this.pos++;
  }

  private skipSpace(): void {
    while (/[ \t\r\n]/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  private fail(): never {
    throw new SyntaxError(`Invalid JSON at position ${this.pos}`);
  }
}

/** The value `text` holds, or undefined when it is not JSON. */
export function parseJson(text: string): Value | undefined {
  try {
    return new JsonReader(text).document();
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}
