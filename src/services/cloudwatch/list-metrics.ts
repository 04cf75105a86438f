/**
 * ListMetrics: metrics published in the last two weeks (three hours with RecentlyActive=PT3H), by
 * namespace, name and dimension filters, 500 a page in the order they were first published.
 */
import type { ListMetricsInput, ListMetricsOutput } from '@aws-sdk/client-cloudwatch';
import { dimensionList } from './dimensions.js';
import { InvalidParameterValueException } from './errors.js';
import type { MetricStore } from './metric-store.js';
import type { Region } from './tables.js';

const PAGE_SIZE = 500;
const THREE_HOURS = 3 * 3600_000;
const TWO_WEEKS = 14 * 24 * 3600_000;

export async function listMetrics(
  metrics: MetricStore,
  at: Region,
  input: ListMetricsInput,
  now: number,
): Promise<ListMetricsOutput> {
  const afterId = input.NextToken ? parseToken(input.NextToken) : 0;
  // Without cross-account observability every metric belongs to the caller's account.
  if (input.OwningAccount !== undefined && input.OwningAccount !== at.accountId) {
    return { Metrics: [], ...(input.IncludeLinkedAccounts ? { OwningAccounts: [] } : {}) };
  }
  const rows = await metrics.list(at, {
    namespace: input.Namespace,
    metricName: input.MetricName,
    dimensions: (input.Dimensions ?? []).map((d) => ({ name: d.Name!, value: d.Value })),
    publishedSince: now - (input.RecentlyActive === 'PT3H' ? THREE_HOURS : TWO_WEEKS),
    afterId,
    limit: PAGE_SIZE + 1,
  });
  const page = rows.slice(0, PAGE_SIZE);
  return {
    Metrics: page.map((m) => ({
      Namespace: m.namespace,
      MetricName: m.metric_name,
      Dimensions: dimensionList(m.dimensions),
    })),
    ...(input.IncludeLinkedAccounts ? { OwningAccounts: page.map(() => at.accountId) } : {}),
    ...(rows.length > PAGE_SIZE ? { NextToken: token(page[page.length - 1]!.id) } : {}),
  };
}

function token(id: number): string {
  return Buffer.from(JSON.stringify({ after: id })).toString('base64url');
}

function parseToken(nextToken: string): number {
  try {
    const value: unknown = JSON.parse(Buffer.from(nextToken, 'base64url').toString('utf8'));
    const after = (value as { after?: unknown } | null)?.after;
    if (typeof after === 'number' && Number.isInteger(after) && after >= 0) return after;
  } catch {
    // fall through to the AWS error
  }
  throw new InvalidParameterValueException(`The value ${nextToken} for parameter NextToken is invalid.`);
}
