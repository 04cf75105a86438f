/**
 * The state of the running services as reset and snapshots see it, from what each service
 * declares (`tables`, `workQueues`, `referencedBlobs`, and its instance's `quiesce` / `reset` /
 * `flush` hooks): so neither knows any service by name.
 */
import type { Logger } from 'pino';
import type { ServiceDefinition, ServiceInstance } from '../../services/service.js';
import type { BlobStore } from '../../storage/blobs.js';
import { stratusTables } from '../../storage/catalog.js';
import type { Queryable, Store } from '../../storage/store.js';
import type { StateChanges } from './state-changes.js';

export interface RunningService {
  definition: ServiceDefinition;
  instance: ServiceInstance;
}

/** Service names that name no running service: a usage error listing the valid ones. */
export class UnknownServices extends Error {
  constructor(
    readonly unknown: readonly string[],
    readonly valid: readonly string[],
  ) {
    super(
      `Unknown service${unknown.length === 1 ? '' : 's'} ${unknown.map((n) => `'${n}'`).join(', ')}; ` +
        `valid names: ${valid.join(', ')}`,
    );
  }
}

export class ServicesState {
  constructor(
    readonly store: Store,
    readonly blobs: BlobStore,
    private readonly services: readonly RunningService[],
    private readonly logger: Logger,
    /** Where a wipe or replacement is recorded for the other nodes sharing the store. */
    readonly changes: StateChanges,
  ) {}

  get names(): string[] {
    return this.services.map((s) => s.definition.name);
  }

  /**
   * The services `names` stand for, with every service that shares their state (`ses` and
   * `sesv2`), in registry order; every service when `names` is undefined.
   */
  select(names?: readonly string[]): RunningService[] {
    if (names === undefined) return [...this.services];
    const unknown = names.filter((name) => !this.names.includes(name));
    if (unknown.length > 0) throw new UnknownServices(unknown, this.names);
    const group = (s: RunningService) => s.definition.sharesStateWith ?? s.definition.name;
    const groups = new Set(this.services.filter((s) => names.includes(s.definition.name)).map(group));
    return this.services.filter((s) => groups.has(group(s)));
  }

  /** The selected services' tables, parents before children. */
  tablesOf(selected: readonly RunningService[]): string[] {
    return selected.flatMap((s) => s.definition.tables ?? []);
  }

  /** What a snapshot holds: Stratus's work items and every service's tables. */
  allTables(): string[] {
    return [stratusTables.workItems, ...this.tablesOf(this.services)];
  }

  workQueues(selected: readonly RunningService[]): string[] {
    return selected.flatMap((s) => s.definition.workQueues ?? []);
  }

  /**
   * Rewrites the selected services' rows in one transaction (`work`: a reset's deletes, a load's
   * swap): they quiesce before, the change is recorded for the other nodes inside it, and they pick
   * up what the store holds after — even when the transaction failed. Then unused blobs go.
   */
  async rewrite<T>(
    selected: readonly RunningService[],
    work: (tx: Queryable) => Promise<T>,
  ): Promise<{ result: T; blobs: number }> {
    const everything = selected.length === this.services.length;
    await this.quiesce(selected);
    let result: T;
    try {
      result = await this.store.transaction(async (tx) => {
        const done = await work(tx);
        await this.changes.record(tx, everything ? undefined : selected.map((s) => s.definition.name));
        return done;
      });
    } finally {
      await this.reset(selected);
    }
    return { result, blobs: await this.collectGarbage() };
  }

  async quiesce(selected: readonly RunningService[]): Promise<void> {
    await Promise.all(selected.map((s) => s.instance.quiesce?.()));
  }

  async reset(selected: readonly RunningService[]): Promise<void> {
    await Promise.all(selected.map((s) => s.instance.reset?.()));
  }

  /** Writes every service holds back, so what has been answered is in the store. */
  async flush(): Promise<void> {
    await Promise.all(this.services.map((s) => s.instance.flush?.()));
  }

  /** The blobs the rows name, across every service. */
  async referencedBlobs(db: Queryable): Promise<Set<string>> {
    const hashes = new Set<string>();
    for (const { definition } of this.services) {
      for (const hash of (await definition.referencedBlobs?.(db)) ?? []) hashes.add(hash);
    }
    return hashes;
  }

  /**
   * Deletes those of `hashes` that no service's rows name and no upload in progress holds. What
   * uploads hold is read first: one that commits meanwhile is then seen by its rows.
   */
  async releaseBlobs(hashes: Iterable<string>): Promise<void> {
    const candidates = new Set(hashes);
    if (candidates.size === 0) return;
    const holding = () =>
      new Set(this.services.flatMap(({ instance }) => [...(instance.pinnedBlobs?.() ?? [])]));
    const held = holding();
    let listed: Set<string> | undefined;
    const inUse = async (hash: string) => {
      for (const { definition } of this.services) {
        if (definition.blobInUse) {
          if (await definition.blobInUse(this.store, hash)) return true;
        } else if (definition.referencedBlobs) {
          listed ??= new Set(
            (
              await Promise.all(
                this.services
                  .filter((s) => !s.definition.blobInUse)
                  .map(async (s) => [...((await s.definition.referencedBlobs?.(this.store)) ?? [])]),
              )
            ).flat(),
          );
          if (listed.has(hash)) return true;
        }
      }
      return false;
    };
    for (const hash of candidates) {
      if (held.has(hash) || (await inUse(hash))) continue;
      // An upload that found these bytes stored while the rows were read holds them by now.
      if (holding().has(hash)) continue;
      try {
        await this.blobs.delete(hash);
      } catch (err) {
        this.logger.warn({ err, sha256: hash }, 'could not delete an unused blob');
      }
    }
  }

  /**
   * Deletes the blobs no row names and no upload in progress holds; resolves to how many. With
   * `unusedForMs`, only those not written for that long: what a sweep while uploads run (on any
   * node sharing the blobs) may delete, as an upload's bytes are written before its row commits.
   */
  async collectGarbage(options: { unusedForMs?: number } = {}): Promise<number> {
    const keep = await this.referencedBlobs(this.store);
    for (const { instance } of this.services)
      for (const hash of instance.pinnedBlobs?.() ?? []) keep.add(hash);
    const writtenBefore = options.unusedForMs === undefined ? undefined : Date.now() - options.unusedForMs;
    let deleted = 0;
    for (const hash of await this.blobs.list()) {
      if (keep.has(hash)) continue;
      if (writtenBefore !== undefined && ((await this.blobs.modifiedAt(hash)) ?? 0) > writtenBefore) continue;
      try {
        await this.blobs.delete(hash);
        deleted++;
      } catch (err) {
        this.logger.warn({ err, sha256: hash }, 'could not delete an unused blob');
      }
    }
    return deleted;
  }
}
