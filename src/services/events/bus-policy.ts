/**
 * Event bus resource policies, pure: PutPermission's statements (an account, or everyone in an
 * organization, allowed `events:PutEvents` on the bus), a whole policy given as text, and
 * RemovePermission by statement id. Stratus keeps and shows the policy; it does not enforce it.
 */
import type * as EventBridge from '@aws-sdk/client-eventbridge';
import { partitionOf } from '../arn.js';
import { ResourceNotFoundException, ValidationException } from './errors.js';

interface Statement {
  Sid?: string;
  [key: string]: unknown;
}

interface Policy {
  Version: string;
  Statement: Statement[];
}

function parse(text: string | undefined): Policy {
  if (text === undefined) return { Version: '2012-10-17', Statement: [] };
  const policy = JSON.parse(text) as Partial<Policy>;
  return { Version: policy.Version ?? '2012-10-17', Statement: policy.Statement ?? [] };
}

/** The bus's policy after a PutPermission, as text. */
export function putPermission(
  current: string | undefined,
  input: EventBridge.PutPermissionRequest,
  bus: { arn: string; region: string },
): string {
  if (input.Policy !== undefined) {
    try {
      JSON.parse(input.Policy);
    } catch {
      throw new ValidationException('This policy contains invalid Json');
    }
    return input.Policy;
  }
  const { Principal: principal, Condition: condition, StatementId: sid } = input;
  if (principal === undefined) throw new ValidationException('Parameter Principal must be specified.');
  if (condition && principal !== '*') {
    throw new ValidationException(
      "Value of the parameter 'principal' must be '*' when the parameter 'condition' is set.",
    );
  }
  if (!/^(\d{12}|\*)$/.test(principal)) {
    throw new ValidationException(
      `Value ${principal} at 'principal' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\d{12}|\\*)`,
    );
  }
  if (input.Action !== 'events:PutEvents') {
    throw new ValidationException("Provided value in parameter 'action' is not supported.");
  }
  if (sid === undefined) throw new ValidationException('Parameter StatementId must be specified.');
  const statement: Statement = {
    Sid: sid,
    Effect: 'Allow',
    Principal: principal === '*' ? '*' : { AWS: `arn:${partitionOf(bus.region)}:iam::${principal}:root` },
    Action: input.Action,
    Resource: bus.arn,
    ...(condition ? { Condition: { [condition.Type!]: { [condition.Key!]: condition.Value! } } } : {}),
  };
  const policy = parse(current);
  policy.Statement = [...policy.Statement.filter((s) => s.Sid !== sid), statement];
  return JSON.stringify(policy);
}

/** The bus's policy after removing one statement (undefined when none is left). */
export function removePermission(current: string | undefined, sid: string): string | undefined {
  if (current === undefined) throw new ResourceNotFoundException('EventBus does not have a policy.');
  const policy = parse(current);
  const kept = policy.Statement.filter((s) => s.Sid !== sid);
  if (kept.length === policy.Statement.length) {
    throw new ResourceNotFoundException('Statement with the provided id does not exist.');
  }
  return kept.length === 0 ? undefined : JSON.stringify({ ...policy, Statement: kept });
}
