/**
 * `stratus cost`: what the functions' invocations would have cost on AWS Lambda. Usage (requests
 * and GB-seconds, metered by the Lambda service) comes from `GET /_stratus/lambda/usage`; prices
 * from pricing.json, Lambda's public price list.
 */
import pricing from '../services/lambda/pricing.json' with { type: 'json' };
import type { UsageReport, UsageTotals } from '../services/lambda/metering.js';
import { type Command } from './command.js';
import { connectionFlags, connectionOf, formatTable, reportingFailures } from './functions.js';
import { parseSince } from './logs.js';
import { signedFetch } from './signed-fetch.js';

export type Pricing = typeof pricing;

export interface PricedFunction extends UsageTotals {
  functionName: string;
  architectures: string[];
  cost: number;
}

export interface Bill {
  functions: PricedFunction[];
  total: UsageTotals & { cost: number };
  /** What the free tier takes off the total (0 when not applied). */
  freeTier: number;
}

function gbSecondPrice(prices: Pricing, architecture: string): number {
  const byArchitecture: Record<string, number> = prices.gbSecond;
  return byArchitecture[architecture] ?? prices.gbSecond.x86_64;
}

/**
 * Prices usage at the list prices. The free tier, when applied, is one month's: its requests
 * first, then its GB-seconds taken from x86_64 usage before arm64 (the dearer first, so the most
 * it can be worth), as AWS does not say how it splits them.
 */
export function priceUsage(report: UsageReport, prices: Pricing, options: { freeTier: boolean }): Bill {
  const requestPrice = prices.requestsPerMillion / 1_000_000;
  const gbSecondsByArchitecture = new Map<string, number>();
  const functions = report.functions.map((f) => {
    let cost = f.requests * requestPrice;
    for (const [architecture, usage] of Object.entries(f.architectures)) {
      cost += usage.gbSeconds * gbSecondPrice(prices, architecture);
      gbSecondsByArchitecture.set(
        architecture,
        (gbSecondsByArchitecture.get(architecture) ?? 0) + usage.gbSeconds,
      );
    }
    return {
      functionName: f.functionName,
      architectures: Object.keys(f.architectures).sort(),
      requests: f.requests,
      gbSeconds: f.gbSeconds,
      cost,
    };
  });
  const requests = functions.reduce((sum, f) => sum + f.requests, 0);
  const gbSeconds = functions.reduce((sum, f) => sum + f.gbSeconds, 0);
  const listCost = functions.reduce((sum, f) => sum + f.cost, 0);
  if (!options.freeTier) return { functions, total: { requests, gbSeconds, cost: listCost }, freeTier: 0 };
  // Price what the free tier leaves, rather than subtract its worth: all covered is exactly $0.
  let cost = Math.max(0, requests - prices.freeTierPerMonth.requests) * requestPrice;
  let freeGbSeconds = prices.freeTierPerMonth.gbSeconds;
  const dearestFirst = [...gbSecondsByArchitecture].sort(
    ([a], [b]) => gbSecondPrice(prices, b) - gbSecondPrice(prices, a),
  );
  for (const [architecture, used] of dearestFirst) {
    const covered = Math.min(used, freeGbSeconds);
    cost += (used - covered) * gbSecondPrice(prices, architecture);
    freeGbSeconds -= covered;
  }
  return { functions, total: { requests, gbSeconds, cost }, freeTier: listCost - cost };
}

/** Dollars to the cent, or to the hundred-millionth below a cent (a request costs $0.0000002). */
export function formatUsd(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const value = Math.abs(amount);
  if (value === 0) return '$0.00';
  if (value >= 0.01) return `${sign}$${value.toFixed(2)}`;
  const digits = value.toFixed(8).replace(/0+$/, '');
  return digits === '0.' ? `${sign}<$0.00000001` : `${sign}$${digits}`;
}

export function formatGbSeconds(value: number): string {
  return String(Number(value.toFixed(6)));
}

export function formatBill(bill: Bill, prices: Pricing): string {
  const rows = bill.functions.map((f) => [
    f.functionName,
    f.architectures.join(', '),
    String(f.requests),
    formatGbSeconds(f.gbSeconds),
    formatUsd(f.cost),
  ]);
  if (bill.freeTier > 0) rows.push(['Free tier', '', '', '', formatUsd(-bill.freeTier)]);
  rows.push([
    'Total',
    '',
    String(bill.total.requests),
    formatGbSeconds(bill.total.gbSeconds),
    formatUsd(bill.total.cost),
  ]);
  const table = formatTable(
    ['Function', 'Architecture', 'Requests', 'GB-seconds', `Cost (${prices.currency})`],
    rows,
    new Set([2, 3, 4]),
  );
  return `${table}\nPrices: ${prices.source}, as of ${prices.asOf}.\n`;
}

/** The first instant of the current month, UTC: Lambda bills, and grants its free tier, per month. */
function startOfMonth(now: number): number {
  const date = new Date(now);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

function isUsageReport(value: unknown): value is UsageReport {
  return Array.isArray((value as Partial<UsageReport> | null)?.functions);
}

export const cost: Command = {
  name: 'cost',
  summary: 'Show what the invocations would cost on AWS Lambda',
  description: [
    "Prints each function's requests and GB-seconds (memory × billed duration) and their price at",
    "Lambda's public on-demand prices (us-east-1), with a total. Usage is kept per hour, so --since",
    'counts from the start of its hour. The free tier is left out unless --free-tier is given.',
  ].join('\n'),
  flags: {
    function: { type: 'string', arg: 'NAME', describe: 'Only this function' },
    since: {
      type: 'string',
      arg: 'WHEN',
      describe: 'From how long ago (1h, 2d, 1w) or an ISO date (default: start of this month, UTC)',
    },
    'free-tier': { type: 'boolean', describe: "Take one month's free tier (1M requests, 400,000 GB-s) off" },
    ...connectionFlags,
  },
  async run(values, env) {
    const connection = connectionOf(values, env);
    const now = Date.now();
    const since = typeof values.since === 'string' ? parseSince(values.since, now) : startOfMonth(now);
    return reportingFailures('cost', connection, async () => {
      // Usage is kept per account: the one the credentials belong to.
      const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
      const sts = new STSClient(connection.clientConfig);
      let accountId: string | undefined;
      try {
        accountId = (await sts.send(new GetCallerIdentityCommand({}))).Account;
      } finally {
        sts.destroy();
      }
      const url = new URL('/_stratus/lambda/usage', connection.endpoint);
      url.searchParams.set('since', String(Math.max(0, since)));
      url.searchParams.set('region', connection.region);
      if (accountId) url.searchParams.set('account', accountId);
      if (typeof values.function === 'string') url.searchParams.set('function', values.function);
      const response = await signedFetch(connection, url);
      const body: unknown = await response.json().catch(() => undefined);
      if (!response.ok || !isUsageReport(body)) {
        process.stderr.write(
          `stratus cost: ${connection.endpoint.origin} has no Lambda usage to report (HTTP ${response.status})\n`,
        );
        return 1;
      }
      const from = new Date(body.since).toISOString();
      if (body.functions.length === 0) {
        process.stdout.write(`No Lambda usage in ${body.region} since ${from}.\n`);
        return 0;
      }
      process.stdout.write(`Lambda usage in ${body.region} since ${from}\n\n`);
      process.stdout.write(
        formatBill(priceUsage(body, pricing, { freeTier: values['free-tier'] === true }), pricing),
      );
      return 0;
    });
  },
};
