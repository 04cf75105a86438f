/**
 * Function and layer names as Lambda accepts them. A `FunctionName` is a name (`my-fn`), a name
 * with a qualifier (`my-fn:prod`), a partial ARN (`123456789012:function:my-fn`) or a full ARN
 * (`arn:aws:lambda:us-east-1:123456789012:function:my-fn[:qualifier]`); a qualifier is `$LATEST`,
 * a version number or an alias name.
 */
import { buildArn, parseArn } from '../arn.js';
import {
  AccessDeniedException,
  InvalidParameterValueException,
  ResourceNotFoundException,
} from './errors.js';

export interface Region {
  accountId: string;
  region: string;
}

export interface FunctionRef extends Region {
  name: string;
  /** From the ARN or the `Qualifier` parameter (they must agree when both are given). */
  qualifier?: string;
}

const functionNamePattern =
  /^(?:arn:aws[a-zA-Z-]*:lambda:)?(?:([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):)?(?:(\d{12}):)?(?:function:)?([a-zA-Z0-9_.-]+)(?::(\$LATEST(?:\.PUBLISHED)?|[a-zA-Z0-9_-]+))?$/;

/** Where a `FunctionName` points. The model has already checked its pattern. */
export function parseFunctionName(input: string, at: Region, qualifier?: string): FunctionRef {
  const match = functionNamePattern.exec(input);
  if (!match) throw new InvalidParameterValueException(`Invalid function name: ${input}`);
  const [, region, accountId, name, arnQualifier] = match;
  if (region && region !== at.region) {
    throw new ResourceNotFoundException(
      `Functions from '${region}' are not reachable in this region ('${at.region}')`,
    );
  }
  if (accountId && accountId !== at.accountId) {
    // Stratus has no resource-policy evaluation across accounts yet; AWS would consult the policy.
    throw new AccessDeniedException(
      `User: arn:aws:iam::${at.accountId}:root is not authorized to access functions of account ${accountId}`,
    );
  }
  if (qualifier !== undefined && arnQualifier !== undefined && qualifier !== arnQualifier) {
    throw new InvalidParameterValueException(
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  }
  const resolved = qualifier ?? arnQualifier;
  return {
    accountId: at.accountId,
    region: at.region,
    name: name!,
    ...(resolved !== undefined ? { qualifier: resolved } : {}),
  };
}

/** For operations on the function itself (concurrency, tags): a qualifier is refused. */
export function parseUnqualifiedFunctionName(input: string, at: Region): FunctionRef {
  const ref = parseFunctionName(input, at);
  if (ref.qualifier !== undefined) {
    throw new InvalidParameterValueException(
      'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.',
    );
  }
  return ref;
}

export type QualifierKind = 'latest' | 'version' | 'alias';

export function qualifierKind(qualifier: string): QualifierKind {
  if (qualifier === '$LATEST') return 'latest';
  return /^\d+$/.test(qualifier) ? 'version' : 'alias';
}

export function functionArn(at: Region, name: string, qualifier?: string): string {
  const arn = buildArn({
    service: 'lambda',
    region: at.region,
    accountId: at.accountId,
    resource: `function:${name}`,
  });
  return qualifier === undefined ? arn : `${arn}:${qualifier}`;
}

export function layerArn(at: Region, name: string): string {
  return buildArn({
    service: 'lambda',
    region: at.region,
    accountId: at.accountId,
    resource: `layer:${name}`,
  });
}

export function layerVersionArn(at: Region, name: string, version: number): string {
  return `${layerArn(at, name)}:${version}`;
}

export interface LayerRef extends Region {
  name: string;
  version?: number;
}

/** A `LayerName`: a name in the caller's account and region, or a layer (version) ARN. */
export function parseLayerName(input: string, at: Region): LayerRef {
  if (!input.startsWith('arn:')) return { ...at, name: input };
  const arn = parseArn(input);
  const [kind, name, version, ...rest] = arn?.resource.split(':') ?? [];
  if (!arn || arn.service !== 'lambda' || kind !== 'layer' || !name || rest.length > 0) {
    throw new InvalidParameterValueException(`Invalid layer ARN: ${input}`);
  }
  return {
    accountId: arn.accountId,
    region: arn.region,
    name,
    ...(version !== undefined ? { version: Number(version) } : {}),
  };
}

/** Lambda's timestamp format: `2024-01-01T00:00:00.000+0000`. */
export function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}
