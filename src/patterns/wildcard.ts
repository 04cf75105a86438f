/**
 * Wildcard values (`{"wildcard": "lib-*.jar"}`): `*` stands for any run of characters, `\*` for a
 * star and `\\` for a backslash; two stars in a row and any other escape are refused. EventBridge
 * reads the value with its quotes, so the positions in its reasons count the UTF-8 bytes of
 * `"value"` (the first character is at 1).
 *
 * EventBridge also refuses a rule whose wildcards make matching costly: its complexity is the
 * largest number of wildcard-pattern prefixes one value can be matched by at once (for
 * `*:*:*:*:*:event-bus/*`, a run of colons is matched by ten of them). A rule may reach 10.
 */

/** A refused wildcard; the message is EventBridge's reason. */
export class WildcardError extends Error {}

const star = Symbol('*');
type Piece = string | typeof star;

export const maxComplexity = 10;
/** Past this many distinct sets of active prefixes the evaluation stops and calls the rule complex. */
const maxExploredStates = 20_000;

/** The pieces of a wildcard value: single characters and stars. */
function parse(value: string): Piece[] {
  const pieces: Piece[] = [];
  // Byte offsets in `"value"`: the opening quote is byte 0.
  let offset = 1;
  const chars = [...value];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '*') {
      if (chars[i + 1] === '*') throw new WildcardError(`Consecutive wildcard characters at pos ${offset}`);
      pieces.push(star);
    } else if (c === '\\') {
      const next = chars[i + 1];
      if (next !== '*' && next !== '\\') throw new WildcardError(`Invalid escape character at pos ${offset}`);
      pieces.push(next);
      i++;
      offset++;
    } else {
      pieces.push(c);
    }
    offset += Buffer.byteLength(c);
  }
  return pieces;
}

/** Checks a wildcard value; throws WildcardError with EventBridge's reason. */
export function checkWildcard(value: string): void {
  parse(value);
}

/** A matcher for a valid wildcard value. */
export function wildcardMatcher(value: string): RegExp {
  const source = parse(value)
    .map((p) => (p === star ? '[\\s\\S]*' : p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'u');
}

/**
 * The complexity of the wildcard values a rule tests one field with (see above), capped at
 * `maxComplexity + 1`. Each value is taken with its quotes, as EventBridge's matcher sees it.
 */
export function wildcardComplexity(values: readonly string[]): number {
  const patterns = values.map((v) => ['"', ...parse(v), '"']);
  const alphabet = new Set<string>(['\u0000']);
  for (const p of patterns) for (const piece of p) if (piece !== star) alphabet.add(piece);

  // A state is (pattern, pieces matched so far); a star's position stays active once reached.
  const closure = (states: Set<string>): Set<string> => {
    for (const state of states) {
      const [pi, k] = state.split(':').map(Number) as [number, number];
      if (patterns[pi]![k] === star) states.add(`${pi}:${k + 1}`);
    }
    return states;
  };
  const step = (states: Set<string>, c: string): Set<string> => {
    const next = new Set<string>();
    for (const state of states) {
      const [pi, k] = state.split(':').map(Number) as [number, number];
      const pattern = patterns[pi]!;
      if (k > 0 && pattern[k - 1] === star) next.add(state);
      if (pattern[k] === c) next.add(`${pi}:${k + 1}`);
    }
    return closure(next);
  };
  const active = (states: Set<string>) => [...states].filter((s) => !s.endsWith(':0')).length;

  const start = closure(new Set(patterns.map((_, i) => `${i}:0`)));
  const seen = new Set<string>([[...start].sort().join(',')]);
  const queue = [start];
  let worst = 0;
  while (queue.length > 0) {
    const states = queue.pop()!;
    worst = Math.max(worst, active(states));
    if (worst > maxComplexity || seen.size > maxExploredStates) return maxComplexity + 1;
    for (const c of alphabet) {
      const next = step(states, c);
      const key = [...next].sort().join(',');
      if (next.size > 0 && !seen.has(key)) {
        seen.add(key);
        queue.push(next);
      }
    }
  }
  return worst;
}
