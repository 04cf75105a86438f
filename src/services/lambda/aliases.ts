/**
 * Aliases: named pointers to a version, optionally sending a share of invocations to one
 * additional version (`RoutingConfig.AdditionalVersionWeights`, weights in [0, 1]).
 */
import type * as Lambda from '@aws-sdk/client-lambda';
import type { Queryable } from '../../storage/store.js';
import { functionArn, type Region } from './arns.js';
import { aliasNotFound, notify, type LambdaContext } from './context.js';
import {
  InvalidParameterValueException,
  ResourceConflictException,
  ResourceNotFoundException,
  functionNotFound,
  revisionMismatch,
} from './errors.js';
import { pageOf } from './paging.js';
import { deleteQualifierSettings, provisionedQueries } from './settings-tables.js';
import { aliasQueries, versionQueries, type AliasRow, type FunctionRow } from './tables.js';

const defaultPageSize = 50;

type Weights = Record<string, number>;

export class Aliases {
  constructor(private readonly ctx: LambdaContext) {}

  async create(
    at: Region,
    fn: FunctionRow,
    input: Lambda.CreateAliasRequest,
  ): Promise<Lambda.AliasConfiguration> {
    const row = await this.ctx.store.transaction(async (tx) => {
      await requireVersion(tx, at, fn, input.FunctionVersion!);
      const alias = {
        function_id: fn.id,
        name: input.Name!,
        function_version: input.FunctionVersion!,
        description: input.Description ?? '',
        routing: await checkRouting(
          tx,
          at,
          fn,
          input.FunctionVersion!,
          input.RoutingConfig?.AdditionalVersionWeights,
        ),
        revision_id: this.ctx.newId(),
      };
      if (!(await aliasQueries.insert(tx, alias))) {
        throw new ResourceConflictException(`Alias already exists: ${functionArn(at, fn.name, alias.name)}`);
      }
      return { ...alias, id: 0 };
    });
    return render(at, fn, row);
  }

  async get(at: Region, fn: FunctionRow, name: string): Promise<Lambda.AliasConfiguration> {
    const alias = await aliasQueries.get(this.ctx.store, fn.id, name);
    if (!alias) throw aliasNotFound(functionArn(at, fn.name, name));
    return render(at, fn, alias);
  }

  async update(
    at: Region,
    fn: FunctionRow,
    input: Lambda.UpdateAliasRequest,
  ): Promise<Lambda.AliasConfiguration> {
    const { before, after } = await this.ctx.store.transaction(async (tx) => {
      const alias = await aliasQueries.get(tx, fn.id, input.Name!);
      if (!alias)
        throw new ResourceNotFoundException(`Alias not found: ${functionArn(at, fn.name, input.Name!)}`);
      if (input.RevisionId !== undefined && input.RevisionId !== alias.revision_id) throw revisionMismatch();
      const version = input.FunctionVersion ?? alias.function_version;
      if (input.FunctionVersion !== undefined) await requireVersion(tx, at, fn, version);
      const weights =
        input.RoutingConfig !== undefined
          ? input.RoutingConfig.AdditionalVersionWeights
          : alias.routing !== null
            ? (JSON.parse(alias.routing) as Weights)
            : undefined;
      const next = {
        function_version: version,
        description: input.Description ?? alias.description,
        routing: await checkRouting(tx, at, fn, version, weights),
        revision_id: this.ctx.newId(),
      };
      if (!(await aliasQueries.update(tx, alias.id, next, input.RevisionId))) throw revisionMismatch();
      return { before: alias, after: { ...alias, ...next } };
    });
    if (before.function_version !== after.function_version) await this.moveProvisioned(at, fn, before, after);
    return render(at, fn, after);
  }

  async delete(at: Region, fn: FunctionRow, name: string): Promise<void> {
    const removed = await this.ctx.store.transaction(async (tx) => {
      const alias = await aliasQueries.get(tx, fn.id, name);
      if (!alias) return undefined;
      const provisioned = await provisionedQueries.get(tx, fn.id, name);
      await aliasQueries.delete(tx, alias.id);
      await deleteQualifierSettings(tx, fn.id, name);
      return { alias, provisioned };
    });
    if (removed?.provisioned) {
      notify(this.ctx, {
        kind: 'provisionedConcurrency',
        at,
        functionName: fn.name,
        version: removed.alias.function_version,
        requested: 0,
      });
    }
  }

  async list(
    at: Region,
    fn: FunctionRow,
    input: Lambda.ListAliasesRequest,
  ): Promise<Lambda.ListAliasesResponse> {
    const aliases = (await aliasQueries.all(this.ctx.store, fn.id)).filter(
      (alias) => input.FunctionVersion === undefined || alias.function_version === input.FunctionVersion,
    );
    const { page, nextMarker } = pageOf(
      aliases,
      (a) => a.name,
      input.Marker,
      input.MaxItems ?? defaultPageSize,
    );
    return {
      Aliases: page.map((alias) => render(at, fn, alias)),
      ...(nextMarker ? { NextMarker: nextMarker } : {}),
    };
  }

  /** Provisioned concurrency on an alias follows it to the version it now points to. */
  private async moveProvisioned(
    at: Region,
    fn: FunctionRow,
    before: AliasRow,
    after: AliasRow,
  ): Promise<void> {
    const config = await provisionedQueries.get(this.ctx.store, fn.id, after.name);
    if (!config) return;
    const change = { kind: 'provisionedConcurrency', at, functionName: fn.name } as const;
    notify(this.ctx, { ...change, version: before.function_version, requested: 0 });
    notify(this.ctx, { ...change, version: after.function_version, requested: config.requested });
  }
}

async function requireVersion(db: Queryable, at: Region, fn: FunctionRow, version: string): Promise<void> {
  if (!(await versionQueries.get(db, fn.id, version)))
    throw functionNotFound(functionArn(at, fn.name, version));
}

/** Lambda's rules for weighted aliases; the stored routing (JSON) or null for none. */
async function checkRouting(
  db: Queryable,
  at: Region,
  fn: FunctionRow,
  target: string,
  weights: Weights | undefined,
): Promise<string | null> {
  const entries = Object.entries(weights ?? {});
  if (entries.length === 0) return null;
  if (entries.length > 1) {
    throw new InvalidParameterValueException(
      'Number of items in AdditionalVersionWeights cannot be greater than 1',
    );
  }
  const [version] = entries[0]!;
  if (version === target) {
    throw new InvalidParameterValueException(
      `Invalid function version ${target}. Function version ${target} is already included in routing configuration.`,
    );
  }
  if (target === '$LATEST') {
    throw new InvalidParameterValueException(
      '$LATEST is not supported for an alias pointing to more than 1 version',
    );
  }
  await requireVersion(db, at, fn, version);
  return JSON.stringify(Object.fromEntries(entries));
}

function render(at: Region, fn: FunctionRow, alias: Omit<AliasRow, 'id'>): Lambda.AliasConfiguration {
  return {
    AliasArn: functionArn(at, fn.name, alias.name),
    Name: alias.name,
    FunctionVersion: alias.function_version,
    Description: alias.description,
    ...(alias.routing !== null
      ? { RoutingConfig: { AdditionalVersionWeights: JSON.parse(alias.routing) as Weights } }
      : {}),
    RevisionId: alias.revision_id,
  };
}
