/**
 * Numbers as EventBridge compares them: as IEEE-754 doubles, and only those a double holds exactly
 * as written. `0.1` compares (its shortest double form reads back as 0.1), `1e400` and
 * `0.30000000000000001` do not: a pattern naming them numerically is refused, and an exact
 * pattern value that does not compare only matches the same text.
 */

/** A pattern number EventBridge cannot compare; the message is its reason. */
export class NumberError extends Error {}

interface Decimal {
  negative: boolean;
  /** Significant digits, no leading or trailing zeros; empty for zero. */
  digits: string;
  exponent: number;
}

function decimal(text: string): Decimal {
  const [mantissa = '', exponentText = '0'] = text.toLowerCase().split('e');
  const negative = mantissa.startsWith('-');
  const [whole = '', fraction = ''] = mantissa.replace(/^[-+]/, '').split('.');
  let digits = (whole + fraction).replace(/^0+/, '');
  let exponent = Number(exponentText) - fraction.length;
  const trimmed = digits.replace(/0+$/, '');
  exponent += digits.length - trimmed.length;
  digits = trimmed;
  return { negative: negative && digits !== '', digits, exponent: digits === '' ? 0 : exponent };
}

/** The double a JSON number stands for, or undefined when a double cannot hold it exactly. */
export function comparableNumber(text: string): number | undefined {
  const value = Number(text);
  if (!Number.isFinite(value)) return undefined;
  const written = decimal(text);
  const held = decimal(String(value));
  const same =
    written.negative === held.negative &&
    written.digits === held.digits &&
    written.exponent === held.exponent;
  return same ? value : undefined;
}

/** As comparableNumber, refusing with EventBridge's reason. */
export function requireComparable(text: string): number {
  const value = comparableNumber(text);
  if (value === undefined) throw new NumberError(`Cannot compare number : ${text}`);
  return value;
}
