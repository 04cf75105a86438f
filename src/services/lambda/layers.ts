/**
 * Layers: versioned packages mounted at `/opt`. Each PublishLayerVersion makes a new immutable
 * version; numbers are never reused, and a deleted version stays usable by the functions that
 * already reference it (their configuration keeps the package's hash).
 */
import type * as Lambda from '@aws-sdk/client-lambda';
import { layerArn, layerVersionArn, lambdaTimestamp, parseLayerName, type Region } from './arns.js';
import { codeSha256Base64 } from './code.js';
import type { LayerUse } from './configuration.js';
import { checkCodeStorage, releaseUnusedCode, withAcceptedCode, type LambdaContext } from './context.js';
import { InvalidParameterValueException, ResourceNotFoundException } from './errors.js';
import { layerQueries, type LayerVersionWithName } from './layer-tables.js';
import { pageOf } from './paging.js';
import type { Queryable } from '../../storage/store.js';

const maxLayersPerFunction = 5;
const defaultPageSize = 50;

const notFound = () => new ResourceNotFoundException('The resource you requested does not exist.');

function checkVersionNumber(version: number): void {
  if (version < 1) throw new InvalidParameterValueException('Layer Version Cannot be less than 1');
}

/** A version number as a key that sorts like the number. */
const versionKey = (version: number) => String(version).padStart(12, '0');

/** Who asks: their key signs the download location. */
type Caller = Region & { accessKeyId?: string };

export class Layers {
  constructor(private readonly ctx: LambdaContext) {}

  async publish(
    input: Lambda.PublishLayerVersionRequest,
    at: Caller,
  ): Promise<Lambda.PublishLayerVersionResponse> {
    // A layer is published in the caller's account and region, whichever way it is named.
    const ref = { ...at, name: parseLayerName(input.LayerName!, at).name };
    const zip = input.Content?.ZipFile;
    if (!zip) {
      throw new InvalidParameterValueException(
        'Stratus takes layer content as Content.ZipFile; S3Bucket/S3Key are not supported yet.',
      );
    }
    const content = Buffer.from(zip);
    await checkCodeStorage(this.ctx.store, ref, content.length);
    const pkg = await this.ctx.code.accept(content);
    const createdAt = this.ctx.clock.now();
    const row = await withAcceptedCode(this.ctx, pkg, async () => {
      await this.ctx.code.ensureExtracted(pkg.sha256);
      return this.ctx.store.transaction(async (tx) => {
        const layer = await layerQueries.takeVersionNumber(tx, ref, ref.name);
        const version = {
          layer_id: layer.id,
          version: layer.last_version,
          description: input.Description ?? '',
          license_info: input.LicenseInfo ?? null,
          compatible_runtimes: JSON.stringify(input.CompatibleRuntimes ?? []),
          compatible_architectures: JSON.stringify(input.CompatibleArchitectures ?? []),
          code_sha256: pkg.sha256,
          code_size: pkg.size,
          unzipped_size: pkg.unzippedSize,
          created_at: createdAt,
        };
        await layerQueries.insertVersion(tx, version);
        return { ...version, id: 0, layer_name: ref.name };
      });
    });
    return this.render(ref, row, at);
  }

  async get(layerName: string, versionNumber: number, at: Caller): Promise<Lambda.GetLayerVersionResponse> {
    checkVersionNumber(versionNumber);
    const ref = parseLayerName(layerName, at);
    const row = await layerQueries.version(this.ctx.store, ref, ref.name, versionNumber);
    if (!row) throw notFound();
    return this.render(ref, row, at);
  }

  async getByArn(arn: string, at: Caller): Promise<Lambda.GetLayerVersionResponse> {
    const ref = parseLayerName(arn, at);
    return this.get(layerArn(ref, ref.name), ref.version!, at);
  }

  async list(input: Lambda.ListLayersRequest, at: Region): Promise<Lambda.ListLayersResponse> {
    const latest = new Map<string, LayerVersionWithName>();
    for (const row of await layerQueries.allVersions(this.ctx.store, at)) {
      if (!latest.has(row.layer_name) && matches(row, input)) latest.set(row.layer_name, row);
    }
    const { page, nextMarker } = pageOf(
      [...latest.values()],
      (row) => row.layer_name,
      input.Marker,
      input.MaxItems ?? defaultPageSize,
    );
    return {
      Layers: page.map((row) => ({
        LayerName: row.layer_name,
        LayerArn: layerArn(at, row.layer_name),
        LatestMatchingVersion: this.renderListed(at, row),
      })),
      ...(nextMarker ? { NextMarker: nextMarker } : {}),
    };
  }

