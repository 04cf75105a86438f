/**
 * A documentation part's location (DocumentationPartLocation) checked against AWS's rules and
 * filled with its defaults, so that two ways of naming one place are one place: `path` (default
 * `/`) is valid from RESOURCE down, `method` (default `*`) from METHOD down, `statusCode` (default
 * `*`) for RESPONSE, RESPONSE_HEADER and RESPONSE_BODY; `name` is required for AUTHORIZER, MODEL,
 * the three request parameter types and RESPONSE_HEADER, allowed for REQUEST_BODY (AWS's own
 * examples leave it out there) and invalid elsewhere. Pure.
 */
import type { DocumentationPartLocation, DocumentationPartType } from '@aws-sdk/client-api-gateway';
import { BadRequestException } from '../errors.js';

export const PART_TYPES: readonly DocumentationPartType[] = [
  'API',
  'AUTHORIZER',
  'MODEL',
  'RESOURCE',
  'METHOD',
  'PATH_PARAMETER',
  'QUERY_PARAMETER',
  'REQUEST_HEADER',
  'REQUEST_BODY',
  'RESPONSE',
  'RESPONSE_HEADER',
  'RESPONSE_BODY',
];

const WITH_PATH = new Set<string>(PART_TYPES.filter((t) => !['API', 'AUTHORIZER', 'MODEL'].includes(t)));
const WITH_METHOD = new Set<string>([...WITH_PATH].filter((t) => t !== 'RESOURCE'));
const WITH_STATUS = new Set<string>(['RESPONSE', 'RESPONSE_HEADER', 'RESPONSE_BODY']);
const NAME_REQUIRED = new Set<string>([
  'AUTHORIZER',
  'MODEL',
  'PATH_PARAMETER',
  'QUERY_PARAMETER',
  'REQUEST_HEADER',
  'RESPONSE_HEADER',
]);
const STATUS_CODE = /^([1-5]\d\d|\*)$/;

const invalidField = (field: string, type: string) =>
  new BadRequestException(`Invalid location: ${field} is not a valid field for type ${type}`);

/** The location as stored and answered: checked, defaults filled, nothing else. */
export function normalizeLocation(
  location: DocumentationPartLocation | undefined,
): DocumentationPartLocation {
  const type = location?.type;
  if (!type || !PART_TYPES.includes(type))
    throw new BadRequestException(
      `Invalid documentation part type specified. Valid options are ${PART_TYPES.join(',')}`,
    );
  const { path, method, statusCode, name } = location;
  if (path !== undefined && !WITH_PATH.has(type)) throw invalidField('path', type);
  if (method !== undefined && !WITH_METHOD.has(type)) throw invalidField('method', type);
  if (statusCode !== undefined && !WITH_STATUS.has(type)) throw invalidField('statusCode', type);
  if (name !== undefined && !NAME_REQUIRED.has(type) && type !== 'REQUEST_BODY')
    throw invalidField('name', type);
  if (NAME_REQUIRED.has(type) && !name)
    throw new BadRequestException(`Invalid location: name is required for type ${type}`);
  if (path !== undefined && !path.startsWith('/'))
    throw new BadRequestException(`Invalid location: path must start with '/': ${path}`);
  if (statusCode !== undefined && !STATUS_CODE.test(statusCode))
    throw new BadRequestException(`Invalid location: invalid status code ${statusCode}`);
  return {
    type,
    ...(WITH_PATH.has(type) ? { path: path ?? '/' } : {}),
    ...(WITH_METHOD.has(type) ? { method: method ?? '*' } : {}),
    ...(WITH_STATUS.has(type) ? { statusCode: statusCode ?? '*' } : {}),
    ...(name !== undefined ? { name } : {}),
  };
}

/** One string per place, for the API's uniqueness of parts by location. */
export function locationKey(location: DocumentationPartLocation): string {
  const { type, path, method, statusCode, name } = location;
  return JSON.stringify([type, path ?? null, method ?? null, statusCode ?? null, name ?? null]);
}

/** `properties` must be a JSON object, kept as the string it came as. */
export function checkProperties(properties: string | undefined): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(properties ?? '');
  } catch {
    throw new BadRequestException('Invalid documentation content: properties must be a JSON object');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new BadRequestException('Invalid documentation content: properties must be a JSON object');
  return properties!;
}
