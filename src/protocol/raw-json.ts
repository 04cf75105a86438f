/**
 * JSON a service already holds as text (DynamoDB's stored items are in the wire form already),
 * placed into an answer as it is instead of being parsed into objects and serialized again.
 * `encodeJsonValue` passes a `RawJson` through; `stringifyJson` writes its text in place.
 */
import { randomUUID } from 'node:crypto';

/** Stands for a RawJson during JSON.stringify; the nonce keeps any real string from matching it. */
const placeholder = `\u0000raw-json-${randomUUID()}\u0000`;
const quotedPlaceholder = JSON.stringify(placeholder);

/** The texts of the RawJson values met, in order, while `stringifyJson` runs (it is synchronous). */
let met: string[] | undefined;

export class RawJson {
  /** `text` must be one whole, valid JSON value: it is written into answers unchecked. */
  constructor(readonly text: string) {}

  toJSON(): string {
    met?.push(this.text);
    return placeholder;
  }
}

/** JSON.stringify, with each RawJson's text where it stands. */
export function stringifyJson(value: unknown): string {
  const outer = met;
  met = [];
  try {
    const text = JSON.stringify(value);
    if (met.length === 0) return text;
    const parts = text.split(quotedPlaceholder);
    let out = parts[0]!;
    for (let i = 1; i < parts.length; i++) out += met[i - 1]! + parts[i]!;
    return out;
  } finally {
    met = outer;
  }
}
