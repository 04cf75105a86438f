/**
 * API Gateway v2 (HTTP and WebSocket APIs): the management API.
 *
 * Differences from AWS: see provider.ts (Lambda permissions are not required); portals and
 * routing rules are not served. The chain of subclasses adds the rest: WebSocket route and
 * integration responses and models (websocket/v2-provider.ts), custom domain names, API mappings
 * and tags (domains/provider.ts), VPC links (provider-v2-extras.ts).
 */
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import type { RequestContext } from '../service.js';
import type { HttpAuthorizers } from './authorizers.js';
import type { HttpApiParts } from './http-api-parts.js';
import type { HttpApis } from './http-apis.js';
import type { HttpStages } from './http-stages.js';
import type { HttpOpenApi } from './openapi/http-openapi.js';
import type { StageCaches } from './stage-caches.js';
import type { StageAccessLogs } from './logging/stage-access-logs.js';

export interface ApiGatewayV2Modules {
  apis: HttpApis;
  parts: HttpApiParts;
  stages: HttpStages;
  authorizers: HttpAuthorizers;
  openApi: HttpOpenApi;
  stageCaches: StageCaches;
  accessLogs: StageAccessLogs;
}

export class ApiGatewayV2Provider {
  constructor(private readonly m: ApiGatewayV2Modules) {}

  // APIs

  CreateApi(input: V2.CreateApiRequest, at: RequestContext): Promise<V2.CreateApiResponse> {
    return this.m.apis.create(input, at);
  }

  GetApi(input: V2.GetApiRequest, at: RequestContext): Promise<V2.GetApiResponse> {
    return this.m.apis.get(at, input.ApiId!);
  }

  GetApis(input: V2.GetApisRequest, at: RequestContext): Promise<V2.GetApisResponse> {
    return this.m.apis.list(input, at);
  }

  UpdateApi(input: V2.UpdateApiRequest, at: RequestContext): Promise<V2.UpdateApiResponse> {
    return this.m.apis.update(input, at);
  }

  async DeleteApi(input: V2.DeleteApiRequest, at: RequestContext): Promise<object> {
    await this.m.apis.delete(at, input.ApiId!);
    return {};
  }

  async DeleteCorsConfiguration(
    input: V2.DeleteCorsConfigurationRequest,
    at: RequestContext,
  ): Promise<object> {
    await this.m.apis.deleteCors(input, at);
    return {};
  }

  // Routes

  CreateRoute(input: V2.CreateRouteRequest, at: RequestContext): Promise<V2.CreateRouteResult> {
    return this.m.parts.createRoute(input, at);
  }

  GetRoute(input: V2.GetRouteRequest, at: RequestContext): Promise<V2.GetRouteResult> {
    return this.m.parts.getRoute(input, at);
  }

  GetRoutes(input: V2.GetRoutesRequest, at: RequestContext): Promise<V2.GetRoutesResponse> {
    return this.m.parts.listRoutes(input, at);
  }

  UpdateRoute(input: V2.UpdateRouteRequest, at: RequestContext): Promise<V2.UpdateRouteResult> {
    return this.m.parts.updateRoute(input, at);
  }

  async DeleteRoute(input: V2.DeleteRouteRequest, at: RequestContext): Promise<object> {
    await this.m.parts.deleteRoute(input, at);
    return {};
  }

  // Integrations

  CreateIntegration(
    input: V2.CreateIntegrationRequest,
    at: RequestContext,
  ): Promise<V2.CreateIntegrationResult> {
    return this.m.parts.createIntegration(input, at);
  }

  GetIntegration(input: V2.GetIntegrationRequest, at: RequestContext): Promise<V2.GetIntegrationResult> {
    return this.m.parts.getIntegration(input, at);
  }

  GetIntegrations(input: V2.GetIntegrationsRequest, at: RequestContext): Promise<V2.GetIntegrationsResponse> {
    return this.m.parts.listIntegrations(input, at);
  }

