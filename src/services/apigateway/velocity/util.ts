/**
 * `$util`: the six functions API Gateway documents. Any other name is null (AWS neither fails nor
 * logs). A null argument gives null; any other argument is taken as its text.
 */
import { Buffer } from 'node:buffer';
import { parseJson } from './json.js';
import { toText } from './text.js';
import { HostObject, type Value } from './values.js';

/**
 * Commons Lang's `escapeJavaScript`, which the docs describe: `"`, `\`, `/` and `'` get a
 * backslash, control characters their short escapes or `\u00XX`, and everything beyond ASCII
 * `\uXXXX`. The escaped single quote is not valid JSON; the docs tell templates to undo it with
 * `.replaceAll("\\'","'")`.
 */
export function escapeJavaScript(text: string): string {
  let escaped = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    escaped += escapeUnit(code) ?? text[i];
  }
  return escaped;
}

const shortEscapes: Record<number, string> = {
  8: '\\b',
  9: '\\t',
  10: '\\n',
  12: '\\f',
  13: '\\r',
  34: '\\"',
  39: "\\'",
  47: '\\/',
  92: '\\\\',
};

function escapeUnit(code: number): string | undefined {
  if (code < 32 || code > 0x7f)
    return shortEscapes[code] ?? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return shortEscapes[code];
}

/** Java's `URLEncoder.encode(text, "UTF-8")`: letters, digits and `.-*_` stay, space is `+`, the rest `%XX`. */
export function urlEncode(text: string): string {
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-*_]/.test(ch)) encoded += ch;
    else if (ch === ' ') encoded += '+';
    else encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/** Java's `URLDecoder.decode(text, "UTF-8")`: `+` is a space; a broken `%` escape gives null. */
export function urlDecode(text: string): string | null {
  if (/%(?![0-9A-Fa-f]{2})/.test(text)) return null;
  return text
    .replaceAll('+', ' ')
    .replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => Buffer.from(run.replaceAll('%', ''), 'hex').toString('utf8'));
}

/** Standard base64 with padding, or null for text that is not base64. */
export function base64Decode(text: string): string | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) return null;
  return Buffer.from(text, 'base64').toString('utf8');
}

export class UtilObject extends HostObject {
  property(): Value {
    return null;
  }

  call(method: string, [arg = null]: readonly Value[]): Value {
    if (arg === null) return null;
    const text = toText(arg);
    switch (method) {
      case 'escapeJavaScript':
        return escapeJavaScript(text);
      case 'parseJson':
        return parseJson(text) ?? null;
      case 'urlEncode':
        return urlEncode(text);
      case 'urlDecode':
        return urlDecode(text);
      case 'base64Encode':
        return Buffer.from(text, 'utf8').toString('base64');
      case 'base64Decode':
        return base64Decode(text);
      default:
        return null;
    }
  }

  /** `$util` itself prints nothing: it is a Java object with no useful text. */
  toText(): string {
    return '';
  }
}
