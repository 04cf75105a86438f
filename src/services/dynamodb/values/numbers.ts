/**
 * DynamoDB's Number type: a decimal of up to 38 significant digits whose magnitude lies between
 * 1E-130 and 9.9999999999999999999999999999999999999E+125, or zero. Clients send numbers as
 * strings in scientific or plain notation; DynamoDB stores and returns them canonical — plain
 * notation, no leading or trailing zeros, no `+`, no `-0` — so `1.5E2` comes back as `150` and
 * `1E+100` as a 1 followed by a hundred zeros.
 *
 * Arithmetic is exact (BigInt over the digits) because DynamoDB's is: `SET a = a + :v` on
 * 38-digit values neither rounds nor drifts the way binary floating point would.
 */
import { ValidationException } from '../errors.js';

/** A number DynamoDB refuses; the message is the ValidationException's. */
/** A ValidationException: the protocol layer answers it as DynamoDB does. */
export class NumberError extends ValidationException {}

/**
 * A valid number taken apart: value = (negative ? -1 : 1) × 0.`digits` × 10^`exponent`.
 * `digits` holds the significant digits without leading or trailing zeros, so zero is
 * `{ negative: false, digits: '', exponent: 0 }` and every number has exactly one form.
 */
export interface NumberParts {
  negative: boolean;
  digits: string;
  exponent: number;
}

const MAX_DIGITS = 38;
/** 9.99…E+125 is 0.999… × 10^126. */
const MAX_EXPONENT = 126;
/** 1E-130 is 0.1 × 10^-129. */
const MIN_EXPONENT = -129;

/** `sign? coefficient exponent?`: at least one digit, at most one point, no whitespace. */
const SYNTAX = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

const ZERO: NumberParts = { negative: false, digits: '', exponent: 0 };

/** Parses and checks a client's number, throwing DynamoDB's message for what it refuses. */
export function parseNumber(text: string): NumberParts {
  const match = SYNTAX.exec(text);
  const whole = match?.[2] ?? '';
  const fraction = match?.[3] ?? '';
  if (!match || whole.length + fraction.length === 0) {
    throw new NumberError(
      text === ''
        ? 'The parameter cannot be converted to a numeric value'
        : `The parameter cannot be converted to a numeric value: ${text}`,
    );
  }
  const all = whole + fraction;
  const first = all.search(/[1-9]/);
  if (first < 0) return ZERO;
  const digits = all.slice(first).replace(/0+$/, '');
  // A written exponent too long for a double still over- or underflows, so Infinity serves.
  const written = Number(match[4] ?? '0');
  return checked({ negative: match[1] === '-', digits, exponent: whole.length - first + written });
}

/** Throws DynamoDB's message for a value outside the Number type's range or precision. */
function checked(parts: NumberParts): NumberParts {
  if (parts.digits === '') return ZERO;
  if (parts.exponent > MAX_EXPONENT) {
    throw new NumberError(
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    );
  }
  if (parts.exponent < MIN_EXPONENT) {
    throw new NumberError(
      'Number underflow. Attempting to store a number with magnitude smaller than supported range',
    );
  }
  if (parts.digits.length > MAX_DIGITS) {
    throw new NumberError('Attempting to store more than 38 significant digits in a Number');
  }
  return parts;
}

/** The canonical plain-notation string DynamoDB returns for a number. */
export function formatNumber(parts: NumberParts): string {
  const { negative, digits, exponent } = parts;
  if (digits === '') return '0';
  let plain: string;
  if (exponent <= 0) plain = `0.${'0'.repeat(-exponent)}${digits}`;
  else if (exponent >= digits.length) plain = digits + '0'.repeat(exponent - digits.length);
  else plain = `${digits.slice(0, exponent)}.${digits.slice(exponent)}`;
  return negative ? `-${plain}` : plain;
}

/** A client's number as DynamoDB stores and returns it (`1e3` → `1000`, `-0` → `0`). */
export function normalizeNumber(text: string): string {
  // Most numbers are plain integers, already in canonical form: no need to take them apart.
  if (CANONICAL_INTEGER.test(text)) return text;
  return formatNumber(parseNumber(text));
}

/** An integer of at most 38 digits, without a sign of + or leading zeros: as DynamoDB writes it. */
const CANONICAL_INTEGER = /^(?:0|-?[1-9][0-9]{0,37})$/;

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`, exactly. */
export function compareNumbers(a: string, b: string): number {
  return compareParts(parseNumber(a), parseNumber(b));
}

function compareParts(a: NumberParts, b: NumberParts): number {
  const signA = signOf(a);
  const signB = signOf(b);
  if (signA !== signB) return signA < signB ? -1 : 1;
  if (signA === 0) return 0;
  return signA * compareMagnitudes(a, b);
}

function signOf(parts: NumberParts): number {
  if (parts.digits === '') return 0;
  return parts.negative ? -1 : 1;
}

function compareMagnitudes(a: NumberParts, b: NumberParts): number {
  if (a.exponent !== b.exponent) return a.exponent < b.exponent ? -1 : 1;
  // Same exponent: digit strings compare like fractions, a missing digit counting as zero —
  // and neither ends in zero, so a strict prefix is the smaller.
  if (a.digits === b.digits) return 0;
  return a.digits < b.digits ? -1 : 1;
}

/** `a + b`, exact, checked against the Number type's limits like a stored value. */
export function addNumbers(a: string, b: string): string {
  return formatNumber(sum(parseNumber(a), parseNumber(b)));
}

/** `a - b`, exact, checked against the Number type's limits like a stored value. */
export function subtractNumbers(a: string, b: string): string {
  const subtrahend = parseNumber(b);
  return formatNumber(sum(parseNumber(a), { ...subtrahend, negative: !subtrahend.negative }));
}

/** The parts as an integer coefficient times 10^`scale`. */
function scaled(parts: NumberParts): { coefficient: bigint; scale: number } {
  const magnitude = parts.digits === '' ? 0n : BigInt(parts.digits);
  return {
    coefficient: parts.negative ? -magnitude : magnitude,
    scale: parts.exponent - parts.digits.length,
  };
}

function sum(a: NumberParts, b: NumberParts): NumberParts {
  const x = scaled(a);
  const y = scaled(b);
  const scale = Math.min(x.scale, y.scale);
  const total =
    x.coefficient * 10n ** BigInt(x.scale - scale) + y.coefficient * 10n ** BigInt(y.scale - scale);
  if (total === 0n) return ZERO;
  const negative = total < 0n;
  const written = (negative ? -total : total).toString();
  const digits = written.replace(/0+$/, '');
  return checked({ negative, digits, exponent: written.length + scale });
}
