/**
 * Usage plans (API Gateway v1): which API stages a plan covers (with per-method throttles), its
 * throttle and quota, the API keys in it, and what each key used of its quota (GetUsage). The
 * invoke path enforces them (invoke/usage-plans.ts).
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { Queryable, Store } from '../../storage/store.js';
import type { RequestContext } from '../service.js';
import { apiKeyOf, type ApiKeys } from './api-keys.js';
import { BadRequestException, ConflictException, NotFoundException } from './errors.js';
import { childId } from './ids.js';
import { applyPatch, type PatchRules } from './patch.js';
import { page } from './paging.js';
import { apiQueries, stageQueries } from './tables.js';
import { planKeyQueries, quotaQueries, usagePlanQueries, type UsagePlanRow } from './usage-tables.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

export type StoredUsagePlan = APIGW.UsagePlan & { id: string };

const PERIODS = ['DAY', 'WEEK', 'MONTH'];

const patchRules: PatchRules = {
  '/name': 'string',
  '/description': 'string',
  '/productCode': 'string',
  '/throttle/rateLimit': 'number',
  '/throttle/burstLimit': 'number',
  '/quota/limit': 'number',
  '/quota/offset': 'number',
  '/quota/period': 'string',
};

export const invalidUsagePlan = () => new NotFoundException('Invalid Usage Plan ID specified');

export function usagePlanOf(row: UsagePlanRow): StoredUsagePlan {
  return JSON.parse(row.document) as StoredUsagePlan;
}

function checkQuota(quota: APIGW.QuotaSettings | undefined): void {
  if (!quota) return;
  if (!quota.period || !PERIODS.includes(quota.period))
    throw new BadRequestException(`Invalid quota period specified: ${quota.period ?? ''}`);
  if (quota.limit === undefined || quota.limit < 0)
    throw new BadRequestException('Quota limit should be a non-negative integer');
  const maxOffset = quota.period === 'DAY' ? 0 : quota.period === 'WEEK' ? 6 : 27;
  if ((quota.offset ?? 0) < 0 || (quota.offset ?? 0) > maxOffset)
    throw new BadRequestException(`Quota offset for ${quota.period} must be between 0 and ${maxOffset}`);
}

/** Each API stage must exist in the caller's account and region. */
async function checkApiStages(db: Queryable, at: Place, stages: readonly APIGW.ApiStage[]): Promise<void> {
  for (const { apiId, stage } of stages) {
    const api = apiId ? await apiQueries.find(db, at, 'REST', apiId) : undefined;
    if (!api || !stage || !(await stageQueries.find(db, api.id, stage))) {
      throw new BadRequestException(`API Stage not found: ${apiId ?? ''}:${stage ?? ''}`);
    }
  }
}

/** `add`/`remove` of `/apiStages` with the value `apiId:stage`; everything else goes to applyPatch. */
function patchApiStages(
  plan: StoredUsagePlan,
  operations: readonly APIGW.PatchOperation[],
): { plan: StoredUsagePlan; rest: APIGW.PatchOperation[]; added: APIGW.ApiStage[] } {
  const stages = [...(plan.apiStages ?? [])];
  const added: APIGW.ApiStage[] = [];
  const rest: APIGW.PatchOperation[] = [];
  for (const operation of operations) {
    if (operation.path !== '/apiStages') {
      rest.push(operation);
      continue;
    }
    const [apiId, stage] = (operation.value ?? '').split(':');
    if (!apiId || !stage || (operation.op !== 'add' && operation.op !== 'remove'))
      throw new BadRequestException(`Invalid API Stage specified: ${operation.value ?? ''}`);
    const at = stages.findIndex((s) => s.apiId === apiId && s.stage === stage);
    if (operation.op === 'remove') {
      if (at < 0) throw new NotFoundException(`Invalid API Stage specified: ${operation.value}`);
      stages.splice(at, 1);
    } else if (at < 0) {
      stages.push({ apiId, stage });
      added.push({ apiId, stage });
    }
  }
  return { plan: { ...plan, apiStages: stages }, rest, added };
}

export class UsagePlans {
  constructor(
    private readonly store: Store,
    private readonly keys: ApiKeys,
  ) {}

  async create(input: APIGW.CreateUsagePlanRequest, at: Place): Promise<APIGW.UsagePlan> {
    checkQuota(input.quota);
    const stored: StoredUsagePlan = {
      id: childId(),
      name: input.name,
      ...(input.description !== undefined ? { description: input.description } : {}),
      apiStages: input.apiStages ?? [],
      ...(input.throttle ? { throttle: input.throttle } : {}),
      ...(input.quota ? { quota: { offset: 0, ...input.quota } } : {}),
      ...(input.tags && Object.keys(input.tags).length > 0 ? { tags: input.tags } : {}),
    };
    await this.store.transaction(async (tx) => {
      await checkApiStages(tx, at, stored.apiStages ?? []);
      await usagePlanQueries.insert(tx, {
        id: stored.id,
        account_id: at.accountId,
        region: at.region,
        document: JSON.stringify(stored),
      });
    });
    return stored;
  }

  async require(at: Place, id: string): Promise<UsagePlanRow> {
    const row = await usagePlanQueries.find(this.store, at, id);
    if (!row) throw invalidUsagePlan();
    return row;
  }

  async get(at: Place, id: string): Promise<APIGW.UsagePlan> {
    return usagePlanOf(await this.require(at, id));
  }

