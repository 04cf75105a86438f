/**
 * Deployments, compiled for serving and kept: a deployment never changes, so what was made of its
 * snapshot once (a REST API's resource tree, an HTTP API's routes) serves every later call. Only
 * the stage row, which names the deployment, is read per call.
 */
import { BoundedMap } from '../../../engine/bounded-map.js';
import type { Store } from '../../../storage/store.js';
import { deploymentQueries } from '../tables.js';

/** Compiled deployments kept; a deployment is small, and only the served ones are asked for. */
const CACHED_DEPLOYMENTS = 200;

export class CompiledDeployments<Snapshot, Compiled> {
  private readonly compiled = new BoundedMap<string, Compiled>(CACHED_DEPLOYMENTS);

  constructor(
    private readonly store: Store,
    private readonly compile: (snapshot: Snapshot) => Compiled,
  ) {}

  /** The deployment compiled, or undefined when it is gone. */
  async get(apiId: string, deploymentId: string): Promise<Compiled | undefined> {
    const key = `${apiId}/${deploymentId}`;
    const cached = this.compiled.get(key);
    if (cached) return cached;
    const row = await deploymentQueries.find(this.store, apiId, deploymentId);
    if (!row) return undefined;
    const compiled = this.compile(JSON.parse(row.snapshot) as Snapshot);
    this.compiled.set(key, compiled);
    return compiled;
  }

  /** Drops what was read from rows a reset wiped or a snapshot replaced. */
  forget(): void {
    this.compiled.clear();
  }
}
