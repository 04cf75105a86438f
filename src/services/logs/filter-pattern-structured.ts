/**
 * The two structured pattern kinds: JSON patterns (`{ $.level = "ERROR" && $.latency > 500 }`) match
 * properties of a JSON log event; space-delimited patterns (`[ip, user, ..., status_code = 4*, bytes]`)
 * name the fields of a line split on spaces and put conditions on them.
 */
import {
  parseBooleanExpression,
  parseComparison,
  syntaxError,
  tokenizeCondition,
  TokenCursor,
  type Predicate,
  type ScalarValue,
  type Token,
} from './filter-pattern-expression.js';

type SelectorStep =
  { kind: 'property'; name: string } | { kind: 'index'; index: number } | { kind: 'wildcard' };

// "Property selectors are alphanumeric strings that also support '-' and '_' characters."
const PROPERTY_NAME = /^[A-Za-z0-9_-]+$/;
const SELECTOR_STEP = /\.([A-Za-z0-9_-]+|\*)|\[(\d+|\*)\]/y;

/** `$.a.b[0][1]`, `$.a[*].id`, `$.*` → steps from the root object. */
function parseSelector(text: string, at: number): SelectorStep[] {
  if (!text.startsWith('$.')) {
    throw syntaxError(`expected a property selector starting with '$.' but found '${text}'`, at);
  }
  const steps: SelectorStep[] = [];
  SELECTOR_STEP.lastIndex = 1;
  while (SELECTOR_STEP.lastIndex < text.length) {
    const position = SELECTOR_STEP.lastIndex;
    const step = SELECTOR_STEP.exec(text);
    if (!step) throw syntaxError(`invalid property selector '${text}'`, at + position);
    const [, property, index] = step;
    if (property === '*' || index === '*') steps.push({ kind: 'wildcard' });
    else if (property !== undefined) steps.push({ kind: 'property', name: property });
    else steps.push({ kind: 'index', index: Number(index) });
  }
  return steps;
}

function isContainer(node: unknown): node is Record<string, unknown> | unknown[] {
  return typeof node === 'object' && node !== null;
}

/**
 * Whether any value the selector reaches satisfies `test`. Without a wildcard that is the one value at
 * the path; a wildcard fans out over every element or property value, and any one of them will do.
 */
function anySelected(
  node: unknown,
  steps: readonly SelectorStep[],
  from: number,
  test: (value: unknown) => boolean,
): boolean {
  if (from === steps.length) return test(node);
  const step = steps[from] as SelectorStep;
  if (step.kind === 'wildcard') {
    if (!isContainer(node)) return false;
    const children = Array.isArray(node) ? node : Object.values(node);
    return children.some((child) => anySelected(child, steps, from + 1, test));
  }
  if (step.kind === 'index') {
    return (
      Array.isArray(node) && step.index < node.length && anySelected(node[step.index], steps, from + 1, test)
    );
  }
  // Own properties only: a log event with no "constructor" key has no $.constructor.
  return (
    isContainer(node) &&
    !Array.isArray(node) &&
    Object.hasOwn(node, step.name) &&
    anySelected(node[step.name], steps, from + 1, test)
  );
}