  async list(input: APIGW.GetUsagePlansRequest, at: Place): Promise<APIGW.UsagePlans> {
    if (input.keyId !== undefined) {
      const key = await this.keys.require(at, input.keyId);
      return { items: (await usagePlanQueries.ofKey(this.store, key.id)).map(usagePlanOf) };
    }
    const { items, position } = await page(input, (after, limit) =>
      usagePlanQueries.list(this.store, at, after, limit),
    );
    return { items: items.map(usagePlanOf), ...(position ? { position } : {}) };
  }

  async update(input: APIGW.UpdateUsagePlanRequest, at: Place): Promise<APIGW.UsagePlan> {
    return this.store.transaction(async (tx) => {
      const row = await usagePlanQueries.find(tx, at, input.usagePlanId!);
      if (!row) throw invalidUsagePlan();
      const { plan, rest, added } = patchApiStages(usagePlanOf(row), input.patchOperations ?? []);
      await checkApiStages(tx, at, added);
      const updated = applyPatch(plan, rest, patchRules);
      checkQuota(updated.quota);
      await usagePlanQueries.update(tx, row.id, JSON.stringify(updated));
      return updated;
    });
  }

  async delete(at: Place, id: string): Promise<void> {
    const row = await this.require(at, id);
    await usagePlanQueries.delete(this.store, row.id);
  }

  // Usage plan keys

  async createKey(input: APIGW.CreateUsagePlanKeyRequest, at: Place): Promise<APIGW.UsagePlanKey> {
    if (input.keyType !== 'API_KEY')
      throw new BadRequestException(`Invalid key type: ${input.keyType ?? ''}`);
    const plan = await this.require(at, input.usagePlanId!);
    const key = apiKeyOf(await this.keys.require(at, input.keyId!));
    await this.store.transaction(async (tx) => {
      if (await planKeyQueries.exists(tx, plan.id, key.id))
        throw new ConflictException('Usage Plan Key already exists');
      await planKeyQueries.insert(tx, plan.id, key.id);
    });
    return { id: key.id, type: 'API_KEY', value: key.value, ...(key.name ? { name: key.name } : {}) };
  }

  async getKey(input: APIGW.GetUsagePlanKeyRequest, at: Place): Promise<APIGW.UsagePlanKey> {
    const plan = await this.require(at, input.usagePlanId!);
    const key = apiKeyOf(await this.keys.require(at, input.keyId!));
    if (!(await planKeyQueries.exists(this.store, plan.id, key.id)))
      throw new NotFoundException('Invalid Usage Plan Key identifier specified');
    return { id: key.id, type: 'API_KEY', value: key.value, ...(key.name ? { name: key.name } : {}) };
  }

  async listKeys(input: APIGW.GetUsagePlanKeysRequest, at: Place): Promise<APIGW.UsagePlanKeys> {
    const plan = await this.require(at, input.usagePlanId!);
    const { items, position } = await page(input, (after, limit) =>
      planKeyQueries.keys(this.store, plan.id, after, limit),
    );
    return {
      items: items
        .map(apiKeyOf)
        .filter((key) => input.nameQuery === undefined || (key.name ?? '').startsWith(input.nameQuery))
        .map((key) => ({
          id: key.id,
          type: 'API_KEY',
          value: key.value,
          ...(key.name ? { name: key.name } : {}),
        })),
      ...(position ? { position } : {}),
    };
  }

  async deleteKey(input: APIGW.DeleteUsagePlanKeyRequest, at: Place): Promise<void> {
    const plan = await this.require(at, input.usagePlanId!);
    const { changes } = await planKeyQueries.delete(this.store, plan.id, input.keyId!);
    if (changes === 0) throw new NotFoundException('Invalid Usage Plan Key identifier specified');
  }

  // Usage

  /** Per key, per day from `startDate` to `endDate`: `[used, remaining]`. */
  async usage(input: APIGW.GetUsageRequest, at: Place): Promise<APIGW.Usage> {
    const plan = await this.require(at, input.usagePlanId!);
    const day = /^\d{4}-\d{2}-\d{2}$/;
    if (
      !day.test(input.startDate ?? '') ||
      !day.test(input.endDate ?? '') ||
      input.startDate! > input.endDate!
    )
      throw new BadRequestException('Invalid start date or end date; the format is yyyy-MM-dd');
    const rows = await quotaQueries.days(this.store, plan.id, input.startDate!, input.endDate!);
    const limit = usagePlanOf(plan).quota?.limit;
    const items: Record<string, number[][]> = {};
    const start = Date.parse(`${input.startDate!}T00:00:00Z`);
    const days = Math.round((Date.parse(`${input.endDate!}T00:00:00Z`) - start) / 86_400_000) + 1;
    const keyIds = [...new Set(rows.map((r) => r.key_id))].filter((id) => !input.keyId || id === input.keyId);
    for (const keyId of keyIds) {
      // Days without calls keep the remaining of the last day with some (the quota's limit before any).
      let remaining = limit ?? 0;
      items[keyId] = Array.from({ length: days }, (_, i) => {
        const name = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
        const found = rows.find((r) => r.key_id === keyId && r.day === name);
        if (found) remaining = found.remaining;
        return [found?.used ?? 0, remaining];
      });
    }
    return { usagePlanId: plan.id, startDate: input.startDate, endDate: input.endDate, items };
  }
}
