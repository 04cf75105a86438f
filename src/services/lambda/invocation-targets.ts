/**
 * What synchronous invocations run, cached: a warm Invoke would otherwise read the function, its
 * version (and alias) and parse the version's configuration every time.
 *
 * Correctness: any Lambda operation on this node that may change what a name resolves to
 * (everything but reads and invokes, see `forgettingAfterWrites`) empties the cache when it
 * completes, and an entry read before that is never stored (`generation`), so the next Invoke on
 * this node sees the change. A change made through another node sharing the store is seen within
 * `ttlMs` (Lambda, too, serves the previous code for a moment after an update).
 */
import type { Queryable } from '../../storage/store.js';
import type { Region } from './arns.js';
import { parseConfig, type VersionConfig } from './configuration.js';
import { pickTarget, resolveRows, type InvocationTarget, type ResolvedRows } from './invocation-target.js';
import type { VersionRow } from './tables.js';

interface Entry {
  rows: ResolvedRows;
  /** Parsed configurations of the entry's versions, by version. */
  configs: Map<string, VersionConfig>;
  readAt: number;
}

const defaultTtlMs = 1000;
const maxEntries = 10_000;

export class InvocationTargets {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every change: a resolution begun before one is not cached. */
  private generation = 0;

  constructor(
    private readonly db: Queryable,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = defaultTtlMs,
  ) {}

  async resolve(at: Region, functionName: string, qualifier?: string): Promise<InvocationTarget> {
    const key = `${at.accountId}/${at.region}/${functionName}/${qualifier ?? ''}`;
    let entry = this.entries.get(key);
    if (!entry || this.now() - entry.readAt >= this.ttlMs) {
      const generation = this.generation;
      const readAt = this.now();
      const rows = await resolveRows(this.db, at, functionName, qualifier);
      entry = { rows, configs: new Map(), readAt };
      if (generation === this.generation) {
        if (this.entries.size >= maxEntries) this.entries.clear();
        this.entries.set(key, entry);
      }
    }
    const { configs } = entry;
    return pickTarget(entry.rows, Math.random, (version: VersionRow) => {
      let config = configs.get(version.version);
      if (!config) configs.set(version.version, (config = parseConfig(version)));
      return config;
    });
  }

  /** Something may have changed: resolve everything again. */
  forget(): void {
    this.generation++;
    this.entries.clear();
  }
}

/** Operations that never change what a function name resolves to. */
const readOnly = /^(Get|List|Invoke)/;

/**
 * The provider, with `forget` called when any other operation has completed (succeeded or not:
 * a failed one may have changed something before it failed).
 */
export function forgettingAfterWrites<T extends object>(provider: T, forget: () => void): T {
  return new Proxy(provider, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || readOnly.test(property))
        return value;
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => unknown).apply(target, args);
        } finally {
          forget();
        }
      };
    },
  });
}
