/**
 * Items as rows hold them: DynamoDB's own JSON form (`{"id":{"S":"a"},"data":{"B":"<base64>"}}`),
 * the same text the wire carries, so a row reads back with one JSON.parse and a walk that turns
 * base64 into bytes only where binaries are.
 */
import type { AttributeValue, Item } from './attribute-value.js';

type Stored = Record<string, unknown>;

function storedValue(value: AttributeValue): unknown {
  if ('B' in value) return { B: Buffer.from(value.B).toString('base64') };
  if ('BS' in value) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if ('M' in value) return { M: storedItem(value.M) };
  if ('L' in value) return { L: value.L.map(storedValue) };
  return value;
}

/** The item in its JSON wire form (binaries as base64), for members the protocol layer does not encode (error fields). */
export function wireItem(item: Item): Stored {
  return storedItem(item);
}

function storedItem(item: Item): Stored {
  const out: Stored = {};
  for (const name in item) out[name] = storedValue(item[name]!);
  return out;
}

function revived(value: Stored): AttributeValue {
  if (typeof value.B === 'string') return { B: Buffer.from(value.B, 'base64') };
  if (Array.isArray(value.BS)) return { BS: (value.BS as string[]).map((b) => Buffer.from(b, 'base64')) };
  if (value.M) return { M: revivedItem(value.M as Stored) };
  if (Array.isArray(value.L)) return { L: (value.L as Stored[]).map(revived) };
  return value as AttributeValue;
}

function revivedItem(item: Stored): Item {
  for (const name in item) item[name] = revived(item[name] as Stored);
  return item as Item;
}

export function itemToText(item: Item): string {
  return JSON.stringify(storedItem(item));
}

export function itemFromText(text: string): Item {
  return revivedItem(JSON.parse(text) as Stored);
}

/** An item in its JSON wire form, already parsed (inside a larger stored document), back to values. */
export function itemFromWire(item: Record<string, unknown>): Item {
  return revivedItem(item);
}
