/**
 * Just enough MIME for an outbox: the headers of a raw message (unfolded, RFC 2047 words
 * decoded, address lists split) and its first text/plain and text/html parts, so a message sent
 * with SendRawEmail lists like one sent with SendEmail. Pure: bytes in, a summary out. Anything
 * it cannot read (an unknown charset, a broken part) is left out rather than guessed.
 */
import addressparser from 'nodemailer/lib/addressparser';

export interface MimeSummary {
  from: string[];
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string | undefined;
  text: string | undefined;
  html: string | undefined;
}

interface Part {
  headers: Map<string, string[]>;
  body: Buffer;
}

function decodeCharset(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset.trim().toLowerCase() || 'utf-8').decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

function decodeQuotedPrintable(text: string, inHeader: boolean): Buffer {
  const source = inHeader ? text.replace(/_/g, ' ') : text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < source.length; i++) {
    const hex = source[i] === '=' ? source.slice(i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(source[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?ISO-8859-1?Q?…?=`) in a header value, decoded. */
export function decodeWords(value: string): string {
  const word = /=\?([^?*]+)(?:\*[^?]*)?\?([BbQq])\?([^?]*)\?=/g;
  // Whitespace between two adjacent encoded words is not part of the text (RFC 2047 §6.2).
  const joined = value.replace(/(\?=)\s+(?==\?)/g, '$1');
  return joined.replace(word, (_, charset: string, encoding: string, text: string) => {
    const bytes =
      encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : decodeQuotedPrintable(text, true);
    return decodeCharset(bytes, charset);
  });
}

/** Where the header block ends: the first empty line (CRLF or bare LF line endings). */
function headerEnd(raw: Buffer): { end: number; bodyStart: number } {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { end: crlf, bodyStart: crlf + 4 };
  if (lf !== -1) return { end: lf, bodyStart: lf + 2 };
  return { end: raw.length, bodyStart: raw.length };
}

/** Header fields by lower-case name, unfolded, in order; values still encoded. */
export function parseHeaders(block: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  const unfolded = block.replace(/\r?\n(?=[ \t])/g, '');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const list = headers.get(name) ?? [];
    list.push(line.slice(colon + 1).trim());
    headers.set(name, list);
  }
  return headers;
}

function splitPart(raw: Buffer): Part {
  const { end, bodyStart } = headerEnd(raw);
  return { headers: parseHeaders(raw.subarray(0, end).toString('utf8')), body: raw.subarray(bodyStart) };
}

/** `text/plain; charset="utf-8"` → the type and its parameters, names in lower case. */
function contentType(part: Part): { type: string; params: Map<string, string> } {
  const value = part.headers.get('content-type')?.[0] ?? 'text/plain';
  const [type, ...rest] = value.split(';');
  const params = new Map<string, string>();
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq === -1) continue;
    params.set(
      param.slice(0, eq).trim().toLowerCase(),
      param
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1'),
    );
  }
  return { type: type!.trim().toLowerCase(), params };
}

function bodyText(part: Part, charset: string): string {
  const encoding = (part.headers.get('content-transfer-encoding')?.[0] ?? '7bit').toLowerCase();
  if (encoding === 'base64')
    return decodeCharset(Buffer.from(part.body.toString('latin1'), 'base64'), charset);
  if (encoding === 'quoted-printable') {
    return decodeCharset(decodeQuotedPrintable(part.body.toString('latin1'), false), charset);
  }
  return decodeCharset(part.body, charset);
}

function childParts(body: Buffer, boundary: string): Buffer[] {
  const text = body.toString('latin1');
  const delimiter = `--${boundary}`;
  const parts: Buffer[] = [];
  let index = text.indexOf(delimiter);
  while (index !== -1) {
    const lineEnd = text.indexOf('\n', index);
    if (text.startsWith(`${delimiter}--`, index) || lineEnd === -1) break;
    const next = text.indexOf(delimiter, lineEnd);
    const content = text.slice(lineEnd + 1, next === -1 ? text.length : next).replace(/\r?\n$/, '');
    parts.push(Buffer.from(content, 'latin1'));
    index = next;
  }
  return parts;
}

/** The first inline text/plain and text/html bodies, looking into multiparts depth first. */
function findBodies(part: Part, found: { text?: string; html?: string }, depth = 0): void {
  const { type, params } = contentType(part);
  const disposition = (part.headers.get('content-disposition')?.[0] ?? '').toLowerCase();
  if (type.startsWith('multipart/') && params.has('boundary') && depth < 10) {
    for (const child of childParts(part.body, params.get('boundary')!)) {
      findBodies(splitPart(child), found, depth + 1);
    }
    return;
  }
  if (disposition.startsWith('attachment')) return;
  const charset = params.get('charset') ?? 'utf-8';
  if (type === 'text/plain' && found.text === undefined) found.text = bodyText(part, charset);
  if (type === 'text/html' && found.html === undefined) found.html = bodyText(part, charset);
}

/** An address header's mailboxes as `Name <local@domain>` or `local@domain`, names decoded. */
function addresses(headers: Map<string, string[]>, name: string): string[] {
  return (headers.get(name) ?? []).flatMap((value) =>
    addressparser(value, { flatten: true })
      .filter((a) => a.address)
      .map((a) => (a.name ? `${decodeWords(a.name)} <${a.address}>` : a.address)),
  );
}

export function summarizeMime(raw: Buffer): MimeSummary {
  const top = splitPart(raw);
  const subject = top.headers.get('subject')?.[0];
  const bodies: { text?: string; html?: string } = {};
  findBodies(top, bodies);
  return {
    from: addresses(top.headers, 'from'),
    to: addresses(top.headers, 'to'),
    cc: addresses(top.headers, 'cc'),
    bcc: addresses(top.headers, 'bcc'),
    replyTo: addresses(top.headers, 'reply-to'),
    subject: subject === undefined ? undefined : decodeWords(subject),
    text: bodies.text,
    html: bodies.html,
  };
}
