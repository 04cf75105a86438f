/**
 * A PartiQL statement as written, before its parameters are bound or its table is known. Values
 * written in the statement are already attribute values (numbers canonical); collections stay
 * nodes, because a `?` inside one is refused only once the statement has parsed.
 */
import type { AttributeValue } from '../attribute-value.js';

/** An attribute name, then map keys (strings) and list indexes (numbers). */
export type PathSteps = readonly [string, ...(string | number)[]];

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Expr =
  | { kind: 'path'; steps: PathSteps }
  | { kind: 'literal'; value: AttributeValue }
  | { kind: 'missing' }
  | { kind: 'parameter'; index: number }
  | { kind: 'list'; items: Expr[] }
  | { kind: 'bag'; items: Expr[] }
  | { kind: 'tuple'; entries: { key: Expr; value: Expr }[] }
  | { kind: 'compare'; comparator: Comparator; left: Expr; right: Expr }
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; operand: Expr }
  | { kind: 'arithmetic'; operator: '+' | '-'; left: Expr; right: Expr }
  | { kind: 'between'; operand: Expr; lower: Expr; upper: Expr }
  | { kind: 'in'; operand: Expr; list: Expr }
  | { kind: 'is'; operand: Expr; type: string; negated: boolean }
  | { kind: 'call'; name: string; args: Expr[] };

export type PathExpr = Expr & { kind: 'path' };

/** What RETURNING asks an UPDATE or DELETE to answer with. */
export type Returning = 'ALL OLD' | 'MODIFIED OLD' | 'ALL NEW' | 'MODIFIED NEW';

export interface OrderKey {
  name: string;
  descending: boolean;
}

export interface SelectStatement {
  kind: 'select';
  /** `*`, or the paths listed. */
  projection: '*' | PathExpr[];
  table: string;
  index?: string;
  where?: Expr;
  orderBy: OrderKey[];
}

export interface InsertStatement {
  kind: 'insert';
  table: string;
  item: Expr;
}

export type UpdateClause =
  { action: 'SET'; path: PathExpr; value: Expr } | { action: 'REMOVE'; path: PathExpr };

export interface UpdateStatement {
  kind: 'update';
  table: string;
  clauses: UpdateClause[];
  where?: Expr;
  returning?: Returning;
}

export interface DeleteStatement {
  kind: 'delete';
  table: string;
  where?: Expr;
  returning?: Returning;
}

/** `EXISTS(SELECT …)`: a transaction's condition check on one item. */
export interface ExistsStatement {
  kind: 'exists';
  select: SelectStatement;
}

export type Statement =
  SelectStatement | InsertStatement | UpdateStatement | DeleteStatement | ExistsStatement;

/** How many `?` a statement holds: the Parameters it needs. */
export interface ParsedStatement {
  statement: Statement;
  parameterCount: number;
}
