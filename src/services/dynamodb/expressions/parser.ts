/**
 * A recursive-descent parser for DynamoDB's expression grammar. Precedence, tightest first, as
 * AWS documents it: comparators, IN, BETWEEN, functions, parentheses, NOT, AND, OR.
 *
 * An opening parenthesis at the start of a condition may open a parenthesised condition
 * (`(a = :v) OR …`) or a parenthesised operand (`(size(a)) > :n`); the parser reads what is
 * inside either way and decides once it sees what follows the closing one, so it never backs
 * up. DynamoDB refuses two parentheses straight around the same thing as soon as it has read
 * them, before any later syntax error — though not other parentheses that change nothing, such
 * as those around an AND inside an OR.
 *
 * Parentheses nest at most MAX_NESTING deep, short of where JavaScript's stack would give out;
 * DynamoDB reads deeper, and Stratus reports the excess as a syntax error at the `(` too many.
 */
import { ExpressionError } from './errors.js';
import type {
  CallNode,
  Comparator,
  ConditionNode,
  OperandNode,
  ParenNode,
  PathNode,
  PathStep,
  SetValueNode,
  UpdateActionNode,
  UpdateClauseNode,
  UpdateSection,
  ValueNode,
} from './syntax.js';
import { unwrap } from './syntax.js';
import { syntaxError, tokenize, type Token } from './tokenizer.js';

const COMPARATORS: ReadonlySet<string> = new Set(['=', '<>', '<', '<=', '>', '>=']);
const SECTIONS: ReadonlySet<string> = new Set(['SET', 'REMOVE', 'ADD', 'DELETE']);
const MAX_NESTING = 1000;

/** What a condition position may hold while parsing: a condition, or inside parentheses an operand. */
type Parsed = ConditionNode | OperandNode;

export function parseCondition(text: string): ConditionNode {
  const parser = new Parser(text);
  const condition = parser.asCondition(parser.orCondition());
  parser.end();
  return condition;
}

export function parseUpdate(text: string): UpdateClauseNode[] {
  const parser = new Parser(text);
  const clauses = parser.updateClauses();
  parser.end();
  return clauses;
}

export function parseProjection(text: string): PathNode[] {
  const parser = new Parser(text);
  const paths = [parser.path()];
  while (parser.takePunctuation(',')) paths.push(parser.path());
  parser.end();
  return paths;
}

class Parser {
  private readonly tokens: Token[];
  private at = 0;
  private nesting = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  private get current(): Token {
    return this.tokens[this.at] as Token;
  }

  private fail(): never {
    throw syntaxError(this.text, this.tokens, this.at);
  }

  private isPunctuation(text: string): boolean {
    return this.current.type === 'punctuation' && this.current.text === text;
  }

  private isKeyword(text: string): boolean {
    return this.current.type === 'keyword' && this.current.text === text;
  }

  takePunctuation(text: string): boolean {
    if (!this.isPunctuation(text)) return false;
    this.at++;
    return true;
  }

  private expectPunctuation(text: string): void {
    if (!this.takePunctuation(text)) this.fail();
  }

  private atEnd(): boolean {
    return this.current.type === 'end';
  }

  end(): void {
    if (!this.atEnd()) this.fail();
  }

  // ---- conditions ----

  orCondition(): Parsed {
    let left = this.andCondition();
    while (this.isKeyword('OR')) {
      const first = this.asCondition(left);
      this.at++;
      left = { kind: 'or', left: first, right: this.asCondition(this.andCondition()) };
    }
    return left;
  }

  private andCondition(): Parsed {
    let left = this.notCondition();
    while (this.isKeyword('AND')) {
      const first = this.asCondition(left);
      this.at++;
      left = { kind: 'and', left: first, right: this.asCondition(this.notCondition()) };
    }
    return left;
  }

  private notCondition(): Parsed {
    if (!this.isKeyword('NOT')) return this.comparison();
    this.at++;
    return { kind: 'not', condition: this.asCondition(this.notCondition()) };
  }

  /** A path or value standing where a condition must be is a syntax error at the token after it. */
  asCondition(node: Parsed): ConditionNode {
    const kind = unwrap<Parsed>(node).kind;
    if (kind === 'path' || kind === 'value') this.fail();
    return node as ConditionNode;
  }

