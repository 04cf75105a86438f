/**
 * What a custom domain serves: v1's base path mappings (a REST API, a base path of one level,
 * `(none)` for the root, and optionally a stage — without one, the path's next segment names it)
 * and v2's API mappings (any API, a stage, keys of several levels). They are the same rows: a
 * REST API's mapping made through one API is seen through the other.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import { isUniqueViolation, type Queryable, type Store } from '../../../storage/store.js';
import type { RequestContext } from '../../service.js';
import { BadRequestException, ConflictException, NotFoundException } from '../errors.js';
import { apiId as newMappingId } from '../ids.js';
import { page } from '../paging.js';
import { apiQueries, stageQueries, type ApiKind, type ApiRow } from '../tables.js';
import type { DomainNames, FoundDomain } from './domain-names.js';
import { apiMappingKey, basePathKey, checkMappingsFit, ROOT_BASE_PATH } from './mapping-keys.js';
import { apiMappingQueries, type ApiMappingRow } from './tables.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;
type Mapping = Omit<ApiMappingRow, 'api_kind'>;
/** A mapping as a create or update describes it, before it is written under its domain. */
type Draft = Omit<Mapping, 'domain_name'>;

const BASE_PATH_EXISTS = 'Base path already exists for this domain name';
const KEY_EXISTS = 'ApiMapping key already exists for this domain name';
const MAX_RESULTS = 500;
const NO_STAGE = '(none)';

const invalidBasePathMapping = () => new NotFoundException('Invalid base path mapping identifier specified');
const invalidApiMapping = (id: string) =>
  new NotFoundException(`Invalid ApiMapping identifier specified ${id}`);
const invalidStage = () => new BadRequestException('Invalid stage identifier specified');

function basePathMapping(row: Mapping): APIGW.BasePathMapping {
  return {
    basePath: row.mapping_key || ROOT_BASE_PATH,
    restApiId: row.api_id,
    ...(row.stage !== null ? { stage: row.stage } : {}),
  };
}

function apiMapping(row: Mapping): V2.ApiMapping {
  return {
    ApiId: row.api_id,
    ApiMappingId: row.id,
    ApiMappingKey: row.mapping_key,
    // A v1 mapping may leave the stage to the request path: v1 names that stage `(none)`.
    Stage: row.stage ?? NO_STAGE,
  };
}

/** A v1 stage: absent or `(none)` leaves the stage to the request path. */
const v1Stage = (stage: string | undefined): string | null =>
  stage === undefined || stage === '' || stage === NO_STAGE ? null : stage;

export class ApiMappings {
  constructor(
    private readonly store: Store,
    private readonly domains: DomainNames,
  ) {}

  // v1: base path mappings

  async createBasePath(input: APIGW.CreateBasePathMappingRequest, at: Place): Promise<APIGW.BasePathMapping> {
    const key = basePathKey(input.basePath);
    return basePathMapping(
      await this.write(BASE_PATH_EXISTS, async (tx) => ({
        domain: await this.domains.require(tx, at, input.domainName!),
        mapping: {
          id: newMappingId(),
          mapping_key: key,
          api_id: input.restApiId!,
          stage: v1Stage(input.stage),
        },
        api: await this.restApi(tx, at, input.restApiId!),
      })),
    );
  }

  async getBasePath(input: APIGW.GetBasePathMappingRequest, at: Place): Promise<APIGW.BasePathMapping> {
    const { row } = await this.domains.require(this.store, at, input.domainName!);
    return basePathMapping(await this.restMapping(this.store, row.domain_name, input.basePath!));
  }

  async listBasePaths(input: APIGW.GetBasePathMappingsRequest, at: Place): Promise<APIGW.BasePathMappings> {
    const { row } = await this.domains.require(this.store, at, input.domainName!);
    const rest = (await apiMappingQueries.all(this.store, row.domain_name)).filter(
      (m) => m.api_kind === 'REST',
    );
    const { items, position } = await page(input, async (after, limit) =>
      rest.filter((m) => m.id > after).slice(0, limit),
    );
    return { items: items.map(basePathMapping), ...(position ? { position } : {}) };
  }

  async updateBasePath(input: APIGW.UpdateBasePathMappingRequest, at: Place): Promise<APIGW.BasePathMapping> {
    return basePathMapping(
      await this.write(BASE_PATH_EXISTS, async (tx) => {
        const domain = await this.domains.require(tx, at, input.domainName!);
        const mapping: Draft = { ...(await this.restMapping(tx, domain.row.domain_name, input.basePath!)) };
        for (const { op, path, value } of input.patchOperations ?? []) {
          if (op !== 'replace' || !['/basePath', '/restapiId', '/restApiId', '/stage'].includes(path ?? '')) {
            throw new BadRequestException(
              `Invalid patch path '${path ?? ''}' specified for op '${op ?? ''}'. Please choose supported operations`,
            );
          }
          if (path === '/basePath') mapping.mapping_key = basePathKey(value);
          else if (path === '/stage') mapping.stage = v1Stage(value);
          else mapping.api_id = value ?? '';
        }
        return { domain, mapping, api: await this.restApi(tx, at, mapping.api_id) };
      }),
    );
  }

  async deleteBasePath(input: APIGW.DeleteBasePathMappingRequest, at: Place): Promise<void> {
    await this.store.transaction(async (tx) => {
      const { row } = await this.domains.require(tx, at, input.domainName!);
      const mapping = await this.restMapping(tx, row.domain_name, input.basePath!);
      await apiMappingQueries.delete(tx, row.domain_name, mapping.id);
    });
  }

