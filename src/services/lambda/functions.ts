/**
 * Functions and their `$LATEST`: create, read, list, update code or configuration, delete.
 *
 * Code is checked, stored and extracted before the row that names it commits, so a function is
 * Active as soon as it exists. Responses still report what Lambda reports at that moment:
 * CreateFunction says `Pending`, the updates say `LastUpdateStatus: InProgress`, and their
 * RevisionId is the one that precedes the transition; the next read shows `Active`/`Successful`
 * and the current RevisionId.
 */
import type * as Lambda from '@aws-sdk/client-lambda';
import { functionArn, parseFunctionName, qualifierKind, type Region } from './arns.js';
import { codeLimits } from './code.js';
import {
  configFromCreate,
  configFromUpdate,
  fingerprintOf,
  layersUnzippedSize,
  parseConfig,
  renderConfiguration,
  type VersionConfig,
} from './configuration.js';
import {
  checkCodeStorage,
  notify,
  releaseUnusedCode,
  requireFunction,
  resolveQualifier,
  withAcceptedCode,
  type LambdaContext,
} from './context.js';
import {
  InvalidParameterValueException,
  ResourceConflictException,
  functionNotFound,
  revisionMismatch,
} from './errors.js';
import { specKey } from './invocation-target.js';
import { resolveLayers } from './layers.js';
import { decodeMarker, encodeMarker } from './paging.js';
import { provisionedQueries } from './settings-tables.js';
import { publishLatest, type Versions } from './versions.js';
import { checkTagCount } from './tags.js';
import { functionQueries, versionQueries, type FunctionRow, type VersionRow } from './tables.js';

const maxNameLength = 64;
const defaultPageSize = 50;

function requireZip(
  code: { ZipFile?: Uint8Array; S3Bucket?: string; ImageUri?: string } | undefined,
): Buffer {
  if (code?.ImageUri) {
    throw new InvalidParameterValueException(
      "Please don't provide ImageUri when updating a function with packageType Zip.",
    );
  }
  if (!code?.ZipFile) {
    throw new InvalidParameterValueException(
      code?.S3Bucket
        ? 'Stratus takes function code as ZipFile; S3Bucket/S3Key are not supported yet.'
        : 'Please provide a source for function code.',
    );
  }
  return Buffer.from(code.ZipFile);
}

function isListPosition(value: unknown): value is { name: string; version: number } {
  const v = value as { name?: unknown; version?: unknown } | null;
  return typeof v?.name === 'string' && typeof v.version === 'number';
}

export class Functions {
  constructor(
    private readonly ctx: LambdaContext,
    private readonly versions: Versions,
  ) {}

  async create(input: Lambda.CreateFunctionRequest, at: Region): Promise<Lambda.FunctionConfiguration> {
    const given = input.FunctionName!;
    const { name } = parseFunctionName(given, at);
    if (given === name && name.length > maxNameLength) {
      throw new InvalidParameterValueException(
        `1 validation error detected: Value '${name}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to ${maxNameLength}`,
      );
    }
    const { store, code } = this.ctx;
    const layers = await resolveLayers(store, at, input.Layers ?? []);
    const config = configFromCreate(input, name, layers);
    checkTagCount(input.Tags ?? {});
    const zip = requireZip(input.Code);
    const conflict = () => new ResourceConflictException(`Function already exist: ${name}`);
    if (await functionQueries.byName(store, at, name)) throw conflict();
    await checkCodeStorage(store, at, zip.length);
    const pkg = await code.accept(zip, layersUnzippedSize(layers));
    const now = this.ctx.clock.now();
    const shown = await withAcceptedCode(this.ctx, pkg, async () => {
      await code.ensureExtracted(pkg.sha256);
      return store.transaction(async (tx) => {
        const id = await functionQueries.insert(tx, at, {
          name,
          createdAt: now,
          tags: JSON.stringify(input.Tags ?? {}),
        });
        if (id === undefined) throw conflict();
        const latest = {
          function_id: id,
          version: '$LATEST',
          version_number: 0,
          config: JSON.stringify(config),
          code_sha256: pkg.sha256,
          code_size: pkg.size,
          unzipped_size: pkg.unzippedSize,
          fingerprint: fingerprintOf(config, pkg.sha256),
          revision_id: this.ctx.newId(),
          last_modified: now,
        };
        await versionQueries.insert(tx, latest);
        if (!input.Publish) return { ...latest, id: 0 };
        return (await publishLatest(tx, this.ctx, id)).row;
      });
    });
    return renderConfiguration(at, name, shown, { view: 'created', revisionId: this.ctx.newId() });
  }

