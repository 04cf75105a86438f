/**
 * The one error this engine throws: a template that does not parse, or a render that runs away
 * (too many loop turns, too much output, macros calling themselves too deep). Everything else that
 * goes wrong while rendering (a method on null, a division by zero, a bad regex) renders the way
 * Velocity renders it and is not an error.
 */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';

  constructor(
    /** The problem without its location, e.g. `#end without a matching #if, #foreach, #macro or #define`. */
    readonly reason: string,
    /** 1-based line of the template where the problem is. */
    readonly line: number,
    /** 1-based column (in UTF-16 units) of that line. */
    readonly column: number,
  ) {
    super(`${reason} at line ${line}, column ${column}`);
  }
}

/** The error for `reason` at `offset` of `source`. */
export function templateError(source: string, offset: number, reason: string): TemplateError {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), source.length);
  for (let i = 0; i < end; i++) {
    const ch = source.charCodeAt(i);
    // \r\n counts once: the \n that follows a \r starts no new line of its own.
    if (ch === 10 || (ch === 13 && source.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return new TemplateError(reason, line, end - lineStart + 1);
}
