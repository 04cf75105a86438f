/**
 * Shape-driven XML for the `query` responses and the `rest-xml` protocol: lists wrapped in
 * `<member>` unless flattened, maps as `<entry><key/><value/></entry>`, ISO 8601 timestamps,
 * base64 blobs, element names from `locationName`.
 */
import { XMLParser } from 'fast-xml-parser';
import type { ServiceModel, Shape, ShapeRef } from './model.js';
import { formatTimestamp, parseTimestamp } from './timestamps.js';
import { SerializationException } from './errors.js';

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#xD;',
  '\n': '&#xA;',
};

export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r\n]/g, (c) => escapes[c]!);
}

function scalarText(model: ServiceModel, ref: ShapeRef, shape: Shape, value: unknown): string {
  switch (shape.type) {
    case 'timestamp': {
      const date = value instanceof Date ? value : new Date(value as number);
      return String(formatTimestamp(date, ref.timestampFormat ?? shape.timestampFormat ?? 'iso8601'));
    }
    case 'blob':
      return (typeof value === 'string' ? Buffer.from(value) : Buffer.from(value as Uint8Array)).toString(
        'base64',
      );
    default:
      return String(value);
  }
}

/** Writes the members of a structure value as child elements. */
export function writeXmlMembers(model: ServiceModel, shape: Shape, value: Record<string, unknown>): string {
  let xml = '';
  for (const [name, member] of Object.entries(shape.members ?? {})) {
    if (member.location || member.xmlAttribute || value[name] === undefined || value[name] === null) continue;
    xml += writeXmlElement(model, member, member.locationName ?? name, value[name]);
  }
  return xml;
}

export function writeXmlElement(model: ServiceModel, ref: ShapeRef, name: string, value: unknown): string {
  const shape = model.shapes[ref.shape] as Shape;
  switch (shape.type) {
    case 'structure': {
      let attrs = '';
      for (const [memberName, member] of Object.entries(shape.members ?? {})) {
        const attrValue = (value as Record<string, unknown>)[memberName];
        if (member.xmlAttribute && attrValue !== undefined) {
          attrs += ` ${member.locationName ?? memberName}="${escapeXml(String(attrValue))}"`;
        }
      }
      if (shape.xmlNamespace) attrs += ` xmlns="${shape.xmlNamespace.uri}"`;
      return `<${name}${attrs}>${writeXmlMembers(model, shape, value as Record<string, unknown>)}</${name}>`;
    }
    case 'list': {
      const items = value as unknown[];
      const member = shape.member!;
      if (ref.flattened || shape.flattened) {
        const itemName = member.locationName ?? name;
        return items.map((item) => writeXmlElement(model, member, itemName, item)).join('');
      }
      const itemName = member.locationName ?? 'member';
      return `<${name}>${items.map((item) => writeXmlElement(model, member, itemName, item)).join('')}</${name}>`;
    }
    case 'map': {
      const keyName = shape.key?.locationName ?? 'key';
      const valueName = shape.value?.locationName ?? 'value';
      const entries = Object.entries(value as Record<string, unknown>).map(
        ([k, v]) =>
          `<${keyName}>${escapeXml(k)}</${keyName}>${writeXmlElement(model, shape.value!, valueName, v)}`,
      );
      if (ref.flattened || shape.flattened) return entries.map((e) => `<${name}>${e}</${name}>`).join('');
      return `<${name}>${entries.map((e) => `<entry>${e}</entry>`).join('')}</${name}>`;
    }
    default:
      return `<${name}>${escapeXml(scalarText(model, ref, shape, value))}</${name}>`;
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  trimValues: false,
  isArray: () => false,
  removeNSPrefix: true,
});

/** Parses an XML document to fast-xml-parser's object form; malformed XML is a `MalformedXML` error. */
export function parseXmlDocument(body: string): Record<string, unknown> {
  try {
    return parser.parse(body, true) as Record<string, unknown>;
  } catch (err) {
    throw new SerializationException(`The XML you provided was not well-formed: ${(err as Error).message}`);
  }
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

/** Reads a typed value out of parsed XML (the `rest-xml` request bodies). */
export function readXmlValue(model: ServiceModel, ref: ShapeRef, node: unknown): unknown {
  if (node === undefined || node === null) return undefined;
  const shape = model.shapes[ref.shape] as Shape;
  switch (shape.type) {
    case 'structure': {
      if (typeof node !== 'object') return {};
      const source = node as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        if (member.location) continue;
        const wireName = member.locationName ?? name;
        const raw = member.xmlAttribute ? source[`@${wireName}`] : source[wireName];
        const memberShape = model.shapes[member.shape]!;
        const flattened = member.flattened || memberShape.flattened;
        const value =
          memberShape.type === 'list' && flattened
            ? asArray(raw).map((item) => readXmlValue(model, memberShape.member!, item))
            : readXmlValue(model, member, raw);
        if (value !== undefined) out[name] = value;
      }
      return out;
    }
    case 'list': {
      const itemName = shape.member!.locationName ?? 'member';
      const items = typeof node === 'object' ? (node as Record<string, unknown>)[itemName] : undefined;
      return asArray(items).map((item) => readXmlValue(model, shape.member!, item));
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      const keyName = shape.key?.locationName ?? 'key';
      const valueName = shape.value?.locationName ?? 'value';
      const entries = asArray((node as Record<string, unknown>).entry ?? node);
      for (const entry of entries as Record<string, unknown>[]) {
        out[String(entry[keyName])] = readXmlValue(model, shape.value!, entry[valueName]);
      }
      return out;
    }
    default:
      return readScalar(
        shape,
        typeof node === 'object' ? ((node as Record<string, unknown>)['#text'] ?? '') : node,
      );
  }
}

/** Converts text from a query string, form body, header or XML element to the shape's type. */
export function readScalar(shape: Shape, raw: unknown): unknown {
  const text = String(raw);
  switch (shape.type) {
    case 'integer':
    case 'long': {
      if (!/^[-+]?\d+$/.test(text.trim()))
        throw new SerializationException(`'${text}' is not a valid integer`);
      return Number(text);
    }
    case 'float':
    case 'double': {
      const n = Number(text);
      if (text.trim() === '' || (Number.isNaN(n) && text !== 'NaN'))
        throw new SerializationException(`'${text}' is not a valid number`);
      return n;
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false')
        throw new SerializationException(`'${text}' is not a valid boolean`);
      return text === 'true';
    case 'timestamp': {
      const date = parseTimestamp(text);
      if (!date) throw new SerializationException(`'${text}' is not a valid timestamp`);
      return date;
    }
    case 'blob':
      return Buffer.from(text, 'base64');
    default:
      return text;
  }
}
