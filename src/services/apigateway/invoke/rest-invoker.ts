/**
 * Serves REST API calls: finds the stage and the deployment it serves, matches the path against
 * the deployment's resources, and runs the method's integration — after its authorizer, its
 * throttles and API key, and its request validator. What API Gateway answers itself on the way
 * goes through the API's gateway responses. A deployment never changes, so its compiled form
 * (rest-deployment.ts) is cached by id; the stage is read on every call, so a new deployment (by
 * any node) is served at once.
 */
import type { Store } from '../../../storage/store.js';
import type { EdgeResponse, ServiceCaller } from '../../service.js';
import type { RestSnapshot } from '../deployments.js';
import { stageOf } from '../deployments.js';
import { authorizerCacheGeneration } from '../stage-cache-tables.js';
import { stageQueries, type ApiRow, type StageRow } from '../tables.js';
import type { ApiCall, RouteMatch } from './api-call.js';
import type { CallTrace } from './call-trace.js';
import { CompiledDeployments } from './compiled-deployments.js';
import type { Authorizers } from './authorizers/authorize.js';
import { authorizeRestMethod } from './authorizers/method-authorization.js';
import {
  endpointTimedOut,
  forbidden,
  internalServerError,
  missingAuthenticationToken,
} from './gateway-responses.js';
import { functionOfUri, invokeFunction } from './lambda-integration.js';
import { proxyAnswer } from './proxy-answer.js';
import { restProxyResponse } from './proxy-response.js';
import { restProxyEvent } from './rest-proxy-event.js';
import { RestDeployment } from './rest-deployment.js';
import { RestIntegrations } from './rest-integrations.js';
import type { RestRoute } from './rest-routes.js';
import type { StageCache } from './stage-cache.js';
import type { UsageLimits } from './usage-plans.js';
import type { Logger } from 'pino';

export class RestInvoker {
  private readonly deployments: CompiledDeployments<RestSnapshot, RestDeployment>;
  private readonly integrations: RestIntegrations;

  constructor(
    private readonly store: Store,
    private readonly services: ServiceCaller,
    private readonly logger: Logger,
    private readonly authorizers: Authorizers,
    private readonly limits: UsageLimits,
    private readonly cache: StageCache,
  ) {
    this.deployments = new CompiledDeployments(
      store,
      (snapshot: RestSnapshot) => new RestDeployment(snapshot),
    );
    this.integrations = new RestIntegrations(services, logger);
  }

  /** `seen` learns what serving the call found out (call-trace.ts), for its access log. */
  async invoke(api: ApiRow, call: ApiCall, seen: CallTrace = {}): Promise<EdgeResponse> {
    const stage = await stageQueries.find(this.store, api.id, call.stage);
    if (!stage?.deployment_id) return forbidden(call.requestId);
    Object.assign(seen, {
      stage: call.stage,
      deploymentId: stage.deployment_id,
      accessLogSettings: stageOf(stage).accessLogSettings,
    });
    const deployment = await this.deployments.get(api.id, stage.deployment_id);
    if (!deployment) return forbidden(call.requestId);
    const route = deployment.routes.match(call.method, call.rawPath);
    if (route) Object.assign(seen, { resourcePath: route.resource.path, resourceId: route.resource.id });
    const match: RouteMatch = {
      resourcePath: route?.resource.path ?? '',
      resourceId: route?.resource.id ?? '',
      pathParameters: route?.pathParameters ?? {},
      stageVariables: stageOf(stage).variables ?? {},
    };
    const answer = route
      ? await this.serve(api, stage, deployment, route, call, match, seen)
      : missingAuthenticationToken(call.requestId);
    return deployment.responses.apply(answer, call, match);
  }

