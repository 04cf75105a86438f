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
import { stageQueries, type ApiRow, type StageRow } from '../tables.js';
import type { ApiCall, RouteMatch } from './api-call.js';
import { CompiledDeployments } from './compiled-deployments.js';
import { authorizeRestCall, restRefusal, type Authorizers } from './authorizers/authorize.js';
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
import { requestParts, RestIntegrations } from './rest-integrations.js';
import type { RestRoute } from './rest-routes.js';
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
  ) {
    this.deployments = new CompiledDeployments(
      store,
      (snapshot: RestSnapshot) => new RestDeployment(snapshot),
    );
    this.integrations = new RestIntegrations(services, logger);
  }

  async invoke(api: ApiRow, call: ApiCall): Promise<EdgeResponse> {
    const stage = await stageQueries.find(this.store, api.id, call.stage);
    if (!stage?.deployment_id) return forbidden(call.requestId);
    const deployment = await this.deployments.get(api.id, stage.deployment_id);
    if (!deployment) return forbidden(call.requestId);
    const route = deployment.routes.match(call.method, call.rawPath);
    const match: RouteMatch = {
      resourcePath: route?.resource.path ?? '',
      resourceId: route?.resource.id ?? '',
      pathParameters: route?.pathParameters ?? {},
      stageVariables: stageOf(stage).variables ?? {},
    };
    const answer = route
      ? await this.serve(api, stage, deployment, route, call, match)
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
  ): Promise<EdgeResponse> {
    const { snapshot } = deployment;
    const { stageVariables } = match;
    let authorizer: Record<string, unknown> | undefined;
    let usageIdentifierKey: string | undefined;
    if (route.method.authorizationType === 'CUSTOM') {
      const configured = snapshot.authorizers?.find((a) => a.id === route.method.authorizerId);
      const outcome = configured
        ? await authorizeRestCall(this.authorizers, configured, call, match, requestParts(call, match))
        : ({ kind: 'error', reason: 'the method names no authorizer of the deployment' } as const);
      if (outcome.kind !== 'allow') {
        if (outcome.kind === 'error')
          this.logger.warn({ apiId: api.id, reason: outcome.reason }, 'authorizer failed');
        return restRefusal(outcome, call.requestId);
      }
      authorizer = outcome.context;
      usageIdentifierKey = outcome.usageIdentifierKey;
    }
    // Throttling, API keys, usage plans and quotas (usage-plans.ts).
    const refused = await this.limits.admitRest({
      api,
      call,
      apiKeySource: snapshot.api.apiKeySource,
      methodSettings: stageOf(stage).methodSettings,
      resourcePath: route.resource.path,
      httpMethod: route.method.httpMethod ?? call.method,
      apiKeyRequired: route.method.apiKeyRequired ?? false,
      usageIdentifierKey,
    });
    if (refused) return refused;
    const invalid = deployment.validation.check(route.method, call, match);
    if (invalid) return invalid;
    const integration = route.method.methodIntegration;
    const deploymentId = stage.deployment_id!;
    if (integration?.type === 'AWS_PROXY') {
      return this.lambdaProxy(snapshot, route, call, stageVariables, deploymentId, authorizer);
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

  /** Drops what was read from rows a reset wiped or a snapshot replaced. */
  forget(): void {
    this.deployments.forget();
  }
}