  async listVersions(
    input: Lambda.ListLayerVersionsRequest,
    at: Region,
  ): Promise<Lambda.ListLayerVersionsResponse> {
    const ref = parseLayerName(input.LayerName!, at);
    const rows = (await layerQueries.versions(this.ctx.store, ref, ref.name)).filter((row) =>
      matches(row, input),
    );
    // Newest first: the key of version n sorts before that of version n - 1.
    const { page, nextMarker } = pageOf(
      rows,
      (row) => versionKey(Number.MAX_SAFE_INTEGER - row.version),
      input.Marker,
      input.MaxItems ?? defaultPageSize,
    );
    return {
      LayerVersions: page.map((row) => this.renderListed(ref, row)),
      ...(nextMarker ? { NextMarker: nextMarker } : {}),
    };
  }

  /** Idempotent, as in Lambda: deleting a missing version succeeds. */
  async delete(layerName: string, versionNumber: number, at: Region): Promise<void> {
    checkVersionNumber(versionNumber);
    const ref = parseLayerName(layerName, at);
    const row = await layerQueries.version(this.ctx.store, ref, ref.name, versionNumber);
    if (!row) return;
    await layerQueries.deleteVersion(this.ctx.store, row.id);
    await releaseUnusedCode(this.ctx, [row.code_sha256]);
  }

  private renderListed(at: Region, row: LayerVersionWithName): Lambda.LayerVersionsListItem {
    return {
      LayerVersionArn: layerVersionArn(at, row.layer_name, row.version),
      Version: row.version,
      Description: row.description,
      CreatedDate: lambdaTimestamp(row.created_at),
      ...compatibility(row),
      ...(row.license_info !== null ? { LicenseInfo: row.license_info } : {}),
    };
  }

  private async render(
    at: Region,
    row: LayerVersionWithName,
    caller: Caller,
  ): Promise<Lambda.GetLayerVersionResponse> {
    return {
      Content: {
        Location: await this.ctx.codeLocation(row.code_sha256, caller.accessKeyId),
        CodeSha256: codeSha256Base64(row.code_sha256),
        CodeSize: row.code_size,
      },
      LayerArn: layerArn(at, row.layer_name),
      ...this.renderListed(at, row),
    };
  }
}

function compatibility(row: LayerVersionWithName) {
  const runtimes = JSON.parse(row.compatible_runtimes) as Lambda.Runtime[];
  const architectures = JSON.parse(row.compatible_architectures) as Lambda.Architecture[];
  return {
    ...(runtimes.length > 0 ? { CompatibleRuntimes: runtimes } : {}),
    ...(architectures.length > 0 ? { CompatibleArchitectures: architectures } : {}),
  };
}

function matches(
  row: LayerVersionWithName,
  filter: { CompatibleRuntime?: string; CompatibleArchitecture?: string },
): boolean {
  const { CompatibleRuntimes = [], CompatibleArchitectures = [] } = compatibility(row);
  return (
    (filter.CompatibleRuntime === undefined ||
      (CompatibleRuntimes as string[]).includes(filter.CompatibleRuntime)) &&
    (filter.CompatibleArchitecture === undefined ||
      (CompatibleArchitectures as string[]).includes(filter.CompatibleArchitecture))
  );
}

/** The layer versions a function configuration names, checked the way Lambda checks them. */
export async function resolveLayers(db: Queryable, at: Region, arns: readonly string[]): Promise<LayerUse[]> {
  if (arns.length > maxLayersPerFunction) {
    throw new InvalidParameterValueException(`Cannot reference more than ${maxLayersPerFunction} layers.`);
  }
  const seen = new Map<string, string>();
  const uses: LayerUse[] = [];
  for (const arn of arns) {
    const ref = parseLayerName(arn, at);
    if (ref.region !== at.region) {
      throw new InvalidParameterValueException(
        `Layers are not in the same region as the function. Layers are expected to be in region ${at.region}.`,
      );
    }
    const layer = layerArn(ref, ref.name);
    const other = seen.get(layer);
    if (other !== undefined) {
      throw new InvalidParameterValueException(
        `Two different versions of the same layer are not allowed to be referenced in the same function. ${other} and ${arn} are versions of the same layer.`,
      );
    }
    seen.set(layer, arn);
    const row =
      ref.version !== undefined ? await layerQueries.version(db, ref, ref.name, ref.version) : undefined;
    if (!row) throw new InvalidParameterValueException(`Layer version ${arn} does not exist.`);
    uses.push({ arn, codeSize: row.code_size, unzippedSize: row.unzipped_size, sha256: row.code_sha256 });
  }
  return uses;
}
