/**
 * The JSONPath EventBridge evaluates for `InputPath` and `InputPathsMap`: `$` then dot-notation
 * keys (letters, digits, `-`, `_`, `/`), array indices `[n]` and wildcards (`.*`, `[*]`). A path
 * without a wildcard names one value; a path with one names the list of the values it reaches.
 * Pure.
 */

type Step = { key: string } | { index: number } | { wildcard: true };

export interface JsonPath {
  readonly text: string;
  readonly steps: readonly Step[];
  readonly many: boolean;
}

/** A path EventBridge accepts, or undefined. */
export function parseJsonPath(text: string): JsonPath | undefined {
  if (!text.startsWith('$')) return undefined;
  const steps: Step[] = [];
  const re = /\.([A-Za-z0-9_\-/]+|\*)|\[(\d+|\*)\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < text.length) {
    const at = re.lastIndex;
    const m = re.exec(text);
    if (!m || m.index !== at) return undefined;
    const part = m[1] ?? m[2]!;
    if (part === '*') steps.push({ wildcard: true });
    else if (m[2] !== undefined) steps.push({ index: Number(part) });
    else steps.push({ key: part });
  }
  return { text, steps, many: steps.some((s) => 'wildcard' in s) };
}

/** What a path reaches in `value`: `found: false` when nothing is there. */
export type Reached = { found: false } | { found: true; value: unknown };

export function evaluate(path: JsonPath, value: unknown): Reached {
  let current: unknown[] = [value];
  for (const step of path.steps) {
    const next: unknown[] = [];
    for (const item of current) {
      if ('key' in step) {
        if (isObject(item) && Object.hasOwn(item, step.key)) next.push(item[step.key]);
      } else if ('index' in step) {
        if (Array.isArray(item) && step.index < item.length) next.push(item[step.index]);
      } else if (Array.isArray(item)) next.push(...item);
      else if (isObject(item)) next.push(...Object.values(item));
    }
    current = next;
  }
  if (path.many) return { found: current.length > 0, value: current };
  return current.length === 0 ? { found: false } : { found: true, value: current[0] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
