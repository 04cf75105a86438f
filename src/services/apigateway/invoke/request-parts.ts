/**
 * The pieces of a call to a deployed API that both proxy event formats read the same way: the
 * query string, the headers grouped by name, the request time, the domain prefix.
 */
import type { ApiCall } from './api-call.js';

/**
 * The query string's parameters in order, names and values decoded as a form decodes them (`+` is
 * a space, `%2B` a plus), as API Gateway hands them to the function. A parameter without `=` has
 * the value `''`; a part that does not decode is kept as sent.
 */
export function queryParameters(rawQueryString: string): [name: string, value: string][] {
  const parameters: [string, string][] = [];
  for (const part of rawQueryString.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = equals === -1 ? part : part.slice(0, equals);
    const value = equals === -1 ? '' : part.slice(equals + 1);
    parameters.push([formDecode(name), formDecode(value)]);
  }
  return parameters;
}

function formDecode(text: string): string {
  const spaced = text.replaceAll('+', ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** Values by name, names in first-seen order. */
export function groupValues(pairs: readonly (readonly [string, string])[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    const values = groups.get(name);
    if (values) values.push(value);
    else groups.set(name, [value]);
  }
  return groups;
}

/**
 * Headers that describe the client's connection to API Gateway, not the request, and so never
 * reach the function (the body arrives whole, so its transfer coding is gone too).
 */
const hopByHopHeaders = new Set(['connection', 'keep-alive', 'transfer-encoding']);

/**
 * The call's headers grouped case-insensitively under one name each — `name(first)` picks it from
 * the name as first sent — hop-by-hop headers and those in `drop` (lower-case) left out.
 */
export function groupHeaders(
  headers: ApiCall['headers'],
  name: (sent: string) => string,
  drop: ReadonlySet<string> = new Set(),
): Map<string, string[]> {
  const byLowerName = new Map<string, [name: string, values: string[]]>();
  for (const [sent, value] of headers) {
    const lower = sent.toLowerCase();
    if (hopByHopHeaders.has(lower) || drop.has(lower)) continue;
    const group = byLowerName.get(lower);
    if (group) group[1].push(value);
    else byLowerName.set(lower, [name(sent), [value]]);
  }
  return new Map(byLowerName.values());
}

/** The last value of a header, by case-insensitive name, as the single-value maps report it. */
export function lastHeader(headers: ApiCall['headers'], name: string): string | undefined {
  const wanted = name.toLowerCase();
  let found: string | undefined;
  for (const [sent, value] of headers) if (sent.toLowerCase() === wanted) found = value;
  return found;
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `requestTime` / `time`: `04/Mar/2020:19:15:17 +0000`, always UTC. */
export function requestTime(epochMillis: number): string {
  const date = new Date(epochMillis);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

/** `domainPrefix`: the first label of the host the client used (`abc123` of `abc123.execute-api…`). */
export function domainPrefix(domainName: string): string {
  return domainName.split(':')[0]!.split('.')[0]!;
}

/**
 * The path with the stage in front, as HTTP APIs see it: the `$default` stage adds nothing.
 * Through a custom domain, the path as the client sent it.
 */
export function httpApiStagePath(call: ApiCall): string {
  if (call.requestPath !== undefined) return call.requestPath;
  return call.stage === '$default' ? call.rawPath : `/${call.stage}${call.rawPath}`;
}

/** An object of the entries, or `null` when there are none (how 1.0 events spell "none"). */
export function objectOrNull<T>(entries: Iterable<readonly [string, T]>): Record<string, T> | null {
  const object = Object.fromEntries(entries) as Record<string, T>;
  return Object.keys(object).length === 0 ? null : object;
}
