/**
 * Topic access policies, pure: whether a topic's policy lets another account perform an action
 * (an explicit Deny wins, then any Allow), and the statements AddPermission / RemovePermission
 * write. Only what topic policies commonly say is understood: `Principal` as `*` or AWS account ids
 * / root ARNs, `Action` as `SNS:<Action>`, `SNS:*` or `*`, and the `AWS:SourceOwner` /
 * `AWS:SourceAccount` conditions; a statement with any other condition never applies.
 */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement[];
}

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | { AWS?: string | string[] };
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const list = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function principalMatches(statement: PolicyStatement, account: string): boolean {
  const principal = statement.Principal;
  if (principal === '*') return true;
  return list(principal?.AWS).some((p) => p === '*' || p === account || p === `arn:aws:iam::${account}:root`);
}

function actionMatches(statement: PolicyStatement, action: string): boolean {
  return list(statement.Action).some((a) => {
    const lower = a.toLowerCase();
    return lower === '*' || lower === 'sns:*' || lower === `sns:${action.toLowerCase()}`;
  });
}

function conditionsHold(statement: PolicyStatement, account: string): boolean {
  for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
    if (operator !== 'StringEquals') return false;
    for (const [key, values] of Object.entries(entries)) {
      const name = key.toLowerCase();
      if (name !== 'aws:sourceowner' && name !== 'aws:sourceaccount') return false;
      if (!list(values).includes(account)) return false;
    }
  }
  return true;
}

/** Whether `policy` lets callers from `account` perform SNS `action` on the topic. */
export function policyAllows(policy: PolicyDocument, account: string, action: string): boolean {
  const applies = (s: PolicyStatement) =>
    principalMatches(s, account) && actionMatches(s, action) && conditionsHold(s, account);
  const statements = policy.Statement ?? [];
  if (statements.some((s) => s.Effect === 'Deny' && applies(s))) return false;
  return statements.some((s) => s.Effect === 'Allow' && applies(s));
}

/** AddPermission's statement: the listed accounts may perform the listed actions, labelled by Sid. */
export function permissionStatement(
  topicArn: string,
  label: string,
  accounts: string[],
  actions: string[],
): PolicyStatement {
  const principals = accounts.map((a) => `arn:aws:iam::${a}:root`);
  const names = actions.map((a) => `SNS:${a}`);
  return {
    Sid: label,
    Effect: 'Allow',
    Principal: { AWS: principals.length === 1 ? principals[0]! : principals },
    Action: names.length === 1 ? names[0]! : names,
    Resource: topicArn,
  };
}