  /** GetFunction: the configuration of the qualified version, where its code downloads from, tags, concurrency. */
  async get(
    input: Lambda.GetFunctionRequest,
    at: Region & { accessKeyId?: string },
  ): Promise<Lambda.GetFunctionResponse> {
    const { fn, version, qualifier } = await this.resolve(input.FunctionName!, input.Qualifier, at);
    const tags = JSON.parse(fn.tags) as Record<string, string>;
    return {
      Configuration: renderConfiguration(at, fn.name, version, {
        view: 'ready',
        ...(qualifier !== undefined ? { arnQualifier: qualifier } : {}),
      }),
      Code: {
        RepositoryType: 'S3',
        Location: await this.ctx.codeLocation(version.code_sha256, at.accessKeyId),
      },
      ...(Object.keys(tags).length > 0 ? { Tags: tags } : {}),
      ...(fn.reserved_concurrency !== null
        ? { Concurrency: { ReservedConcurrentExecutions: fn.reserved_concurrency } }
        : {}),
    };
  }

  async getConfiguration(
    input: Lambda.GetFunctionConfigurationRequest,
    at: Region,
  ): Promise<Lambda.FunctionConfiguration> {
    const { fn, version, qualifier } = await this.resolve(input.FunctionName!, input.Qualifier, at);
    return renderConfiguration(at, fn.name, version, {
      view: 'ready',
      ...(qualifier !== undefined ? { arnQualifier: qualifier } : {}),
    });
  }

