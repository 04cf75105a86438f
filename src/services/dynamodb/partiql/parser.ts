/**
 * A recursive-descent parser for the PartiQL statements DynamoDB runs: SELECT, INSERT, UPDATE
 * (also in its `FROM … WHERE … SET` form), DELETE and a transaction's `EXISTS(SELECT …)`, on
 * the expression grammar of expression-parser.ts. Syntax errors carry the reason DynamoDB's
 * parser gives; what it refuses only after parsing (aliases, RETURNING variants, projections)
 * has its own message.
 */
import type {
  DeleteStatement,
  OrderKey,
  ParsedStatement,
  PathExpr,
  Returning,
  SelectStatement,
  Statement,
  UpdateClause,
  UpdateStatement,
} from './ast.js';
import { invalid, malformed } from './errors.js';
import { ExpressionParser } from './expression-parser.js';
import { tokenize } from './tokenizer.js';

const LEFTOVER = 'Unexpected token after expression';

export function parseStatement(text: string): ParsedStatement {
  const tokens = tokenize(text);
  const statement = new Parser(tokens).statement();
  return { statement, parameterCount: tokens.filter((token) => token.type === 'parameter').length };
}

class Parser extends ExpressionParser {
  statement(): Statement {
    const statement = this.dataManipulation();
    this.accept(';');
    if (this.peek().type !== 'end') throw malformed(LEFTOVER);
    return statement;
  }

  private dataManipulation(): Statement {
    if (this.acceptKeyword('SELECT')) return this.select();
    if (this.acceptKeyword('INSERT')) return this.insert();
    if (this.acceptKeyword('UPDATE')) return this.update();
    if (this.acceptKeyword('DELETE')) return this.delete();
    if (this.acceptKeyword('FROM')) return this.fromUpdate();
    if (this.acceptKeyword('EXISTS')) {
      this.expect('(');
      if (!this.acceptKeyword('SELECT')) throw malformed('Expected SELECT');
      const select = this.select();
      this.expect(')');
      return { kind: 'exists', select };
    }
    throw malformed('Expected data manipulation');
  }

  private select(): SelectStatement {
    const projection = this.projection();
    if (!this.acceptKeyword('FROM')) {
      throw malformed(this.peek().type === 'end' ? 'Unexpected term' : 'Expected FROM');
    }
    if (this.peek().type === 'end' || this.isOperator(';')) throw malformed('Unexpected term');
    const table = this.name();
    let index: string | undefined;
    if (this.accept('.')) {
      index = this.name();
      if (this.isOperator('.')) throw invalid('A path may contain at most 2 components in the FROM clause');
    }
    this.refuseAlias();
    const where = this.acceptKeyword('WHERE') ? this.expression() : undefined;
    const orderBy: OrderKey[] = [];
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY');
      do {
        const name = this.name();
        const descending = this.acceptKeyword('DESC');
        if (!descending) this.acceptKeyword('ASC');
        orderBy.push({ name, descending });
      } while (this.accept(','));
    }
    return {
      kind: 'select',
      projection,
      table,
      ...(index === undefined ? {} : { index }),
      ...(where ? { where } : {}),
      orderBy,
    };
  }

  private projection(): '*' | PathExpr[] {
    if (this.peekKeyword('VALUE') || this.peekKeyword('PIVOT')) {
      throw invalid("Select projection doesn't support value or pivot keywords");
    }
    const items: ('*' | PathExpr)[] = [];
    do {
      if (this.accept('*')) {
        items.push('*');
        continue;
      }
      const item = this.additive();
      if (item.kind !== 'path') {
        throw invalid('Unsupported operation: only attribute names and document paths can be selected');
      }
      if (this.peekKeyword('AS') || this.peek().type === 'name' || this.peek().type === 'quoted') {
        throw invalid('Aliasing is not supported');
      }
      items.push(item);
    } while (this.accept(','));
    if (items.includes('*')) {
      if (items.length > 1) {
        throw invalid("Other attributes should not be present in the projection when '*' is used.");
      }
      return '*';
    }
    return items as PathExpr[];
  }

  private insert(): Statement {
    this.expectKeyword('INTO');
    const table = this.name();
    if (this.acceptKeyword('VALUES')) {
      throw invalid(
        'Unsupported operation: Inserting multiple items in a single statement is not supported, use "INSERT INTO tableName VALUE item" instead',
      );
    }
    if (!this.acceptKeyword('VALUE')) throw malformed(LEFTOVER);
    const item = this.expression();
    if (this.peekKeyword('RETURNING')) throw invalid('RETURNING is not supported in INSERT');
    return { kind: 'insert', table, item };
  }

  private update(): UpdateStatement {
    const table = this.name();
    this.refuseAlias();
    const clauses = this.updateClauses();
    const where = this.acceptKeyword('WHERE') ? this.expression() : undefined;
    const returning = this.returning();
    return {
      kind: 'update',
      table,
      clauses,
      ...(where ? { where } : {}),
      ...(returning ? { returning } : {}),
    };
  }

  /** `FROM table [WHERE condition] SET …`: PartiQL's other way to write an UPDATE. */
  private fromUpdate(): UpdateStatement {
    const table = this.name();
    this.refuseAlias();
    const where = this.acceptKeyword('WHERE') ? this.expression() : undefined;
    const clauses = this.updateClauses();
    return { kind: 'update', table, clauses, ...(where ? { where } : {}) };
  }

  private updateClauses(): UpdateClause[] {
    const clauses: UpdateClause[] = [];
    for (;;) {
      if (this.acceptKeyword('SET')) {
        do {
          const path = this.path();
          this.expect('=');
          clauses.push({ action: 'SET', path, value: this.additive() });
        } while (this.accept(','));
      } else if (this.acceptKeyword('REMOVE')) {
        do clauses.push({ action: 'REMOVE', path: this.path() });
        while (this.accept(','));
      } else break;
    }
    if (clauses.length === 0) throw malformed(this.peek().type === 'end' ? 'Unexpected term' : LEFTOVER);
    return clauses;
  }

  private delete(): DeleteStatement {
    if (!this.acceptKeyword('FROM') || !this.isName()) throw malformed('Expected identifier for simple path');
    const table = this.name();
    this.refuseAlias();
    const where = this.acceptKeyword('WHERE') ? this.expression() : undefined;
    const returning = this.returning();
    return { kind: 'delete', table, ...(where ? { where } : {}), ...(returning ? { returning } : {}) };
  }

  private returning(): Returning | undefined {
    if (!this.acceptKeyword('RETURNING')) return undefined;
    const scope = this.acceptKeyword('ALL') ? 'ALL' : this.acceptKeyword('MODIFIED') ? 'MODIFIED' : undefined;
    const image = this.acceptKeyword('OLD') ? 'OLD' : this.acceptKeyword('NEW') ? 'NEW' : undefined;
    if (!scope || !image || !this.accept('*')) {
      throw invalid("Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause");
    }
    if (this.isOperator(',')) {
      throw invalid('Invalid syntax with multiple returning elements in RETURNING clause');
    }
    return `${scope} ${image}`;
  }

  private refuseAlias(): void {
    if (this.peekKeyword('AS') || this.isName()) throw invalid('Aliasing is not supported');
  }
}
