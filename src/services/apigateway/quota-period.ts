/**
 * When a usage plan's quota period began: UTC midnight of the day (`DAY`), of the week's Sunday
 * plus `offset` days (`WEEK`), or of the month's first plus `offset` days (`MONTH`) — AWS's
 * `QuotaSettings.offset`. Pure, so tests and the invoke path agree on the same instant.
 */
import type { QuotaPeriodType } from '@aws-sdk/client-api-gateway';

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of an instant, UTC: how GetUsage names days. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function periodStart(now: number, period: QuotaPeriodType | string, offset = 0): number {
  const midnight = Math.floor(now / DAY_MS) * DAY_MS;
  if (period === 'WEEK') {
    const sunday = midnight - new Date(midnight).getUTCDay() * DAY_MS;
    const start = sunday + offset * DAY_MS;
    return start <= now ? start : start - 7 * DAY_MS;
  }
  if (period === 'MONTH') {
    const date = new Date(midnight);
    const start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) + offset * DAY_MS;
    return start <= now
      ? start
      : Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - 1, 1) + offset * DAY_MS;
  }
  return midnight;
}
