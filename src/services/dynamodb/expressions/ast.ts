/**
 * Compiled expressions: what the service evaluates. Every `#name` and `:value` is already
 * replaced by what the request maps it to, and every check DynamoDB makes before touching an
 * item has passed, so evaluation only meets the errors that depend on the item.
 */
import type { AttributeType, AttributeValue } from '../attribute-value.js';

/** A document path: a top-level attribute name, then map keys (strings) and list indexes (numbers). */
export type DocumentPath = readonly [string, ...(string | number)[]];

export type Operand =
  | { kind: 'path'; path: DocumentPath }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'size'; operand: Operand };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'comparison'; comparator: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; operand: Operand; lower: Operand; upper: Operand }
  | { kind: 'in'; operand: Operand; list: Operand[] }
  | { kind: 'attribute_exists'; path: DocumentPath }
  | { kind: 'attribute_not_exists'; path: DocumentPath }
  | { kind: 'attribute_type'; path: DocumentPath; type: AttributeType }
  | { kind: 'begins_with'; operand: Operand; prefix: Operand }
  | { kind: 'contains'; operand: Operand; element: Operand }
  | { kind: 'not'; condition: Condition }
  | { kind: 'and'; left: Condition; right: Condition }
  | { kind: 'or'; left: Condition; right: Condition };

/** An operand of SET: a path, a value, or a function of them. */
export type UpdateOperand =
  | { kind: 'path'; path: DocumentPath }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'if_not_exists'; path: DocumentPath; fallback: UpdateOperand }
  | { kind: 'list_append'; first: UpdateOperand; second: UpdateOperand };

export type SetValue =
  UpdateOperand | { kind: 'arithmetic'; operator: '+' | '-'; left: UpdateOperand; right: UpdateOperand };

export type UpdateAction =
  | { action: 'SET'; path: DocumentPath; value: SetValue }
  | { action: 'REMOVE'; path: DocumentPath }
  | { action: 'ADD'; path: DocumentPath; value: AttributeValue }
  | { action: 'DELETE'; path: DocumentPath; value: AttributeValue };

/**
 * An update, from an UpdateExpression or the legacy AttributeUpdates. The two differ only where
 * the item disagrees with them: AttributeUpdates' ADD also appends lists, and a type clash is
 * "Type mismatch for attribute to update" rather than the expression's message.
 */
export interface Update {
  source: 'UpdateExpression' | 'AttributeUpdates';
  actions: UpdateAction[];
}

/** One condition of a Query's key condition, on one attribute, before the table is known. */
export interface KeyConditionPart {
  name: string;
  /** The legacy ComparisonOperator the condition amounts to (expressions only give indexable ones). */
  operator: LegacyComparisonOperator;
  values: AttributeValue[];
}

export type LegacyComparisonOperator =
  | 'EQ'
  | 'NE'
  | 'LE'
  | 'LT'
  | 'GE'
  | 'GT'
  | 'NOT_NULL'
  | 'NULL'
  | 'CONTAINS'
  | 'NOT_CONTAINS'
  | 'BEGINS_WITH'
  | 'IN'
  | 'BETWEEN';

export type SortKeyOperator = 'EQ' | 'LE' | 'LT' | 'GE' | 'GT' | 'BEGINS_WITH' | 'BETWEEN';

/** A Query's key condition checked against the key schema it reads. */
export interface KeyCondition {
  partition: { name: string; value: AttributeValue };
  sort?: { name: string; operator: SortKeyOperator; values: AttributeValue[] };
  /** The same, as a condition an item can be tested against. */
  condition: Condition;
}
