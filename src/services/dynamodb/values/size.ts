/**
 * An item's size as DynamoDB counts it against the 400 KB item limit and for capacity units
 * ("DynamoDB item sizes and formats"): each attribute's UTF-8 name plus its value — strings in
 * UTF-8 bytes, binaries in raw bytes, BOOL and NULL one byte, sets the sum of their members, lists
 * and maps 3 bytes plus 1 per element plus the elements (a map element's name included).
 *
 * The guide gives a number's size only roughly ("1 byte per two significant digits, plus 1").
 * DynamoDB stores a number as base-100 digit pairs aligned on the decimal point behind one
 * exponent byte, negatives taking one more byte; counting those pairs gives the exact size, so
 * `15` and `0.15` take 2 bytes while `1.5` takes 3.
 */
import { ValueError } from './validate.js';
import type { AttributeValue, Item } from '../attribute-value.js';
import { parseNumber } from './numbers.js';

/** 400 KB, names and values together. */
export const MAX_ITEM_SIZE = 400 * 1024;

/** PutItem's, BatchWriteItem's and TransactWriteItems' message for an item over the limit. */
export const ITEM_TOO_LARGE = 'Item size has exceeded the maximum allowed size';

/** UpdateItem's message when the updated item would be over the limit. */
export const UPDATED_ITEM_TOO_LARGE = 'Item size to update has exceeded the maximum allowed size';

export function itemSize(item: Item): number {
  let size = 0;
  for (const name in item) size += utf8Bytes(name) + valueSize(item[name]!);
  return size;
}

/** One attribute value's size, without its name. */
export function valueSize(value: AttributeValue): number {
  if ('S' in value) return utf8Bytes(value.S);
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return value.B.length;
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('SS' in value) return sum(value.SS, utf8Bytes);
  if ('NS' in value) return sum(value.NS, numberSize);
  if ('BS' in value) return sum(value.BS, (member) => member.length);
  if ('L' in value) return 3 + sum(value.L, (element) => 1 + valueSize(element));
  return 3 + Object.keys(value.M).length + itemSize(value.M);
}

/** A non-zero integer without leading zeros or a plus sign, within the 38 digits a number may have. */
const PLAIN_INTEGER = /^-?[1-9][0-9]{0,37}$/;

/** An exponent byte, the base-100 digit pairs, and for a negative number one more byte. */
export function numberSize(text: string): number {
  if (PLAIN_INTEGER.test(text)) {
    // Most numbers: the digits up to the last non-zero one, an exponent of the digit count.
    const negative = text.charCodeAt(0) === 45; // '-'
    const whole = negative ? text.length - 1 : text.length;
    let end = text.length;
    while (text.charCodeAt(end - 1) === 48) end--; // trailing '0's
    const digits = end - (negative ? 1 : 0);
    return 1 + Math.ceil(((whole % 2) + digits) / 2) + (negative ? 1 : 0);
  }
  const { negative, digits, exponent } = parseNumber(text);
  if (digits === '') return 1;
  // With an odd count of integer digits (or of leading fraction zeros) the first pair holds a
  // padding zero before the first significant digit.
  const padding = Math.abs(exponent) % 2;
  return 1 + Math.ceil((padding + digits.length) / 2) + (negative ? 1 : 0);
}

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function sum<T>(members: readonly T[], size: (member: T) => number): number {
  let total = 0;
  for (const member of members) total += size(member);
  return total;
}

/** Refuses an item over 400 KB; UpdateItem's result is refused with its own wording. */
export function checkItemSize(item: Item, message = ITEM_TOO_LARGE): void {
  if (itemSize(item) > MAX_ITEM_SIZE) throw new ValueError(message);
}
