/**
 * A REST API stage's `methodSettings` as UpdateStage patches them: `/*\/*\/throttling/rateLimit`
 * for every method of the stage, `/~1pets~1{id}/GET/throttling/burstLimit` for one (the resource
 * path escaped as a JSON pointer segment, then the HTTP method). The map's keys are the path's
 * first two segments as sent: `*\/*`, `~1pets~1{id}/GET`.
 */
import type { MethodSetting, PatchOperation } from '@aws-sdk/client-api-gateway';
import { BadRequestException } from './errors.js';

const THROTTLING_PATH = /^\/([^/]+)\/([^/]+)\/throttling\/(rateLimit|burstLimit)$/;

/** Whether UpdateStage hands this operation to applyMethodSettings. */
export function isMethodSettingsPath(path: string | undefined): boolean {
  return THROTTLING_PATH.test(path ?? '');
}

export function applyMethodSettings(
  settings: Readonly<Record<string, MethodSetting>> | undefined,
  operations: readonly PatchOperation[],
): Record<string, MethodSetting> {
  const result: Record<string, MethodSetting> = structuredClone({ ...settings });
  for (const { op, path, value } of operations) {
    const [, resource, method, field] = THROTTLING_PATH.exec(path ?? '') ?? [];
    if (!resource || !method || !field) throw new BadRequestException(`Invalid patch path ${path ?? ''}`);
    const key = `${resource}/${method}`;
    const setting = (result[key] ??= {});
    const name = field === 'rateLimit' ? 'throttlingRateLimit' : 'throttlingBurstLimit';
    if (op === 'remove') {
      delete setting[name];
      continue;
    }
    if (op !== 'replace' && op !== 'add')
      throw new BadRequestException(
        `Invalid patch path '${path ?? ''}' specified for op '${op ?? ''}'. Please choose supported operations`,
      );
    const n = Number(value);
    if (value === undefined || value.trim() === '' || !Number.isFinite(n) || n < 0)
      throw new BadRequestException(`Invalid ${field} value: ${value ?? ''}`);
    setting[name] = name === 'throttlingBurstLimit' ? Math.floor(n) : n;
  }
  return result;
}
