/**
 * Serves HTTP API calls: the stage (a named one as the path's first segment, else `$default`),
 * CORS preflights, the route, and its integration — a function (payload format 2.0 or 1.0) or
 * an HTTP endpoint. Compiled deployments are cached by id, as for REST APIs.
 */
import type { Integration } from '@aws-sdk/client-apigatewayv2';
import type { Logger } from 'pino';
import { isServiceError } from '../../../protocol/errors.js';
import type { Store } from '../../../storage/store.js';
import type { EdgeResponse, ServiceCaller } from '../../service.js';
import { httpStageOf, type HttpSnapshot, type StoredHttpStage } from '../http-stages.js';
import { authorizerCacheGeneration } from '../stage-cache-tables.js';
import { stageQueries, type ApiRow, type StageRow } from '../tables.js';
import type { ApiCall, RouteMatch } from './api-call.js';
import type { ApiMetrics } from './api-metrics.js';
import { v2AccessLogSettings, type CallTrace } from './call-trace.js';
import { CompiledDeployments } from './compiled-deployments.js';
import type { Authorizers } from './authorizers/authorize.js';
import { authorizeHttpRoute } from './authorizers/method-authorization.js';
import { isCorsHeader, isPreflight, preflightHeaders, responseHeaders } from './cors.js';
import { gatewayResponse, notFound } from './gateway-responses.js';
import { httpProxyEventV2 } from './http-proxy-event.js';
import { HttpRoutes, type HttpRouteMatch } from './http-routes.js';
import { functionOfUri, invokeFunction } from './lambda-integration.js';
import { fillPath, forwardHttp, withQuery } from './http-forward.js';
import { serviceInput, serviceOperationOf } from './http-service-integration.js';
import { proxyAnswer } from './proxy-answer.js';
import { httpProxyResponseV1, httpProxyResponseV2 } from './proxy-response.js';
import { restProxyEvent } from './rest-proxy-event.js';
import { splitStage } from './invoke-address.js';
import type { UsageLimits } from './usage-plans.js';

interface Deployed {
  snapshot: HttpSnapshot;
  routes: HttpRoutes;
  integrations: Map<string, Integration>;
}

/** The function an HTTP API integration names: a function ARN, or API Gateway's invocation ARN of one. */
function functionOfIntegration(uri: string, stageVariables: Record<string, string>): string | undefined {
  return uri.startsWith('arn:aws:lambda:') ? uri : functionOfUri(uri, stageVariables);
}

const internalServerError = (requestId: string) =>
  gatewayResponse(500, 'Internal Server Error', 'InternalServerErrorException', requestId);
const serviceUnavailable = (requestId: string) =>
  gatewayResponse(503, 'Service Unavailable', 'ServiceUnavailableException', requestId);

export class HttpInvoker {
  private readonly deployments: CompiledDeployments<HttpSnapshot, Deployed>;

  constructor(
    private readonly store: Store,
    private readonly services: ServiceCaller,
    private readonly logger: Logger,
    private readonly authorizers: Authorizers,
    private readonly limits: UsageLimits,
    private readonly metrics: ApiMetrics,
  ) {
    this.deployments = new CompiledDeployments(store, (snapshot: HttpSnapshot) => ({
      snapshot,
      routes: new HttpRoutes(snapshot.routes),
      integrations: new Map(snapshot.integrations.map((i) => [i.IntegrationId!, i])),
    }));
  }

