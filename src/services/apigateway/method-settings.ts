/**
 * A REST API stage's `methodSettings` as UpdateStage patches them: `/*\/*\/throttling/rateLimit`
 * for every method of the stage, `/~1pets~1{id}/GET/caching/enabled` for one (the resource path
 * escaped as a JSON pointer segment, then the HTTP method). The map's keys are the path's first
 * two segments as sent: `*\/*`, `~1pets~1{id}/GET`.
 */
import type { MethodSetting, PatchOperation } from '@aws-sdk/client-api-gateway';
import { BadRequestException } from './errors.js';

/** API Gateway's longest cache TTL. */
export const MAX_CACHE_TTL_SECONDS = 3600;

const STRATEGIES = ['FAIL_WITH_403', 'SUCCEED_WITH_RESPONSE_HEADER', 'SUCCEED_WITHOUT_RESPONSE_HEADER'];

type Parse = (value: string, field: string) => MethodSetting[keyof MethodSetting];

function numberOf(value: string, field: string, check: (n: number) => boolean = () => true): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || !check(n))
    throw new BadRequestException(`Invalid ${field} value: ${value}`);
  return n;
}

const booleanOf: Parse = (value, field) => {
  if (value !== 'true' && value !== 'false')
    throw new BadRequestException(`Invalid ${field} value: ${value}`);
  return value === 'true';
};

/** Each patchable field: the path's tail, the setting it writes and how its value reads. */
const FIELDS: Readonly<Record<string, [keyof MethodSetting, Parse]>> = {
  'throttling/rateLimit': ['throttlingRateLimit', (v, f) => numberOf(v, f)],
  'throttling/burstLimit': ['throttlingBurstLimit', (v, f) => Math.floor(numberOf(v, f))],
  'caching/enabled': ['cachingEnabled', booleanOf],
  'caching/ttlInSeconds': [
    'cacheTtlInSeconds',
    (v, f) => numberOf(v, f, (n) => Number.isInteger(n) && n <= MAX_CACHE_TTL_SECONDS),
  ],
  'caching/dataEncrypted': ['cacheDataEncrypted', booleanOf],
  'caching/requireAuthorizationForCacheControl': ['requireAuthorizationForCacheControl', booleanOf],
  'caching/unauthorizedCacheControlHeaderStrategy': [
    'unauthorizedCacheControlHeaderStrategy',
    (v, f) => {
      if (!STRATEGIES.includes(v)) throw new BadRequestException(`Invalid ${f} value: ${v}`);
      return v;
    },
  ],
};

const SETTING_PATH = /^\/([^/]+)\/([^/]+)\/(\w+\/\w+)$/;

/** Whether UpdateStage hands this operation to applyMethodSettings. */
export function isMethodSettingsPath(path: string | undefined): boolean {
  const tail = SETTING_PATH.exec(path ?? '')?.[3];
  return tail !== undefined && tail in FIELDS;
}

export function applyMethodSettings(
  settings: Readonly<Record<string, MethodSetting>> | undefined,
  operations: readonly PatchOperation[],
): Record<string, MethodSetting> {
  const result: Record<string, MethodSetting> = structuredClone({ ...settings });
  for (const { op, path, value } of operations) {
    const [, resource, method, tail] = SETTING_PATH.exec(path ?? '') ?? [];
    const field = tail === undefined ? undefined : FIELDS[tail];
    if (!resource || !method || !field) throw new BadRequestException(`Invalid patch path ${path ?? ''}`);
    const [name, parse] = field;
    const setting = (result[`${resource}/${method}`] ??= {});
    if (op === 'remove') {
      delete setting[name];
      continue;
    }
    if (op !== 'replace' && op !== 'add')
      throw new BadRequestException(
        `Invalid patch path '${path ?? ''}' specified for op '${op ?? ''}'. Please choose supported operations`,
      );
    const label = tail!.slice(tail!.indexOf('/') + 1);
    Object.assign(setting, { [name]: parse(value ?? '', label) });
  }
  return result;
}
