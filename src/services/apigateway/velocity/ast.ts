/**
 * A parsed template. Offsets are positions in the template's source, kept so that errors found
 * while rendering (a runaway loop) can name a line and column too.
 */
import type { Value } from './values.js';

/** A `$reference`: a name, then properties, method calls and indexes (`$a.b.c('x')[0]`). */
export interface Reference {
  name: string;
  /** `$!a`: prints nothing when null. */
  quiet: boolean;
  segments: Segment[];
  /** The reference as written, which Velocity prints for a null reference. */
  source: string;
  offset: number;
}

export type Segment =
  | { kind: 'property'; name: string }
  | { kind: 'method'; name: string; args: Expression[] }
  | { kind: 'index'; index: Expression };

export type BinaryOperator =
  '||' | '&&' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%';

export type Expression =
  /** Numbers, booleans, null and strings that need no interpolation. */
  | { kind: 'literal'; value: Value }
  /** A double-quoted string with references or directives in it, rendered on each evaluation. */
  | { kind: 'interpolated'; nodes: Node[] }
  | { kind: 'reference'; reference: Reference }
  | { kind: 'list'; items: Expression[] }
  | { kind: 'range'; from: Expression; to: Expression; offset: number }
  | { kind: 'map'; entries: [Expression, Expression][] }
  | { kind: 'binary'; operator: BinaryOperator; left: Expression; right: Expression; offset: number }
  | { kind: 'not'; operand: Expression }
  | { kind: 'negate'; operand: Expression };

export type Node =
  | { kind: 'text'; text: string }
  | { kind: 'output'; reference: Reference }
  | { kind: 'set'; target: Reference; value: Expression }
  | { kind: 'if'; branches: { condition: Expression; body: Node[] }[]; otherwise: Node[] }
  | { kind: 'foreach'; variable: string; iterable: Expression; body: Node[]; offset: number }
  | { kind: 'break' }
  | { kind: 'stop' }
  | { kind: 'define'; name: string; body: Node[] }
  | { kind: 'macroCall'; name: string; args: Expression[]; offset: number };

export interface MacroDefinition {
  parameters: string[];
  body: Node[];
}

export interface Template {
  readonly source: string;
  readonly nodes: readonly Node[];
  /** `#macro` definitions, global to the template as in Velocity. */
  readonly macros: ReadonlyMap<string, MacroDefinition>;
}
