/**
 * IP addresses and CIDR blocks as EventBridge reads them. A pattern string shaped like an address
 * (digits and dots, or hex digits and colons) is matched as an address, so `"::1"` matches an
 * event's `"0:0:0:0:0:0:0:1"`; `{"cidr": "10.0.0.0/24"}` matches the addresses of the block. The
 * reasons a block is refused are EventBridge's (note that it refuses `/32` and `/128`).
 */
import { isIPv6 } from 'node:net';

/** A refused address or block; the message is EventBridge's reason. */
export class IpError extends Error {}

export interface IpRange {
  low: Uint8Array;
  high: Uint8Array;
}

const ipv4Shape = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const ipv6Shape = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

export function looksLikeIp(text: string): boolean {
  return ipv4Shape.test(text) || ipv6Shape.test(text);
}

/** The address's bytes (4 or 16); throws when `text` is not an address. */
export function ipBytes(text: string): Uint8Array {
  if (!looksLikeIp(text)) throw new IpError(`Nonstandard IP address: ${text}`);
  const bytes = ipv4Shape.test(text) ? ipv4Bytes(text) : ipv6Bytes(text);
  if (!bytes) throw new IpError(`Invalid IP address: ${text}`);
  return bytes;
}

/** The address's bytes, or undefined for anything that is not an address. */
export function ipBytesIfAddress(text: string): Uint8Array | undefined {
  try {
    return ipBytes(text);
  } catch {
    return undefined;
  }
}

function ipv4Bytes(text: string): Uint8Array | undefined {
  const parts = text.split('.').map(Number);
  return parts.every((n) => n <= 255) ? Uint8Array.from(parts) : undefined;
}

function ipv6Bytes(text: string): Uint8Array | undefined {
  if (!isIPv6(text)) return undefined;
  const [head = '', tail] = text.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const all = [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  const bytes = new Uint8Array(16);
  all.forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  });
  return bytes;
}

/** A CIDR block, checked as EventBridge checks it, in the order it checks. */
export function parseCidr(text: string): IpRange {
  // Like Java's String.split, trailing empty parts are dropped: "10.0.0.0/" has one part.
  const parts = text.split('/');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length !== 2) throw new IpError("Malformed CIDR, one '/' required");
  const bitsText = parts[1]!;
  const bits = /^[-+]?\d+$/.test(bitsText) ? Number(bitsText) : NaN;
  if (!Number.isInteger(bits) || Math.abs(bits) > 2 ** 31 - 1) {
    throw new IpError('Malformed CIDR, mask bits must be an integer');
  }
  if (bits < 0) throw new IpError('Malformed CIDR, mask bits must not be negative');
  const address = ipBytes(parts[0]!);
  if (address.length === 4 && bits > 31) throw new IpError('IPv4 mask bits must be < 32');
  if (address.length === 16 && bits > 127) throw new IpError('IPv6 mask bits must be < 128');
  return cidrRange(address, bits);
}

/** The first and last address of the block of `address` whose first `bits` bits are fixed. */
export function cidrRange(address: Uint8Array, bits: number): IpRange {
  const low = new Uint8Array(address.length);
  const high = new Uint8Array(address.length);
  address.forEach((byte, i) => {
    const fixed = Math.max(0, Math.min(8, bits - 8 * i));
    const mask = (0xff << (8 - fixed)) & 0xff;
    low[i] = byte & mask;
    high[i] = (byte & mask) | (~mask & 0xff);
  });
  return { low, high };
}

export function inRange(range: IpRange, address: Uint8Array): boolean {
  return (
    address.length === range.low.length &&
    compareBytes(address, range.low) >= 0 &&
    compareBytes(address, range.high) <= 0
  );
}

export function sameAddress(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareBytes(a, b) === 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
