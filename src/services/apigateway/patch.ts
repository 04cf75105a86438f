/**
 * API Gateway's Update operations take JSON-Patch-like `patchOperations` on a few documented
 * paths of the resource: `replace /name`, `add /binaryMediaTypes/image~1png`,
 * `replace /variables/env` … Each Update names the paths it supports and what lies there.
 */
import type { PatchOperation } from '@aws-sdk/client-api-gateway';
import { BadRequestException } from './errors.js';

/**
 * What a path pattern holds (`*` stands for one segment, the key or element it names):
 * a scalar the value replaces, a list of strings the last segment adds to or removes from
 * (`values`: the value itself is the item, `/authorizationScopes`), or a map whose key the last
 * segment names (`booleanMap`: its values are booleans, as a method's `requestParameters`).
 */
export type PatchTarget = 'string' | 'boolean' | 'number' | 'list' | 'values' | 'map' | 'booleanMap';
type PatchOp = 'add' | 'remove' | 'replace';
/** A target, or a target with the only operations AWS allows on it. */
export type PatchRule = PatchTarget | { target: PatchTarget; ops: readonly PatchOp[] };
export type PatchRules = Readonly<Record<string, PatchRule>>;

/** `~1` is `/` and `~0` is `~` in a JSON pointer segment. */
function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function ruleFor(rules: PatchRules, segments: string[], op: string): PatchTarget | undefined {
  for (const [pattern, rule] of Object.entries(rules)) {
    const parts = pattern.split('/').slice(1);
    if (parts.length !== segments.length) continue;
    if (!parts.every((part, i) => part === '*' || part === segments[i])) continue;
    if (typeof rule === 'string') return rule;
    return (rule.ops as readonly string[]).includes(op) ? rule.target : undefined;
  }
  return undefined;
}

function scalar(target: PatchTarget, value: string | undefined, path: string): unknown {
  if (value === undefined)
    throw new BadRequestException(
      `Invalid patch operation specified. Must be one with a value for path ${path}`,
    );
  if (target === 'boolean') {
    if (value !== 'true' && value !== 'false')
      throw new BadRequestException(`Invalid boolean value for ${path}: ${value}`);
    return value === 'true';
  }
  if (target === 'number') {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n))
      throw new BadRequestException(`Invalid number value for ${path}: ${value}`);
    return n;
  }
  return value;
}

/** The document with the operations applied, in order; throws BadRequestException for what the rules do not allow. */
export function applyPatch<T extends object>(
  document: T,
  operations: readonly PatchOperation[],
  rules: PatchRules,
): T {
  const result = structuredClone(document) as Record<string, unknown>;
  for (const { op, path, value } of operations) {
    if (!path || !path.startsWith('/')) throw new BadRequestException(`Invalid patch path ${path ?? ''}`);
    const segments = path.split('/').slice(1).map(unescapeSegment);
    const target = op && ['add', 'remove', 'replace'].includes(op) ? ruleFor(rules, segments, op) : undefined;
    if (!target) {
      throw new BadRequestException(
        `Invalid patch path '${path}' specified for op '${op ?? ''}'. Please choose supported operations`,
      );
    }
    const keyed = target === 'list' || target === 'map' || target === 'booleanMap';
    // The object the last segment (or, for lists and maps, the one before it) lives in.
    const holderSegments = keyed ? segments.slice(0, -2) : segments.slice(0, -1);
    let holder = result;
    for (const segment of holderSegments) holder = (holder[segment] ??= {}) as Record<string, unknown>;
    const field = keyed ? segments[segments.length - 2]! : segments[segments.length - 1]!;
    const key =
      target === 'values' ? (scalar('string', value, path) as string) : segments[segments.length - 1]!;
    if (target === 'list' || target === 'values') {
      const list = ((holder[field] as string[] | undefined) ?? []).filter((item) => item !== key);
      if (op !== 'remove') list.push(key);
      if (list.length > 0) holder[field] = list;
      else delete holder[field];
    } else if (target === 'map' || target === 'booleanMap') {
      const map = { ...((holder[field] as Record<string, unknown> | undefined) ?? {}) };
      if (op === 'remove') delete map[key];
      else map[key] = scalar(target === 'map' ? 'string' : 'boolean', value, path);
      if (Object.keys(map).length > 0) holder[field] = map;
      else delete holder[field];
    } else if (op === 'remove') {
      delete holder[field];
    } else {
      holder[field] = scalar(target, value, path);
    }
  }
  return result as T;
}
