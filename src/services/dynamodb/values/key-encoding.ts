/**
 * Key attribute values as bytes whose bytewise order (memcmp — how SQLite compares BLOBs and
 * PostgreSQL `bytea`) is DynamoDB's key order, so the store can range-scan a sort key and page
 * through a partition with plain index reads.
 *
 * A key column holds values of one declared type, and one value each, so strings and binaries
 * are their own bytes — DynamoDB orders strings by their UTF-8 bytes, which is also why
 * "\u{1F600}" sorts after "\uFFFD" here though UTF-16 code units would put it first.
 *
 * Numbers need a real scheme. Zero is one byte between the negatives and the positives:
 *
 *   positive  0x03, exponent + 129 (0..255), the significant digits as ASCII
 *   zero      0x02
 *   negative  0x01, 126 - exponent (0..255), each digit d as ASCII (9 - d), then ':'
 *
 * With `0.digits × 10^exponent` and no trailing zeros, a larger exponent means a larger magnitude
 * and equal exponents compare by digits, a shorter prefix being the smaller. Negatives invert
 * both; their terminator ':' sorts after every complemented digit so a shorter prefix — a
 * smaller magnitude — comes out greater.
 */
import type { AttributeValue, ScalarAttributeType } from '../attribute-value.js';
import { formatNumber, parseNumber, type NumberParts } from './numbers.js';

const NEGATIVE = 0x01;
const ZERO = 0x02;
const POSITIVE = 0x03;
const EXPONENT_BIAS = 129;
const NEGATIVE_EXPONENT_BASE = 126;
const DIGIT_ZERO = 0x30;
const NEGATIVE_END = 0x3a;

/** The order-preserving bytes of an S, N or B key value (an N need not be normalized). */
export function encodeKey(value: AttributeValue): Buffer {
  if ('S' in value) return Buffer.from(value.S, 'utf8');
  if ('B' in value) return Buffer.from(value.B);
  if ('N' in value) return encodeNumber(parseNumber(value.N));
  throw new TypeError('a key value is S, N or B');
}

/** The value `encodeKey` encoded; numbers come back normalized. */
export function decodeKey(type: ScalarAttributeType, bytes: Buffer): AttributeValue {
  switch (type) {
    case 'S':
      return { S: bytes.toString('utf8') };
    case 'B':
      return { B: new Uint8Array(bytes) };
    case 'N':
      return { N: formatNumber(decodeNumber(bytes)) };
  }
}

function encodeNumber({ negative, digits, exponent }: NumberParts): Buffer {
  if (digits === '') return Buffer.from([ZERO]);
  const bytes = Buffer.alloc(digits.length + (negative ? 3 : 2));
  bytes[0] = negative ? NEGATIVE : POSITIVE;
  bytes[1] = negative ? NEGATIVE_EXPONENT_BASE - exponent : exponent + EXPONENT_BIAS;
  for (let i = 0; i < digits.length; i++) {
    const digit = digits.charCodeAt(i) - DIGIT_ZERO;
    bytes[i + 2] = DIGIT_ZERO + (negative ? 9 - digit : digit);
  }
  if (negative) bytes[bytes.length - 1] = NEGATIVE_END;
  return bytes;
}

function decodeNumber(bytes: Buffer): NumberParts {
  const sign = bytes[0];
  if (sign === ZERO) return { negative: false, digits: '', exponent: 0 };
  const negative = sign === NEGATIVE;
  const biased = bytes[1] ?? 0;
  const body = bytes.subarray(2, negative ? bytes.length - 1 : bytes.length);
  let digits = '';
  for (const byte of body) {
    const digit = byte - DIGIT_ZERO;
    digits += String(negative ? 9 - digit : digit);
  }
  return {
    negative,
    digits,
    exponent: negative ? NEGATIVE_EXPONENT_BASE - biased : biased - EXPONENT_BIAS,
  };
}

/**
 * The smallest byte string greater than every string starting with `prefix` — the exclusive
 * upper bound of a `begins_with` range read — or `undefined` when there is none (an empty
 * prefix, or one of only 0xFF bytes, bounds nothing).
 */
export function prefixUpperBound(prefix: Buffer): Buffer | undefined {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  const bound = Buffer.from(prefix.subarray(0, end));
  bound[end - 1] = (bound[end - 1] ?? 0) + 1;
  return bound;
}