function isScalar(value: unknown): value is ScalarValue {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function parseJsonCondition(cursor: TokenCursor): Predicate<unknown> {
  const selectorToken = cursor.next('a property selector');
  if (selectorToken.kind !== 'word') throw syntaxError('expected a property selector', selectorToken.at);
  const steps = parseSelector(selectorToken.text, selectorToken.at);
  const select = (test: (value: unknown) => boolean) => (root: unknown) => anySelected(root, steps, 0, test);

  const next = cursor.next(`an operator after '${selectorToken.text}'`);
  if (next.kind === 'operator') {
    const compare = parseComparison(next.operator, cursor);
    // Comparisons only apply to value nodes: a selector that reaches an object, array or null makes
    // both `=` and `!=` false ("the filter will not be applied").
    return select((value) => isScalar(value) && compare(value));
  }
  const keyword = next.kind === 'word' ? next.text.toUpperCase() : '';
  const operand =
    keyword === 'IS' || keyword === 'NOT' ? cursor.next(`a keyword after ${keyword}`) : undefined;
  const phrase = `${keyword} ${operand?.kind === 'word' ? operand.text.toUpperCase() : ''}`;
  switch (phrase) {
    case 'IS NULL':
      return select((value) => value === null);
    case 'IS TRUE':
      return select((value) => value === true);
    case 'IS FALSE':
      return select((value) => value === false);
    case 'NOT EXISTS': {
      const exists = select(() => true);
      return (root) => !exists(root);
    }
    default:
      throw syntaxError(
        `expected =, !=, <, <=, >, >=, IS NULL, IS TRUE, IS FALSE or NOT EXISTS after '${selectorToken.text}'`,
        next.at,
      );
  }
}

/** Compiles `{ ... }`; the returned test takes the parsed log event. */
export function compileJsonPattern(pattern: string, offset: number): Predicate<unknown> {
  const body = pattern.slice(1, -1);
  const cursor = new TokenCursor(tokenizeCondition(body, offset + 1), offset + pattern.length - 1);
  if (cursor.atEnd()) throw syntaxError('empty JSON pattern', offset);
  const predicate = parseBooleanExpression(cursor, parseJsonCondition);
  const extra = cursor.peek();
  if (extra) throw syntaxError("expected '&&', '||' or the end of the JSON pattern", extra.at);
  return predicate;
}

// Checked before JSON.parse so plain-text events, the common case, cost no exception.
const STARTS_LIKE_JSON_OBJECT = /^\s*\{/;

/** Parses a log event for a JSON pattern; anything that is not a JSON object never matches one. */
export function parseJsonEvent(message: string): unknown {
  if (!STARTS_LIKE_JSON_OBJECT.test(message)) return undefined;
  try {
    return JSON.parse(message) as unknown;
  } catch {
    return undefined;
  }
}

const ELLIPSIS = '...';

/** Where a named field of the pattern sits in an event's fields; suffix fields count back from the end. */
type FieldPosition = { fromStart: number } | { fromEnd: number };

function readField(fields: readonly string[], position: FieldPosition): string {
  return 'fromStart' in position
    ? (fields[position.fromStart] as string)
    : (fields[fields.length - position.fromEnd] as string);
}

/** One comma-separated field of a space-delimited pattern; `end` is where its comma or the `]` is. */
interface FieldSpec {
  tokens: Token[];
  end: number;
}

/** Splits `[a, b = 1 || b = 2, , ...]` into field specs at the commas outside parentheses. */
function splitFieldSpecs(tokens: readonly Token[], closingBracketAt: number): FieldSpec[] {
  const specs: FieldSpec[] = [{ tokens: [], end: closingBracketAt }];
  let depth = 0;
  for (const token of tokens) {
    const current = specs[specs.length - 1] as FieldSpec;
    if (token.kind === 'lparen') depth++;
    if (token.kind === 'rparen') depth--;
    if (token.kind === 'comma' && depth === 0) {
      current.end = token.at;
      specs.push({ tokens: [], end: closingBracketAt });
    } else {
      current.tokens.push(token);
    }
  }
  return specs;
}

/** A field is named by its first word: `status_code` in `status_code = 4* && status_code != 403`. */
function fieldName(spec: readonly Token[]): string | undefined {
  const first = spec.find((token) => token.kind !== 'lparen');
  return first?.kind === 'word' && PROPERTY_NAME.test(first.text) ? first.text : undefined;
}

/**
 * Compiles `[ ... ]`; the returned test takes the event's fields. Without `...` the event must have
 * exactly as many fields as the pattern (`[w1=ERROR, w2]` does not match "ERROR WARN message"); one
 * `...` stands for any number of fields, including none. An empty spec (`[a, , b]`, or the trailing
 * comma in the docs' `[..., request=*.html*, status_code=4*,]`) is an unnamed field.
 */
export function compileDelimitedPattern(pattern: string, offset: number): Predicate<readonly string[]> {
  const tokens = tokenizeCondition(pattern.slice(1, -1), offset + 1);
  if (tokens.length === 0) throw syntaxError('a space-delimited pattern needs at least one field', offset);
  const specs = splitFieldSpecs(tokens, offset + pattern.length - 1);
  const isEllipsis = ({ tokens: [only, ...rest] }: FieldSpec) =>
    rest.length === 0 && only?.kind === 'word' && only.text === ELLIPSIS;
  const ellipsisAt = specs.findIndex(isEllipsis);
  if (specs.findLastIndex(isEllipsis) !== ellipsisAt) {
    throw syntaxError("'...' may appear only once", offset);
  }
  const positionOf = (index: number): FieldPosition =>
    ellipsisAt === -1 || index < ellipsisAt ? { fromStart: index } : { fromEnd: specs.length - index };

  const positionsByName = new Map<string, FieldPosition>();
  specs.forEach((spec, index) => {
    const name = fieldName(spec.tokens);
    if (name !== undefined && !positionsByName.has(name)) positionsByName.set(name, positionOf(index));
  });

  const parseFieldCondition = (cursor: TokenCursor): Predicate<readonly string[]> => {
    const nameToken = cursor.next('a field name');
    if (nameToken.kind !== 'word' || !PROPERTY_NAME.test(nameToken.text)) {
      throw syntaxError('expected a field name (letters, digits, - and _)', nameToken.at);
    }
    // A condition may test any field the pattern names, not only its own; a name the pattern does not
    // declare could never have a value.
    const position = positionsByName.get(nameToken.text);
    if (!position) throw syntaxError(`'${nameToken.text}' is not a field of this pattern`, nameToken.at);
    const operator = cursor.next(`an operator after '${nameToken.text}'`);
    if (operator.kind !== 'operator') {
      throw syntaxError(`expected an operator after '${nameToken.text}'`, operator.at);
    }
    const compare = parseComparison(operator.operator, cursor);
    return (fields) => compare(readField(fields, position));
  };

  const conditions: Predicate<readonly string[]>[] = [];
  for (const spec of specs) {
    const [first, ...rest] = spec.tokens;
    if (!first || isEllipsis(spec) || (rest.length === 0 && fieldName(spec.tokens) !== undefined)) continue;
    if (first.kind === 'word' && first.text === ELLIPSIS) {
      throw syntaxError("'...' cannot have conditions", first.at);
    }
    const cursor = new TokenCursor(spec.tokens, spec.end);
    conditions.push(parseBooleanExpression(cursor, parseFieldCondition));
    const extra = cursor.peek();
    if (extra) throw syntaxError("expected '&&', '||', ',' or ']'", extra.at);
  }

  const satisfiesConditions = (fields: readonly string[]) =>
    conditions.every((condition) => condition(fields));
  if (ellipsisAt === -1) return (fields) => fields.length === specs.length && satisfiesConditions(fields);
  return (fields) => fields.length >= specs.length - 1 && satisfiesConditions(fields);
}

function isFieldSeparator(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/**
 * Splits a log line into fields at runs of whitespace; text between `"` and `"` or `[` and `]` is one
 * field without its delimiters (`"GET / HTTP/1.1"` → `GET / HTTP/1.1`, `[10/Oct/2000:13:55:36 -0700]`
 * → `10/Oct/2000:13:55:36 -0700`). An opening delimiter that is never closed is an ordinary character.
 */
export function splitDelimitedFields(message: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i < message.length) {
    if (isFieldSeparator(message.charCodeAt(i))) {
      i++;
      continue;
    }
    const open = message[i];
    if (open === '"' || open === '[') {
      const close = message.indexOf(open === '"' ? '"' : ']', i + 1);
      if (close !== -1) {
        fields.push(message.slice(i + 1, close));
        i = close + 1;
        continue;
      }
    }
    let end = i + 1;
    while (end < message.length && !isFieldSeparator(message.charCodeAt(end))) end++;
    fields.push(message.slice(i, end));
    i = end;
  }
  return fields;
}
