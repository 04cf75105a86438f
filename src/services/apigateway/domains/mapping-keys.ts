/**
 * API mapping keys (v1: base paths) as API Gateway checks them, and the mapping a request path
 * selects: the longest key that is a whole-segment prefix of the path, else the root mapping
 * (`(none)`, stored as `''`). Keys of several levels (`orders/v1/items`) come only through the v2
 * API; v1 refuses the slash.
 */
import { BadRequestException } from '../errors.js';

const MAX_KEY_LENGTH = 300;
const KEY_CHARACTERS = /^[A-Za-z0-9$\-_.+!*'(),/]*$/;
/** How v1 names the root mapping, and answers it. */
export const ROOT_BASE_PATH = '(none)';

const endsWithSlash = () => new BadRequestException("API mapping key should not end with a '/'.");
const badSlashes = () =>
  new BadRequestException("API mapping key should not start with a '/' or have consecutive '/'s.");

function checkKey(key: string): string {
  if (key.endsWith('/')) throw endsWithSlash();
  if (key.startsWith('/') || key.includes('//')) throw badSlashes();
  if (key.length > MAX_KEY_LENGTH)
    throw new BadRequestException(`ApiMapping key length must be under ${MAX_KEY_LENGTH} characters.`);
  if (!KEY_CHARACTERS.test(key)) {
    throw new BadRequestException(
      "An API mapping key may contain only letters, numbers and one of $-_.+!*'(), characters.",
    );
  }
  return key;
}

/**
 * A v2 `ApiMappingKey` as stored. Absent, empty or blank is the root on a create; an update that
 * names a key must name a real one (blank is refused, as AWS refuses it).
 */
export function apiMappingKey(key: string | undefined, creating: boolean): string {
  if (key === undefined || key === '' || key === ROOT_BASE_PATH) return '';
  if (key.trim() === '') {
    if (creating) return '';
    throw badSlashes();
  }
  return checkKey(key);
}

/** A v1 `basePath` as stored: absent, empty or `(none)` is the root; no slashes. */
export function basePathKey(basePath: string | undefined): string {
  if (basePath === undefined || basePath === '' || basePath === ROOT_BASE_PATH) return '';
  if (basePath.includes('/')) {
    throw new BadRequestException(
      "API Gateway V1 doesn't support the slash character (/) in base path mappings. To create a multi-level base path mapping, use API Gateway V2.",
    );
  }
  return checkKey(basePath);
}

export const isMultiLevel = (key: string): boolean => key.includes('/');

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // a malformed escape stays as sent: it matches no key with an escape in it
    return segment;
  }
}

/**
 * The mapping a request path (percent-encoded, from `/`) selects, and the path left after its
 * key (`/` when nothing is); undefined when none matches and there is no root mapping.
 */
export function selectMapping<T extends { mapping_key: string }>(
  mappings: readonly T[],
  rawPath: string,
): { mapping: T; rest: string } | undefined {
  const path = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
  const segments = path.slice(1).split('/');
  const names = segments.map(decoded);
  let best: { mapping: T; levels: number } | undefined;
  for (const mapping of mappings) {
    if (mapping.mapping_key === '') continue;
    const levels = mapping.mapping_key.split('/');
    if (levels.length > names.length || (best && levels.length <= best.levels)) continue;
    if (levels.every((level, i) => level === names[i])) best = { mapping, levels: levels.length };
  }
  if (best) return { mapping: best.mapping, rest: `/${segments.slice(best.levels).join('/')}` };
  const root = mappings.find((mapping) => mapping.mapping_key === '');
  return root ? { mapping: root, rest: path } : undefined;
}

/**
 * AWS's rules for what one domain's mappings may be: HTTP APIs and keys of several levels only
 * on a REGIONAL domain with a TLS 1.2 security policy, and WebSocket APIs never beside HTTP or
 * REST APIs. Checked with a mapping added or changed, and when the domain itself changes.
 */
export function checkMappingsFit(
  domain: { endpointType: string; securityPolicy: string },
  mappings: readonly { mapping_key: string; api_kind: string }[],
): void {
  const regionalTls12 = domain.endpointType === 'REGIONAL' && domain.securityPolicy !== 'TLS_1_0';
  if (!regionalTls12 && mappings.some((mapping) => mapping.api_kind === 'HTTP')) {
    throw new BadRequestException(
      'HTTP APIs can only be mapped to a REGIONAL domain name with the TLS 1.2 security policy',
    );
  }
  if (!regionalTls12 && mappings.some((mapping) => isMultiLevel(mapping.mapping_key))) {
    throw new BadRequestException(
      'Multi-level API mappings are only supported on a REGIONAL domain name with the TLS 1.2 security policy',
    );
  }
  const webSockets = mappings.filter((mapping) => mapping.api_kind === 'WEBSOCKET').length;
  if (webSockets > 0 && webSockets < mappings.length) {
    throw new BadRequestException(
      "WebSocket APIs can't be mapped to the same domain name as an HTTP API or a REST API",
    );
  }
}
