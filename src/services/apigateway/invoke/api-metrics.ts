/**
 * API Gateway's own CloudWatch metrics in `AWS/ApiGateway`: `Count`, `4XXError`, `5XXError` and
 * `Latency` for every call to a deployed API, `IntegrationLatency` for every call that reached its
 * integration, and `CacheHitCount`/`CacheMissCount` for REST API calls of cached methods — by
 * `ApiName` and `ApiName`+`Stage` for REST APIs, by `ApiId` and `ApiId`+`Stage` for HTTP APIs
 * (which name the errors `4xx` and `5xx`), as AWS publishes them.
 */
import type { Dimension } from '@aws-sdk/client-cloudwatch';
import type { Logger } from 'pino';
import type { Clock } from '../../../engine/clock.js';
import { MetricAggregator } from '../../../engine/metric-aggregator.js';
import type { ServiceCaller } from '../../service.js';
import type { ApiRow } from '../tables.js';

/** Whose metrics a figure adds to. */
export interface MetricTarget {
  accountId: string;
  region: string;
  kind: 'REST' | 'HTTP';
  /** The REST API's name, or the HTTP API's id. */
  api: string;
  stage: string | undefined;
}

/** REST API names by API row: the edge reads a row once and keeps it, so its name is parsed once. */
const restApiNames = new WeakMap<ApiRow, string>();

/** The metric target of a call to a REST API's stage: the API's name, as AWS's dimensions name it. */
export function restApiMetricTarget(api: ApiRow, stage: string): MetricTarget {
  let name = restApiNames.get(api);
  if (name === undefined) {
    name = (JSON.parse(api.document) as { name?: string }).name ?? api.id;
    restApiNames.set(api, name);
  }
  return { accountId: api.account_id, region: api.region, kind: 'REST', api: name, stage };
}

export interface ServedCall extends MetricTarget {
  status: number;
  latencyMs: number;
}

export class ApiMetrics {
  private readonly aggregator: MetricAggregator;

  constructor(services: ServiceCaller, clock: Clock, logger: Logger) {
    this.aggregator = new MetricAggregator(
      'AWS/ApiGateway',
      (name) => (name === 'Latency' || name === 'IntegrationLatency' ? 'Milliseconds' : 'Count'),
      services,
      clock,
      logger,
    );
  }

  record(call: ServedCall): void {
    const sets = dimensionSets(call);
    const at = call;
    this.aggregator.record(at, 'Count', sets, 1);
    // AWS's HTTP APIs name them 4xx and 5xx.
    const [client, server] = call.kind === 'REST' ? ['4XXError', '5XXError'] : ['4xx', '5xx'];
    this.aggregator.record(at, client, sets, call.status >= 400 && call.status < 500 ? 1 : 0);
    this.aggregator.record(at, server, sets, call.status >= 500 ? 1 : 0);
    this.aggregator.record(at, 'Latency', sets, call.latencyMs);
  }

  /**
   * Runs a call's integration, recording as `IntegrationLatency` the time from handing it the
   * request to having its answer.
   */
  async timeIntegration<T>(target: MetricTarget, integrate: () => Promise<T>): Promise<T> {
    const began = performance.now();
    try {
      return await integrate();
    } finally {
      this.aggregator.record(target, 'IntegrationLatency', dimensionSets(target), performance.now() - began);
    }
  }

  /** A call of a cached REST API method, answered from the stage's cache (`hit`) or its integration. */
  recordCacheLookup(target: MetricTarget, hit: boolean): void {
    const sets = dimensionSets(target);
    this.aggregator.record(target, 'CacheHitCount', sets, hit ? 1 : 0);
    this.aggregator.record(target, 'CacheMissCount', sets, hit ? 0 : 1);
  }

  discard(): Promise<void> {
    return this.aggregator.discard();
  }

  flush(): Promise<void> {
    return this.aggregator.flush();
  }
}

function dimensionSets(target: MetricTarget): Dimension[][] {
  const api: Dimension = { Name: target.kind === 'REST' ? 'ApiName' : 'ApiId', Value: target.api };
  const sets: Dimension[][] = [[api]];
  if (target.stage !== undefined) sets.push([api, { Name: 'Stage', Value: target.stage }]);
  return sets;
}
