/**
 * Converts between JSON-shaped wire values and the typed values handlers see, driven by shapes:
 * timestamps ⇄ Date, blobs ⇄ Buffer (base64 on the wire), member names ⇄ `locationName`.
 * Used by the `json`, `rest-json` and `smithy-rpc-v2-cbor` protocols (CBOR carries Dates and bytes
 * natively, so it passes `binary: true`).
 */
import type { ServiceModel, Shape, ShapeRef, TimestampFormat } from './model.js';
import { SerializationException } from './errors.js';
import { formatTimestamp, parseTimestamp } from './timestamps.js';
import { RawJson } from './raw-json.js';

export interface JsonCodecOptions {
  /** The wire carries bytes natively (CBOR). */
  binary?: boolean;
  /** How the wire carries dates when it has a native form (CBOR tag 1); JSON numbers otherwise. */
  encodeDate?: (date: Date) => unknown;
  /** Wire names come from `locationName` (rest-json); awsJson uses member names. */
  useLocationName?: boolean;
}

function typeError(path: string, expected: string, value: unknown): Error {
  const got = Array.isArray(value) ? 'array' : typeof value;
  return new SerializationException(
    `Unexpected value type at '${path || 'request'}': expected ${expected}, got ${got}`,
  );
}

export function decodeJsonValue(
  model: ServiceModel,
  ref: ShapeRef,
  value: unknown,
  options: JsonCodecOptions,
  path = '',
): unknown {
  if (value === null || value === undefined) return undefined;
  const shape = model.shapes[ref.shape] as Shape;
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) throw typeError(path, 'structure', value);
      const source = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      const members = shape.members ?? {};
      if (!options.useLocationName) {
        // Wire names are member names: walk what the value holds, not every member the shape
        // could have (an AttributeValue holds one of ten).
        for (const name in source) {
          const member = Object.hasOwn(members, name) ? members[name]! : undefined;
          if (!member || member.location) continue; // unknown, or bound to the URI, query or headers
          const decoded = decodeJsonValue(model, member, source[name], options, joinPath(path, name));
          if (decoded !== undefined) out[name] = decoded;
        }
        return out;
      }
      for (const [name, member] of Object.entries(members)) {
        if (member.location) continue;
        const wireName = member.locationName ?? name;
        const decoded = decodeJsonValue(model, member, source[wireName], options, joinPath(path, name));
        if (decoded !== undefined) out[name] = decoded;
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) throw typeError(path, 'list', value);
      return value.map((item, i) => decodeJsonValue(model, shape.member!, item, options, `${path}[${i}]`));
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) throw typeError(path, 'map', value);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const decoded = decodeJsonValue(model, shape.value!, v, options, `${path}.${k}`);
        if (decoded !== undefined) out[k] = decoded;
      }
      return out;
    }
    case 'string':
      if (typeof value !== 'string') throw typeError(path, 'string', value);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw typeError(path, 'boolean', value);
      return value;
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(path, 'integer', value);
      return value;
    case 'float':
    case 'double':
      if (typeof value === 'number') return value;
      if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
      throw typeError(path, 'number', value);
    case 'timestamp': {
      // CBOR tag 1 (epoch seconds) arrives as { tag: 1, value }.
      const date = parseTimestamp(isTagged(value) ? value.value : value);
      if (!date) throw typeError(path, 'timestamp', value);
      return date;
    }
    case 'blob':
      if (options.binary && value instanceof Uint8Array) return Buffer.from(value);
      if (typeof value !== 'string') throw typeError(path, 'base64 string', value);
      return Buffer.from(value, 'base64');
    case 'document':
      return value;
  }
}

export function encodeJsonValue(
  model: ServiceModel,
  ref: ShapeRef,
  value: unknown,
  options: JsonCodecOptions,
  format: TimestampFormat = 'unixTimestamp',
): unknown {
  if (value === null || value === undefined) return undefined;
  if (value instanceof RawJson) return value; // already in its wire form
  const shape = model.shapes[ref.shape] as Shape;
  switch (shape.type) {
    case 'structure': {
      const source = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      const members = shape.members ?? {};
      // Walk what the value holds: an output names few of its shape's members (an
      // AttributeValue one of ten).
      for (const name in source) {
        const member = Object.hasOwn(members, name) ? members[name]! : undefined;
        if (!member || member.location || source[name] === undefined) continue;
        const wireName = options.useLocationName ? (member.locationName ?? name) : name;
        out[wireName] = encodeJsonValue(model, member, source[name], options, format);
      }
      return out;
    }
    case 'list':
      return (value as unknown[]).map((item) => encodeJsonValue(model, shape.member!, item, options, format));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        out[k] = encodeJsonValue(model, shape.value!, v, options, format);
      }
      return out;
    }
    case 'timestamp': {
      const date = value instanceof Date ? value : new Date(value as number);
      if (options.encodeDate) return options.encodeDate(date);
      return formatTimestamp(date, ref.timestampFormat ?? shape.timestampFormat ?? format);
    }
    case 'blob': {
      const bytes = typeof value === 'string' ? Buffer.from(value) : Buffer.from(value as Uint8Array);
      return options.binary ? bytes : bytes.toString('base64');
    }
    case 'float':
    case 'double':
      return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
    default:
      return value;
  }
}

function isTagged(value: unknown): value is { tag: number; value: unknown } {
  return typeof value === 'object' && value !== null && 'tag' in value && 'value' in value;
}

function joinPath(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}
