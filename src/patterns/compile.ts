/**
 * EventBridge's event-pattern compiler: reads a pattern token by token, as EventBridge does, and
 * turns it into branches — one per way through its `$or`s — each a set of fields (a path of keys)
 * with the tests any one of which a field's value must pass. Fields of a branch are ANDed, branches
 * ORed. A problem is reported where it is met, with EventBridge's reason and, where EventBridge
 * gives one, its location suffix (see json-reader.ts); a few reasons come without one, and a few
 * twice, because EventBridge's parser reports them so.
 *
 * Checks beyond the syntax (wildcard complexity, what a dialect refuses) are in index.ts.
 */
import { exactNumber, type Bound, type Condition } from './conditions.js';
import { IpError, ipBytesIfAddress, looksLikeIp, parseCidr } from './ip.js';
import { JsonReader, JsonSyntaxError, type JsonToken } from './json-reader.js';
import { NumberError, requireComparable } from './numbers.js';
import { checkWildcard, WildcardError, wildcardMatcher } from './wildcard.js';

/**
 * A refused pattern; the message is the reason EventBridge gives after
 * "Event pattern is not valid. Reason: ".
 */
export class InvalidPatternError extends Error {}

export interface PatternField {
  readonly path: readonly string[];
  readonly conditions: readonly Condition[];
}

export interface PatternBranch {
  readonly fields: readonly PatternField[];
}

/** While compiling: a branch keyed by path, so a path written twice keeps its last tests. */
type Rule = Map<string, PatternField>;

type AnythingButForm = 'equals-ignore-case' | 'prefix' | 'suffix' | 'wildcard';
const anythingButForms: readonly string[] = ['equals-ignore-case', 'prefix', 'suffix', 'wildcard'];

/** Names a `$or` branch may not use as keys: the operators, and words EventBridge keeps for later. */
const reservedInOr = new Set(
  [
    'exactly equals-ignore-case prefix suffix anything-but exists wildcard numeric cidr = < <= > >=',
    'regex not-wildcard not-equals-ignore-case date-after date-on-or-after date-before date-on-or-before',
    'in-date-range ip-address-in-range ip-address-not-in-range',
  ]
    .join(' ')
    .split(' '),
);

export function compileBranches(source: string): PatternBranch[] {
  try {
    return new Compiler(source).compile();
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw new InvalidPatternError(err.message);
    throw err;
  }
}

class Compiler {
  private readonly reader: JsonReader;

  constructor(source: string) {
    this.reader = new JsonReader(source);
  }

  compile(): PatternBranch[] {
    const rules: Rule[] = [];
    if (this.next() !== 'startObject') this.barf('Filter is not an object');
    this.object(rules, [], false);
    return rules.map((rule) => ({ fields: [...rule.values()] }));
  }

  private next(): JsonToken | undefined {
    return this.reader.next();
  }

  private text(): string {
    return this.reader.text();
  }

  private barf(reason: string): never {
    throw new InvalidPatternError(reason + this.reader.location());
  }

  /** Runs `read`, giving a refused number the current location. */
  private locating<T>(read: () => T): T {
    try {
      return read();
    } catch (err) {
      if (err instanceof NumberError) this.barf(err.message);
      throw err;
    }
  }

  /** Runs `read`, reporting any problem again at the current place (EventBridge does, in lists). */
  private rebarfing<T>(read: () => T): T {
    try {
      return read();
    } catch (err) {
      if (
        err instanceof InvalidPatternError ||
        err instanceof JsonSyntaxError ||
        err instanceof NumberError
      ) {
        this.barf(err.message);
      }
      throw err;
    }
  }

  private object(rules: Rule[], path: string[], insideOr: boolean): void {
    let empty = true;
    while (this.next() !== 'endObject') {
      empty = false;
      const name = this.text();
      if (name === '$or') {
        this.or(rules, path);
        continue;
      }
      if (insideOr && reservedInOr.has(name)) {
        this.barf(`${name} is Ruler reserved fieldName which cannot be used inside $or.`);
      }
      const token = this.next();
      if (token === 'startObject') this.object(rules, [...path, name], insideOr);
      else if (token === 'startArray') this.values(rules, [...path, name]);
      else this.barf(`"${name}" must be an object or an array`);
    }
    if (empty) this.barf('Empty objects are not allowed');
  }

  /** `$or`: each object of the array continues a copy of every branch so far. */
  private or(rules: Rule[], path: string[]): void {
    const before = rules.map((rule) => new Map(rule));
    rules.length = 0;
    if (this.next() !== 'startArray') this.barf('It must be an Array followed with $or.');
    let count = 0;
    for (let token = this.next(); token !== 'endArray'; token = this.next()) {
      count++;
      if (token !== 'startObject') this.barf('Only JSON object is allowed in array of $or relationship.');
      const branches = before.length > 0 ? before.map((rule) => new Map(rule)) : [new Map()];
      this.object(branches, path, true);
      rules.push(...branches);
    }
    if (count < 2) this.barf('There must have at least 2 Objects in $or relationship.');
  }

