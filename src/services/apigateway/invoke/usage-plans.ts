/**
 * What stands between a matched, authorized call and its integration: the stage's throttling
 * (every caller), and for a REST API method with `apiKeyRequired`, the API key (from `x-api-key`,
 * or a Lambda authorizer's `usageIdentifierKey` when the API's `apiKeySource` is `AUTHORIZER`),
 * the usage plan covering the API stage, its throttle and its quota. Throttling is in this node's
 * memory (throttle.ts); quotas are counted in the store, so they hold across nodes.
 */
import type { MethodSetting, ThrottleSettings } from '@aws-sdk/client-api-gateway';
import type { RouteSettings } from '@aws-sdk/client-apigatewayv2';
import type { Clock } from '../../../engine/clock.js';
import type { Store } from '../../../storage/store.js';
import type { EdgeResponse } from '../../service.js';
import { apiKeyOf } from '../api-keys.js';
import { dayOf, periodStart } from '../quota-period.js';
import type { ApiRow } from '../tables.js';
import { usagePlanOf, type StoredUsagePlan } from '../usage-plans.js';
import { apiKeyQueries, quotaQueries, usagePlanQueries } from '../usage-tables.js';
import type { ApiCall } from './api-call.js';
import { gatewayResponse, invalidApiKey } from './gateway-responses.js';
import { lastHeader } from './request-parts.js';
import { Throttles, type ThrottleLimits } from './throttle.js';

export const tooManyRequests = (requestId: string) =>
  gatewayResponse(429, 'Too Many Requests', 'TooManyRequestsException', requestId, 'THROTTLED');
export const limitExceeded = (requestId: string) =>
  gatewayResponse(429, 'Limit Exceeded', 'LimitExceededException', requestId, 'QUOTA_EXCEEDED');

/** What the REST invoker knows of the call once it is matched and authorized. */
export interface RestAdmission {
  api: ApiRow;
  call: ApiCall;
  /** The API's `apiKeySource` as deployed. */
  apiKeySource: string | undefined;
  methodSettings: Record<string, MethodSetting> | undefined;
  resourcePath: string;
  /** The method's own HTTP method (`ANY` for an ANY method). */
  httpMethod: string;
  apiKeyRequired: boolean;
  /** A Lambda authorizer's `usageIdentifierKey`, if it answered one. */
  usageIdentifierKey?: string | undefined;
}

/** `methodSettings` key of a method: its resource path as a JSON pointer segment, then the method. */
export function methodSettingsKey(resourcePath: string, httpMethod: string): string {
  return `${resourcePath.replace(/~/g, '~0').replace(/\//g, '~1')}/${httpMethod}`;
}

function limitsOf(rate: number | undefined, burst: number | undefined): ThrottleLimits | undefined {
  if (rate === undefined && burst === undefined) return undefined;
  return { rateLimit: rate ?? Number.POSITIVE_INFINITY, burstLimit: burst ?? Number.MAX_SAFE_INTEGER };
}

function planLimits(settings: ThrottleSettings | undefined): ThrottleLimits | undefined {
  return settings ? limitsOf(settings.rateLimit, settings.burstLimit) : undefined;
}

export class UsageLimits {
  private readonly throttles: Throttles;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {
    this.throttles = new Throttles(clock);
  }

  /** The refusal for a REST API call, or undefined when it may go on to its integration. */
  async admitRest(a: RestAdmission): Promise<EdgeResponse | undefined> {
    const { call } = a;
    const methodKey = methodSettingsKey(a.resourcePath, a.httpMethod);
    const own = a.methodSettings?.[methodKey];
    const stageWide = a.methodSettings?.['*/*'];
    // The stage's `*/*` limits apply to each method on its own, as a method's own limits would.
    const stageLimits =
      limitsOf(own?.throttlingRateLimit, own?.throttlingBurstLimit) ??
      limitsOf(stageWide?.throttlingRateLimit, stageWide?.throttlingBurstLimit);
    if (stageLimits && !this.throttles.take(`stage:${call.apiId}/${call.stage}/${methodKey}`, stageLimits))
      return tooManyRequests(call.requestId);
    if (!a.apiKeyRequired) return undefined;

    const value =
      a.apiKeySource === 'AUTHORIZER' ? a.usageIdentifierKey : lastHeader(call.headers, 'x-api-key');
    if (!value) return invalidApiKey(call.requestId);
    const place = { accountId: a.api.account_id, region: a.api.region };
    const keyRow = await apiKeyQueries.findByValue(this.store, place, value);
    const key = keyRow && apiKeyOf(keyRow);
    if (!key?.enabled) return invalidApiKey(call.requestId);
    const plan = (await usagePlanQueries.ofKey(this.store, key.id))
      .map(usagePlanOf)
      .find((p) => p.apiStages?.some((s) => s.apiId === call.apiId && s.stage === call.stage));
    if (!plan) return invalidApiKey(call.requestId);

    const pathKey = `${a.resourcePath}/${a.httpMethod}`;
    const override = plan.apiStages?.find((s) => s.apiId === call.apiId && s.stage === call.stage)
      ?.throttle?.[pathKey];
    const methodLimits = planLimits(override);
    const limits = methodLimits ?? planLimits(plan.throttle);
    const bucket = `plan:${plan.id}/${key.id}${methodLimits ? `/${pathKey}` : ''}`;
    if (limits && !this.throttles.take(bucket, limits)) return tooManyRequests(call.requestId);
    return (await this.countQuota(plan, key.id)) ? undefined : limitExceeded(call.requestId);
  }

  /** The refusal for an HTTP API call over its route's (or the stage's default) throttle. */
  admitHttp(
    call: ApiCall,
    routeKey: string,
    stage: { DefaultRouteSettings?: RouteSettings; RouteSettings?: Record<string, RouteSettings> },
  ): EdgeResponse | undefined {
    const own = stage.RouteSettings?.[routeKey];
    const ownLimits = limitsOf(own?.ThrottlingRateLimit, own?.ThrottlingBurstLimit);
    const limits =
      ownLimits ??
      limitsOf(
        stage.DefaultRouteSettings?.ThrottlingRateLimit,
        stage.DefaultRouteSettings?.ThrottlingBurstLimit,
      );
    if (!limits) return undefined;
    return this.throttles.take(`http:${call.apiId}/${call.stage}/${routeKey}`, limits)
      ? undefined
      : tooManyRequests(call.requestId);
  }

  /** Takes one request from the key's quota (true), or finds it used up (false). */
  private async countQuota(plan: StoredUsagePlan, keyId: string): Promise<boolean> {
    const quota = plan.quota;
    if (!quota?.period || quota.limit === undefined) return true;
    const now = this.clock.now();
    const start = periodStart(now, quota.period, quota.offset ?? 0);
    const limit = quota.limit;
    return this.store.transaction(async (tx) => {
      const used = await quotaQueries.take(tx, plan.id, keyId, start, limit);
      if (used === undefined) return false;
      await quotaQueries.recordDay(tx, plan.id, keyId, dayOf(now), limit - used);
      return true;
    });
  }

  forget(): void {
    this.throttles.forget();
  }
}