  // v2: API mappings

  async create(input: V2.CreateApiMappingRequest, at: Place): Promise<V2.ApiMapping> {
    const key = apiMappingKey(input.ApiMappingKey, true);
    return apiMapping(
      await this.write(KEY_EXISTS, async (tx) => ({
        domain: await this.domains.requireRegional(tx, at, input.DomainName!),
        mapping: { id: newMappingId(), mapping_key: key, api_id: input.ApiId!, stage: input.Stage! },
        api: await this.anyApi(tx, at, input.ApiId!),
      })),
    );
  }

  async get(input: V2.GetApiMappingRequest, at: Place): Promise<V2.ApiMapping> {
    const { row } = await this.domains.requireRegional(this.store, at, input.DomainName!);
    const mapping = await apiMappingQueries.find(this.store, row.domain_name, input.ApiMappingId!);
    if (!mapping) throw invalidApiMapping(input.ApiMappingId!);
    return apiMapping(mapping);
  }

  async list(input: V2.GetApiMappingsRequest, at: Place): Promise<V2.GetApiMappingsResponse> {
    const { row } = await this.domains.requireRegional(this.store, at, input.DomainName!);
    const limit = Math.min(Number(input.MaxResults ?? MAX_RESULTS) || MAX_RESULTS, MAX_RESULTS);
    const after = input.NextToken ? Buffer.from(input.NextToken, 'base64url').toString('utf8') : '';
    const rows = await apiMappingQueries.page(this.store, row.domain_name, after, limit + 1);
    const items = rows.slice(0, limit);
    return {
      Items: items.map(apiMapping),
      ...(rows.length > limit
        ? { NextToken: Buffer.from(items[items.length - 1]!.id).toString('base64url') }
        : {}),
    };
  }

  async update(input: V2.UpdateApiMappingRequest, at: Place): Promise<V2.ApiMapping> {
    return apiMapping(
      await this.write(KEY_EXISTS, async (tx) => {
        const domain = await this.domains.requireRegional(tx, at, input.DomainName!);
        const existing = await apiMappingQueries.find(tx, domain.row.domain_name, input.ApiMappingId!);
        if (!existing) throw invalidApiMapping(input.ApiMappingId!);
        const mapping: Draft = {
          ...existing,
          api_id: input.ApiId!,
          ...(input.ApiMappingKey !== undefined
            ? { mapping_key: apiMappingKey(input.ApiMappingKey, false) }
            : {}),
          ...(input.Stage !== undefined ? { stage: input.Stage } : {}),
        };
        return { domain, mapping, api: await this.anyApi(tx, at, mapping.api_id) };
      }),
    );
  }

  async delete(input: V2.DeleteApiMappingRequest, at: Place): Promise<void> {
    await this.store.transaction(async (tx) => {
      const { row } = await this.domains.requireRegional(tx, at, input.DomainName!);
      const { changes } = await apiMappingQueries.delete(tx, row.domain_name, input.ApiMappingId!);
      if (changes === 0) throw invalidApiMapping(input.ApiMappingId!);
    });
  }

  // Both

  /**
   * Writes the mapping `read` describes (a new one, or a changed one under its id) once its
   * stage exists, its key is free and the domain's mappings still fit the domain.
   */
  private async write(
    keyTaken: string,
    read: (tx: Queryable) => Promise<{ domain: FoundDomain; mapping: Draft; api: ApiRow }>,
  ): Promise<Mapping> {
    try {
      return await this.store.transaction(async (tx) => {
        const { domain, mapping, api } = await read(tx);
        if (mapping.stage !== null && !(await stageQueries.find(tx, api.id, mapping.stage)))
          throw invalidStage();
        const all = await apiMappingQueries.all(tx, domain.row.domain_name);
        const others = all.filter((m) => m.id !== mapping.id);
        if (others.some((m) => m.mapping_key === mapping.mapping_key)) throw new ConflictException(keyTaken);
        checkMappingsFit(domain.stored, [...others, { ...mapping, api_kind: api.kind }]);
        const row = { ...mapping, domain_name: domain.row.domain_name };
        if (others.length < all.length) await apiMappingQueries.update(tx, row);
        else await apiMappingQueries.insert(tx, row);
        return row;
      });
    } catch (err) {
      // Another node's mapping took the key first (PostgreSQL).
      if (isUniqueViolation(err)) throw new ConflictException(keyTaken);
      throw err;
    }
  }

  private async restApi(tx: Queryable, at: Place, id: string): Promise<ApiRow> {
    const api = await apiQueries.find(tx, at, 'REST', id);
    if (!api) throw new BadRequestException('Invalid REST API identifier specified');
    return api;
  }

  private async anyApi(tx: Queryable, at: Place, id: string): Promise<ApiRow> {
    const api = await apiQueries.findAnywhere(tx, id);
    if (!api || api.account_id !== at.accountId || api.region !== at.region) {
      throw new BadRequestException(`Invalid API identifier specified ${at.accountId}:${id}`);
    }
    return api;
  }

  /** The REST API mapping at a v1 base path (`(none)` for the root). */
  private async restMapping(db: Queryable, domain: string, basePath: string): Promise<ApiMappingRow> {
    const key = basePath === ROOT_BASE_PATH ? '' : basePath;
    const mapping = await apiMappingQueries.findByKey(db, domain, key);
    if (!mapping || mapping.api_kind !== ('REST' satisfies ApiKind)) throw invalidBasePathMapping();
    return mapping;
  }
}
