/**
 * UpdateUsage: a key's remaining quota in a usage plan set by hand for the current quota period
 * (`replace /remaining`), as AWS's "temporary extension" — the next period starts from the plan's
 * limit again. The invoke path counts against the same counter (invoke/usage-plans.ts).
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { Clock } from '../../engine/clock.js';
import type { Store } from '../../storage/store.js';
import type { RequestContext } from '../service.js';
import { invalidApiKey } from './api-keys.js';
import { BadRequestException } from './errors.js';
import { dayOf, periodStart } from './quota-period.js';
import { usagePlanOf, type UsagePlans } from './usage-plans.js';
import { planKeyQueries, quotaGrantQueries } from './usage-tables.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

/** The remaining quota the operations ask for: only `replace /remaining`, a non-negative integer. */
export function remainingOf(operations: readonly APIGW.PatchOperation[]): number {
  let remaining: number | undefined;
  for (const { op, path, value } of operations) {
    if (op !== 'replace' || path !== '/remaining')
      throw new BadRequestException(
        `Invalid patch path '${path ?? ''}' specified for op '${op ?? ''}'. Please choose supported operations`,
      );
    const n = Number(value);
    if (value === undefined || value.trim() === '' || !Number.isInteger(n) || n < 0)
      throw new BadRequestException(`Invalid remaining quota value: ${value ?? ''}`);
    remaining = n;
  }
  if (remaining === undefined) throw new BadRequestException('Invalid patch operations: none specified');
  return remaining;
}

export class UsageGrants {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly plans: UsagePlans,
  ) {}

  async update(input: APIGW.UpdateUsageRequest, at: Place): Promise<APIGW.Usage> {
    const row = await this.plans.require(at, input.usagePlanId!);
    const plan = usagePlanOf(row);
    const remaining = remainingOf(input.patchOperations ?? []);
    const quota = plan.quota;
    if (!quota?.period || quota.limit === undefined)
      throw new BadRequestException('Usage plan has no quota to extend');
    const now = this.clock.now();
    const today = dayOf(now);
    await this.store.transaction(async (tx) => {
      if (!(await planKeyQueries.exists(tx, row.id, input.keyId!))) throw invalidApiKey();
      const start = periodStart(now, quota.period!, quota.offset ?? 0);
      await quotaGrantQueries.setUsed(tx, row.id, input.keyId!, start, quota.limit! - remaining);
      await quotaGrantQueries.setRemaining(tx, row.id, input.keyId!, today, remaining);
    });
    return this.plans.usage(
      { usagePlanId: row.id, keyId: input.keyId, startDate: today, endDate: today },
      at,
    );
  }
}
