/**
 * Published versions: immutable snapshots of `$LATEST`'s code and configuration, numbered 1, 2, …
 * and never renumbered. Publishing an unchanged `$LATEST` returns the last version instead of
 * making a new one, as Lambda does.
 */
import type * as Lambda from '@aws-sdk/client-lambda';
import type { Queryable } from '../../storage/store.js';
import type { Region } from './arns.js';
import { codeSha256Base64 } from './code.js';
import { parseConfig, renderConfiguration } from './configuration.js';
import { notify, releaseUnusedCode, type LambdaContext } from './context.js';
import { InvalidParameterValueException, ResourceConflictException, revisionMismatch } from './errors.js';
import { specKey } from './invocation-target.js';
import { pageOf } from './paging.js';
import { deleteQualifierSettings, provisionedQueries } from './settings-tables.js';
import {
  aliasQueries,
  functionQueries,
  versionQueries,
  type FunctionRow,
  type VersionRow,
} from './tables.js';

export interface PublishOptions {
  /** The version's description (default: `$LATEST`'s). */
  description?: string;
  /** Base64 SHA-256 `$LATEST`'s code must have. */
  codeSha256?: string;
  /** RevisionId `$LATEST` must have. */
  revisionId?: string;
}

const defaultPageSize = 50;

/** Inside a transaction: publishes `$LATEST`, or returns the last version when nothing changed since. */
export async function publishLatest(
  tx: Queryable,
  ctx: LambdaContext,
  functionId: number,
  options: PublishOptions = {},
): Promise<{ row: VersionRow; created: boolean }> {
  await functionQueries.lock(tx, functionId);
  const latest = (await versionQueries.get(tx, functionId, '$LATEST'))!;
  if (options.revisionId !== undefined && options.revisionId !== latest.revision_id) throw revisionMismatch();
  const currentSha = codeSha256Base64(latest.code_sha256);
  if (options.codeSha256 !== undefined && options.codeSha256 !== currentSha) {
    throw new InvalidParameterValueException(
      `CodeSHA256 (${options.codeSha256}) is different from current CodeSHA256 in $LATEST (${currentSha}). Please try again with the CodeSHA256 in $LATEST.`,
    );
  }
  const previous = await versionQueries.latestPublished(tx, functionId);
  if (previous && previous.fingerprint === latest.fingerprint) return { row: previous, created: false };
  const number = await functionQueries.takeVersionNumber(tx, functionId);
  const config =
    options.description === undefined
      ? latest.config
      : JSON.stringify({ ...parseConfig(latest), description: options.description });
  const { id: _id, ...snapshot } = latest;
  const row = {
    ...snapshot,
    version: String(number),
    version_number: number,
    config,
    revision_id: ctx.newId(),
    last_modified: ctx.clock.now(),
  };
  await versionQueries.insert(tx, row);
  // Lambda gives `$LATEST` a new RevisionId when a version is published from it.
  await versionQueries.setRevision(tx, latest.id, ctx.newId());
  return { row: { ...row, id: 0 }, created: true };
}

export class Versions {
  constructor(private readonly ctx: LambdaContext) {}

  async publish(at: Region, fn: FunctionRow, options: PublishOptions): Promise<Lambda.FunctionConfiguration> {
    const { row } = await this.ctx.store.transaction((tx) => publishLatest(tx, this.ctx, fn.id, options));
    return renderConfiguration(at, fn.name, row, { view: 'ready', arnQualifier: row.version });
  }

  async list(
    at: Region,
    fn: FunctionRow,
    input: Lambda.ListVersionsByFunctionRequest,
  ): Promise<Lambda.ListVersionsByFunctionResponse> {
    const { page, nextMarker } = pageOf(
      await versionQueries.all(this.ctx.store, fn.id),
      (row) => String(row.version_number).padStart(12, '0'),
      input.Marker,
      input.MaxItems ?? defaultPageSize,
    );
    return {
      Versions: page.map((row) =>
        renderConfiguration(at, fn.name, row, { view: 'listed', arnQualifier: row.version }),
      ),
      ...(nextMarker ? { NextMarker: nextMarker } : {}),
    };
  }

  /** Deletes one published version; a version that does not exist is already deleted, as Lambda sees it. */
  async delete(at: Region, fn: FunctionRow, version: string): Promise<void> {
    const deleted = await this.ctx.store.transaction(async (tx) => {
      const row = await versionQueries.get(tx, fn.id, version);
      if (!row) return undefined;
      const aliases = (await aliasQueries.all(tx, fn.id)).filter(
        (alias) =>
          alias.function_version === version ||
          (alias.routing !== null && version in (JSON.parse(alias.routing) as Record<string, number>)),
      );
      if (aliases.length > 0) {
        throw new ResourceConflictException(
          `Unable to delete version because the following aliases reference it: [${aliases.map((a) => a.name).join(', ')}]`,
        );
      }
      const provisioned = await provisionedQueries.get(tx, fn.id, version);
      await versionQueries.delete(tx, row.id);
      await deleteQualifierSettings(tx, fn.id, version);
      return { row, provisioned };
    });
    if (!deleted) return;
    if (deleted.provisioned) {
      notify(this.ctx, { kind: 'provisionedConcurrency', at, functionName: fn.name, version, requested: 0 });
    }
    notify(this.ctx, { kind: 'retired', keys: [specKey(at, fn.name, deleted.row)] });
    await releaseUnusedCode(this.ctx, [
      deleted.row.code_sha256,
      ...parseConfig(deleted.row).layers.map((l) => l.sha256),
    ]);
  }
}
