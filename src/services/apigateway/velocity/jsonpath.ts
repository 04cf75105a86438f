/**
 * The JSONPath of `$input.json(x)` and `$input.path(x)`, which API Gateway evaluates with Jayway
 * JsonPath. The subset here: `$`, `.name`, `['name']` / `["name"]` (also several names),
 * `[n]` (negative from the end, also several), `[start:end]`, `[*]`, `.*` and the deep scan
 * `..name` / `..*` / `..[n]`. Filters (`[?(...)]`) and functions are not supported.
 *
 * Jayway's rules kept here: a path that does not start with `$` is read as `$.` + path (`id` is
 * `$.id`); a definite path (only names and single indexes) selects one value or nothing; any other
 * path selects a list of every match, possibly empty.
 *
 * Documents may be template values (maps, arrays) or plain JavaScript (objects, arrays).
 */

export class JsonPathError extends Error {
  override readonly name = 'JsonPathError';
}

type Step =
  | { kind: 'names'; names: string[] }
  | { kind: 'indexes'; indexes: number[] }
  | { kind: 'slice'; start: number | undefined; end: number | undefined }
  | { kind: 'wildcard' }
  | { kind: 'deepScan'; then: Step };

interface CompiledPath {
  steps: Step[];
  definite: boolean;
}

/**
 * What `path` selects in `document`: for a definite path the value, or undefined when nothing is
 * there; otherwise the list of matches. Throws JsonPathError when `path` is not a JSONPath.
 */
export function selectJsonPath(document: unknown, path: string): unknown {
  const { definite, matches } = queryJsonPath(document, path);
  return definite ? matches[0] : matches;
}

/** Every match of `path` in `document`, and whether the path is definite (selects at most one). */
export function queryJsonPath(document: unknown, path: string): { definite: boolean; matches: unknown[] } {
  const { steps, definite } = compileJsonPath(path);
  let matches: unknown[] = [document];
  for (const step of steps) matches = matches.flatMap((node) => apply(step, node));
  return { definite, matches };
}

function compileJsonPath(path: string): CompiledPath {
  let text = path.trim();
  if (text === '') throw new JsonPathError('Path must not be empty');
  if (!text.startsWith('$')) text = `$.${text}`;
  const steps: Step[] = [];
  let pos = 1;
  while (pos < text.length) {
    let step: Step;
    if (text.startsWith('..', pos)) {
      const [then, next] = text[pos + 2] === '[' ? readBracket(text, pos + 2) : readName(text, pos + 2);
      [step, pos] = [{ kind: 'deepScan', then }, next];
    } else if (text[pos] === '.') {
      [step, pos] = readName(text, pos + 1);
    } else if (text[pos] === '[') {
      [step, pos] = readBracket(text, pos);
    } else {
      throw new JsonPathError(`Unexpected '${text[pos]}' at position ${pos} of ${path}`);
    }
    steps.push(step);
  }
  const definite = steps.every(
    (step) =>
      (step.kind === 'names' && step.names.length === 1) ||
      (step.kind === 'indexes' && step.indexes.length === 1),
  );
  return { steps, definite };
}

function readName(text: string, start: number): [Step, number] {
  let end = start;
  while (end < text.length && text[end] !== '.' && text[end] !== '[') end++;
  const name = text.slice(start, end).trim();
  if (name === '') throw new JsonPathError(`Missing property name at position ${start} of ${text}`);
  return [name === '*' ? { kind: 'wildcard' } : { kind: 'names', names: [name] }, end];
}

function readBracket(text: string, open: number): [Step, number] {
  const close = findClosingBracket(text, open);
  const inner = text.slice(open + 1, close).trim();
  const next = close + 1;
  if (inner === '*') return [{ kind: 'wildcard' }, next];
  if (inner.startsWith("'") || inner.startsWith('"'))
    return [{ kind: 'names', names: readQuotedNames(inner, text) }, next];
  if (inner.startsWith('?') || inner.startsWith('('))
    throw new JsonPathError(`Filters are not supported: ${text}`);
  const slice = /^(-?\d+)?\s*:\s*(-?\d+)?$/.exec(inner);
  if (slice) {
    const toNumber = (part: string | undefined): number | undefined =>
      part === undefined ? undefined : Number(part);
    return [{ kind: 'slice', start: toNumber(slice[1]), end: toNumber(slice[2]) }, next];
  }
  const indexes = inner.split(',').map((part) => part.trim());
  if (!indexes.every((part) => /^-?\d+$/.test(part)))
    throw new JsonPathError(`Invalid index [${inner}] in ${text}`);
  return [{ kind: 'indexes', indexes: indexes.map(Number) }, next];
}

function findClosingBracket(text: string, open: number): number {
  let quote: string | undefined;
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i];
    if (quote !== undefined) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === ']') {
      return i;
    }
  }
  throw new JsonPathError(`Unclosed [ at position ${open} of ${text}`);
}

function readQuotedNames(inner: string, text: string): string[] {
  const names: string[] = [];
  const quoted = /\s*(['"])((?:\\.|(?!\1).)*)\1\s*(,|$)/y;
  let match: RegExpExecArray | null;
  while (quoted.lastIndex < inner.length && (match = quoted.exec(inner)) !== null) {
    names.push((match[2] ?? '').replace(/\\(.)/g, '$1'));
    if (match[3] === '') return names;
  }
  throw new JsonPathError(`Invalid property list [${inner}] in ${text}`);
}

const missing = Symbol('missing');

function apply(step: Step, node: unknown): unknown[] {
  switch (step.kind) {
    case 'names':
      return step.names.map((name) => child(node, name)).filter((value) => value !== missing);
    case 'indexes':
      return Array.isArray(node)
        ? step.indexes
            .filter((index) => index < node.length && index >= -node.length)
            .map((index) => node.at(index))
        : [];
    case 'slice':
      return Array.isArray(node) ? node.slice(step.start ?? 0, step.end ?? node.length) : [];
    case 'wildcard':
      return children(node);
    case 'deepScan':
      return selfAndDescendants(node).flatMap((each) => apply(step.then, each));
  }
}

function child(node: unknown, name: string): unknown {
  if (node instanceof Map) return node.has(name) ? node.get(name) : missing;
  if (isPlainObject(node)) return Object.hasOwn(node, name) ? node[name] : missing;
  return missing;
}

function children(node: unknown): unknown[] {
  if (node instanceof Map) return [...node.values()];
  if (Array.isArray(node)) return node;
  if (isPlainObject(node)) return Object.values(node);
  return [];
}

/**
 * The node and everything under it, each before its children: Jayway's deep scan applies the next
 * step to each in this order (so `..*` lists every descendant once, level by level per container).
 */
function selfAndDescendants(node: unknown): unknown[] {
  const found: unknown[] = [];
  const visit = (each: unknown): void => {
    found.push(each);
    for (const item of children(each)) visit(item);
  };
  visit(node);
  return found;
}

function isPlainObject(node: unknown): node is Record<string, unknown> {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
  const prototype: unknown = Object.getPrototypeOf(node);
  return prototype === Object.prototype || prototype === null;
}
