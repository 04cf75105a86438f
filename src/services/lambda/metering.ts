/**
 * Metering: every invocation's requests and GB-seconds (memory in GB × billed duration in
 * seconds), the two quantities Lambda's price list charges for, so `stratus cost` can tell what a
 * workload would cost on AWS.
 *
 * Recording is on the invoke hot path, so it only adds to an in-memory sum; the sums are upserted
 * into `lambda_usage` once a second (and on stop), as Lambda's metrics are. A crash loses at most
 * the last second of usage, never an invocation.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../engine/clock.js';
import { jsonResponse } from '../../protocol/wire.js';
import type { Store } from '../../storage/store.js';
import type { InternalRoute } from '../service.js';
import type { Region } from './arns.js';
import { usageBucket, usageQueries, type UsageIncrement } from './metering-tables.js';

export interface InvocationUsage {
  functionName: string;
  /** The version that ran: `$LATEST` or a published number. */
  version: string;
  memoryMb: number;
  billedDurationMs: number;
  /** `x86_64` (the default) or `arm64`: priced differently. */
  architecture?: string;
}

const flushIntervalMs = 1000;

export class Metering {
  private pending = new Map<string, UsageIncrement>();
  private timer: NodeJS.Timeout | undefined;
  /** The last write: flushes run one after another, so awaiting a flush awaits every earlier one. */
  private written: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  record(at: Region, usage: InvocationUsage): void {
    const architecture = usage.architecture ?? 'x86_64';
    const bucketStart = usageBucket(this.clock.now());
    const gbSeconds = (usage.memoryMb / 1024) * (usage.billedDurationMs / 1000);
    const key = `${at.accountId}/${at.region}/${usage.functionName}/${usage.version}/${architecture}/${bucketStart}`;
    const sum = this.pending.get(key);
    if (sum) {
      sum.requests++;
      sum.gbSeconds += gbSeconds;
    } else {
      this.pending.set(key, {
        at: { accountId: at.accountId, region: at.region },
        functionName: usage.functionName,
        version: usage.version,
        architecture,
        bucketStart,
        requests: 1,
        gbSeconds,
      });
    }
    this.timer ??= setTimeout(() => void this.flush(), flushIntervalMs).unref();
  }

  /** The usage was wiped (a reset): drops what was recorded and waits for writes under way. */
  async discard(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = new Map();
    await this.written;
  }

  /**
   * Writes what has been recorded. Resolves once it, and every earlier flush, is in the store.
   * Metering must never fail an invocation, so a failed write is logged and its usage dropped.
   */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    if (batch.length > 0) {
      this.written = this.written.then(() =>
        this.store
          .transaction(async (tx) => {
            for (const increment of batch) await usageQueries.add(tx, increment);
          })
          .catch((err: unknown) => this.logger.warn({ err }, 'could not record Lambda usage')),
      );
    }
    return this.written;
  }
}

export interface UsageTotals {
  requests: number;
  gbSeconds: number;
}

/** What `GET /_stratus/lambda/usage` answers. */
export interface UsageReport {
  accountId: string;
  region: string;
  /** The start of the first hour counted: usage is kept per hour. */
  since: number;
  functions: (UsageTotals & {
    functionName: string;
    architectures: Record<string, UsageTotals>;
  })[];
}

const accountPattern = /^\d{12}$/;
const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * `GET /_stratus/lambda/usage?function=F&since=MS&account=ID&region=R`: requests and GB-seconds
 * per function since `since` (default: all), in the server's account and region unless named.
 * Pending usage is flushed first, so an invocation that has returned is always counted.
 */
export function usageRoute(metering: Metering, store: Store, defaults: Region): InternalRoute {
  return {
    method: 'GET',
    path: /^\/_stratus\/lambda\/usage$/,
    async handle(_match, request) {
      const param = (name: string) => request.query[name]?.[0];
      const accountId = param('account') ?? defaults.accountId;
      const region = param('region') ?? defaults.region;
      const since = Number(param('since') ?? 0);
      const functionName = param('function');
      if (!accountPattern.test(accountId)) return jsonResponse(400, { message: 'account must be 12 digits' });
      if (!regionPattern.test(region)) return jsonResponse(400, { message: 'region is not a region name' });
      if (!Number.isSafeInteger(since) || since < 0) {
        return jsonResponse(400, { message: 'since must be epoch milliseconds' });
      }
      await metering.flush();
      const rows = await usageQueries.totals(store, { accountId, region }, since, functionName);
      const functions = new Map<string, UsageReport['functions'][number]>();
      for (const row of rows) {
        let entry = functions.get(row.function_name);
        if (!entry) {
          entry = { functionName: row.function_name, requests: 0, gbSeconds: 0, architectures: {} };
          functions.set(row.function_name, entry);
        }
        entry.requests += row.requests;
        entry.gbSeconds += row.gb_seconds;
        entry.architectures[row.architecture] = { requests: row.requests, gbSeconds: row.gb_seconds };
      }
      const report: UsageReport = {
        accountId,
        region,
        since: usageBucket(since),
        functions: [...functions.values()],
      };
      return jsonResponse(200, report);
    },
  };
}
