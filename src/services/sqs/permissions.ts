/**
 * AddPermission / RemovePermission, pure: they edit the queue's Policy document, one statement
 * per label, the way SQS writes them (`SQS:<Action>` for each action, the accounts as root
 * principals). Stratus stores the policy; it does not evaluate it yet.
 */
import { invalidParameter } from './errors.js';

interface Statement {
  Sid?: string;
  Effect: string;
  Principal: { AWS: string | string[] };
  Action: string | string[];
  Resource: string;
}

interface PolicyDocument {
  Version: string;
  Id?: string;
  Statement: Statement[];
}

function parse(policy: string | undefined, queueArn: string): PolicyDocument {
  if (!policy) return { Version: '2012-10-17', Id: `${queueArn}/SQSDefaultPolicy`, Statement: [] };
  const parsed = JSON.parse(policy) as Partial<PolicyDocument> & { Statement?: Statement | Statement[] };
  const statements = parsed.Statement === undefined ? [] : [parsed.Statement].flat();
  return { ...parsed, Version: parsed.Version ?? '2012-10-17', Statement: statements };
}

export function addPermission(
  policy: string | undefined,
  queueArn: string,
  label: string,
  accounts: readonly string[],
  actions: readonly string[],
): string {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(label)) {
    throw invalidParameter(
      'Label',
      label,
      'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    );
  }
  if (accounts.length === 0)
    throw invalidParameter('AWSAccountIds', '[]', 'At least one account is required.');
  if (actions.length === 0) throw invalidParameter('Actions', '[]', 'At least one action is required.');
  const document = parse(policy, queueArn);
  if (document.Statement.some((s) => s.Sid === label))
    throw invalidParameter('Label', label, 'Already exists.');
  const principals = accounts.map((a) => `arn:aws:iam::${a}:root`);
  const sqsActions = actions.map((a) => `SQS:${a}`);
  document.Statement.push({
    Sid: label,
    Effect: 'Allow',
    Principal: { AWS: principals.length === 1 ? principals[0]! : principals },
    Action: sqsActions.length === 1 ? sqsActions[0]! : sqsActions,
    Resource: queueArn,
  });
  return JSON.stringify(document);
}

/** The policy without the label's statement; undefined once no statement is left. */
export function removePermission(
  policy: string | undefined,
  queueArn: string,
  label: string,
): string | undefined {
  const document = parse(policy, queueArn);
  const kept = document.Statement.filter((s) => s.Sid !== label);
  if (kept.length === document.Statement.length) {
    throw invalidParameter('Label', label, "can't find label on existing policy.");
  }
  return kept.length > 0 ? JSON.stringify({ ...document, Statement: kept }) : undefined;
}
