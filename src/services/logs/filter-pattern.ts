/**
 * CloudWatch Logs filter patterns, the syntax FilterLogEvents, metric filters and subscription filters
 * share (AWS: "Filter pattern syntax for metric filters, subscription filters, filter log events, and
 * Live Tail"). A pattern is one of:
 *
 * - empty: matches every event;
 * - `%regex%`: a regular expression searched anywhere in the event;
 * - `{ ... }`: conditions on a JSON event's properties;
 * - `[ ... ]`: names and conditions for the fields of a space-delimited event;
 * - otherwise terms: `ERROR Exception` (all), `?ERROR ?WARN` (any), `-Exiting` (none), `"exact phrase"`.
 *
 * Compile once, then call `matches` per event: all parsing happens in `compileFilterPattern`.
 */
import { compileRegex, isWhitespace, readQuoted, syntaxError } from './filter-pattern-expression.js';
import {
  compileDelimitedPattern,
  compileJsonPattern,
  parseJsonEvent,
  splitDelimitedFields,
} from './filter-pattern-structured.js';

export { FilterPatternSyntaxError } from './filter-pattern-expression.js';

export interface CompiledFilterPattern {
  matches(message: string): boolean;
}

const MATCH_ALL: CompiledFilterPattern = { matches: () => true };

/**
 * Terms that must all be present and terms that must all be absent. A `?` term starts a new group and an
 * event matches when any group does: that is how the AWS CDK's `FilterPattern.anyTermGroup(['ERROR',
 * 'MainThread'], ['WARN', 'Deadlock'])` renders "(ERROR and MainThread) or (WARN and Deadlock)" as
 * `?"ERROR" "MainThread" ?"WARN" "Deadlock"`.
 */
interface TermGroup {
  required: string[];
  excluded: string[];
}

function parseTermGroups(pattern: string, offset: number): TermGroup[] {
  const groups: TermGroup[] = [];
  let i = 0;
  while (i < pattern.length) {
    if (isWhitespace(pattern[i])) {
      i++;
      continue;
    }
    const prefixAt = i;
    const prefix = pattern[i] === '?' || pattern[i] === '-' ? pattern[i] : '';
    // The docs write an exclusion both as `-WARN` and as `"ERROR" - "Exiting"`, so a prefix may stand apart.
    if (prefix) for (i++; isWhitespace(pattern[i]); i++);
    if (i >= pattern.length) throw syntaxError(`'${prefix}' must be followed by a term`, offset + prefixAt);
    let term: string;
    if (pattern[i] === '"') {
      const quoted = readQuoted(pattern, i);
      // `" "` is the docs' way to match every event: a phrase of nothing but spaces is in every message.
      term = quoted.text.trim() === '' ? '' : quoted.text;
      i = quoted.end;
      if (i < pattern.length && !isWhitespace(pattern[i])) {
        throw syntaxError(
          'a quoted phrase must be followed by a space or the end of the pattern',
          offset + i,
        );
      }
    } else {
      const start = i;
      while (i < pattern.length && !isWhitespace(pattern[i])) {
        if (pattern[i] === '"') throw syntaxError('a quote inside an unquoted term', offset + i);
        i++;
      }
      term = pattern.slice(start, i);
      if (term.startsWith('%')) {
        throw syntaxError(
          'a regular expression must be the whole pattern, or a value in a JSON or [...] condition',
          offset + start,
        );
      }
    }
    if (prefix === '?' || groups.length === 0) groups.push({ required: [], excluded: [] });
    const group = groups[groups.length - 1] as TermGroup;
    (prefix === '-' ? group.excluded : group.required).push(term);
  }
  return groups;
}

/**
 * Terms match case-sensitively anywhere in the event, including inside longer words: the docs' examples
 * have `ERROR` matching "Exiting with ERRORCODE: -1" and `ERROR Exception` matching "[ERROR] Caught
 * IllegalArgumentException".
 */
function compileTerms(pattern: string, offset: number): CompiledFilterPattern {
  const groups = parseTermGroups(pattern, offset);
  return {
    matches: (message) =>
      groups.some(
        ({ required, excluded }) =>
          required.every((term) => message.includes(term)) &&
          !excluded.some((term) => message.includes(term)),
      ),
  };
}

/** Parses `pattern` once; throws FilterPatternSyntaxError for a pattern CloudWatch Logs would reject. */
export function compileFilterPattern(pattern: string | undefined): CompiledFilterPattern {
  const trimmed = (pattern ?? '').trim();
  if (trimmed === '') return MATCH_ALL;
  const offset = (pattern ?? '').indexOf(trimmed);
  const first = trimmed[0];
  const last = trimmed[trimmed.length - 1];

  if (first === '{') {
    if (last !== '}') throw syntaxError("a JSON pattern must end with '}'", offset + trimmed.length - 1);
    const predicate = compileJsonPattern(trimmed, offset);
    return {
      matches: (message) => {
        const event = parseJsonEvent(message);
        return event !== undefined && predicate(event);
      },
    };
  }
  if (first === '[') {
    if (last !== ']') {
      throw syntaxError("a space-delimited pattern must end with ']'", offset + trimmed.length - 1);
    }
    const predicate = compileDelimitedPattern(trimmed, offset);
    return { matches: (message) => predicate(splitDelimitedFields(message)) };
  }
  if (first === '%') {
    if (trimmed.length < 2 || last !== '%') {
      throw syntaxError("a regular expression pattern must end with '%'", offset + trimmed.length - 1);
    }
    const regex = compileRegex(trimmed.slice(1, -1), offset);
    return { matches: (message) => regex.test(message) };
  }
  return compileTerms(trimmed, offset);
}
