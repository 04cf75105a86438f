/**
 * Validates a parsed request against the model's constraints: required members, length (min/max
 * of strings, lists, maps, blobs), numeric ranges, enums and patterns. Violations are data; each
 * service chooses the error they become (ValidationException for most JSON services,
 * MissingParameter / InvalidParameterValue for CloudWatch and SQS …), with AWS's message text.
 */
import type { ServiceModel, Shape, ShapeRef } from './model.js';

export type ViolationKind = 'required' | 'length' | 'range' | 'enum' | 'pattern';

export interface Violation {
  kind: ViolationKind;
  /** AWS's path form: `logEvents.1.member.message`. */
  path: string;
  /** The wire name of the member (for `The parameter X is required.` messages). */
  member: string;
  value: unknown;
  /** AWS's constraint text: `Member must not be null`. */
  constraint: string;
}

const patternCache = new Map<string, RegExp | null>();

function compiledPattern(pattern: string): RegExp | null {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    try {
      // Model patterns are Java regexes matched against the whole value; `u` keeps \p{..} working.
      re = new RegExp(`^(?:${pattern})$`, 'u');
    } catch {
      re = null; // a Java-only construct: skip rather than reject valid input
    }
    patternCache.set(pattern, re);
  }
  return re;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function sizeOf(shape: Shape, value: unknown): number | undefined {
  if (shape.type === 'string' && typeof value === 'string') return codePoints(value);
  if (shape.type === 'list' && Array.isArray(value)) return value.length;
  if (shape.type === 'map' && value && typeof value === 'object') return Object.keys(value).length;
  if (shape.type === 'blob' && value instanceof Uint8Array) return value.length;
  return undefined;
}

/** A string's length in code points, as the models' limits count it, without spreading short ASCII ones. */
function codePoints(value: string): number {
  // Only surrogate pairs make code points fewer than UTF-16 units.
  return /[\uD800-\uDBFF]/.test(value) ? [...value].length : value.length;
}

export function validateInput(model: ServiceModel, ref: ShapeRef | undefined, input: unknown): Violation[] {
  const violations: Violation[] = [];
  if (ref) visit(model, model.shapes[ref.shape], input, '', '', violations);
  return violations;
}

/**
 * Whether a shape, or anything it can hold, carries a constraint: validation skips values that
 * cannot break one (most of an item's attribute values). Worked out once per shape.
 */
const constrainedShapes = new WeakMap<Shape, boolean>();

function ownConstraints(shape: Shape): boolean {
  return (
    shape.min !== undefined ||
    shape.max !== undefined ||
    shape.enum !== undefined ||
    shape.pattern !== undefined ||
    (shape.required?.length ?? 0) > 0
  );
}

function constrained(model: ServiceModel, shape: Shape): boolean {
  const known = constrainedShapes.get(shape);
  if (known !== undefined) return known;
  // Everything reachable from the shape, cycles included (AttributeValue holds maps of itself).
  const seen = new Set<Shape>();
  const pending = [shape];
  let found = false;
  while (pending.length > 0 && !found) {
    const next = pending.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    if (ownConstraints(next)) found = true;
    const refs = [...Object.values(next.members ?? {}), next.member, next.key, next.value];
    for (const ref of refs) {
      const child = ref && model.shapes[ref.shape];
      if (child) pending.push(child);
    }
  }
  constrainedShapes.set(shape, found);
  return found;
}

function visit(
  model: ServiceModel,
  shape: Shape | undefined,
  value: unknown,
  path: string,
  member: string,
  out: Violation[],
): void {
  if (!shape || value === undefined || value === null || !constrained(model, shape)) return;
  const add = (kind: ViolationKind, constraint: string) =>
    out.push({ kind, path, member, value, constraint });

  if (shape.min !== undefined || shape.max !== undefined) {
    const size = sizeOf(shape, value);
    if (size !== undefined) {
      if (shape.min !== undefined && size < shape.min)
        add('length', `Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && size > shape.max)
        add('length', `Member must have length less than or equal to ${shape.max}`);
    } else if (typeof value === 'number') {
      if (shape.min !== undefined && value < shape.min)
        add('range', `Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value > shape.max)
        add('range', `Member must have value less than or equal to ${shape.max}`);
    }
  }
  if (typeof value === 'string') {
    if (shape.enum && !shape.enum.includes(value))
      add('enum', `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
    if (shape.pattern) {
      const re = compiledPattern(shape.pattern);
      if (re && !re.test(value))
        add('pattern', `Member must satisfy regular expression pattern: ${shape.pattern}`);
    }
  }

  switch (shape.type) {
    case 'structure': {
      const record = value as Record<string, unknown>;
      for (const name of shape.required ?? []) {
        if (record[name] === undefined || record[name] === null) {
          out.push({
            kind: 'required',
            path: join(path, lowerFirst(name)),
            member: shape.members?.[name]?.locationName ?? name,
            value: null,
            constraint: 'Member must not be null',
          });
        }
      }
      const members = shape.members ?? {};
      for (const name in record) {
        if (record[name] === undefined || !Object.hasOwn(members, name)) continue;
        visit(
          model,
          model.shapes[members[name]!.shape],
          record[name],
          join(path, lowerFirst(name)),
          name,
          out,
        );
      }
      return;
    }
    case 'list': {
      const itemShape = shape.member ? model.shapes[shape.member.shape] : undefined;
      if (!itemShape || !constrained(model, itemShape)) return;
      (value as unknown[]).forEach((item, i) =>
        visit(model, itemShape, item, join(path, `${i + 1}.member`), member, out),
      );
      return;
    }
    case 'map': {
      const keyShape = shape.key ? model.shapes[shape.key.shape] : undefined;
      const valueShape = shape.value ? model.shapes[shape.value.shape] : undefined;
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        visit(model, keyShape, k, join(path, `${k}.key`), member, out);
        visit(model, valueShape, v, join(path, `${k}.value`), member, out);
      }
      return;
    }
    default:
      return;
  }
}

function join(path: string, segment: string): string {
  return path ? `${path}.${segment}` : segment;
}

function renderValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value))
    return `'[${value.map((v) => (typeof v === 'object' ? '…' : String(v))).join(', ')}]'`;
  if (value instanceof Date) return `'${value.toISOString()}'`;
  if (typeof value === 'object') return `'{…}'`;
  return `'${String(value)}'`;
}

/** AWS's ValidationException message: `1 validation error detected: Value null at 'x' failed to satisfy constraint: …`. */
export function validationMessage(violations: readonly Violation[]): string {
  const n = violations.length;
  const details = violations
    .map((v) => `Value ${renderValue(v.value)} at '${v.path}' failed to satisfy constraint: ${v.constraint}`)
    .join('; ');
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${details}`;
}