  private comparison(): Parsed {
    let operand: OperandNode;
    if (this.isPunctuation('(')) {
      const group = this.parenthesized(() => this.orCondition());
      if (!isOperand(group)) return group as ConditionNode;
      operand = group as ParenNode<OperandNode>;
    } else {
      operand = this.operand();
    }
    const token = this.current;
    if (token.type === 'punctuation' && COMPARATORS.has(token.text)) {
      this.at++;
      return {
        kind: 'compare',
        comparator: token.text as Comparator,
        left: operand,
        right: this.groupedOperand(),
      };
    }
    if (this.isKeyword('BETWEEN')) {
      this.at++;
      const lower = this.groupedOperand();
      if (!this.isKeyword('AND')) this.fail();
      this.at++;
      return { kind: 'between', operand, lower, upper: this.groupedOperand() };
    }
    if (this.isKeyword('IN')) {
      this.at++;
      this.expectPunctuation('(');
      const list = [this.groupedOperand()];
      while (this.takePunctuation(',')) list.push(this.groupedOperand());
      this.expectPunctuation(')');
      return { kind: 'in', operand, list };
    }
    return operand;
  }

  // ---- operands ----

  private groupedOperand(): OperandNode {
    if (this.isPunctuation('(')) return this.parenthesized(() => this.groupedOperand());
    return this.operand();
  }

  private operand(): OperandNode {
    const token = this.current;
    if (token.type === 'name' && this.tokens[this.at + 1]?.text === '(') return this.call();
    if (token.type === 'name' || token.type === 'attributeName') return this.path();
    if (token.type === 'attributeValue') return this.value();
    this.fail();
  }

  private value(): ValueNode {
    if (this.current.type !== 'attributeValue') this.fail();
    return { kind: 'value', name: (this.tokens[this.at++] as Token).text };
  }

  private call(): CallNode {
    const name = (this.tokens[this.at++] as Token).text;
    this.expectPunctuation('(');
    const args = [this.groupedOperand()];
    while (this.takePunctuation(',')) args.push(this.groupedOperand());
    this.expectPunctuation(')');
    return { kind: 'call', name, args };
  }

  path(): PathNode {
    const steps: PathStep[] = [this.pathName()];
    for (;;) {
      if (this.takePunctuation('.')) {
        steps.push(this.pathName());
      } else if (this.takePunctuation('[')) {
        if (this.current.type !== 'index') this.fail();
        steps.push({ kind: 'index', text: (this.tokens[this.at++] as Token).text });
        this.expectPunctuation(']');
      } else {
        return { kind: 'path', steps };
      }
    }
  }

  private pathName(): PathStep {
    const token = this.current;
    if (token.type !== 'name' && token.type !== 'attributeName') this.fail();
    this.at++;
    return token.type === 'name'
      ? { kind: 'name', name: token.text }
      : { kind: 'attributeName', name: token.text };
  }

  private parenthesized<T extends { kind: string }>(inner: () => T): ParenNode<T> {
    return this.nested(() => {
      this.expectPunctuation('(');
      const node = inner();
      this.expectPunctuation(')');
      if (node.kind === 'paren') throw new ExpressionError('The expression has redundant parentheses;');
      return { kind: 'paren', inner: node };
    });
  }

  private nested<T>(read: () => T): T {
    if (++this.nesting > MAX_NESTING) this.fail();
    const node = read();
    this.nesting--;
    return node;
  }

  // ---- updates ----

  updateClauses(): UpdateClauseNode[] {
    const clauses: UpdateClauseNode[] = [];
    do {
      if (this.current.type !== 'keyword' || !SECTIONS.has(this.current.text)) this.fail();
      const section = (this.tokens[this.at++] as Token).text as UpdateSection;
      const actions = [this.updateAction(section)];
      while (this.takePunctuation(',')) actions.push(this.updateAction(section));
      clauses.push({ section, actions });
    } while (!this.atEnd());
    return clauses;
  }

  private updateAction(section: UpdateSection): UpdateActionNode {
    const path = this.path();
    switch (section) {
      case 'SET':
        this.expectPunctuation('=');
        return { action: 'SET', path, value: this.setValue() };
      case 'REMOVE':
        return { action: 'REMOVE', path };
      default:
        return { action: section, path, value: this.value() };
    }
  }

  /** `operand`, `operand + operand`, `operand - operand`, any of them in parentheses. */
  private setValue(): SetValueNode {
    let left: SetValueNode;
    if (this.isPunctuation('(')) {
      left = this.parenthesized(() => this.setValue());
      if (!isOperand(left)) return left;
    } else {
      left = this.operand();
    }
    if (this.isPunctuation('+') || this.isPunctuation('-')) {
      const operator = (this.tokens[this.at++] as Token).text as '+' | '-';
      return { kind: 'arithmetic', operator, left: left as OperandNode, right: this.groupedOperand() };
    }
    return left;
  }
}

/** Whether a node, parentheses aside, is an operand (a function call counts as both). */
function isOperand(node: { kind: string }): boolean {
  const kind = unwrap(node).kind;
  return kind === 'path' || kind === 'value' || kind === 'call';
}
