/**
 * The IAM policy a Lambda authorizer answers with, evaluated for one call: `execute-api:Invoke`
 * statements whose `Resource` (with `*` and `?` wildcards) matches the method ARN
 * `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}`. An explicit deny
 * wins; otherwise an allow is needed.
 */

export type PolicyDecision = 'allow' | 'deny' | 'explicit-deny';

interface Statement {
  Effect?: unknown;
  Action?: unknown;
  Resource?: unknown;
}

const asList = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

function wildcard(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

function matches(patterns: unknown, value: string): boolean {
  return asList(patterns).some((pattern) => typeof pattern === 'string' && wildcard(pattern).test(value));
}

/** The method ARN a call is checked against (the path without its leading slash). */
export function methodArn(
  place: { region: string; accountId: string; apiId: string; stage: string },
  method: string,
  path: string,
): string {
  return `arn:aws:execute-api:${place.region}:${place.accountId}:${place.apiId}/${place.stage}/${method}/${path.replace(/^\//, '')}`;
}

/** Undefined when the document is not a policy at all (the authorizer is misconfigured). */
export function evaluatePolicy(document: unknown, arn: string): PolicyDecision | undefined {
  if (document === null || typeof document !== 'object') return undefined;
  const statements = asList((document as { Statement?: unknown }).Statement) as Statement[];
  if (statements.length === 0) return undefined;
  let allowed = false;
  for (const statement of statements) {
    if (!statement || typeof statement !== 'object') return undefined;
    if (!matches(statement.Action, 'execute-api:Invoke') || !matches(statement.Resource, arn)) continue;
    if (statement.Effect === 'Deny') return 'explicit-deny';
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'allow' : 'deny';
}