  private values(rules: Rule[], path: string[]): void {
    const conditions: Condition[] = [];
    for (let token = this.next(); token !== 'endArray'; token = this.next()) {
      if (token === 'startObject') conditions.push(this.matchExpression());
      else if (token === 'string') conditions.push(exactString(this.text()));
      else if (token === 'number') conditions.push(exactNumber(this.text()));
      else if (token === 'true' || token === 'false')
        conditions.push({ kind: 'exact', value: token === 'true' });
      else if (token === 'null') conditions.push({ kind: 'exact', value: null });
      else this.barf('Match value must be String, number, true, false, or null');
    }
    if (conditions.length === 0) this.barf('Empty arrays are not allowed');
    if (rules.length === 0) rules.push(new Map());
    const field = { path, conditions };
    for (const rule of rules) rule.set(JSON.stringify(path), field);
  }

  private endOfExpression(): void {
    if (this.next() !== 'endObject') this.barf('Only one key allowed in match expression');
  }

  private stringOperand(reason: string): string {
    if (this.next() !== 'string') this.barf(reason);
    return this.text();
  }

  /** `{ "<operator>": … }` inside a value list; the `{` has been read. */
  private matchExpression(): Condition {
    if (this.next() !== 'fieldName') this.barf('Match expression name not found');
    const operator = this.text();
    switch (operator) {
      case 'exactly': {
        const value = this.stringOperand('exact match pattern must be a string');
        this.endOfExpression();
        return { kind: 'exact', value };
      }
      case 'prefix':
      case 'suffix': {
        const token = this.next();
        if (token === 'startObject') return this.affixIgnoringCase(operator);
        if (token !== 'string') this.barf(`${operator} match pattern must be a string`);
        const value = this.text();
        this.endOfExpression();
        return { kind: operator, value };
      }
      case 'equals-ignore-case': {
        const value = this.stringOperand('equals-ignore-case match pattern must be a string');
        this.endOfExpression();
        return { kind: 'equals-ignore-case', value };
      }
      case 'numeric': {
        if (this.next() !== 'startArray') this.barf('Value of numeric must be an array.');
        const condition = this.locating(() => this.numeric());
        if (this.next() !== 'endObject') this.barf('Too many elements in numeric expression');
        return condition;
      }
      case 'anything-but':
        return this.anythingBut();
      case 'exists': {
        const token = this.next();
        if (token !== 'true' && token !== 'false')
          this.barf('exists match pattern must be either true or false.');
        this.endOfExpression();
        return { kind: 'exists', value: token === 'true' };
      }
      case 'cidr': {
        // EventBridge names the wrong operator here; its reasons about the block carry no location.
        const block = this.stringOperand('prefix match pattern must be a string');
        const range = withoutLocation(() => parseCidr(block));
        this.endOfExpression();
        return { kind: 'cidr', range };
      }
      case 'wildcard': {
        const value = this.stringOperand('wildcard match pattern must be a string');
        this.checkWildcard(value);
        this.endOfExpression();
        return { kind: 'wildcard', value, matcher: wildcardMatcher(value) };
      }
      default:
        return this.barf(`Unrecognized match type ${operator}`);
    }
  }

  private checkWildcard(value: string): void {
    try {
      checkWildcard(value);
    } catch (err) {
      if (err instanceof WildcardError) this.barf(err.message);
      throw err;
    }
  }

  /** `{"prefix": {"equals-ignore-case": "…"}}` (or suffix); the inner `{` has been read. */
  private affixIgnoringCase(operator: 'prefix' | 'suffix'): Condition {
    const title = operator === 'prefix' ? 'Prefix' : 'Suffix';
    if (this.next() !== 'fieldName') this.barf(`${title} expression name not found`);
    const inner = this.text();
    if (inner !== 'equals-ignore-case') this.barf(`Unsupported ${operator} pattern: ${inner}`);
    const value = this.stringOperand('equals-ignore-case match pattern must be a string');
    this.endOfExpression();
    this.endOfExpression();
    return { kind: `${operator}-equals-ignore-case`, value };
  }

  /** `numeric`'s array after its `[`: `= n`, `> n`, `>= n`, `< n`, `<= n`, or a lower then an upper bound. */
  private numeric(): Condition {
    if (this.next() !== 'string') this.barf(`Invalid member in numeric match: ${this.text()}`);
    const operator = this.text();
    const token = this.next();
    switch (operator) {
      case '=': {
        if (token !== 'number') this.barf('Value of equals must be numeric');
        const text = this.text();
        if (this.next() !== 'endArray') this.barf('Too many elements in numeric expression');
        const bound = { value: requireComparable(text), inclusive: true };
        return { kind: 'numeric', lower: bound, upper: bound };
      }
      case '>':
      case '>=': {
        if (token !== 'number') this.barf(`Value of ${operator} must be numeric`);
        const text = this.text();
        const lower = { text, inclusive: operator === '>=' };
        const after = this.next();
        if (after === 'endArray') return { kind: 'numeric', lower: bound(lower) };
        return this.upperBound(after, lower);
      }
      case '<':
      case '<=': {
        if (token !== 'number') this.barf(`Value of ${operator} must be numeric`);
        const text = this.text();
        if (this.next() !== 'endArray') this.barf('Too many elements in numeric expression');
        return { kind: 'numeric', upper: bound({ text, inclusive: operator === '<=' }) };
      }
      default:
        return this.barf(`Unrecognized numeric range operator: ${operator}`);
    }
  }