  UpdateIntegration(
    input: V2.UpdateIntegrationRequest,
    at: RequestContext,
  ): Promise<V2.UpdateIntegrationResult> {
    return this.m.parts.updateIntegration(input, at);
  }

  async DeleteIntegration(input: V2.DeleteIntegrationRequest, at: RequestContext): Promise<object> {
    await this.m.parts.deleteIntegration(input, at);
    return {};
  }

  // Stages and deployments

  CreateStage(input: V2.CreateStageRequest, at: RequestContext): Promise<V2.CreateStageResponse> {
    return this.m.stages.createStage(input, at);
  }

  GetStage(input: V2.GetStageRequest, at: RequestContext): Promise<V2.GetStageResponse> {
    return this.m.stages.getStage(input, at);
  }

  GetStages(input: V2.GetStagesRequest, at: RequestContext): Promise<V2.GetStagesResponse> {
    return this.m.stages.listStages(input, at);
  }

  UpdateStage(input: V2.UpdateStageRequest, at: RequestContext): Promise<V2.UpdateStageResponse> {
    return this.m.stages.updateStage(input, at);
  }

  async DeleteStage(input: V2.DeleteStageRequest, at: RequestContext): Promise<object> {
    await this.m.stages.deleteStage(input, at);
    return {};
  }

  async DeleteAccessLogSettings(
    input: V2.DeleteAccessLogSettingsRequest,
    at: RequestContext,
  ): Promise<object> {
    await this.m.accessLogs.delete(input, at);
    return {};
  }

  CreateDeployment(
    input: V2.CreateDeploymentRequest,
    at: RequestContext,
  ): Promise<V2.CreateDeploymentResponse> {
    return this.m.stages.createDeployment(input, at);
  }

  GetDeployment(input: V2.GetDeploymentRequest, at: RequestContext): Promise<V2.GetDeploymentResponse> {
    return this.m.stages.getDeployment(input, at);
  }

  GetDeployments(input: V2.GetDeploymentsRequest, at: RequestContext): Promise<V2.GetDeploymentsResponse> {
    return this.m.stages.listDeployments(input, at);
  }

  async DeleteDeployment(input: V2.DeleteDeploymentRequest, at: RequestContext): Promise<object> {
    await this.m.stages.deleteDeployment(input, at);
    return {};
  }

  // Authorizers

  CreateAuthorizer(
    input: V2.CreateAuthorizerRequest,
    at: RequestContext,
  ): Promise<V2.CreateAuthorizerResponse> {
    return this.m.authorizers.create(input, at);
  }

  GetAuthorizer(input: V2.GetAuthorizerRequest, at: RequestContext): Promise<V2.GetAuthorizerResponse> {
    return this.m.authorizers.get(input, at);
  }

  GetAuthorizers(input: V2.GetAuthorizersRequest, at: RequestContext): Promise<V2.GetAuthorizersResponse> {
    return this.m.authorizers.list(input, at);
  }

  UpdateAuthorizer(
    input: V2.UpdateAuthorizerRequest,
    at: RequestContext,
  ): Promise<V2.UpdateAuthorizerResponse> {
    return this.m.authorizers.update(input, at);
  }

  async DeleteAuthorizer(input: V2.DeleteAuthorizerRequest, at: RequestContext): Promise<object> {
    await this.m.authorizers.delete(input, at);
    return {};
  }

  async ResetAuthorizersCache(input: V2.ResetAuthorizersCacheRequest, at: RequestContext): Promise<object> {
    await this.m.stageCaches.resetAuthorizersCache(input, at);
    return {};
  }

  // OpenAPI import and export

  ImportApi(input: V2.ImportApiRequest, at: RequestContext): Promise<V2.ImportApiResponse> {
    return this.m.openApi.importApi(input, at);
  }

  ReimportApi(input: V2.ReimportApiRequest, at: RequestContext): Promise<V2.ReimportApiResponse> {
    return this.m.openApi.reimportApi(input, at);
  }

  ExportApi(input: V2.ExportApiRequest, at: RequestContext): Promise<V2.ExportApiResponse> {
    return this.m.openApi.exportApi(input, at);
  }
}
