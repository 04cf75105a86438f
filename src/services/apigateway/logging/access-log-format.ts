/**
 * Access log formats: a single line with `$context.name` variables in it (JSON, CLF, CSV, XML or
 * anything else), rendered for each call by plain substitution — no escaping, as on AWS, where a
 * quote in a user agent breaks a JSON line. A variable without a value, or one the API's kind
 * does not know, renders as `-`. Pure: the format and the call's values in, the line out.
 */

/** `$context.` and a dotted name (`identity.sourceIp`); a dot not followed by a name ends it. */
const VARIABLE = /\$context\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)/g;

/** The variables a format names, in order, repeats included. */
export function variablesOf(format: string): string[] {
  return [...format.matchAll(VARIABLE)].map((match) => match[1]!);
}

/** A call's value of a variable, by its name after `$context.`; undefined when it has none. */
export type ContextValues = (name: string) => string | number | boolean | undefined;

export function renderAccessLog(format: string, values: ContextValues): string {
  return format.replace(VARIABLE, (_, name: string) => {
    const value = values(name);
    return value === undefined || value === '' ? '-' : String(value);
  });
}

/**
 * A value inside an object by a dotted path (`claims.sub` in `{claims: {sub: …}}`): strings as
 * they are, other scalars stringified, objects as JSON.
 */
export function valueAt(object: Record<string, unknown> | undefined, path: string): string | undefined {
  let value: unknown = object;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  if (value === undefined || value === null) return undefined;
  return typeof value === 'object' ? JSON.stringify(value) : String(value as string | number | boolean);
}
