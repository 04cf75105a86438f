/**
 * A statement made ready before its table is looked up, in the order DynamoDB checks: the
 * Parameters first (each a valid attribute value), then the statement's syntax, then that it has
 * a value for each `?`, then what can be told without the table — the values written in it, the
 * WHERE clause and SET/REMOVE clauses compiled, the projection and the RETURNING clause.
 */
import type { AttributeValue, Item } from '../attribute-value.js';
import { valueAt, type Condition, type DocumentPath, type Update } from '../expressions/index.js';
import { validateValue } from '../values/validate.js';
import type { Expr, PathExpr, Returning, SelectStatement, Statement } from './ast.js';
import { invalid } from './errors.js';
import { parseStatement } from './parser.js';
import { Translator } from './translate.js';
import { bindItem } from './values.js';

/** One attribute of a SELECT's projection: the path read and the name it is answered under. */
export interface Selected {
  label: string;
  path: DocumentPath;
}

interface PreparedBase {
  parameters: readonly AttributeValue[];
  /** The whole WHERE clause compiled: a SELECT's filter, checked once for any statement. */
  where?: Condition;
}

export interface PreparedSelect extends PreparedBase {
  statement: SelectStatement;
  /** The projection; none for `*`. */
  projection?: Selected[];
}

/** A prepared INSERT, UPDATE, DELETE or EXISTS. */
export interface PreparedWrite extends PreparedBase {
  statement: Exclude<Statement, SelectStatement>;
  /** An UPDATE's SET and REMOVE clauses. */
  update?: Update;
  /** An INSERT's item. */
  item?: Item;
}

export type Prepared = PreparedSelect | PreparedWrite;

export function isSelect(prepared: Prepared): prepared is PreparedSelect {
  return prepared.statement.kind === 'select';
}

/** The table a statement reads or writes. */
export function tableOf(statement: Statement): string {
  return statement.kind === 'exists' ? statement.select.table : statement.table;
}

/** The Parameters of a request, each checked and in stored form. */
export function checkedParameters(parameters: readonly unknown[] | undefined): AttributeValue[] {
  return (parameters ?? []).map((value) => validateValue(value as AttributeValue));
}

export function prepare(text: string, parameters: readonly AttributeValue[]): Prepared {
  const { statement, parameterCount } = parseStatement(text);
  if (parameterCount > parameters.length) {
    throw invalid("Number of parameters in request and statement don't match.");
  }
  const translator = new Translator(parameters);
  const where = (clause: Expr | undefined) => (clause ? { where: translator.condition(clause) } : {});
  switch (statement.kind) {
    case 'select':
      return {
        statement,
        parameters,
        ...(statement.projection === '*' ? {} : { projection: selected(statement.projection) }),
        ...where(statement.where),
      };
    case 'insert':
      return { statement, parameters, item: bindItem(statement.item, parameters) };
    case 'update': {
      const update = translator.update(statement.clauses);
      return { statement, parameters, update, ...where(statement.where) };
    }
    case 'delete':
      if (statement.returning && statement.returning !== 'ALL OLD') {
        throw invalid(
          `Invalid returning clause: RETURNING ${statement.returning} *. Only RETURNING ALL OLD * is allowed in DELETE statements.`,
        );
      }
      return { statement, parameters, ...where(statement.where) };
    case 'exists':
      return { statement, parameters, ...where(statement.select.where) };
  }
}

/** The names a projection answers under: a path's last name, with the list indexes after it. */
function selected(paths: readonly PathExpr[]): Selected[] {
  const labels = new Set<string>();
  return paths.map(({ steps }) => {
    let last = steps.length - 1;
    while (typeof steps[last] === 'number') last--;
    const label = `${steps[last] as string}${steps
      .slice(last + 1)
      .map((index) => `[${index}]`)
      .join('')}`;
    if (labels.has(label)) throw invalid(`Duplicate identifiers in select clause: ${label}`);
    labels.add(label);
    return { label, path: steps };
  });
}

/** An item as a SELECT answers it: `*` whole, else each selected path's value under its label. */
export function projectItem(projection: readonly Selected[] | undefined, item: Item): Item {
  if (!projection) return item;
  const out: Item = {};
  for (const { label, path } of projection) {
    const value = valueAt(item, path);
    if (value !== undefined) out[label] = value;
  }
  return out;
}

/** RETURNING as the ReturnValue of UpdateItem and DeleteItem. */
export function returnValue(
  returning: Returning | undefined,
): 'ALL_OLD' | 'ALL_NEW' | 'UPDATED_OLD' | 'UPDATED_NEW' | undefined {
  switch (returning) {
    case 'ALL OLD':
      return 'ALL_OLD';
    case 'ALL NEW':
      return 'ALL_NEW';
    case 'MODIFIED OLD':
      return 'UPDATED_OLD';
    case 'MODIFIED NEW':
      return 'UPDATED_NEW';
    default:
      return undefined;
  }
}
