/**
 * API keys (API Gateway v1): create (a 40-character value unless one is given), get with or
 * without the value, list by name prefix, update by patch, delete. A key's value is unique in its
 * account and region; the invoke path finds keys by value (invoke/usage-plans.ts).
 */
import { randomInt } from 'node:crypto';
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { Clock } from '../../engine/clock.js';
import type { Store } from '../../storage/store.js';
import type { RequestContext } from '../service.js';
import { BadRequestException, ConflictException, NotFoundException } from './errors.js';
import { apiId } from './ids.js';
import { applyPatch, type PatchRules } from './patch.js';
import { page } from './paging.js';
import { stageQueries } from './tables.js';
import { apiKeyQueries, type ApiKeyRow } from './usage-tables.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

/** An ApiKey as stored: the AWS shape, dates in ms. */
export type StoredApiKey = Omit<APIGW.ApiKey, 'createdDate' | 'lastUpdatedDate'> & {
  id: string;
  value: string;
  createdDate: number;
  lastUpdatedDate: number;
};

const VALUE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const GENERATED_VALUE_LENGTH = 40;
const MIN_VALUE_LENGTH = 20;

const patchRules: PatchRules = {
  '/name': 'string',
  '/description': 'string',
  '/enabled': 'boolean',
  '/customerId': 'string',
};

export const invalidApiKey = () => new NotFoundException('Invalid API Key identifier specified');

function generatedValue(): string {
  let value = '';
  for (let i = 0; i < GENERATED_VALUE_LENGTH; i++) value += VALUE_ALPHABET[randomInt(VALUE_ALPHABET.length)];
  return value;
}

export function apiKeyOf(row: ApiKeyRow): StoredApiKey {
  return JSON.parse(row.document) as StoredApiKey;
}

export function apiKeyOutput(stored: StoredApiKey, includeValue: boolean): APIGW.ApiKey {
  const { value, ...rest } = stored;
  return {
    ...rest,
    ...(includeValue ? { value } : {}),
    createdDate: new Date(stored.createdDate),
    lastUpdatedDate: new Date(stored.lastUpdatedDate),
  };
}

export class ApiKeys {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async create(input: APIGW.CreateApiKeyRequest, at: Place): Promise<APIGW.ApiKey> {
    if (input.value !== undefined && input.value.length < MIN_VALUE_LENGTH) {
      throw new BadRequestException(`API Key value should be at least ${MIN_VALUE_LENGTH} characters`);
    }
    const now = this.clock.now();
    const stored: StoredApiKey = {
      id: apiId(),
      value: input.value ?? generatedValue(),
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.customerId !== undefined ? { customerId: input.customerId } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      enabled: input.enabled ?? false,
      createdDate: now,
      lastUpdatedDate: now,
      stageKeys: (input.stageKeys ?? []).map((s) => `${s.restApiId}/${s.stageName}`),
      ...(input.tags && Object.keys(input.tags).length > 0 ? { tags: input.tags } : {}),
    };
    await this.store.transaction(async (tx) => {
      for (const stageKey of input.stageKeys ?? []) {
        if (
          !stageKey.restApiId ||
          !stageKey.stageName ||
          !(await stageQueries.find(tx, stageKey.restApiId, stageKey.stageName))
        ) {
          throw new BadRequestException('Invalid stage key provided');
        }
      }
      if (await apiKeyQueries.findByValue(tx, at, stored.value))
        throw new ConflictException('API Key already exists');
      await apiKeyQueries.insert(tx, {
        id: stored.id,
        account_id: at.accountId,
        region: at.region,
        value: stored.value,
        document: JSON.stringify(stored),
      });
    });
    return apiKeyOutput(stored, true);
  }

  async require(at: Place, id: string): Promise<ApiKeyRow> {
    const row = await apiKeyQueries.find(this.store, at, id);
    if (!row) throw invalidApiKey();
    return row;
  }

  async get(input: APIGW.GetApiKeyRequest, at: Place): Promise<APIGW.ApiKey> {
    return apiKeyOutput(apiKeyOf(await this.require(at, input.apiKey!)), input.includeValue ?? false);
  }

  async list(input: APIGW.GetApiKeysRequest, at: Place): Promise<APIGW.ApiKeys> {
    const nameQuery = input.nameQuery;
    const customerId = input.customerId;
    const matches = (key: StoredApiKey) =>
      (nameQuery === undefined || (key.name ?? '').startsWith(nameQuery)) &&
      (customerId === undefined || key.customerId === customerId);
    // Filters apply before paging: read on until a page is full or the keys run out.
    const { items, position } = await page(input, async (after, limit) => {
      const found: StoredApiKey[] = [];
      let cursor = after;
      for (;;) {
        const rows = await apiKeyQueries.list(this.store, at, cursor, limit);
        found.push(...rows.map(apiKeyOf).filter(matches));
        if (rows.length < limit || found.length >= limit) return found.slice(0, limit);
        cursor = rows[rows.length - 1]!.id;
      }
    });
    return {
      items: items.map((key) => apiKeyOutput(key, input.includeValues ?? false)),
      ...(position ? { position } : {}),
    };
  }

  async update(input: APIGW.UpdateApiKeyRequest, at: Place): Promise<APIGW.ApiKey> {
    const row = await this.require(at, input.apiKey!);
    const stored = applyPatch(apiKeyOf(row), input.patchOperations ?? [], patchRules);
    stored.lastUpdatedDate = this.clock.now();
    await apiKeyQueries.update(this.store, row.id, JSON.stringify(stored));
    return apiKeyOutput(stored, false);
  }

  async delete(at: Place, id: string): Promise<void> {
    const row = await this.require(at, id);
    await apiKeyQueries.delete(this.store, row.id);
  }
}
