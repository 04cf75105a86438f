/**
 * Expression attribute names and values as a request supplies them, and the bookkeeping of which
 * ones its expressions use: DynamoDB refuses a request that defines one no expression reads.
 */
import type { AttributeValue, Item } from '../attribute-value.js';
import { ExpressionError } from './errors.js';
import type { ValueNode } from './syntax.js';

export class Placeholders {
  readonly usedNames = new Set<string>();
  readonly usedValues = new Set<string>();

  constructor(
    readonly names: Readonly<Record<string, string>> = {},
    readonly values: Readonly<Item> = {},
  ) {}

  name(placeholder: string): string {
    const name = Object.hasOwn(this.names, placeholder) ? this.names[placeholder] : undefined;
    if (name === undefined) {
      throw new ExpressionError(
        `An expression attribute name used in the document path is not defined; attribute name: ${placeholder}`,
      );
    }
    this.usedNames.add(placeholder);
    return name;
  }

  value(node: ValueNode): AttributeValue {
    const value = Object.hasOwn(this.values, node.name) ? this.values[node.name] : undefined;
    if (value === undefined) {
      throw new ExpressionError(
        `An expression attribute value used in expression is not defined; attribute value: ${node.name}`,
      );
    }
    this.usedValues.add(node.name);
    return value;
  }
}
