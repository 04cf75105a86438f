/**
 * A cursor over template text, shared by the template parser and the expression lexer (Velocity's
 * grammar changes with context, so both read from the same place instead of a token stream).
 */
import type { MacroDefinition, Node } from './ast.js';
import { templateError, type TemplateError } from './errors.js';

export class Scanner {
  pos = 0;

  constructor(
    readonly text: string,
    /** The whole template and where `text` starts in it, for error locations. */
    private readonly origin: { source: string; offset: number },
  ) {}

  get atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  peek(ahead = 0): string {
    return this.text[this.pos + ahead] ?? '';
  }

  startsWith(prefix: string): boolean {
    return this.text.startsWith(prefix, this.pos);
  }

  /** `pos` as an offset in the whole template. */
  absolute(pos = this.pos): number {
    return this.origin.offset + pos;
  }

  error(reason: string, at = this.pos): TemplateError {
    return templateError(this.origin.source, this.absolute(at), reason);
  }

  /** A scanner over `text`, which stands for the template from `pos` of this one on. */
  nested(text: string, pos: number): Scanner {
    return new Scanner(text, { source: this.origin.source, offset: this.absolute(pos) });
  }
}

/** The directive that ended a block: `#elseif`, `#else` or `#end`, and where it started. */
export interface Terminator {
  name: string;
  start: number;
}

/** What parsing needs besides the text: the macros defined so far, and the template parser itself. */
export interface ParseContext {
  macros: Map<string, MacroDefinition>;
  /** Parses the contents of a double-quoted string as a template (Velocity interpolates them). */
  parseInterpolated(scanner: Scanner): Node[];
  /** Parses nodes up to one of `terminators`, which is consumed, or to the end of the text. */
  parseBlock(scanner: Scanner, terminators: readonly string[]): { nodes: Node[]; terminator?: Terminator };
}

export function isIdentifierStart(ch: string): boolean {
  return /^[A-Za-z_]$/.test(ch);
}

/** Velocity 1.x identifiers take hyphens (`$context.requestOverride.header.X-Amz-Target`). */
export function isReferencePart(ch: string): boolean {
  return /^[A-Za-z0-9_-]$/.test(ch);
}

export function isWordPart(ch: string): boolean {
  return /^[A-Za-z0-9_]$/.test(ch);
}

/** Reads characters while `accept` holds and returns them. */
export function readWhile(scanner: Scanner, accept: (ch: string) => boolean): string {
  const start = scanner.pos;
  while (!scanner.atEnd && accept(scanner.peek())) scanner.pos++;
  return scanner.text.slice(start, scanner.pos);
}
