/**
 * REST APIs themselves (API Gateway v1): create with a root resource `/`, get, list, update by
 * patch operations, delete with everything in them.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { Clock } from '../../engine/clock.js';
import type { Queryable, Store } from '../../storage/store.js';
import type { RequestContext } from '../service.js';
import { withDefinitions } from './api-definitions.js';
import { BadRequestException, invalidApi } from './errors.js';
import { apiId, childId } from './ids.js';
import { defaultModels } from './models.js';
import { applyPatch, type PatchRules } from './patch.js';
import { page } from './paging.js';
import { apiQueries, resourceQueries, type ApiRow } from './tables.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

/** A RestApi as stored: the AWS shape, with `createdDate` in ms. */
export type StoredRestApi = Omit<APIGW.RestApi, 'createdDate'> & { createdDate: number };

const API_KEY_SOURCES = ['HEADER', 'AUTHORIZER'];

/** What UpdateRestApi may change, and how (AWS's documented patch paths). */
const patchRules: PatchRules = {
  '/name': 'string',
  '/description': 'string',
  '/version': 'string',
  '/policy': 'string',
  '/apiKeySource': 'string',
  '/minimumCompressionSize': 'number',
  '/disableExecuteApiEndpoint': 'boolean',
  '/binaryMediaTypes/*': 'list',
};

/** What a change to the API's document makes: the document to store, and what to answer. */
export interface Changed<T> {
  document: StoredRestApi;
  result: T;
}

export function restApiOutput(stored: StoredRestApi): APIGW.RestApi {
  return { ...stored, createdDate: new Date(stored.createdDate) };
}

export class RestApis {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async create(input: APIGW.CreateRestApiRequest, at: Place): Promise<APIGW.RestApi> {
    if (input.apiKeySource !== undefined && !API_KEY_SOURCES.includes(input.apiKeySource)) {
      throw new BadRequestException(`Invalid API Key source specified: ${input.apiKeySource}`);
    }
    if (
      input.minimumCompressionSize !== undefined &&
      (input.minimumCompressionSize < 0 || input.minimumCompressionSize > 10_485_760)
    ) {
      throw new BadRequestException('Invalid minimum compression size, must be between 0 and 10485760');
    }
    const id = apiId();
    const rootId = childId();
    const now = this.clock.now();
    const created: StoredRestApi = {
      id,
      name: input.name,
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.version !== undefined ? { version: input.version } : {}),
      createdDate: now,
      ...(input.binaryMediaTypes?.length ? { binaryMediaTypes: input.binaryMediaTypes } : {}),
      ...(input.minimumCompressionSize !== undefined
        ? { minimumCompressionSize: input.minimumCompressionSize }
        : {}),
      apiKeySource: input.apiKeySource ?? 'HEADER',
      endpointConfiguration: input.endpointConfiguration ?? { types: ['EDGE'] },
      ...(input.policy !== undefined ? { policy: input.policy } : {}),
      ...(input.tags && Object.keys(input.tags).length > 0 ? { tags: input.tags } : {}),
      disableExecuteApiEndpoint: input.disableExecuteApiEndpoint ?? false,
      rootResourceId: rootId,
    };
    // AWS makes every new API with its two default models.
    const stored = withDefinitions(created, { models: defaultModels() });
    await this.store.transaction(async (tx) => {
      await apiQueries.insert(tx, {
        id,
        account_id: at.accountId,
        region: at.region,
        kind: 'REST',
        created_at: now,
        document: JSON.stringify(stored),
      });
      await resourceQueries.insert(tx, {
        api_id: id,
        id: rootId,
        parent_id: null,
        path: '/',
        document: JSON.stringify({ id: rootId, path: '/' }),
      });
    });
    return restApiOutput(stored);
  }

  /** The API's row, or AWS's NotFoundException. */
  async require(at: Place, id: string): Promise<ApiRow> {
    const row = await apiQueries.find(this.store, at, 'REST', id);
    if (!row) throw invalidApi(at.accountId, id);
    return row;
  }

  async get(at: Place, id: string): Promise<APIGW.RestApi> {
    return restApiOutput(JSON.parse((await this.require(at, id)).document) as StoredRestApi);
  }

  async list(input: APIGW.GetRestApisRequest, at: Place): Promise<APIGW.RestApis> {
    const { items, position } = await page(input, (after, limit) =>
      apiQueries.list(this.store, at, 'REST', after, limit),
    );
    return {
      items: items.map((row) => restApiOutput(JSON.parse(row.document) as StoredRestApi)),
      ...(position ? { position } : {}),
    };
  }

  async update(input: APIGW.UpdateRestApiRequest, at: Place): Promise<APIGW.RestApi> {
    return this.modify(at, input.restApiId!, (document) => {
      const stored = applyPatch(document, input.patchOperations ?? [], patchRules);
      if (!stored.name) throw new BadRequestException('Invalid patch value: name must not be empty');
      return { document: stored, result: restApiOutput(stored) };
    });
  }

  /**
   * Reads the API's document under lock and writes back what `change` makes of it: how UpdateRestApi
   * and the operations on what the document keeps (models, request validators, gateway responses)
   * change it without losing each other's changes.
   */
  async modify<T>(
    at: Place,
    id: string,
    change: (document: StoredRestApi, tx: Queryable) => Changed<T> | Promise<Changed<T>>,
  ): Promise<T> {
    return this.store.transaction(async (tx) => {
      const row = await apiQueries.find(tx, at, 'REST', id, this.store.dialect.forUpdate);
      if (!row) throw invalidApi(at.accountId, id);
      const { document, result } = await change(JSON.parse(row.document) as StoredRestApi, tx);
      await apiQueries.update(tx, row.id, JSON.stringify(document));
      return result;
    });
  }

  async delete(at: Place, id: string): Promise<void> {
    const row = await this.require(at, id);
    await apiQueries.delete(this.store, row.id);
  }
}
