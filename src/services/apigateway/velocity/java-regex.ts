/**
 * Java regular expressions, as `String.replaceAll`, `replaceFirst`, `split` and `matches` take
 * them, run on JavaScript's engine. The common syntax is the same; Java's leading inline flags
 * (`(?i)`), `\A`, `\z`, `\Z` and `\Q…\E` are translated, and what JavaScript cannot do (possessive
 * quantifiers, atomic groups, class intersections) makes the pattern unusable: the method then
 * gives null, as a Java `PatternSyntaxException` leaves a Velocity reference null.
 */

const cache = new Map<string, RegExp | null>();
const cacheLimit = 256;

/** `pattern` as a global JavaScript RegExp, or null when it is not one this engine can run. */
export function javaRegex(pattern: string): RegExp | null {
  let compiled = cache.get(pattern);
  if (compiled === undefined) {
    compiled = translate(pattern);
    if (cache.size >= cacheLimit) cache.clear();
    cache.set(pattern, compiled);
  }
  // Global regexes carry state (lastIndex); each use gets its own copy.
  return compiled === null ? null : new RegExp(compiled.source, compiled.flags);
}

/** Java's input anchors, written so that JavaScript's `m` flag does not turn them into line anchors. */
const startOfInput = '(?<![\\s\\S])';
const endOfInput = '(?![\\s\\S])';
const inputAnchors: Record<string, string> = { A: startOfInput, z: endOfInput, Z: `(?=\\n?${endOfInput})` };

function translate(pattern: string): RegExp | null {
  let flags = 'g';
  let rest = pattern;
  const inline = /^\(\?([imsux]+)\)/.exec(rest);
  if (inline) {
    if (/[ux]/.test(inline[1] ?? '')) return null;
    flags += inline[1];
    rest = rest.slice(inline[0].length);
  }
  let source = '';
  let inClass = false;
  for (let i = 0; i < rest.length; i++) {
    const ch = rest[i] ?? '';
    const next = rest[i + 1] ?? '';
    if (ch === '\\') {
      if (next === 'Q') {
        const end = rest.indexOf('\\E', i + 2);
        const quoted = end < 0 ? rest.slice(i + 2) : rest.slice(i + 2, end);
        source += quoted.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end < 0 ? rest.length : end + 1;
        continue;
      }
      source += inClass ? ch + next : (inputAnchors[next] ?? ch + next);
      i++;
    } else if (inClass) {
      if (ch === '&' && next === '&') return null;
      if (ch === ']') inClass = false;
      source += ch;
    } else {
      if (ch === '[') inClass = true;
      if (ch === '(' && next === '?' && rest[i + 2] === '>') return null;
      if ((ch === '+' || ch === '*' || ch === '?' || ch === '}') && next === '+' && source !== '')
        return null;
      source += ch;
    }
  }
  try {
    return new RegExp(source, flags);
  } catch {
    return null;
  }
}

/** `String.replaceAll` / `replaceFirst`: `$n` and `${name}` are groups, `\x` is x. Null when Java would throw. */
export function javaReplace(
  input: string,
  pattern: string,
  replacement: string,
  all: boolean,
): string | null {
  const regex = javaRegex(pattern);
  if (regex === null) return null;
  let result = '';
  let last = 0;
  for (const match of input.matchAll(regex)) {
    const expanded = expandReplacement(replacement, match);
    if (expanded === null) return null;
    result += input.slice(last, match.index) + expanded;
    last = match.index + match[0].length;
    if (!all) break;
  }
  return result + input.slice(last);
}

function expandReplacement(replacement: string, match: RegExpExecArray | RegExpMatchArray): string | null {
  let result = '';
  const groupCount = match.length - 1;
  for (let i = 0; i < replacement.length; i++) {
    const ch = replacement[i];
    if (ch === '\\') {
      if (i + 1 >= replacement.length) return null;
      result += replacement[++i];
    } else if (ch === '$') {
      if (replacement[i + 1] === '{') {
        const end = replacement.indexOf('}', i + 2);
        const name = end < 0 ? '' : replacement.slice(i + 2, end);
        if (name === '' || match.groups === undefined || !(name in match.groups)) return null;
        result += match.groups[name] ?? '';
        i = end;
        continue;
      }
      // Java reads the first digit, then more while they still name an existing group.
      let digits = replacement[i + 1] ?? '';
      if (!/[0-9]/.test(digits) || Number(digits) > groupCount) return null;
      i++;
      while (/[0-9]/.test(replacement[i + 1] ?? '') && Number(digits + replacement[i + 1]) <= groupCount) {
        digits += replacement[++i];
      }
      result += match[Number(digits)] ?? '';
    } else {
      result += ch;
    }
  }
  return result;
}

/** `String.split(regex[, limit])`: no leading empty part for a zero-width first match; trailing empty parts dropped when limit is 0. */
export function javaSplit(input: string, pattern: string, limit: number): string[] | null {
  const regex = javaRegex(pattern);
  if (regex === null) return null;
  const parts: string[] = [];
  let index = 0;
  for (const match of input.matchAll(regex)) {
    if (limit > 0 && parts.length >= limit - 1) break;
    if (index === 0 && match.index === 0 && match[0].length === 0) continue;
    parts.push(input.slice(index, match.index));
    index = match.index + match[0].length;
  }
  if (index === 0 && parts.length === 0) return [input];
  parts.push(input.slice(index));
  if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** `String.matches(regex)`: the whole string must match. */
export function javaMatches(input: string, pattern: string): boolean | null {
  const regex = javaRegex(pattern);
  if (regex === null) return null;
  return new RegExp(`${startOfInput}(?:${regex.source})${endOfInput}`, regex.flags.replace('g', '')).test(
    input,
  );
}
