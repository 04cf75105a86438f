/**
 * DynamoDB's data model as Stratus handles it inside the service: one attribute value is exactly
 * one of the ten types. Binary values are the bytes the protocol layer decoded (base64 on the
 * wire); numbers stay the decimal strings the client sent until `numbers.ts` normalizes them.
 */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: Uint8Array }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: Item }
  | { L: AttributeValue[] }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: Uint8Array[] };

/** An item, or any map of attribute names to values (keys, `ExpressionAttributeValues`). */
export type Item = Record<string, AttributeValue>;

/** The type descriptor of a value: `S`, `N`, `B`, `BOOL`, `NULL`, `M`, `L`, `SS`, `NS`, `BS`. */
export type AttributeType = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'M' | 'L' | 'SS' | 'NS' | 'BS';

/** The key attribute types a table or index may declare. */
export type ScalarAttributeType = 'S' | 'N' | 'B';

export function typeOf(value: AttributeValue): AttributeType {
  return Object.keys(value)[0] as AttributeType;
}
