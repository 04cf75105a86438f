/**
 * A REST API stage's cache cluster as the management API shows and changes it, and the flushes:
 * FlushStageCache (the stage's cached responses), FlushStageAuthorizersCache and v2's
 * ResetAuthorizersCache (the stage's cached Lambda authorizer answers).
 *
 * AWS takes minutes to create a cache cluster (`CREATE_IN_PROGRESS`) and to delete one; Stratus's
 * cache is rows in the store, so an enabled cluster is `AVAILABLE` at once and a disabled one
 * `NOT_AVAILABLE`. As on AWS, turning the cluster off or changing its size drops what it held.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import type { Store } from '../../storage/store.js';
import type { RequestContext } from '../service.js';
import { BadRequestException, invalidApi, invalidStage, NotFoundException } from './errors.js';
import { requireHttpApi } from './http-api-lookup.js';
import { authorizerCacheQueries, cacheEntryQueries } from './stage-cache-tables.js';
import { apiQueries, stageQueries, type ApiRow } from './tables.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;
type CacheCluster = Pick<APIGW.Stage, 'cacheClusterEnabled' | 'cacheClusterSize' | 'cacheClusterStatus'>;

/** The sizes AWS offers, in GB. */
export const CACHE_CLUSTER_SIZES: readonly string[] = [
  '0.5',
  '1.6',
  '6.1',
  '13.5',
  '28.4',
  '58.2',
  '118',
  '237',
];
const DEFAULT_SIZE = '0.5';

/** How many bytes of responses a cluster of this size holds. */
export function cacheCapacityBytes(size: string | undefined): number {
  return Math.round(Number(size ?? DEFAULT_SIZE) * 1024 ** 3);
}

/** The cache cluster fields of a new stage (CreateStage, CreateDeployment with a new stage name). */
export function newCacheCluster(enabled: boolean | undefined, size: string | undefined): CacheCluster {
  const on = enabled ?? false;
  const chosen = size ?? (on ? DEFAULT_SIZE : undefined);
  return {
    cacheClusterEnabled: on,
    ...(chosen !== undefined ? { cacheClusterSize: chosen as APIGW.CacheClusterSize } : {}),
    cacheClusterStatus: on ? 'AVAILABLE' : 'NOT_AVAILABLE',
  };
}

/**
 * Brings a stage's cluster status in line with what an update asked for (`/cacheClusterEnabled`,
 * `/cacheClusterSize`, CreateDeployment's settings) and answers whether its cached data must go.
 */
export function settleCacheCluster(before: CacheCluster, after: CacheCluster): boolean {
  if (after.cacheClusterSize !== undefined && !CACHE_CLUSTER_SIZES.includes(after.cacheClusterSize)) {
    throw new BadRequestException(
      `Invalid cache cluster size specified: ${after.cacheClusterSize}. Valid values are ${CACHE_CLUSTER_SIZES.join(', ')}`,
    );
  }
  const on = after.cacheClusterEnabled ?? false;
  if (on) after.cacheClusterSize ??= DEFAULT_SIZE;
  after.cacheClusterStatus = on ? 'AVAILABLE' : 'NOT_AVAILABLE';
  const wasOn = before.cacheClusterEnabled ?? false;
  return wasOn && (!on || after.cacheClusterSize !== before.cacheClusterSize);
}

/** CreateDeployment's cache settings on a stage it moves: whether the stage's cached data must go. */
export function redeployCacheCluster(
  stage: CacheCluster,
  enabled: boolean | undefined,
  size: string | undefined,
): boolean {
  const before = { ...stage };
  if (enabled !== undefined) stage.cacheClusterEnabled = enabled;
  if (size !== undefined) stage.cacheClusterSize = size as APIGW.CacheClusterSize;
  return settleCacheCluster(before, stage);
}

export class StageCaches {
  constructor(private readonly store: Store) {}

  async flushStageCache(input: APIGW.FlushStageCacheRequest, at: Place): Promise<void> {
    const api = await this.restApi(at, input.restApiId!);
    await this.store.transaction(async (tx) => {
      if (!(await stageQueries.find(tx, api.id, input.stageName!))) throw invalidStage();
      await cacheEntryQueries.flush(tx, api.id, input.stageName!);
    });
  }

  async flushStageAuthorizersCache(input: APIGW.FlushStageAuthorizersCacheRequest, at: Place): Promise<void> {
    const api = await this.restApi(at, input.restApiId!);
    if (!(await authorizerCacheQueries.flush(this.store, api.id, input.stageName!))) throw invalidStage();
  }

  async resetAuthorizersCache(input: V2.ResetAuthorizersCacheRequest, at: Place): Promise<void> {
    const api = await requireHttpApi(this.store, at, input.ApiId!);
    if (!(await authorizerCacheQueries.flush(this.store, api.ApiId!, input.StageName!))) {
      throw new NotFoundException(`Invalid stage identifier specified ${input.StageName!}`);
    }
  }

  private async restApi(at: Place, id: string): Promise<ApiRow> {
    const row = await apiQueries.find(this.store, at, 'REST', id);
    if (!row) throw invalidApi(at.accountId, id);
    return row;
  }
}
