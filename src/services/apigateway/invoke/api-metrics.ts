/**
 * API Gateway's own CloudWatch metrics in `AWS/ApiGateway`: `Count`, `4XXError`, `5XXError` and
 * `Latency` for every call to a deployed API — by `ApiName` and `ApiName`+`Stage` for REST APIs,
 * by `ApiId` and `ApiId`+`Stage` for HTTP APIs, as AWS publishes them.
 */
import type { Dimension } from '@aws-sdk/client-cloudwatch';
import type { Logger } from 'pino';
import type { Clock } from '../../../engine/clock.js';
import { MetricAggregator } from '../../../engine/metric-aggregator.js';
import type { ServiceCaller } from '../../service.js';

export interface ServedCall {
  accountId: string;
  region: string;
  kind: 'REST' | 'HTTP';
  /** The REST API's name, or the HTTP API's id. */
  api: string;
  stage: string | undefined;
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
    const apiDimension: Dimension = { Name: call.kind === 'REST' ? 'ApiName' : 'ApiId', Value: call.api };
    const sets: Dimension[][] = [[apiDimension]];
    if (call.stage !== undefined) sets.push([apiDimension, { Name: 'Stage', Value: call.stage }]);
    const at = { accountId: call.accountId, region: call.region };
    this.aggregator.record(at, 'Count', sets, 1);
    // AWS's HTTP APIs name them 4xx and 5xx.
    const [client, server] = call.kind === 'REST' ? ['4XXError', '5XXError'] : ['4xx', '5xx'];
    this.aggregator.record(at, client, sets, call.status >= 400 && call.status < 500 ? 1 : 0);
    this.aggregator.record(at, server, sets, call.status >= 500 ? 1 : 0);
    this.aggregator.record(at, 'Latency', sets, call.latencyMs);
  }

  discard(): Promise<void> {
    return this.aggregator.discard();
  }

  flush(): Promise<void> {
    return this.aggregator.flush();
  }
}