  /**
   * `call.stage` and `call.rawPath` are filled in here, once the stage is known (a custom
   * domain's mapping gives `call.stage`); `seen` tells the caller which stage served the call and
   * what serving it found out (call-trace.ts), for its metrics and access log.
   */
  async invoke(
    api: ApiRow,
    path: string,
    call: Omit<ApiCall, 'stage' | 'rawPath'> & { stage?: string },
    headers: Record<string, string>,
    seen: CallTrace = {},
  ): Promise<EdgeResponse> {
    const stage = await this.stageOf(api.id, path, call.stage);
    if (!stage?.stage.DeploymentId) return notFound(call.requestId);
    seen.stage = stage.stage.StageName;
    this.authorizers.lambda.observeFlushes(api.id, stage.stage.StageName, stage.authorizerCacheGeneration);
    seen.accessLogSettings = v2AccessLogSettings(stage.stage.AccessLogSettings);
    const deployed = await this.deployments.get(api.id, stage.stage.DeploymentId);
    if (!deployed) return notFound(call.requestId);
    const full: ApiCall = { ...call, stage: stage.stage.StageName, rawPath: stage.rawPath };
    const cors = deployed.snapshot.api.CorsConfiguration;
    const own = { 'apigw-requestid': call.extendedRequestId };
    if (cors && isPreflight(call.method, headers)) {
      return { status: 204, headers: { ...preflightHeaders(cors, headers), ...own }, body: '' };
    }
    const answer = await this.route(deployed, full, stage.stage, own, seen);
    if (!cors) return answer;
    // With CORS configured, API Gateway's CORS headers replace the integration's.
    const kept = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !isCorsHeader(name)));
    return { ...answer, headers: { ...kept, ...responseHeaders(cors, headers['origin']) } };
  }

  private async route(
    deployed: Deployed,
    call: ApiCall,
    stage: StoredHttpStage,
    own: Record<string, string>,
    seen: CallTrace,
  ): Promise<EdgeResponse> {
    const match = deployed.routes.match(call.method, call.rawPath);
    const integrationId = match?.route.Target?.slice('integrations/'.length);
    const integration = integrationId ? deployed.integrations.get(integrationId) : undefined;
    if (!match || !integration) return notFound(call.requestId);
    Object.assign(seen, { resourcePath: match.route.RouteKey, resourceId: match.route.RouteId });
    const stageVariables = stage.StageVariables ?? {};
    const route: RouteMatch = {
      resourcePath: match.route.RouteKey!,
      resourceId: match.route.RouteId!,
      pathParameters: match.pathParameters,
      stageVariables,
    };
    // The route's JWT or Lambda authorizer, or IAM signature (method-authorization.ts).
    const authorized = await authorizeHttpRoute(
      this.authorizers,
      deployed.snapshot.authorizers,
      match.route,
      call,
      route,
      this.logger,
    );
    if (authorized.kind === 'refused') return authorized.response;
    const { authorizer } = authorized;
    call = authorized.call;
    // Access logs read a JWT's claims as `authorizer.claims.x`, a Lambda's context as `authorizer.x`.
    seen.authorizer = (authorizer?.['jwt'] ?? authorizer?.['lambda']) as Record<string, unknown> | undefined;
    // The stage's route throttling (usage-plans.ts).
    const throttled = this.limits.admitHttp(call, match.route.RouteKey!, stage);
    if (throttled) return throttled;
    const target = { accountId: call.accountId, region: call.region, api: call.apiId, stage: call.stage };
    seen.integration = {
      startedAt: performance.now(),
      lambda: integration.IntegrationType === 'AWS_PROXY' && !integration.IntegrationSubtype,
    };
    return this.metrics.timeIntegration({ ...target, kind: 'HTTP' }, () =>
      this.integrate(integration, call, route, match, own, authorizer),
    );
  }

  private async integrate(
    integration: Integration,
    call: ApiCall,
    route: RouteMatch,
    match: HttpRouteMatch,
    own: Record<string, string>,
    authorizer: Record<string, unknown> | undefined,
  ): Promise<EdgeResponse> {
    if (integration.IntegrationType === 'AWS_PROXY' && !integration.IntegrationSubtype) {
      return this.lambdaProxy(integration, call, route, own, authorizer);
    }
    if (integration.IntegrationType === 'HTTP_PROXY') return this.httpProxy(integration, call, match, own);
    if (integration.IntegrationSubtype) return this.awsService(integration, call, route, own);
    this.logger.warn(
      { type: integration.IntegrationType, subtype: integration.IntegrationSubtype },
      'HTTP API integration not served yet; answering 500',
    );
    return internalServerError(call.requestId);
  }

  private async lambdaProxy(
    integration: Integration,
    call: ApiCall,
    route: RouteMatch,
    own: Record<string, string>,
    authorizer: Record<string, unknown> | undefined,
  ): Promise<EdgeResponse> {
    const functionName = functionOfIntegration(integration.IntegrationUri ?? '', route.stageVariables);
    if (!functionName) return internalServerError(call.requestId);
    const v2 = integration.PayloadFormatVersion === '2.0';
    const event = v2
      ? httpProxyEventV2(call, route, { authorizer })
      : restProxyEvent(call, route, {
          binaryMediaTypes: [],
          payloadVersion: '1.0',
          // Payload 1.0 carries a Lambda authorizer's context itself.
          authorizer: (authorizer?.['lambda'] as Record<string, unknown> | undefined) ?? authorizer,
        });
    const outcome = await invokeFunction(
      this.services,
      functionName,
      event,
      call,
      integration.TimeoutInMillis ?? 30_000,
    );
    if (outcome.kind === 'timed-out') return serviceUnavailable(call.requestId);
    if (outcome.kind !== 'result') {
      if (outcome.kind === 'failed')
        this.logger.warn({ err: outcome.error, functionName }, 'HTTP API could not invoke the function');
      return internalServerError(call.requestId);
    }
    const result = v2 ? httpProxyResponseV2(outcome.payload) : httpProxyResponseV1(outcome.payload);
    if (result.malformed) return internalServerError(call.requestId);
    return proxyAnswer(result.status, result.headers, result.body, own);
  }

  /** Calls the AWS service operation the integration's subtype names, its input mapped from the request. */
  private async awsService(
    integration: Integration,
    call: ApiCall,
    route: RouteMatch,
    own: Record<string, string>,
  ): Promise<EdgeResponse> {
    const target = serviceOperationOf(integration.IntegrationSubtype!);
    if (!target) return internalServerError(call.requestId);
    const context = httpProxyEventV2(call, route, {}).requestContext as unknown as Record<string, unknown>;
    const input = serviceInput(integration.RequestParameters, call, route, context);
    try {
      const output = await this.services.call(target.service, target.operation, input, {
        accountId: call.accountId,
        region: call.region,
      });
      return {
        status: 200,
        headers: { 'content-type': 'application/json', ...own },
        body: JSON.stringify(output ?? {}),
      };
    } catch (err) {
      if (isServiceError(err)) {
        return {
          status: err.status,
          headers: { 'content-type': 'application/json', 'x-amzn-errortype': err.code, ...own },
          body: JSON.stringify({ message: err.message }),
        };
      }
      this.logger.warn(
        { err, subtype: integration.IntegrationSubtype },
        'HTTP API service integration failed',
      );
      return internalServerError(call.requestId);
    }
  }

  /** Forwards the request to the integration's URL (`{proxy}` and other path parameters filled in). */
  private async httpProxy(
    integration: Integration,
    call: ApiCall,
    match: HttpRouteMatch,
    own: Record<string, string>,
  ): Promise<EdgeResponse> {
    const url = withQuery(
      fillPath(integration.IntegrationUri ?? '', match.pathParameters),
      call.rawQueryString,
    );
    const method =
      !integration.IntegrationMethod || integration.IntegrationMethod === 'ANY'
        ? call.method
        : integration.IntegrationMethod;
    const outcome = await forwardHttp({
      url,
      method,
      headers: call.headers,
      body: call.body,
      timeoutMs: integration.TimeoutInMillis ?? 30_000,
    });
    if (outcome.kind === 'timed-out') return serviceUnavailable(call.requestId);
    if (outcome.kind === 'failed') {
      this.logger.warn({ err: outcome.error, url }, 'HTTP API could not reach its HTTP integration');
      return internalServerError(call.requestId);
    }
    return proxyAnswer(outcome.status, outcome.headers, outcome.body, own);
  }

  /**
   * The stage named (by a custom domain's mapping), else the one the path's first segment names,
   * else `$default` with the whole path.
   */
  private async stageOf(
    apiId: string,
    path: string,
    named?: string,
  ): Promise<{ stage: StoredHttpStage; rawPath: string; authorizerCacheGeneration: number } | undefined> {
    if (named !== undefined) {
      const row = await stageQueries.find(this.store, apiId, named);
      return row
        ? {
            stage: httpStageOf(row),
            rawPath: path,
            authorizerCacheGeneration: authorizerCacheGeneration(row),
          }
        : undefined;
    }
    const { stage: first, rest } = splitStage(path);
    const read = (row: StageRow, rawPath: string) => ({
      stage: httpStageOf(row),
      rawPath,
      authorizerCacheGeneration: authorizerCacheGeneration(row),
    });
    if (first && first !== '$default') {
      const named = await stageQueries.find(this.store, apiId, first);
      if (named) return read(named, rest);
    }
    const fallback = await stageQueries.find(this.store, apiId, '$default');
    return fallback ? read(fallback, path) : undefined;
  }

  forget(): void {
    this.deployments.forget();
  }
}
