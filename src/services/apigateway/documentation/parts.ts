/**
 * Documentation parts of REST APIs (CreateDocumentationPart … ImportDocumentationParts): one part
 * per location of the API (location.ts), its `properties` a JSON object kept as given. Import
 * reads the `x-amazon-apigateway-documentation` extension of an OpenAPI document (JSON or YAML),
 * merging into the parts there are (`mode=merge`, the default: a part at a known location
 * replaces that part's properties) or replacing them all (`mode=overwrite`).
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { Queryable, Store } from '../../../storage/store.js';
import type { RequestContext } from '../../service.js';
import { BadRequestException, ConflictException, NotFoundException } from '../errors.js';
import { childId } from '../ids.js';
import { invalidOpenApiInput, parseOpenApiText } from '../openapi/read-document.js';
import { page } from '../paging.js';
import { applyPatch, type PatchRules } from '../patch.js';
import type { RestApis } from '../rest-apis.js';
import { checkProperties, locationKey, normalizeLocation } from './location.js';
import { documentationPartQueries, type DocumentationPartRow } from './tables.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;
type StoredPart = APIGW.DocumentationPart & { id: string };

const patchRules: PatchRules = { '/properties': { target: 'string', ops: ['replace'] } };

export const invalidDocumentationPart = () =>
  new NotFoundException('Invalid Documentation part identifier specified');

export const partOf = (row: DocumentationPartRow) => JSON.parse(row.document) as StoredPart;

/** Whether a part passes GetDocumentationParts' filters (`name` by prefix, `path` exactly). */
export function partMatches(
  part: APIGW.DocumentationPart,
  filters: APIGW.GetDocumentationPartsRequest,
): boolean {
  const { location } = part;
  return (
    (filters.type === undefined || location?.type === filters.type) &&
    (filters.nameQuery === undefined || (location?.name ?? '').startsWith(filters.nameQuery)) &&
    (filters.path === undefined || location?.path === filters.path) &&
    // Every part has content: none is UNDOCUMENTED.
    filters.locationStatus !== 'UNDOCUMENTED'
  );
}

/** The parts an OpenAPI document's extension lists, as create requests. */
export function importedParts(body: Uint8Array | string | undefined): unknown[] {
  const source = typeof body === 'string' ? body : Buffer.from(body ?? new Uint8Array()).toString('utf8');
  if (source.trim() === '') throw invalidOpenApiInput();
  const root = parseOpenApiText(source);
  if (typeof root !== 'object' || root === null || Array.isArray(root)) throw invalidOpenApiInput();
  const extension = (root as Record<string, unknown>)['x-amazon-apigateway-documentation'];
  const parts = (extension as { documentationParts?: unknown } | undefined)?.documentationParts;
  return Array.isArray(parts) ? parts : [];
}

export class DocumentationParts {
  constructor(
    private readonly store: Store,
    private readonly apis: RestApis,
  ) {}

  async create(input: APIGW.CreateDocumentationPartRequest, at: Place): Promise<APIGW.DocumentationPart> {
    const api = await this.apis.require(at, input.restApiId!);
    const location = normalizeLocation(input.location);
    const properties = checkProperties(input.properties);
    return this.store.transaction(async (tx) => {
      if (await documentationPartQueries.findAt(tx, api.id, locationKey(location)))
        throw new ConflictException('Documentation part already exists for the specified location');
      return this.insert(tx, api.id, location, properties);
    });
  }

  async get(input: APIGW.GetDocumentationPartRequest, at: Place): Promise<APIGW.DocumentationPart> {
    const api = await this.apis.require(at, input.restApiId!);
    return partOf(await this.require(this.store, api.id, input.documentationPartId!));
  }

  async list(input: APIGW.GetDocumentationPartsRequest, at: Place): Promise<APIGW.DocumentationParts> {
    const api = await this.apis.require(at, input.restApiId!);
    const parts = (await documentationPartQueries.all(this.store, api.id))
      .map(partOf)
      .filter((part) => partMatches(part, input));
    const { items, position } = await page(input, async (after, limit) =>
      parts.filter((part) => part.id > after).slice(0, limit),
    );
    return { items, ...(position ? { position } : {}) };
  }

  async update(input: APIGW.UpdateDocumentationPartRequest, at: Place): Promise<APIGW.DocumentationPart> {
    const api = await this.apis.require(at, input.restApiId!);
    return this.store.transaction(async (tx) => {
      const part = partOf(await this.require(tx, api.id, input.documentationPartId!));
      const updated = applyPatch(part, input.patchOperations ?? [], patchRules);
      checkProperties(updated.properties);
      await documentationPartQueries.update(tx, api.id, part.id, JSON.stringify(updated));
      return updated;
    });
  }

  async delete(input: APIGW.DeleteDocumentationPartRequest, at: Place): Promise<void> {
    const api = await this.apis.require(at, input.restApiId!);
    const part = await this.require(this.store, api.id, input.documentationPartId!);
    await documentationPartQueries.delete(this.store, api.id, part.id);
  }

  async import(input: APIGW.ImportDocumentationPartsRequest, at: Place): Promise<APIGW.DocumentationPartIds> {
    const api = await this.apis.require(at, input.restApiId!);
    const mode = input.mode ?? 'merge';
    if (mode !== 'merge' && mode !== 'overwrite') throw new BadRequestException(`Invalid mode: ${mode}`);
    const warnings: string[] = [];
    const valid: { location: APIGW.DocumentationPartLocation; properties: string }[] = [];
    importedParts(input.body).forEach((entry, i) => {
      const { location, properties } = (entry ?? {}) as {
        location?: APIGW.DocumentationPartLocation;
        properties?: unknown;
      };
      try {
        valid.push({
          location: normalizeLocation(location),
          properties: checkProperties(
            typeof properties === 'string' ? properties : JSON.stringify(properties),
          ),
        });
      } catch (error) {
        warnings.push(`Documentation part ${i + 1}: ${(error as Error).message}`);
      }
    });
    if (input.failOnWarnings && warnings.length > 0) throw new BadRequestException(warnings.join('; '));
    return this.store.transaction(async (tx) => {
      if (mode === 'overwrite') await documentationPartQueries.deleteAll(tx, api.id);
      const ids: string[] = [];
      for (const { location, properties } of valid) {
        const existing = await documentationPartQueries.findAt(tx, api.id, locationKey(location));
        if (existing) {
          const part = { ...partOf(existing), properties };
          await documentationPartQueries.update(tx, api.id, part.id, JSON.stringify(part));
          ids.push(part.id);
        } else ids.push((await this.insert(tx, api.id, location, properties)).id);
      }
      return { ids, ...(warnings.length > 0 ? { warnings } : {}) };
    });
  }

  private async insert(
    db: Queryable,
    apiId: string,
    location: APIGW.DocumentationPartLocation,
    properties: string,
  ): Promise<StoredPart> {
    const part: StoredPart = { id: childId(), location, properties };
    await documentationPartQueries.insert(db, {
      api_id: apiId,
      id: part.id,
      location_key: locationKey(location),
      document: JSON.stringify(part),
    });
    return part;
  }

  private async require(db: Queryable, apiId: string, id: string): Promise<DocumentationPartRow> {
    const row = await documentationPartQueries.find(db, apiId, id);
    if (!row) throw invalidDocumentationPart();
    return row;
  }
}