  private async serve(
    api: ApiRow,
    stage: StageRow,
    deployment: RestDeployment,
    route: RestRoute,
    call: ApiCall,
    match: RouteMatch,
    seen: CallTrace,
  ): Promise<EdgeResponse> {
    const { snapshot } = deployment;
    const settings = stageOf(stage);
    this.authorizers.lambda.observeFlushes(api.id, call.stage, authorizerCacheGeneration(stage));
    // The method's Lambda authorizer, Cognito user pool or IAM signature (method-authorization.ts).
    const authorized = await authorizeRestMethod(
      this.authorizers,
      snapshot.authorizers,
      route.method,
      call,
      match,
      this.logger,
    );
    if (authorized.kind === 'refused') return authorized.response;
    const { authorizer, usageIdentifierKey } = authorized;
    call = authorized.call;
    seen.authorizer = authorizer;
    // Throttling, API keys, usage plans and quotas (usage-plans.ts).
    const refused = await this.limits.admitRest({
      api,
      call,
      apiKeySource: snapshot.api.apiKeySource,
      methodSettings: settings.methodSettings,
      resourcePath: route.resource.path,
      httpMethod: route.method.httpMethod ?? call.method,
      apiKeyRequired: route.method.apiKeyRequired ?? false,
      usageIdentifierKey,
    });
    if (refused) return refused;
    // The method's request validator (request-validation.ts).
    const invalid = deployment.validation.check(route.method, call, match);
    if (invalid) return invalid;
    const deploymentId = stage.deployment_id!;
    // The stage's cache answers, or the integration does (stage-cache.ts).
    return this.cache.serve(
      {
        api,
        call,
        route: match,
        stage: settings,
        httpMethod: route.method.httpMethod ?? call.method,
        integration: route.method.methodIntegration,
      },
      () => {
        const integration = route.method.methodIntegration;
        seen.integration = { startedAt: performance.now(), lambda: integration?.type === 'AWS_PROXY' };
        return this.integrate(snapshot, route, call, match, deploymentId, authorizer);
      },
    );
  }

  private async integrate(
    snapshot: RestSnapshot,
    route: RestRoute,
    call: ApiCall,
    match: RouteMatch,
    deploymentId: string,
    authorizer: Record<string, unknown> | undefined,
  ): Promise<EdgeResponse> {
    const integration = route.method.methodIntegration;
    if (integration?.type === 'AWS_PROXY') {
      return this.lambdaProxy(snapshot, route, call, match.stageVariables, deploymentId, authorizer);
    }
    if (!integration) return internalServerError(call.requestId);
    return this.integrations.run(integration, call, match, deploymentId, authorizer);
  }

  private async lambdaProxy(
    snapshot: RestSnapshot,
    route: RestRoute,
    call: ApiCall,
    stageVariables: Record<string, string>,
    deploymentId: string,
    authorizer: Record<string, unknown> | undefined,
  ): Promise<EdgeResponse> {
    const integration = route.method.methodIntegration!;
    const binaryMediaTypes = snapshot.api.binaryMediaTypes ?? [];
    const functionName = functionOfUri(integration.uri ?? '', stageVariables);
    if (!functionName) return internalServerError(call.requestId);
    const event = restProxyEvent(
      call,
      {
        resourcePath: route.resource.path,
        resourceId: route.resource.id,
        pathParameters: route.pathParameters,
        stageVariables,
      },
      { binaryMediaTypes, deploymentId, authorizer },
    );
    const outcome = await invokeFunction(
      this.services,
      functionName,
      event,
      call,
      integration.timeoutInMillis ?? 29_000,
    );
    if (outcome.kind === 'timed-out') return endpointTimedOut(call.requestId);
    if (outcome.kind === 'failed') {
      this.logger.warn(
        { err: outcome.error, functionName },
        'Lambda proxy integration could not invoke the function',
      );
      return internalServerError(call.requestId);
    }
    if (outcome.kind === 'function-error') return internalServerError(call.requestId, 502);
    const accept = call.headers.find(([name]) => name.toLowerCase() === 'accept')?.[1];
    const result = restProxyResponse(outcome.payload, { binaryMediaTypes, accept });
    if (result.malformed) return internalServerError(call.requestId, 502);
    return proxyAnswer(result.status, result.headers, result.body, {
      'x-amzn-requestid': call.requestId,
      'x-amz-apigw-id': call.extendedRequestId,
    });
  }

  /**
   * TestInvokeMethod (test-invoke-method.ts): `route` of the API's current, undeployed
   * configuration run on `call` as a deployed call would be, past authorization, API keys and the
   * stage cache, as the console's test is.
   */
  async testInvoke(
    snapshot: RestSnapshot,
    route: RestRoute,
    call: ApiCall,
    match: RouteMatch,
  ): Promise<EdgeResponse> {
    const deployment = new RestDeployment(snapshot);
    const answer =
      deployment.validation.check(route.method, call, match) ??
      (await this.integrate(snapshot, route, call, match, 'test-invoke-deployment-id', undefined));
    return deployment.responses.apply(answer, call, match);
  }

  /** Drops what was read from rows a reset wiped or a snapshot replaced. */
  forget(): void {
    this.deployments.forget();
  }
}
