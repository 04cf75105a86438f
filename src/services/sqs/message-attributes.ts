/**
 * Message attributes, pure: validation with AWS's rules and messages, their size, their MD5 the
 * way SQS computes it (SDKs check it), and the selection ReceiveMessage's MessageAttributeNames
 * makes. Stored form: `{ DataType, StringValue }` or `{ DataType, BinaryValue: <base64> }`.
 */
import { createHash } from 'node:crypto';
import type * as SQS from '@aws-sdk/client-sqs';
import { InvalidMessageContents, InvalidParameterValue } from './errors.js';

export interface StoredAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}
export type StoredAttributes = Record<string, StoredAttribute>;

type WireAttribute = SQS.MessageAttributeValue | SQS.MessageSystemAttributeValue;

const maxAttributes = 10;
const namePattern = /^[A-Za-z0-9_.-]{1,256}$/;
const typePattern = /^(String|Number|Binary)(\.[^\s]*)?$/;
// The characters XML 1.0 allows: what SQS accepts in bodies and string values.
const invalidCharacter = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export function checkBody(body: string): void {
  if (body.length === 0) {
    throw new InvalidParameterValue('The request must contain the parameter MessageBody.');
  }
  if (invalidCharacter.test(body)) {
    throw new InvalidMessageContents(
      'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    );
  }
}

function checkName(name: string, kind: string): void {
  const lower = name.toLowerCase();
  if (
    !namePattern.test(name) ||
    name.startsWith('.') ||
    name.endsWith('.') ||
    name.includes('..') ||
    ((lower.startsWith('aws.') || lower.startsWith('amazon.')) && kind === 'user')
  ) {
    throw new InvalidParameterValue(
      `Message (${kind}) attribute name '${name}' is invalid. Names can contain alphanumeric characters, hyphens, underscores and periods, up to 256 characters; they cannot start or end with a period, have consecutive periods, or start with AWS. or Amazon.`,
    );
  }
}

function isNumber(text: string): boolean {
  const m = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE][+-]?\d+)?$/.exec(text.trim());
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return false;
  const digits = `${m[1]}${m[2] ?? ''}`.replace(/^0+/, '');
  const n = Number(text);
  return digits.length <= 38 && Number.isFinite(n) && Math.abs(n) <= 1e126;
}

/** Validates SendMessage's MessageAttributes (kind `user`) or MessageSystemAttributes (`system`). */
export function checkAttributes(
  attributes: Record<string, WireAttribute> | undefined,
  kind: 'user' | 'system',
): StoredAttributes | undefined {
  if (!attributes) return undefined;
  const names = Object.keys(attributes);
  if (names.length === 0) return undefined;
  if (names.length > maxAttributes) {
    throw new InvalidParameterValue(
      `Number of message attributes [${names.length}] exceeds the allowed maximum [${maxAttributes}].`,
    );
  }
  const out: StoredAttributes = {};
  for (const name of names) {
    if (kind === 'system' && name !== 'AWSTraceHeader') {
      throw new InvalidParameterValue(`Message system attribute name '${name}' is invalid.`);
    }
    checkName(name, kind);
    const value = attributes[name]!;
    const type = value.DataType ?? '';
    if (type === '') {
      throw new InvalidParameterValue(
        `The message attribute '${name}' must contain non-empty message attribute type.`,
      );
    }
    if (!typePattern.test(type) || type.length > 256 || (kind === 'system' && type !== 'String')) {
      throw new InvalidParameterValue(
        `The type of message (${kind}) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    }
    if (value.StringListValues?.length || value.BinaryListValues?.length) {
      throw new InvalidParameterValue(
        'Message attribute list values in SendMessage operation are not supported.',
      );
    }
    if (type.startsWith('Binary')) {
      if (!value.BinaryValue || value.BinaryValue.length === 0) {
        throw new InvalidParameterValue(
          `Message (${kind}) attribute '${name}' must contain a non-empty value of type 'Binary'.`,
        );
      }
      out[name] = { DataType: type, BinaryValue: Buffer.from(value.BinaryValue).toString('base64') };
      continue;
    }
    const text = value.StringValue;
    if (text === undefined || text === '') {
      throw new InvalidParameterValue(
        `Message (${kind}) attribute '${name}' must contain a non-empty value of type '${type.split('.')[0]!}'.`,
      );
    }
    if (type.startsWith('Number') && !isNumber(text)) {
      throw new InvalidParameterValue(
        `Can't cast the value of message (${kind}) attribute '${name}' to a number.`,
      );
    }
    if (invalidCharacter.test(text)) {
      throw new InvalidMessageContents(
        `Invalid characters found in the value of message attribute '${name}'.`,
      );
    }
    out[name] = { DataType: type, StringValue: text };
  }
  return out;
}

function valueBytes(attribute: StoredAttribute): Buffer {
  return attribute.BinaryValue !== undefined
    ? Buffer.from(attribute.BinaryValue, 'base64')
    : Buffer.from(attribute.StringValue ?? '', 'utf8');
}

/** What the attributes count towards MaximumMessageSize: names, types and values, in bytes. */
export function attributesSize(attributes: StoredAttributes | undefined): number {
  let size = 0;
  for (const [name, attribute] of Object.entries(attributes ?? {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(attribute.DataType) + valueBytes(attribute).length;
  }
  return size;
}

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/**
 * SQS's attribute digest: for each attribute in name order, the length-prefixed name, the
 * length-prefixed data type, a transport byte (1 string/number, 2 binary) and the
 * length-prefixed value.
 */
export function md5OfAttributes(attributes: StoredAttributes | undefined): string | undefined {
  const names = Object.keys(attributes ?? {}).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  for (const name of names) {
    const attribute = attributes![name]!;
    hash.update(lengthPrefixed(Buffer.from(name, 'utf8')));
    hash.update(lengthPrefixed(Buffer.from(attribute.DataType, 'utf8')));
    hash.update(Buffer.from([attribute.BinaryValue !== undefined ? 2 : 1]));
    hash.update(lengthPrefixed(valueBytes(attribute)));
  }
  return hash.digest('hex');
}

/** The attributes a receiver asked for: `All`, `.*`, `prefix.*` or exact names. */
export function selectAttributes(
  attributes: StoredAttributes | undefined,
  requested: readonly string[] | undefined,
): StoredAttributes | undefined {
  if (!attributes || !requested?.length) return undefined;
  const all = requested.some((r) => r === 'All' || r === '.*');
  const out: StoredAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    const wanted =
      all || requested.some((r) => (r.endsWith('.*') ? name.startsWith(r.slice(0, -1)) : r === name));
    if (wanted) out[name] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The stored attributes in the SDK's shape (binary values as bytes). */
export function wireAttributes(attributes: StoredAttributes): Record<string, SQS.MessageAttributeValue> {
  const out: Record<string, SQS.MessageAttributeValue> = {};
  for (const [name, a] of Object.entries(attributes)) {
    out[name] =
      a.BinaryValue !== undefined
        ? { DataType: a.DataType, BinaryValue: Buffer.from(a.BinaryValue, 'base64') }
        : { DataType: a.DataType, StringValue: a.StringValue! };
  }
  return out;
}
