/**
 * REST API stage caches at work: between a call that passed its authorizer, throttling and usage
 * plan, and the method's integration.
 *
 * A method's answers are cached when its stage has a cache cluster and its method settings turn
 * caching on — its own (`~1pets/GET`), else the stage-wide `*\/*` ones, which AWS applies to GET
 * methods only — with a TTL above 0 (300 s unless set). An answer is found again by the
 * integration's `cacheNamespace` (the resource's id unless set), the HTTP method and the values of
 * its `cacheKeyParameters` (`method.request.querystring.type`, `…header.x`, `…path.id`,
 * `integration.request.…`): other parameters do not tell requests apart, as on AWS.
 *
 * Only successful (2xx) answers of at most 1 MB are stored — AWS documents the size limit; which
 * statuses it keeps it does not, and an error is not worth serving again. Entries are rows in the
 * store (stage-cache-tables.ts) so that every node serves and flushes the same cache; the oldest
 * go once a stage's entries outgrow its cluster's size.
 */
import type { Integration, MethodSetting } from '@aws-sdk/client-api-gateway';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../../engine/clock.js';
import type { Store } from '../../../storage/store.js';
import type { EdgeResponse } from '../../service.js';
import { MAX_CACHE_TTL_SECONDS } from '../method-settings.js';
import { cacheEntryQueries, type CacheEntryRow } from '../stage-cache-tables.js';
import { cacheCapacityBytes } from '../stage-caches.js';
import type { ApiRow } from '../tables.js';
import type { ApiCall, RouteMatch } from './api-call.js';
import { restApiMetricTarget, type ApiMetrics } from './api-metrics.js';
import { asksForFreshAnswer, type CacheInvalidators } from './cache-invalidation.js';
import { gatewayResponse } from './gateway-responses.js';
import { parameterValue } from './parameters.js';
import { requestParts } from './rest-integrations.js';
import { methodSettingsKey } from './usage-plans.js';

const DEFAULT_TTL_SECONDS = 300;
const MAX_CACHED_BYTES = 1_048_576;
/** Headers that belong to one call, not to the answer: a cached answer gets the new call's. */
const PER_CALL_HEADERS = ['x-amzn-requestid', 'x-amz-apigw-id'];
/** What API Gateway adds when it ignores an unauthorized `Cache-Control: max-age=0` (the text is Stratus's). */
const IGNORED_WARNING = '199 - "Cache-Control: max-age=0 ignored: the caller may not invalidate the cache"';

/** How a method's answers are cached. */
export interface MethodCaching {
  ttlSeconds: number;
  requireAuthorization: boolean;
  unauthorizedStrategy: string;
}

/** What a stage says about caching (its document's fields). */
export interface StageCaching {
  cacheClusterEnabled?: boolean;
  cacheClusterSize?: string;
  methodSettings?: Record<string, MethodSetting>;
}

/** The caching that applies to a call of a method, or undefined when its answers are not cached. */
export function methodCaching(
  stage: StageCaching,
  resourcePath: string,
  httpMethod: string,
  requestMethod: string,
): MethodCaching | undefined {
  if (!stage.cacheClusterEnabled) return undefined;
  const own = stage.methodSettings?.[methodSettingsKey(resourcePath, httpMethod)];
  const stageWide = stage.methodSettings?.['*/*'];
  const enabled = own?.cachingEnabled ?? (requestMethod === 'GET' && stageWide?.cachingEnabled);
  const ttlSeconds = Math.min(
    own?.cacheTtlInSeconds ?? stageWide?.cacheTtlInSeconds ?? DEFAULT_TTL_SECONDS,
    MAX_CACHE_TTL_SECONDS,
  );
  if (!enabled || ttlSeconds <= 0) return undefined;
  return {
    ttlSeconds,
    requireAuthorization:
      own?.requireAuthorizationForCacheControl ?? stageWide?.requireAuthorizationForCacheControl ?? true,
    unauthorizedStrategy:
      own?.unauthorizedCacheControlHeaderStrategy ??
      stageWide?.unauthorizedCacheControlHeaderStrategy ??
      'SUCCEED_WITH_RESPONSE_HEADER',
  };
}

/** The key a call's answer is cached under (a SHA-256, so any parameter values fit). */
export function cacheKeyOf(
  integration: Pick<Integration, 'cacheNamespace' | 'cacheKeyParameters' | 'requestParameters'>,
  resourceId: string,
  requestMethod: string,
  call: ApiCall,
  route: RouteMatch,
): string {
  const parameters = integration.cacheKeyParameters ?? [];
  const sources = { request: requestParts(call, route), stageVariables: route.stageVariables, context: {} };
  const values = parameters.map((name) => {
    // An integration request parameter's value is that of the method request parameter it maps.
    const expression = name.startsWith('integration.request.') ? integration.requestParameters?.[name] : name;
    return [name, expression === undefined ? null : (parameterValue(expression, sources) ?? null)];
  });
  const identity = JSON.stringify([integration.cacheNamespace ?? resourceId, requestMethod, values]);
  return createHash('sha256').update(identity).digest('hex');
}

