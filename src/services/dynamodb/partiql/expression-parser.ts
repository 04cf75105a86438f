/**
 * PartiQL's expressions as DynamoDB parses them, for the statement parser to build on. Operators
 * bind as in PartiQL, loosest first: OR, AND, NOT, the comparisons (with BETWEEN, IN and IS),
 * then `+` and `-`; a sign is part of the number after it. Values are written as `'strings'`,
 * numbers, TRUE, FALSE, NULL, MISSING, lists `[…]`, tuples `{'k': v}`, bags `<<…>>` and `?`;
 * paths as names, `"quoted names"`, `.member`, `['member']` and `[index]`. Syntax errors carry
 * the reason DynamoDB's parser gives.
 */
import type { AttributeValue } from '../attribute-value.js';
import type { Comparator, Expr, PathExpr } from './ast.js';
import { invalid, malformed } from './errors.js';
import type { Token } from './tokenizer.js';

const COMPARATORS: Readonly<Record<string, Comparator>> = {
  '=': '=',
  '<>': '<>',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/** Keywords that are operators: where a term should start, DynamoDB calls them that. */
const OPERATOR_KEYWORDS: ReadonlySet<string> = new Set(['AND', 'OR', 'IS', 'LIKE', 'BETWEEN', 'IN']);

/** The type names IS accepts as syntax; which of them DynamoDB supports is the translator's. */
const TYPE_KEYWORDS: ReadonlySet<string> = new Set(
  `MISSING NULL BOOL BOOLEAN STRING SYMBOL CLOB BLOB STRUCT TUPLE LIST SEXP BAG INT INTEGER SMALLINT
  DECIMAL DEC NUMERIC FLOAT REAL DOUBLE CHAR CHARACTER DATE TIME TIMESTAMP`.split(/\s+/),
);

/** Keywords that name a function when a `(` follows. */
const FUNCTION_KEYWORDS: ReadonlySet<string> = new Set(['SIZE']);

const MAX_LIST_INDEX = 2147483647;

export class ExpressionParser {
  protected position = 0;

  constructor(private readonly tokens: Token[]) {}

  expression(): Expr {
    let left = this.conjunction();
    while (this.acceptKeyword('OR')) {
      left = { kind: 'or', left, right: this.rightOf(() => this.conjunction()) };
    }
    return left;
  }

  private conjunction(): Expr {
    let left = this.negation();
    while (this.acceptKeyword('AND')) {
      left = { kind: 'and', left, right: this.rightOf(() => this.negation()) };
    }
    return left;
  }

  private negation(): Expr {
    if (this.acceptKeyword('NOT')) return { kind: 'not', operand: this.negation() };
    return this.predicate();
  }

  private predicate(): Expr {
    let left = this.additive();
    for (;;) {
      const token = this.peek();
      const comparator = token.type === 'operator' ? COMPARATORS[token.text] : undefined;
      if (comparator) {
        this.position++;
        left = { kind: 'compare', comparator, left, right: this.rightOf(() => this.additive()) };
        continue;
      }
      if (this.acceptKeyword('IS')) {
        const negated = this.acceptKeyword('NOT');
        left = { kind: 'is', operand: left, type: this.typeName(), negated };
        continue;
      }
      const negated =
        this.peekKeyword('NOT') && ['BETWEEN', 'IN', 'LIKE'].some((k) => this.peekKeyword(k, 1));
      if (negated) this.position++;
      let predicate: Expr | undefined;
      if (this.acceptKeyword('BETWEEN')) {
        const lower = this.rightOf(() => this.additive());
        this.expectKeyword('AND');
        predicate = { kind: 'between', operand: left, lower, upper: this.rightOf(() => this.additive()) };
      } else if (this.acceptKeyword('IN')) {
        predicate = { kind: 'in', operand: left, list: this.rightOf(() => this.additive()) };
      } else if (this.peekKeyword('LIKE')) {
        throw invalid('Unsupported operation: LIKE');
      }
      if (!predicate) return left;
      left = negated ? { kind: 'not', operand: predicate } : predicate;
    }
  }

  protected additive(): Expr {
    let left = this.unary();
    while (this.isOperator('+') || this.isOperator('-')) {
      const operator = this.next().text as '+' | '-';
      left = { kind: 'arithmetic', operator, left, right: this.rightOf(() => this.unary()) };
    }
    return left;
  }

  /** A sign applies to a number written after it; DynamoDB has no negation of anything else. */
  private unary(): Expr {
    if (this.isOperator('-') || this.isOperator('+')) {
      const negative = this.next().text === '-';
      const operand = this.unary();
      if (operand.kind !== 'literal' || !('N' in operand.value)) {
        throw invalid('Unsupported operation: a sign before a term that is not a number');
      }
      if (!negative) return operand;
      const text = operand.value.N;
      return { kind: 'literal', value: { N: text.startsWith('-') ? text.slice(1) : `-${text}` } };
    }
    return this.primary();
  }

  private primary(): Expr {
    const token = this.peek();
    switch (token.type) {
      case 'string':
        this.position++;
        return literal({ S: token.text });
      case 'number':
        this.position++;
        return literal({ N: token.text });
      case 'parameter':
        this.position++;
        return { kind: 'parameter', index: token.index! };
      case 'name':
      case 'quoted':
        if (token.type === 'name' && this.isOperator('(', 1)) return this.call();
        return this.path();
      case 'keyword':
        return this.keywordTerm(token.text);
      case 'operator':
        return this.bracketed(token.text);
      case 'end':
        throw malformed('Unexpected term');
    }
  }

  private keywordTerm(keyword: string): Expr {
    if (keyword === 'TRUE' || keyword === 'FALSE') {
      this.position++;
      return literal({ BOOL: keyword === 'TRUE' });
    }
    if (keyword === 'NULL') {
      this.position++;
      return literal({ NULL: true });
    }
    if (keyword === 'MISSING') {
      this.position++;
      return { kind: 'missing' };
    }
    if (FUNCTION_KEYWORDS.has(keyword) && this.isOperator('(', 1)) return this.call();
    throw malformed(OPERATOR_KEYWORDS.has(keyword) ? 'Unexpected operator' : 'Unexpected keyword');
  }

  private bracketed(operator: string): Expr {
    switch (operator) {
      case '(': {
        this.position++;
        const inner = this.expression();
        this.expect(')');
        return inner;
      }
      case '[':
        this.position++;
        return { kind: 'list', items: this.sequence(']') };
      case '<<':
        this.position++;
        return { kind: 'bag', items: this.sequence('>>') };
      case '{': {
        this.position++;
        const entries: { key: Expr; value: Expr }[] = [];
        if (!this.accept('}')) {
          do {
            const key = this.expression();
            this.expect(':');
            entries.push({ key, value: this.expression() });
          } while (this.accept(','));
          this.expect('}');
        }
        return { kind: 'tuple', entries };
      }
      case ')':
      case ';':
        throw malformed('Unexpected term');
      default:
        throw malformed('Unexpected operator');
    }
  }

  private sequence(close: string): Expr[] {
    const items: Expr[] = [];
    if (this.accept(close)) return items;
    do items.push(this.expression());
    while (this.accept(','));
    this.expect(close);
    return items;
  }

  private call(): Expr {
    const name = this.next().text.toLowerCase();
    this.expect('(');
    const args = this.isOperator(')') ? [] : this.sequenceBody();
    this.expect(')');
    return { kind: 'call', name, args };
  }

  private sequenceBody(): Expr[] {
    const args: Expr[] = [];
    do args.push(this.expression());
    while (this.accept(','));
    return args;
  }

  protected path(): PathExpr {
    if (!this.isName()) {
      throw malformed(this.peek().type === 'keyword' ? 'Unexpected keyword' : 'Unexpected term');
    }
    const steps: (string | number)[] = [this.name()];
    for (;;) {
      if (this.accept('.')) {
        if (this.isOperator('*')) throw invalid('Unpivot path component like a.*.b are not supported');
        if (!this.isName()) throw malformed('Invalid path component, expecting either an IDENTIFIER or STAR');
        steps.push(this.name());
      } else if (this.accept('[')) {
        steps.push(this.pathIndex());
        this.expect(']');
      } else break;
    }
    return { kind: 'path', steps: steps as [string, ...(string | number)[]] };
  }

  /** `[n]` reads element n of a list, `['k']` member k of a map. */
  private pathIndex(): string | number {
    if (this.isOperator('*')) throw invalid('Wildcard path component like a[*].b are not supported');
    const token = this.next();
    if (token.type === 'string') return token.text;
    const negative = token.type === 'operator' && token.text === '-';
    const digits = negative ? this.next() : token;
    if (digits.type !== 'number' || !/^\d+$/.test(digits.text)) throw malformed('Invalid path component');
    const index = Number(digits.text);
    if ((negative && index !== 0) || index > MAX_LIST_INDEX) {
      throw invalid(
        `List index is not within the allowable range; index: [${negative ? '-' : ''}${digits.text}]`,
      );
    }
    return index;
  }

  private typeName(): string {
    const token = this.next();
    if (token.type === 'keyword' && TYPE_KEYWORDS.has(token.text)) {
      if (token.text === 'DOUBLE') this.acceptKeyword('PRECISION');
      if (
        token.text === 'CHARACTER' &&
        this.peek().type === 'name' &&
        this.peek().text.toUpperCase() === 'VARYING'
      ) {
        this.position++;
      }
      return token.text;
    }
    if (token.type === 'name' && /^int(eger)?[248]$/i.test(token.text)) return token.text.toUpperCase();
    throw malformed('Expected type name');
  }

  /** The right-hand side of an infix operator, which must be there. */
  private rightOf(parse: () => Expr): Expr {
    const next = this.peek();
    if (next.type === 'end' || (next.type === 'operator' && next.text === ';')) {
      throw malformed('Missing right-hand side expression of infix operator');
    }
    return parse();
  }

  protected name(): string {
    if (!this.isName()) throw malformed('Expected identifier for simple path');
    return this.next().text;
  }

  protected isName(offset = 0): boolean {
    const type = this.peek(offset).type;
    return type === 'name' || type === 'quoted';
  }

  protected peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)]!;
  }

  protected next(): Token {
    const token = this.peek();
    if (token.type !== 'end') this.position++;
    return token;
  }

  protected isOperator(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.type === 'operator' && token.text === text;
  }

  protected peekKeyword(keyword: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.type === 'keyword' && token.text === keyword;
  }

  protected accept(operator: string): boolean {
    if (!this.isOperator(operator)) return false;
    this.position++;
    return true;
  }

  protected acceptKeyword(keyword: string): boolean {
    if (!this.peekKeyword(keyword)) return false;
    this.position++;
    return true;
  }

  protected expect(operator: string): void {
    if (this.accept(operator)) return;
    throw malformed(this.peek().type === 'end' ? 'Unexpected term' : `Expected ${operator}`);
  }

  protected expectKeyword(keyword: string): void {
    if (!this.acceptKeyword(keyword)) throw malformed(`Expected ${keyword}`);
  }
}

function literal(value: AttributeValue): Expr {
  return { kind: 'literal', value };
}
