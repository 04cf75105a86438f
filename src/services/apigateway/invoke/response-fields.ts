/**
 * Reading the fields of a Lambda proxy result: each reader returns the field's value or throws
 * `MalformedResult`, which proxy-response.ts turns into `{ malformed: true }`.
 */

/** A result API Gateway cannot turn into a response; the message says which rule it broke. */
export class MalformedResult extends Error {
  override name = 'MalformedResult';
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `statusCode`: an integer HTTP status, or a string of one (`"404"`); `null` or absent is 200
 * unless the format requires it.
 */
export function statusCode(value: unknown, required: boolean): number {
  if (value === undefined || value === null) {
    if (required) throw new MalformedResult('statusCode is missing');
    return 200;
  }
  const status =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw new MalformedResult(`statusCode ${JSON.stringify(value)} is not an HTTP status code`);
  }
  return status;
}

/** `body`: a string; a number or boolean is taken as its text; `null` or absent is no body. */
export function bodyText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new MalformedResult('body is not a string');
}

/** `isBase64Encoded`: a boolean, or its spelling as a string (`"true"`, `"False"`). */
export function base64Flag(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw new MalformedResult('isBase64Encoded is not a boolean');
}

/** How a header value may be spelled: REST APIs take strings and booleans, HTTP APIs numbers too. */
export type HeaderValues = 'rest' | 'http';

function headerValue(name: string, value: unknown, accepts: HeaderValues): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || (accepts === 'http' && typeof value === 'number')) return String(value);
  throw new MalformedResult(`the value of header ${name} is not a string`);
}

/**
 * `headers` and `multiValueHeaders` as one ordered list. AWS merges the two: every value of
 * `multiValueHeaders`, plus each of `headers` that it does not already hold. A header whose value
 * is `null` is left out — and a `null` Content-Type keeps API Gateway from adding its default
 * `application/json`, which is why functions send it.
 */
export function mergedHeaders(
  single: unknown,
  multi: unknown,
  accepts: HeaderValues,
): { headers: [name: string, value: string][]; contentTypeNulled: boolean } {
  const multiHeaders: [string, string][] = [];
  for (const [name, values] of Object.entries(readObject(multi, 'multiValueHeaders'))) {
    if (values === null) continue;
    if (!Array.isArray(values)) throw new MalformedResult(`multiValueHeaders.${name} is not a list`);
    for (const value of values as unknown[]) {
      const text = headerValue(name, value, accepts);
      if (text !== null) multiHeaders.push([name, text]);
    }
  }
  const inMulti = (name: string, text: string) =>
    multiHeaders.some(([multiName, multiText]) => multiName.toLowerCase() === name && multiText === text);
  const singleHeaders: [string, string][] = [];
  let contentTypeNulled = false;
  for (const [name, value] of Object.entries(readObject(single, 'headers'))) {
    const text = headerValue(name, value, accepts);
    if (text === null) contentTypeNulled ||= name.toLowerCase() === 'content-type';
    else if (!inMulti(name.toLowerCase(), text)) singleHeaders.push([name, text]);
  }
  return { headers: [...singleHeaders, ...multiHeaders], contentTypeNulled };
}

function readObject(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw new MalformedResult(`${field} is not an object`);
  return value;
}

/** The body as bytes: base64 decoded when the result says so and API Gateway decodes it. */
export function bodyBytes(text: string, decode: boolean): Buffer {
  return decode ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
}
