/**
 * What Lambda's domain modules share: their dependencies, and the look-ups nearly every operation
 * starts with (a function by name, a qualifier to its version).
 */
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock.js';
import type { Queryable, Store } from '../../storage/store.js';
import { functionArn, qualifierKind, type Region } from './arns.js';
import type { FunctionChange, FunctionChanges } from './changes.js';
import { codeLimits, type AcceptedCode, type CodeStore } from './code.js';
import { CodeStorageExceededException, functionNotFound, ResourceNotFoundException } from './errors.js';
import { codeInUse } from './layer-tables.js';
import { accountQueries } from './settings-tables.js';
import {
  aliasQueries,
  functionQueries,
  versionQueries,
  type AliasRow,
  type FunctionRow,
  type VersionRow,
} from './tables.js';

export interface LambdaSettings {
  /** The account's concurrency limit per region (Lambda's default quota: 1000). */
  concurrentExecutions: number;
}

export interface LambdaContext {
  store: Store;
  clock: Clock;
  code: CodeStore;
  changes: FunctionChanges;
  logger: Logger;
  settings: LambdaSettings;
  /** RevisionIds (v4 UUIDs). */
  newId(): string;
  /** The edge's URL, for the functions' SDKs. */
  endpointUrl(): string;
  /** Where a package downloads from (`Code.Location`), for the caller with this access key. */
  codeLocation(sha256: string, accessKeyId: string | undefined): Promise<string>;
}

/** Lambda keeps at least this much concurrency unreserved in every account. */
export const minimumUnreservedConcurrency = 100;

export async function requireFunction(
  db: Queryable,
  at: Region,
  name: string,
  /** Shown in the not-found ARN (GetFunction names the qualified ARN). */
  qualifier?: string,
): Promise<FunctionRow> {
  const fn = await functionQueries.byName(db, at, name);
  if (!fn) throw functionNotFound(functionArn(at, name, qualifier));
  return fn;
}

export interface ResolvedQualifier {
  version: VersionRow;
  alias?: AliasRow;
}

/**
 * The version a qualifier names: `$LATEST` (or none), a published version, or the version an
 * alias points to (its main version: routing applies to invocations only).
 */
export async function resolveQualifier(
  db: Queryable,
  at: Region,
  fn: FunctionRow,
  qualifier: string | undefined,
  missingAlias: (arn: string) => Error = (arn) => functionNotFound(arn),
): Promise<ResolvedQualifier> {
  const q = qualifier ?? '$LATEST';
  const arn = functionArn(at, fn.name, q);
  if (qualifierKind(q) === 'alias') {
    const alias = await aliasQueries.get(db, fn.id, q);
    if (!alias) throw missingAlias(arn);
    const version = await versionQueries.get(db, fn.id, alias.function_version);
    if (!version) throw functionNotFound(arn);
    return { version, alias };
  }
  const version = await versionQueries.get(db, fn.id, q);
  if (!version) throw functionNotFound(arn);
  return { version };
}

export function aliasNotFound(arn: string): Error {
  return new ResourceNotFoundException(`Cannot find alias arn: ${arn}`);
}

/** Lambda refuses new code once the account's packages would pass the storage quota. */
export async function checkCodeStorage(db: Queryable, at: Region, addedBytes: number): Promise<void> {
  if ((await accountQueries.totalCodeSize(db, at)) + addedBytes > codeLimits.totalStorage) {
    throw new CodeStorageExceededException('Code storage limit exceeded.');
  }
}

/**
 * After a commit: removes packages nothing uses any more. A package another operation on this
 * node has accepted but not yet committed is pinned and stays. (Across nodes sharing PostgreSQL,
 * a package removed in that window is missing from disk; recreate or update the function.)
 */
export async function releaseUnusedCode(ctx: LambdaContext, hashes: Iterable<string>): Promise<void> {
  for (const sha256 of new Set(hashes)) {
    try {
      if (!ctx.code.isPinned(sha256) && !(await codeInUse(ctx.store, sha256))) await ctx.code.remove(sha256);
    } catch (err) {
      ctx.logger.warn({ err, sha256 }, 'could not remove an unused deployment package');
    }
  }
}

/**
 * Runs `work` with a freshly accepted package: released when done, and removed if `work` fails
 * and nothing else uses it.
 */
export async function withAcceptedCode<T>(
  ctx: LambdaContext,
  pkg: AcceptedCode,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    pkg.release();
    await releaseUnusedCode(ctx, [pkg.sha256]);
    throw error;
  } finally {
    pkg.release();
  }
}

/**
 * The bytes behind `Code.Location` and a layer's `Content.Location`
 * (`GET /_stratus/lambda/code/<sha256>`): only packages a function or layer version uses, so the
 * route never hands out other blobs (S3 objects share the blob store).
 */
export async function openCodeDownload(ctx: LambdaContext, sha256: string): Promise<Readable | undefined> {
  if (!/^[0-9a-f]{64}$/.test(sha256) || !(await codeInUse(ctx.store, sha256))) return undefined;
  return ctx.code.read(sha256);
}

export function notify(ctx: LambdaContext, change: FunctionChange): void {
  ctx.changes.emit(change, (err) => ctx.logger.warn({ err, change }, 'a function change listener failed'));
}
