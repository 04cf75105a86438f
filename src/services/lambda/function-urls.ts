/**
 * Function URLs' configuration (CreateFunctionUrlConfig … ListFunctionUrlConfigs). A function has
 * at most one URL for `$LATEST` (no qualifier) and one per alias; versions have none. The model
 * refuses a numeric or spelled-out `$LATEST` `Qualifier`; one that comes inside `FunctionName`
 * is refused here in the same words. Error messages are Lambda's, which differ by operation.
 *
 * The URL is `http://{urlId}.lambda-url.{region}.localhost:{port}/`, served by the edge route in
 * function-url-route.ts; its id is 32 lower-case letters and digits, as on AWS.
 */
import { randomBytes } from 'node:crypto';
import type * as Lambda from '@aws-sdk/client-lambda';
import { functionArn, parseFunctionName, qualifierKind, type Region } from './arns.js';
import type { LambdaContext } from './context.js';
import { constraintViolation, ResourceConflictException, ResourceNotFoundException } from './errors.js';
import { functionUrlQueries, type FunctionUrlRow } from './function-url-tables.js';
import { pageOf } from './paging.js';
import { aliasQueries, functionQueries, type FunctionRow } from './tables.js';

const defaultPageSize = 50;
const qualifierPattern = '((?!^\\d+$)^[0-9a-zA-Z-_]+$)';
const noSuchResource = () => new ResourceNotFoundException('The resource you requested does not exist.');
const noSuchFunction = () => new ResourceNotFoundException('Function does not exist');

const urlIdAlphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A URL id like Lambda's: 32 lower-case letters and digits. */
export function randomUrlId(random: (size: number) => Buffer = randomBytes): string {
  return [...random(32)].map((byte) => urlIdAlphabet[byte % urlIdAlphabet.length]).join('');
}

/** `http://{urlId}.lambda-url.{region}.localhost:{port}/`, the port being the edge's. */
export function functionUrlOf(urlId: string, region: string, endpointUrl: string): string {
  const { port } = new URL(endpointUrl);
  return `http://${urlId}.lambda-url.${region}.localhost${port ? `:${port}` : ''}/`;
}

type Settings = Pick<Lambda.UpdateFunctionUrlConfigRequest, 'AuthType' | 'Cors' | 'InvokeMode'>;

export class FunctionUrls {
  constructor(
    private readonly ctx: LambdaContext,
    private readonly newUrlId: () => string = () => randomUrlId(),
  ) {}

  async create(
    input: Lambda.CreateFunctionUrlConfigRequest,
    at: Region,
  ): Promise<Lambda.CreateFunctionUrlConfigResponse> {
    const { name, qualifier } = this.target(input, at);
    const fn = await functionQueries.byName(this.ctx.store, at, name);
    if (!fn) throw noSuchFunction();
    const conflict = () =>
      new ResourceConflictException(
        `Failed to create function url config for [functionArn = ${urlFunctionArn(at, fn, qualifier)}]. Error message:  FunctionUrlConfig exists for this Lambda function`,
      );
    if (await functionUrlQueries.get(this.ctx.store, fn.id, qualifier)) throw conflict();
    const alias =
      qualifier === '$LATEST' ? undefined : await aliasQueries.get(this.ctx.store, fn.id, qualifier);
    if (qualifier !== '$LATEST' && !alias) throw noSuchFunction();
    const now = this.ctx.clock.now();
    const row: FunctionUrlRow = {
      url_id: this.newUrlId(),
      function_id: fn.id,
      qualifier,
      alias_id: alias?.id ?? null,
      auth_type: input.AuthType!,
      cors: input.Cors ? JSON.stringify(input.Cors) : null,
      invoke_mode: input.InvokeMode ?? 'BUFFERED',
      created_at: now,
      last_modified: now,
    };
    if (!(await functionUrlQueries.insert(this.ctx.store, row))) throw conflict();
    const { LastModifiedTime: _lastModified, ...created } = this.render(at, fn, row);
    return created;
  }

  async get(
    input: Lambda.GetFunctionUrlConfigRequest,
    at: Region,
  ): Promise<Lambda.GetFunctionUrlConfigResponse> {
    const { fn, row } = await this.existing(input, at, noSuchResource);
    return this.render(at, fn, row);
  }