  async list(input: Lambda.ListFunctionsRequest, at: Region): Promise<Lambda.ListFunctionsResponse> {
    const allVersions = input.FunctionVersion === 'ALL';
    const limit = input.MaxItems ?? defaultPageSize;
    const after = decodeMarker(input.Marker, isListPosition);
    const rows = await functionQueries.listVersions(this.ctx.store, at, {
      allVersions,
      ...(after ? { after: { name: after.name, versionNumber: after.version } } : {}),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      Functions: page.map((row) =>
        renderConfiguration(at, row.function_name, row, {
          view: 'listed',
          ...(allVersions ? { arnQualifier: row.version } : {}),
        }),
      ),
      ...(rows.length > limit && last
        ? { NextMarker: encodeMarker({ name: last.function_name, version: last.version_number }) }
        : {}),
    };
  }

  async updateCode(
    input: Lambda.UpdateFunctionCodeRequest,
    at: Region,
  ): Promise<Lambda.FunctionConfiguration> {
    const { name } = parseFunctionName(input.FunctionName!, at);
    const fn = await requireFunction(this.ctx.store, at, name);
    const zip = requireZip(input);
    const latest = await this.latest(fn);
    if (input.RevisionId !== undefined && input.RevisionId !== latest.revision_id) throw revisionMismatch();
    const current = parseConfig(latest);
    const config = input.Architectures ? { ...current, architectures: input.Architectures } : current;
    await checkCodeStorage(this.ctx.store, at, zip.length);
    const pkg = await this.ctx.code.accept(zip, layersUnzippedSize(config.layers));
    const next = this.nextLatest(latest, config, pkg);
    if (input.DryRun) {
      pkg.release();
      await releaseUnusedCode(this.ctx, [pkg.sha256]);
      return renderConfiguration(at, fn.name, next, { view: 'ready' });
    }
    return withAcceptedCode(this.ctx, pkg, async () => {
      await this.ctx.code.ensureExtracted(pkg.sha256);
      return this.replaceLatest(at, fn, latest, next, input.RevisionId, input.Publish ?? false);
    });
  }

  async updateConfiguration(
    input: Lambda.UpdateFunctionConfigurationRequest,
    at: Region,
  ): Promise<Lambda.FunctionConfiguration> {
    const { name } = parseFunctionName(input.FunctionName!, at);
    const fn = await requireFunction(this.ctx.store, at, name);
    const latest = await this.latest(fn);
    if (input.RevisionId !== undefined && input.RevisionId !== latest.revision_id) throw revisionMismatch();
    const layers =
      input.Layers !== undefined ? await resolveLayers(this.ctx.store, at, input.Layers) : undefined;
    const config = configFromUpdate(parseConfig(latest), input, layers);
    const allowed = codeLimits.unzipped - layersUnzippedSize(config.layers);
    if (latest.unzipped_size > allowed) {
      throw new InvalidParameterValueException(`Unzipped size must be smaller than ${allowed} bytes`);
    }
    const next = this.nextLatest(latest, config, {
      sha256: latest.code_sha256,
      size: latest.code_size,
      unzippedSize: latest.unzipped_size,
    });
    return this.replaceLatest(at, fn, latest, next, input.RevisionId, false);
  }

  /** DeleteFunction: the whole function, or one published version with `Qualifier`. */
  async delete(input: Lambda.DeleteFunctionRequest, at: Region): Promise<void> {
    const ref = parseFunctionName(input.FunctionName!, at, input.Qualifier);
    if (ref.qualifier === '$LATEST') {
      throw new InvalidParameterValueException(
        '$LATEST version cannot be deleted without deleting the function.',
      );
    }
    if (ref.qualifier !== undefined && qualifierKind(ref.qualifier) === 'alias') {
      throw new InvalidParameterValueException('Deletion of aliases is not currently supported.');
    }
    const fn = await requireFunction(this.ctx.store, at, ref.name);
    if (ref.qualifier !== undefined) return this.versions.delete(at, fn, ref.qualifier);
    const versions = await versionQueries.all(this.ctx.store, fn.id);
    const provisioned = await provisionedQueries.all(this.ctx.store, fn.id);
    await functionQueries.delete(this.ctx.store, fn.id);
    for (const p of provisioned) {
      const version = versions.find((v) => v.version === p.qualifier)?.version;
      if (version) {
        notify(this.ctx, {
          kind: 'provisionedConcurrency',
          at,
          functionName: fn.name,
          version,
          requested: 0,
        });
      }
    }
    notify(this.ctx, { kind: 'retired', keys: versions.map((v) => specKey(at, fn.name, v)) });
    await releaseUnusedCode(
      this.ctx,
      versions.flatMap((v) => [v.code_sha256, ...parseConfig(v).layers.map((l) => l.sha256)]),
    );
  }

  private async resolve(functionName: string, qualifier: string | undefined, at: Region) {
    const ref = parseFunctionName(functionName, at, qualifier);
    const fn = await requireFunction(this.ctx.store, at, ref.name, ref.qualifier);
    const { version } = await resolveQualifier(this.ctx.store, at, fn, ref.qualifier);
    return { fn, version, qualifier: ref.qualifier };
  }

  private async latest(fn: FunctionRow): Promise<VersionRow> {
    const latest = await versionQueries.get(this.ctx.store, fn.id, '$LATEST');
    if (!latest)
      throw functionNotFound(functionArn({ accountId: fn.account_id, region: fn.region }, fn.name));
    return latest;
  }

  private nextLatest(
    latest: VersionRow,
    config: VersionConfig,
    pkg: { sha256: string; size: number; unzippedSize: number },
  ): VersionRow {
    return {
      ...latest,
      config: JSON.stringify(config),
      code_sha256: pkg.sha256,
      code_size: pkg.size,
      unzipped_size: pkg.unzippedSize,
      fingerprint: fingerprintOf(config, pkg.sha256),
      revision_id: this.ctx.newId(),
      last_modified: this.ctx.clock.now(),
    };
  }

  /** Commits a new `$LATEST` (compare-and-set on `expectedRevision`), publishing it if asked. */
  private async replaceLatest(
    at: Region,
    fn: FunctionRow,
    latest: VersionRow,
    next: VersionRow,
    expectedRevision: string | undefined,
    publish: boolean,
  ): Promise<Lambda.FunctionConfiguration> {
    const published = await this.ctx.store.transaction(async (tx) => {
      if (!(await versionQueries.replace(tx, latest.id, next, expectedRevision))) throw revisionMismatch();
      return publish ? (await publishLatest(tx, this.ctx, fn.id)).row : undefined;
    });
    if (next.fingerprint !== latest.fingerprint) {
      notify(this.ctx, { kind: 'retired', keys: [specKey(at, fn.name, latest)] });
    }
    if (latest.code_sha256 !== next.code_sha256) await releaseUnusedCode(this.ctx, [latest.code_sha256]);
    if (published) {
      return renderConfiguration(at, fn.name, published, {
        view: 'created',
        arnQualifier: published.version,
      });
    }
    return renderConfiguration(at, fn.name, next, { view: 'updated', revisionId: this.ctx.newId() });
  }
}
