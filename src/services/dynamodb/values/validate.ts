/**
 * The checks DynamoDB makes on every attribute value a request carries — items, keys,
 * `ExpressionAttributeValues` — before it looks at any table, with its ValidationException
 * messages word for word (odd spacing included: "An number set  may not be empty").
 *
 * Each check returns the value as DynamoDB will store it: numbers in canonical form, number
 * sets with canonical members. Set duplicates are found after that normalization, as DynamoDB
 * does, so `NS: ["1", "1.0"]` is refused.
 */
import { ValidationException } from '../errors.js';
import type { AttributeType, AttributeValue, Item } from '../attribute-value.js';
import { NumberError, normalizeNumber } from './numbers.js';

/** A value DynamoDB refuses; the message is the ValidationException's. */
/** A ValidationException: the protocol layer answers it as DynamoDB does. */
export class ValueError extends ValidationException {}

/** DynamoDB allows documents 32 levels deep, the top-level attribute value being the first. */
export const MAX_NESTING_DEPTH = 32;

const INVALID = 'One or more parameter values were invalid: ';
const NULL_MUST_BE_TRUE = 'Null attribute value types must have the value of true';
const NESTING =
  'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';

/** Checks one attribute value and returns it as DynamoDB stores it. */
export function validateValue(value: AttributeValue): AttributeValue {
  return checkValue(value, 0);
}

/** Checks every attribute of an item (or a key, or any map of names to values). */
export function validateItem(item: Item): Item {
  return mapEntries(item, (value) => checkValue(value, 0));
}

/**
 * Checks `ExpressionAttributeValues`. DynamoDB names the offending placeholder in most of its
 * messages — "ExpressionAttributeValues contains invalid value: … for key :v" — but reports a
 * false NULL and too deep a document bare, as it does for items.
 */
export function validateExpressionAttributeValues(values: Item): Item {
  return mapEntries(values, (value, key) => {
    try {
      return checkValue(value, 0);
    } catch (error) {
      if (!(error instanceof ValueError) || isReportedBare(error.message)) throw error;
      throw new ValueError(
        `ExpressionAttributeValues contains invalid value: ${error.message} for key ${key}`,
      );
    }
  });
}

function isReportedBare(message: string): boolean {
  return message === NESTING || message === `${INVALID}${NULL_MUST_BE_TRUE}`;
}

function checkValue(value: AttributeValue, depth: number): AttributeValue {
  if (depth >= MAX_NESTING_DEPTH) throw new ValueError(NESTING);
  // The protocol layer hands over whatever members the client sent, so a value may carry none
  // or several; DynamoDB checks each member's content before it complains about the count.
  let only: AttributeType | undefined;
  let count = 0;
  for (const type in value) {
    if ((value as Record<string, unknown>)[type] === undefined) continue;
    only = type as AttributeType;
    count++;
  }
  if (count === 0) {
    throw new ValueError(
      'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    );
  }
  if (count === 1) return checkMember(value, only!, depth);
  for (const type in value) {
    if ((value as Record<string, unknown>)[type] !== undefined)
      checkMember(value, type as AttributeType, depth);
  }
  throw new ValueError(
    'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
  );
}

function checkMember(value: AttributeValue, type: AttributeType, depth: number): AttributeValue {
  const member = value as Partial<Record<AttributeType, unknown>>;
  switch (type) {
    case 'S':
      return { S: member.S as string };
    case 'B':
      return { B: member.B as Uint8Array };
    case 'BOOL':
      return { BOOL: member.BOOL as boolean };
    case 'N':
      return { N: number(member.N as string) };
    case 'NULL':
      if (member.NULL !== true) throw new ValueError(`${INVALID}${NULL_MUST_BE_TRUE}`);
      return { NULL: true };
    case 'SS':
      return { SS: stringSet(member.SS as string[]) };
    case 'NS':
      return { NS: numberSet(member.NS as string[]) };
    case 'BS':
      return { BS: binarySet(member.BS as Uint8Array[]) };
    case 'L':
      return { L: (member.L as AttributeValue[]).map((element) => checkValue(element, depth + 1)) };
    case 'M':
      return { M: mapEntries(member.M as Item, (element) => checkValue(element, depth + 1)) };
  }
}

function number(text: string): string {
  try {
    return normalizeNumber(text);
  } catch (error) {
    if (error instanceof NumberError) throw new ValueError(error.message);
    throw error;
  }
}

function stringSet(members: string[]): string[] {
  if (members.length === 0) throw new ValueError(`${INVALID}An string set  may not be empty`);
  if (new Set(members).size !== members.length) {
    throw new ValueError(`${INVALID}Input collection [${members.join(', ')}] contains duplicates.`);
  }
  return members;
}

function numberSet(members: string[]): string[] {
  if (members.length === 0) throw new ValueError(`${INVALID}An number set  may not be empty`);
  const normalized = members.map(number);
  if (new Set(normalized).size !== normalized.length) {
    throw new ValueError('Input collection contains duplicates');
  }
  return normalized;
}

function binarySet(members: Uint8Array[]): Uint8Array[] {
  if (members.length === 0) throw new ValueError(`${INVALID}Binary sets should not be empty`);
  const encoded = members.map((member) => Buffer.from(member).toString('base64'));
  if (new Set(encoded).size !== encoded.length) {
    throw new ValueError(`${INVALID}Input collection [${encoded.join(', ')}]of type BS contains duplicates.`);
  }
  return members;
}

/** A copy of a map with each value replaced; a `__proto__` name stays an attribute. */
function mapEntries(item: Item, check: (value: AttributeValue, name: string) => AttributeValue): Item {
  const checked: Item = {};
  for (const name in item) {
    const value = check(item[name]!, name);
    if (name === '__proto__')
      Object.defineProperty(checked, name, { value, enumerable: true, writable: true, configurable: true });
    else checked[name] = value;
  }
  return checked;
}
