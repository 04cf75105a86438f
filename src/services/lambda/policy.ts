/**
 * Resource-based policies: the statements AddPermission grants on the function, a version or an
 * alias, returned by GetPolicy as Lambda's policy document. Each change gives the qualified target
 * a new RevisionId. (Stratus records the policy; evaluating it joins with IAM.)
 */
import type * as Lambda from '@aws-sdk/client-lambda';
import type { Queryable } from '../../storage/store.js';
import { partitionOf } from '../arn.js';
import { functionArn, parseFunctionName, qualifierKind, type Region } from './arns.js';
import { aliasNotFound, requireFunction, type LambdaContext } from './context.js';
import {
  InvalidParameterValueException,
  ResourceConflictException,
  ResourceNotFoundException,
  functionNotFound,
  revisionMismatch,
} from './errors.js';
import { permissionQueries } from './settings-tables.js';
import { aliasQueries, functionQueries, versionQueries, type FunctionRow } from './tables.js';

/** A qualified policy target: the unqualified function is `$LATEST`. */
interface Target {
  qualifier: string;
  resourceArn: string;
  revisionId: string;
  setRevision(tx: Queryable, revisionId: string): Promise<unknown>;
}

async function targetOf(
  db: Queryable,
  at: Region,
  fn: FunctionRow,
  qualifier: string | undefined,
): Promise<Target> {
  const q = qualifier ?? '$LATEST';
  const resourceArn = functionArn(at, fn.name, qualifier);
  if (qualifierKind(q) === 'alias') {
    const alias = await aliasQueries.get(db, fn.id, q);
    if (!alias) throw aliasNotFound(resourceArn);
    return {
      qualifier: q,
      resourceArn,
      revisionId: alias.revision_id,
      setRevision: (tx, id) => aliasQueries.setRevision(tx, alias.id, id),
    };
  }
  const version = await versionQueries.get(db, fn.id, q);
  if (!version) throw functionNotFound(resourceArn);
  return {
    qualifier: q,
    resourceArn,
    revisionId: version.revision_id,
    setRevision: (tx, id) => versionQueries.setRevision(tx, version.id, id),
  };
}

function principalOf(principal: string, at: Region): string | Record<string, string> {
  if (principal === '*') return '*';
  if (principal.endsWith('.amazonaws.com')) return { Service: principal };
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:${partitionOf(at.region)}:iam::${principal}:root` };
  if (/^arn:aws[a-zA-Z-]*:iam:/.test(principal)) return { AWS: principal };
  throw new InvalidParameterValueException(
    'The provided principal was invalid. Please check the principal and try again.',
  );
}

function statementOf(
  input: Lambda.AddPermissionRequest,
  at: Region,
  resourceArn: string,
): Record<string, unknown> {
  const stringEquals: Record<string, string> = {};
  if (input.FunctionUrlAuthType) stringEquals['lambda:FunctionUrlAuthType'] = input.FunctionUrlAuthType;
  if (input.PrincipalOrgID) stringEquals['aws:PrincipalOrgID'] = input.PrincipalOrgID;
  if (input.SourceAccount) stringEquals['AWS:SourceAccount'] = input.SourceAccount;
  if (input.EventSourceToken) stringEquals['lambda:EventSourceToken'] = input.EventSourceToken;
  const condition: Record<string, Record<string, string>> = {};
  if (Object.keys(stringEquals).length > 0) condition.StringEquals = stringEquals;
  if (input.SourceArn) condition.ArnLike = { 'AWS:SourceArn': input.SourceArn };
  return {
    Sid: input.StatementId,
    Effect: 'Allow',
    Principal: principalOf(input.Principal!, at),
    Action: input.Action,
    Resource: resourceArn,
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}

export class Policies {
  constructor(private readonly ctx: LambdaContext) {}

  async add(input: Lambda.AddPermissionRequest, at: Region): Promise<Lambda.AddPermissionResponse> {
    const ref = parseFunctionName(input.FunctionName!, at, input.Qualifier);
    if (ref.qualifier === '$LATEST') {
      throw new InvalidParameterValueException('We currently do not support adding policies for $LATEST.');
    }
    return this.ctx.store.transaction(async (tx) => {
      const fn = await requireFunction(tx, at, ref.name);
      const target = await targetOf(tx, at, fn, ref.qualifier);
      if (input.RevisionId !== undefined && input.RevisionId !== target.revisionId) {
        throw revisionMismatch('GetPolicy');
      }
      const statement = statementOf(input, at, target.resourceArn);
      const sid = input.StatementId!;
      if (!(await permissionQueries.insert(tx, fn.id, target.qualifier, sid, JSON.stringify(statement)))) {
        throw new ResourceConflictException(
          `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
        );
      }
      await target.setRevision(tx, this.ctx.newId());
      return { Statement: JSON.stringify(statement) };
    });
  }

  async remove(input: Lambda.RemovePermissionRequest, at: Region): Promise<void> {
    const ref = parseFunctionName(input.FunctionName!, at, input.Qualifier);
    await this.ctx.store.transaction(async (tx) => {
      const fn = await functionQueries.byName(tx, at, ref.name);
      if (!fn) throw new ResourceNotFoundException(`No policy found for: ${functionArn(at, ref.name)}`);
      const target = await targetOf(tx, at, fn, ref.qualifier);
      const statements = await permissionQueries.list(tx, fn.id, target.qualifier);
      if (statements.length === 0) {
        throw new ResourceNotFoundException('No policy is associated with the given resource.');
      }
      if (!statements.some((s) => s.sid === input.StatementId)) {
        throw new ResourceNotFoundException(
          `Statement ${input.StatementId} is not found in resource policy.`,
        );
      }
      if (input.RevisionId !== undefined && input.RevisionId !== target.revisionId) throw revisionMismatch();
      await permissionQueries.delete(tx, fn.id, target.qualifier, input.StatementId!);
      await target.setRevision(tx, this.ctx.newId());
    });
  }

  async get(input: Lambda.GetPolicyRequest, at: Region): Promise<Lambda.GetPolicyResponse> {
    const ref = parseFunctionName(input.FunctionName!, at, input.Qualifier);
    const fn = await requireFunction(this.ctx.store, at, ref.name);
    const statements = await permissionQueries.list(this.ctx.store, fn.id, ref.qualifier ?? '$LATEST');
    if (statements.length === 0)
      throw new ResourceNotFoundException('The resource you requested does not exist.');
    const target = await targetOf(this.ctx.store, at, fn, ref.qualifier);
    return {
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Id: 'default',
        Statement: statements.map((s) => JSON.parse(s.statement) as unknown),
      }),
      RevisionId: target.revisionId,
    };
  }
}