  private upperBound(token: JsonToken | undefined, lower: { text: string; inclusive: boolean }): Condition {
    if (token !== 'string') this.barf(`Bad value in numeric range: ${this.text()}`);
    const operator = this.text();
    if (operator !== '<' && operator !== '<=') this.barf(`Bad numeric range operator: ${operator}`);
    if (this.next() !== 'number') this.barf(`Value of ${operator} must be numeric`);
    const text = this.text();
    if (this.next() !== 'endArray') this.barf('Too many terms in numeric range expression');
    const range = {
      kind: 'numeric' as const,
      lower: bound(lower),
      upper: bound({ text, inclusive: operator === '<=' }),
    };
    if (range.lower.value >= range.upper.value) throw new NumberError('Bottom must be less than top');
    return range;
  }

  private anythingBut(): Condition {
    let form: AnythingButForm | undefined;
    let token = this.next();
    if (token === 'startObject') {
      if (this.next() !== 'fieldName') this.barf('Anything-But expression name not found');
      const inner = this.text();
      if (!anythingButForms.includes(inner)) this.barf(`Unsupported anything-but pattern: ${inner}`);
      form = inner as AnythingButForm;
      token = this.next();
    }
    if (token !== 'startArray' && token !== 'string' && token !== 'number') {
      this.barf('Value of anything-but must be an array or single string/number value.');
    }
    const condition =
      token === 'startArray'
        ? form === undefined
          ? this.anythingButList()
          : this.anythingButFormList(form)
        : form === undefined
          ? this.anythingButValue(token)
          : this.anythingButForm(form, [this.anythingButFormValue(token, form)]);
    // EventBridge's reason for anything after the value, whatever it is.
    if (this.next() !== 'endObject') this.barf('Too many elements in numeric expression');
    if (form !== undefined && this.next() !== 'endObject')
      this.barf('Too many elements in numeric expression');
    return condition;
  }

  private anythingButValue(token: 'string' | 'number'): Condition {
    const text = this.text();
    if (token === 'string') return { kind: 'anything-but', strings: [text], numbers: [] };
    return { kind: 'anything-but', strings: [], numbers: [withoutLocation(() => requireComparable(text))] };
  }

  private anythingButList(): Condition {
    const strings: string[] = [];
    const numbers: number[] = [];
    this.rebarfing(() => {
      for (let token = this.next(); token !== 'endArray'; token = this.next()) {
        if (token === 'string') strings.push(this.text());
        else if (token === 'number') numbers.push(requireComparable(this.text()));
        else this.barf('Inside anything but list, start|null|boolean is not supported.');
      }
    });
    if (strings.length > 0 === numbers.length > 0) {
      this.barf(
        'Inside anything but list, either all values are number or string, mixed type is not supported',
      );
    }
    return { kind: 'anything-but', strings, numbers };
  }

  private anythingButFormList(form: AnythingButForm): Condition {
    const values: string[] = [];
    this.rebarfing(() => {
      for (let token = this.next(); token !== 'endArray'; token = this.next()) {
        values.push(this.anythingButFormValue(token, form));
      }
    });
    return this.anythingButForm(form, values);
  }

  private anythingButForm(form: AnythingButForm, values: string[]): Condition {
    if (form !== 'wildcard') return { kind: `anything-but-${form}`, values };
    for (const value of values) this.checkWildcard(value);
    return { kind: 'anything-but-wildcard', values, matchers: values.map(wildcardMatcher) };
  }

  private anythingButFormValue(token: JsonToken | undefined, form: AnythingButForm): string {
    if (token !== 'string') {
      this.barf(
        form === 'equals-ignore-case'
          ? 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'
          : form === 'wildcard'
            ? 'wildcard match pattern must be a string'
            : 'prefix/suffix match pattern must be a string',
      );
    }
    const value = this.text();
    if ((form === 'prefix' || form === 'suffix') && value === '') this.barf('Null prefix/suffix not allowed');
    return value;
  }
}

function bound({ text, inclusive }: { text: string; inclusive: boolean }): Bound {
  return { value: requireComparable(text), inclusive };
}

function exactString(text: string): Condition {
  const address = looksLikeIp(text) ? ipBytesIfAddress(text) : undefined;
  return address ? { kind: 'ip', address } : { kind: 'exact', value: text };
}

/** Runs `read`; a refused number or block becomes a reason without a location, as EventBridge gives it. */
function withoutLocation<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof NumberError || err instanceof IpError) throw new InvalidPatternError(err.message);
    throw err;
  }
}