/** What the stage cache needs of a matched call. */
export interface CacheLookup {
  api: ApiRow;
  call: ApiCall;
  route: RouteMatch;
  stage: StageCaching;
  /** The method's own HTTP method (`ANY` for an ANY method). */
  httpMethod: string;
  integration: Integration | undefined;
}

export class StageCache {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly metrics: ApiMetrics,
    private readonly invalidators: CacheInvalidators,
    private readonly logger: Logger,
  ) {}

  /** The call's answer: from the stage's cache, or from `integrate` (timed, and cached when it may be). */
  async serve(lookup: CacheLookup, integrate: () => Promise<EdgeResponse>): Promise<EdgeResponse> {
    const { api, call, route } = lookup;
    const target = restApiMetricTarget(api, call.stage);
    const caching =
      lookup.integration && methodCaching(lookup.stage, route.resourcePath, lookup.httpMethod, call.method);
    if (!caching) return this.metrics.timeIntegration(target, integrate);

    const key = cacheKeyOf(lookup.integration!, route.resourceId, call.method, call, route);
    let fresh = false;
    let warn = false;
    if (asksForFreshAnswer(call.headers)) {
      if (!caching.requireAuthorization || (await this.invalidators.mayInvalidate(call))) fresh = true;
      else if (caching.unauthorizedStrategy === 'FAIL_WITH_403')
        return gatewayResponse(403, 'Unauthorized', 'UnauthorizedException', call.requestId);
      else warn = caching.unauthorizedStrategy === 'SUCCEED_WITH_RESPONSE_HEADER';
    }
    const cached = fresh ? undefined : await this.find(api.id, call.stage, key);
    this.metrics.recordCacheLookup(target, cached !== undefined);
    const answer = cached ? answerOf(cached, call) : await this.metrics.timeIntegration(target, integrate);
    if (!cached) await this.keep(api.id, call.stage, key, answer, caching, lookup.stage.cacheClusterSize);
    return warn ? { ...answer, headers: { ...answer.headers, warning: IGNORED_WARNING } } : answer;
  }

  private async find(apiId: string, stage: string, key: string): Promise<CacheEntryRow | undefined> {
    try {
      return await cacheEntryQueries.find(this.store, apiId, stage, key, this.clock.now());
    } catch (err) {
      // Caching is best-effort, as on AWS: a cache that fails is a miss.
      this.logger.warn({ err, apiId, stage }, 'stage cache lookup failed');
      return undefined;
    }
  }

  private async keep(
    apiId: string,
    stage: string,
    key: string,
    answer: EdgeResponse,
    caching: MethodCaching,
    clusterSize: string | undefined,
  ): Promise<void> {
    const { status, body: sent } = answer;
    if (status < 200 || status > 299 || !(Buffer.isBuffer(sent) || typeof sent === 'string')) return;
    const body = Buffer.isBuffer(sent) ? sent : Buffer.from(sent);
    const headers = JSON.stringify(
      Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !PER_CALL_HEADERS.includes(name))),
    );
    if (body.length > MAX_CACHED_BYTES) return;
    const now = this.clock.now();
    try {
      await this.store.transaction(async (tx) => {
        await cacheEntryQueries.put(tx, {
          api_id: apiId,
          stage,
          cache_key: key,
          status,
          headers,
          body,
          size: body.length + headers.length,
          stored_at: now,
          expires_at: now + caching.ttlSeconds * 1000,
        });
        await cacheEntryQueries.evict(tx, apiId, stage, cacheCapacityBytes(clusterSize), now);
      });
    } catch (err) {
      // The stage may have gone meanwhile (its entries with it); the answer stands uncached.
      this.logger.debug({ err, apiId, stage }, 'stage cache could not keep an answer');
    }
  }
}

/** A cached answer, as this call's. */
function answerOf(entry: CacheEntryRow, call: ApiCall): EdgeResponse {
  const headers = JSON.parse(entry.headers) as Record<string, string | string[]>;
  return {
    status: Number(entry.status),
    headers: { ...headers, 'x-amzn-requestid': call.requestId, 'x-amz-apigw-id': call.extendedRequestId },
    body: Buffer.from(entry.body),
  };
}