  async update(
    input: Lambda.UpdateFunctionUrlConfigRequest,
    at: Region,
  ): Promise<Lambda.UpdateFunctionUrlConfigResponse> {
    const { fn, row } = await this.existing(input, at, noSuchFunction, true);
    const updated: FunctionUrlRow = {
      ...row,
      ...changes(input),
      last_modified: this.ctx.clock.now(),
    };
    await functionUrlQueries.update(this.ctx.store, updated);
    return this.render(at, fn, updated);
  }

  async delete(input: Lambda.DeleteFunctionUrlConfigRequest, at: Region): Promise<void> {
    const { fn, row } = await this.existing(input, at, noSuchResource);
    await functionUrlQueries.delete(this.ctx.store, fn.id, row.qualifier);
  }

  async list(
    input: Lambda.ListFunctionUrlConfigsRequest,
    at: Region,
  ): Promise<Lambda.ListFunctionUrlConfigsResponse> {
    const fn = await functionQueries.byName(
      this.ctx.store,
      at,
      parseFunctionName(input.FunctionName!, at).name,
    );
    if (!fn) throw noSuchFunction();
    const { page, nextMarker } = pageOf(
      await functionUrlQueries.all(this.ctx.store, fn.id),
      (row) => row.qualifier,
      input.Marker,
      input.MaxItems ?? defaultPageSize,
    );
    return {
      FunctionUrlConfigs: page.map((row) => this.render(at, fn, row)),
      ...(nextMarker ? { NextMarker: nextMarker } : {}),
    };
  }

  /**
   * The function and URL an operation names. `missingFunction` is the operation's error for a
   * function that does not exist; `checkAlias` refuses a missing alias with it too (Update does).
   */
  private async existing(
    input: { FunctionName?: string; Qualifier?: string },
    at: Region,
    missingFunction: () => Error,
    checkAlias = false,
  ): Promise<{ fn: FunctionRow; row: FunctionUrlRow }> {
    const { name, qualifier } = this.target(input, at);
    const fn = await functionQueries.byName(this.ctx.store, at, name);
    if (!fn) throw missingFunction();
    if (
      checkAlias &&
      qualifier !== '$LATEST' &&
      !(await aliasQueries.get(this.ctx.store, fn.id, qualifier))
    ) {
      throw missingFunction();
    }
    const row = await functionUrlQueries.get(this.ctx.store, fn.id, qualifier);
    if (!row) throw noSuchResource();
    return { fn, row };
  }

  /** The function name and qualifier (`$LATEST` when none): an alias, never a version. */
  private target(input: { FunctionName?: string; Qualifier?: string }, at: Region) {
    const ref = parseFunctionName(input.FunctionName!, at, input.Qualifier);
    if (ref.qualifier !== undefined && qualifierKind(ref.qualifier) !== 'alias') {
      throw constraintViolation(
        'qualifier',
        ref.qualifier,
        `Member must satisfy regular expression pattern: ${qualifierPattern}`,
      );
    }
    return { name: ref.name, qualifier: ref.qualifier ?? '$LATEST' };
  }

  private render(at: Region, fn: FunctionRow, row: FunctionUrlRow): Lambda.FunctionUrlConfig {
    return {
      FunctionUrl: functionUrlOf(row.url_id, at.region, this.ctx.endpointUrl()),
      FunctionArn: urlFunctionArn(at, fn, row.qualifier),
      AuthType: row.auth_type,
      ...(row.cors !== null ? { Cors: corsOf(row) } : {}),
      CreationTime: new Date(row.created_at).toISOString(),
      LastModifiedTime: new Date(row.last_modified).toISOString(),
      InvokeMode: row.invoke_mode,
    };
  }
}

/** What an Update changes: only the settings it names. */
function changes(input: Settings): Partial<FunctionUrlRow> {
  return {
    ...(input.AuthType !== undefined ? { auth_type: input.AuthType } : {}),
    ...(input.Cors !== undefined ? { cors: JSON.stringify(input.Cors) } : {}),
    ...(input.InvokeMode !== undefined ? { invoke_mode: input.InvokeMode } : {}),
  };
}

/** The URL's function ARN: qualified for an alias's URL, unqualified for `$LATEST`'s. */
function urlFunctionArn(at: Region, fn: FunctionRow, qualifier: string): string {
  return functionArn(at, fn.name, qualifier === '$LATEST' ? undefined : qualifier);
}

/** A URL's stored `Cors` settings. */
export function corsOf(row: Pick<FunctionUrlRow, 'cors'>): Lambda.Cors | undefined {
  return row.cors === null ? undefined : (JSON.parse(row.cors) as Lambda.Cors);
}
