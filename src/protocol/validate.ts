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

const lowerFirstNames = new Map<string, string>();

/** A member's name as AWS's paths spell it (`LogEvents` → `logEvents`); member names are few, so kept. */
function lowerFirst(name: string): string {
  let lowered = lowerFirstNames.get(name);
  if (lowered === undefined) {
    lowered = name.charAt(0).toLowerCase() + name.slice(1);
    lowerFirstNames.set(name, lowered);
  }
  return lowered;
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
  const walk: Walk = { model, trail: [], out: [] };
  if (ref) visit(walk, model.shapes[ref.shape], input, '');
  return walk.out;
}

/**
 * One validation's state. The path to the value being checked is kept as segments and joined only
 * when a violation needs it: building `a.b.1.member.c` for every value of a large request costs
 * more than the checks themselves.
 */
interface Walk {
  model: ServiceModel;
  trail: string[];
  out: Violation[];
}

function violation(
  walk: Walk,
  kind: ViolationKind,
  member: string,
  value: unknown,
  constraint: string,
): void {
  walk.out.push({ kind, path: walk.trail.join('.'), member, value, constraint });
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

function visit(walk: Walk, shape: Shape | undefined, value: unknown, member: string): void {
  const { model, trail } = walk;
  if (!shape || value === undefined || value === null || !constrained(model, shape)) return;

  if (shape.min !== undefined || shape.max !== undefined) {
    const size = sizeOf(shape, value);
    if (size !== undefined) {
      if (shape.min !== undefined && size < shape.min)
        violation(
          walk,
          'length',
          member,
          value,
          `Member must have length greater than or equal to ${shape.min}`,
        );
      if (shape.max !== undefined && size > shape.max)
        violation(
          walk,
          'length',
          member,
          value,
          `Member must have length less than or equal to ${shape.max}`,
        );
    } else if (typeof value === 'number') {
      if (shape.min !== undefined && value < shape.min)
        violation(
          walk,
          'range',
          member,
          value,
          `Member must have value greater than or equal to ${shape.min}`,
        );
      if (shape.max !== undefined && value > shape.max)
        violation(walk, 'range', member, value, `Member must have value less than or equal to ${shape.max}`);
    }
  }
  if (typeof value === 'string') {
    if (shape.enum && !shape.enum.includes(value))
      violation(
        walk,
        'enum',
        member,
        value,
        `Member must satisfy enum value set: [${shape.enum.join(', ')}]`,
      );
    if (shape.pattern) {
      const re = compiledPattern(shape.pattern);
      if (re && !re.test(value))
        violation(
          walk,
          'pattern',
          member,
          value,
          `Member must satisfy regular expression pattern: ${shape.pattern}`,
        );
    }
  }

  switch (shape.type) {
    case 'structure': {
      const record = value as Record<string, unknown>;
      for (const name of shape.required ?? []) {
        if (record[name] === undefined || record[name] === null) {
          trail.push(lowerFirst(name));
          violation(
            walk,
            'required',
            shape.members?.[name]?.locationName ?? name,
            null,
            'Member must not be null',
          );
          trail.pop();
        }
      }
      const members = shape.members ?? {};
      for (const name in record) {
        if (record[name] === undefined || !Object.hasOwn(members, name)) continue;
        const memberShape = model.shapes[members[name]!.shape];
        if (!memberShape || !constrained(model, memberShape)) continue;
        trail.push(lowerFirst(name));
        visit(walk, memberShape, record[name], name);
        trail.pop();
      }
      return;
    }
    case 'list': {
      const itemShape = shape.member ? model.shapes[shape.member.shape] : undefined;
      if (!itemShape || !constrained(model, itemShape)) return;
      const items = value as unknown[];
      for (let i = 0; i < items.length; i++) {
        trail.push(`${i + 1}.member`);
        visit(walk, itemShape, items[i], member);
        trail.pop();
      }
      return;
    }
    case 'map': {
      const keyShape = shape.key ? model.shapes[shape.key.shape] : undefined;
      const valueShape = shape.value ? model.shapes[shape.value.shape] : undefined;
      const checksKeys = keyShape !== undefined && constrained(model, keyShape);
      const checksValues = valueShape !== undefined && constrained(model, valueShape);
      const entries = value as Record<string, unknown>;
      for (const k in entries) {
        trail.push(k, '');
        if (checksKeys) {
          trail[trail.length - 1] = 'key';
          visit(walk, keyShape, k, member);
        }
        if (checksValues) {
          trail[trail.length - 1] = 'value';
          visit(walk, valueShape, entries[k], member);
        }
        trail.length -= 2;
      }
      return;
    }
    default:
      return;
  }
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
