/**
 * DynamoDB's checks of key attributes against a table's key schema, with its messages. Two
 * shapes of request carry keys: a `Key` parameter (GetItem, DeleteItem, UpdateItem …), where any
 * mismatch is "The provided key element does not match the schema", and a whole `Item` (PutItem),
 * where DynamoDB says which key is missing or mistyped. Both refuse empty string and binary keys
 * and keys over the size limits: 2048 bytes for a partition key, 1024 for a sort key.
 *
 * Values are assumed already through `validate.ts`.
 */
import { typeOf, type AttributeValue, type Item } from '../attribute-value.js';
import type { KeyAttribute, KeySchema } from '../table-schema.js';
import { ValueError } from './validate.js';

/** An index's key, named: what an item's index key attributes are checked against. */
export interface IndexKeySchema {
  name: string;
  key: KeySchema;
}

export const MAX_PARTITION_KEY_BYTES = 2048;
export const MAX_SORT_KEY_BYTES = 1024;

const INVALID = 'One or more parameter values were invalid: ';
const KEY_MISMATCH = 'The provided key element does not match the schema';

/** Checks a `Key` parameter: exactly the schema's attributes, of the declared types. */
export function validateKey(key: Item, schema: KeySchema): void {
  const attributes = keyAttributes(schema);
  if (Object.keys(key).length !== attributes.length) throw new ValueError(KEY_MISMATCH);
  for (const { attribute, isPartition } of attributes) {
    const value = own(key, attribute.name);
    if (!value || typeOf(value) !== attribute.type) throw new ValueError(KEY_MISMATCH);
    checkKeyValue(value, attribute, isPartition);
  }
}

/**
 * Checks the key attributes of an item being written: the table's key must be there with its
 * declared types; an index key attribute may be absent (the item stays out of that index) but,
 * when present, must have the index's type. DynamoDB names the first offending index in name
 * order.
 */
export function validateItemKey(
  item: Item,
  schema: KeySchema,
  indexes: readonly IndexKeySchema[] = [],
): void {
  for (const { attribute, isPartition } of keyAttributes(schema)) {
    const value = own(item, attribute.name);
    if (!value) {
      throw new ValueError(`${INVALID}Missing the key ${attribute.name} in the item`);
    }
    if (typeOf(value) !== attribute.type) {
      throw new ValueError(
        `${INVALID}Type mismatch for key ${attribute.name} expected: ${attribute.type} actual: ${typeOf(value)}`,
      );
    }
    checkKeyValue(value, attribute, isPartition);
  }
  const byName = [...indexes].sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const index of byName) {
    for (const { attribute } of keyAttributes(index.key)) {
      const value = own(item, attribute.name);
      if (value) checkIndexKeyValue(value, attribute, index.name);
    }
  }
}

function keyAttributes(schema: KeySchema): { attribute: KeyAttribute; isPartition: boolean }[] {
  const attributes = [{ attribute: schema.hash, isPartition: true }];
  if (schema.range) attributes.push({ attribute: schema.range, isPartition: false });
  return attributes;
}

function own(item: Item, name: string): AttributeValue | undefined {
  return Object.hasOwn(item, name) ? item[name] : undefined;
}

function checkKeyValue(value: AttributeValue, attribute: KeyAttribute, isPartition: boolean): void {
  const size = keyBytes(value);
  if (size === 0) {
    throw new ValueError(
      `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${emptyKind(value)} value. Key: ${attribute.name}`,
    );
  }
  if (isPartition && size > MAX_PARTITION_KEY_BYTES) {
    throw new ValueError(
      `${INVALID}Size of hashkey has exceeded the maximum size limit of${MAX_PARTITION_KEY_BYTES} bytes`,
    );
  }
  if (!isPartition && size > MAX_SORT_KEY_BYTES) {
    throw new ValueError(
      `${INVALID}Aggregated size of all range keys has exceeded the size limit of ${MAX_SORT_KEY_BYTES} bytes`,
    );
  }
}

function checkIndexKeyValue(value: AttributeValue, attribute: KeyAttribute, indexName: string): void {
  if (typeOf(value) !== attribute.type) {
    throw new ValueError(
      `${INVALID}Type mismatch for Index Key ${attribute.name} Expected: ${attribute.type} Actual: ${typeOf(value)} IndexName: ${indexName}`,
    );
  }
  if (keyBytes(value) === 0) {
    throw new ValueError(
      `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${emptyKind(value)} value. IndexName: ${indexName}, IndexKey: ${attribute.name}`,
    );
  }
}

/** A key value's size as the limits count it; a number's 38 digits never come near them. */
function keyBytes(value: AttributeValue): number {
  if ('S' in value) return Buffer.byteLength(value.S, 'utf8');
  if ('B' in value) return value.B.length;
  return 1;
}

function emptyKind(value: AttributeValue): string {
  return 'B' in value ? 'binary' : 'string';
}
