/**
 * API Gateway (v1, REST APIs): the management API.
 *
 * Differences from AWS: a Lambda integration does not need a resource policy (`AddPermission`)
 * allowing API Gateway to invoke the function; edge-optimized, regional and private endpoint types
 * are all served the same way, on the local invoke URL; client certificates and SDK generation
 * are not served. Subclasses add models, validators and gateway responses
 * (provider-definitions.ts), custom domains and tags (domains/provider.ts), and VPC links,
 * documentation, TestInvokeMethod and key imports (provider-extras.ts).
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { RequestContext } from '../service.js';
import type { RestAuthorizers } from './authorizers.js';
import type { Deployments } from './deployments.js';
import type { MethodUpdates } from './method-updates.js';
import type { Methods } from './methods.js';
import type { RestOpenApi } from './openapi/rest-openapi.js';
import type { Resources } from './resources.js';
import type { RestApis } from './rest-apis.js';
import type { ApiKeys } from './api-keys.js';
import type { StageCaches } from './stage-caches.js';
import type { UsagePlans } from './usage-plans.js';
import type { AuthorizerTests } from './invoke/authorizers/test-invoke.js';
import type { AccountSettings } from './logging/account.js';

export interface ApiGatewayModules {
  apis: RestApis;
  resources: Resources;
  methods: Methods;
  methodUpdates: MethodUpdates;
  deployments: Deployments;
  authorizers: RestAuthorizers;
  authorizerTests: AuthorizerTests;
  openApi: RestOpenApi;
  apiKeys: ApiKeys;
  usagePlans: UsagePlans;
  stageCaches: StageCaches;
  account: AccountSettings;
}

export class ApiGatewayProvider {
  constructor(private readonly m: ApiGatewayModules) {}

  // REST APIs

  CreateRestApi(input: APIGW.CreateRestApiRequest, at: RequestContext): Promise<APIGW.RestApi> {
    return this.m.apis.create(input, at);
  }

  GetRestApi(input: APIGW.GetRestApiRequest, at: RequestContext): Promise<APIGW.RestApi> {
    return this.m.apis.get(at, input.restApiId!);
  }

  GetRestApis(input: APIGW.GetRestApisRequest, at: RequestContext): Promise<APIGW.RestApis> {
    return this.m.apis.list(input, at);
  }

  UpdateRestApi(input: APIGW.UpdateRestApiRequest, at: RequestContext): Promise<APIGW.RestApi> {
    return this.m.apis.update(input, at);
  }

  async DeleteRestApi(input: APIGW.DeleteRestApiRequest, at: RequestContext): Promise<object> {
    await this.m.apis.delete(at, input.restApiId!);
    return {};
  }

  // Resources

  CreateResource(input: APIGW.CreateResourceRequest, at: RequestContext): Promise<APIGW.Resource> {
    return this.m.resources.create(input, at);
  }

  GetResource(input: APIGW.GetResourceRequest, at: RequestContext): Promise<APIGW.Resource> {
    return this.m.resources.get(input, at);
  }

  GetResources(input: APIGW.GetResourcesRequest, at: RequestContext): Promise<APIGW.Resources> {
    return this.m.resources.list(input, at);
  }

  UpdateResource(input: APIGW.UpdateResourceRequest, at: RequestContext): Promise<APIGW.Resource> {
    return this.m.resources.update(input, at);
  }

  async DeleteResource(input: APIGW.DeleteResourceRequest, at: RequestContext): Promise<object> {
    await this.m.resources.delete(input, at);
    return {};
  }

  // Methods and integrations

  PutMethod(input: APIGW.PutMethodRequest, at: RequestContext): Promise<APIGW.Method> {
    return this.m.methods.put(input, at);
  }

  GetMethod(input: APIGW.GetMethodRequest, at: RequestContext): Promise<APIGW.Method> {
    return this.m.methods.get(input, at);
  }

  UpdateMethod(input: APIGW.UpdateMethodRequest, at: RequestContext): Promise<APIGW.Method> {
    return this.m.methodUpdates.updateMethod(input, at);
  }

  async DeleteMethod(input: APIGW.DeleteMethodRequest, at: RequestContext): Promise<object> {
    await this.m.methods.delete(input, at);
    return {};
  }

  PutIntegration(input: APIGW.PutIntegrationRequest, at: RequestContext): Promise<APIGW.Integration> {
    return this.m.methods.putIntegration(input, at);
  }

  GetIntegration(input: APIGW.GetIntegrationRequest, at: RequestContext): Promise<APIGW.Integration> {
    return this.m.methods.getIntegration(input, at);
  }

  UpdateIntegration(input: APIGW.UpdateIntegrationRequest, at: RequestContext): Promise<APIGW.Integration> {
    return this.m.methodUpdates.updateIntegration(input, at);
  }

  async DeleteIntegration(input: APIGW.DeleteIntegrationRequest, at: RequestContext): Promise<object> {
    await this.m.methods.deleteIntegration(input, at);
    return {};
  }

  PutMethodResponse(
    input: APIGW.PutMethodResponseRequest,
    at: RequestContext,
  ): Promise<APIGW.MethodResponse> {
    return this.m.methods.putMethodResponse(input, at);
  }

  GetMethodResponse(
    input: APIGW.GetMethodResponseRequest,
    at: RequestContext,
  ): Promise<APIGW.MethodResponse> {
    return this.m.methods.getMethodResponse(input, at);
  }

  UpdateMethodResponse(
    input: APIGW.UpdateMethodResponseRequest,
    at: RequestContext,
  ): Promise<APIGW.MethodResponse> {
    return this.m.methodUpdates.updateMethodResponse(input, at);
  }

  async DeleteMethodResponse(input: APIGW.DeleteMethodResponseRequest, at: RequestContext): Promise<object> {
    await this.m.methods.deleteMethodResponse(input, at);
    return {};
  }

  PutIntegrationResponse(
    input: APIGW.PutIntegrationResponseRequest,
    at: RequestContext,
  ): Promise<APIGW.IntegrationResponse> {
    return this.m.methods.putIntegrationResponse(input, at);
  }

  GetIntegrationResponse(
    input: APIGW.GetIntegrationResponseRequest,
    at: RequestContext,
  ): Promise<APIGW.IntegrationResponse> {
    return this.m.methods.getIntegrationResponse(input, at);
  }

  UpdateIntegrationResponse(
    input: APIGW.UpdateIntegrationResponseRequest,
    at: RequestContext,
  ): Promise<APIGW.IntegrationResponse> {
    return this.m.methodUpdates.updateIntegrationResponse(input, at);
  }

  async DeleteIntegrationResponse(
    input: APIGW.DeleteIntegrationResponseRequest,
    at: RequestContext,
  ): Promise<object> {
    await this.m.methods.deleteIntegrationResponse(input, at);
    return {};
  }

  // Deployments and stages

  CreateDeployment(input: APIGW.CreateDeploymentRequest, at: RequestContext): Promise<APIGW.Deployment> {
    return this.m.deployments.create(input, at);
  }

  GetDeployment(input: APIGW.GetDeploymentRequest, at: RequestContext): Promise<APIGW.Deployment> {
    return this.m.deployments.get(input, at);
  }

  GetDeployments(input: APIGW.GetDeploymentsRequest, at: RequestContext): Promise<APIGW.Deployments> {
    return this.m.deployments.list(input, at);
  }

  UpdateDeployment(input: APIGW.UpdateDeploymentRequest, at: RequestContext): Promise<APIGW.Deployment> {
    return this.m.deployments.update(input, at);
  }

  async DeleteDeployment(input: APIGW.DeleteDeploymentRequest, at: RequestContext): Promise<object> {
    await this.m.deployments.delete(input, at);
    return {};
  }

  CreateStage(input: APIGW.CreateStageRequest, at: RequestContext): Promise<APIGW.Stage> {
    return this.m.deployments.createStage(input, at);
  }

  GetStage(input: APIGW.GetStageRequest, at: RequestContext): Promise<APIGW.Stage> {
    return this.m.deployments.getStage(input, at);
  }

  GetStages(input: APIGW.GetStagesRequest, at: RequestContext): Promise<APIGW.Stages> {
    return this.m.deployments.listStages(input, at);
  }

  UpdateStage(input: APIGW.UpdateStageRequest, at: RequestContext): Promise<APIGW.Stage> {
    return this.m.deployments.updateStage(input, at);
  }

  async DeleteStage(input: APIGW.DeleteStageRequest, at: RequestContext): Promise<object> {
    await this.m.deployments.deleteStage(input, at);
    return {};
  }

  // Stage caches: responses (stage-caches.ts, invoke/stage-cache.ts) and authorizer answers

  async FlushStageCache(input: APIGW.FlushStageCacheRequest, at: RequestContext): Promise<object> {
    await this.m.stageCaches.flushStageCache(input, at);
    return {};
  }

  async FlushStageAuthorizersCache(
    input: APIGW.FlushStageAuthorizersCacheRequest,
    at: RequestContext,
  ): Promise<object> {
    await this.m.stageCaches.flushStageAuthorizersCache(input, at);
    return {};
  }

  // Authorizers

  CreateAuthorizer(input: APIGW.CreateAuthorizerRequest, at: RequestContext): Promise<APIGW.Authorizer> {
    return this.m.authorizers.create(input, at);
  }

  GetAuthorizer(input: APIGW.GetAuthorizerRequest, at: RequestContext): Promise<APIGW.Authorizer> {
    return this.m.authorizers.get(input, at);
  }

  GetAuthorizers(input: APIGW.GetAuthorizersRequest, at: RequestContext): Promise<APIGW.Authorizers> {
    return this.m.authorizers.list(input, at);
  }

  UpdateAuthorizer(input: APIGW.UpdateAuthorizerRequest, at: RequestContext): Promise<APIGW.Authorizer> {
    return this.m.authorizers.update(input, at);
  }

  async DeleteAuthorizer(input: APIGW.DeleteAuthorizerRequest, at: RequestContext): Promise<object> {
    await this.m.authorizers.delete(input, at);
    return {};
  }

  TestInvokeAuthorizer(
    input: APIGW.TestInvokeAuthorizerRequest,
    at: RequestContext,
  ): Promise<APIGW.TestInvokeAuthorizerResponse> {
    return this.m.authorizerTests.run(input, at);
  }

  // OpenAPI import and export

  ImportRestApi(input: APIGW.ImportRestApiRequest, at: RequestContext): Promise<APIGW.RestApi> {
    return this.m.openApi.importRestApi(input, at);
  }

  PutRestApi(input: APIGW.PutRestApiRequest, at: RequestContext): Promise<APIGW.RestApi> {
    return this.m.openApi.putRestApi(input, at);
  }

  GetExport(input: APIGW.GetExportRequest, at: RequestContext): Promise<APIGW.ExportResponse> {
    return this.m.openApi.getExport(input, at);
  }

  // API keys

  CreateApiKey(input: APIGW.CreateApiKeyRequest, at: RequestContext): Promise<APIGW.ApiKey> {
    return this.m.apiKeys.create(input, at);
  }

  GetApiKey(input: APIGW.GetApiKeyRequest, at: RequestContext): Promise<APIGW.ApiKey> {
    return this.m.apiKeys.get(input, at);
  }

  GetApiKeys(input: APIGW.GetApiKeysRequest, at: RequestContext): Promise<APIGW.ApiKeys> {
    return this.m.apiKeys.list(input, at);
  }

  UpdateApiKey(input: APIGW.UpdateApiKeyRequest, at: RequestContext): Promise<APIGW.ApiKey> {
    return this.m.apiKeys.update(input, at);
  }

  async DeleteApiKey(input: APIGW.DeleteApiKeyRequest, at: RequestContext): Promise<object> {
    await this.m.apiKeys.delete(at, input.apiKey!);
    return {};
  }

  // Usage plans, their keys and usage

  CreateUsagePlan(input: APIGW.CreateUsagePlanRequest, at: RequestContext): Promise<APIGW.UsagePlan> {
    return this.m.usagePlans.create(input, at);
  }

  GetUsagePlan(input: APIGW.GetUsagePlanRequest, at: RequestContext): Promise<APIGW.UsagePlan> {
    return this.m.usagePlans.get(at, input.usagePlanId!);
  }

  GetUsagePlans(input: APIGW.GetUsagePlansRequest, at: RequestContext): Promise<APIGW.UsagePlans> {
    return this.m.usagePlans.list(input, at);
  }

  UpdateUsagePlan(input: APIGW.UpdateUsagePlanRequest, at: RequestContext): Promise<APIGW.UsagePlan> {
    return this.m.usagePlans.update(input, at);
  }

  async DeleteUsagePlan(input: APIGW.DeleteUsagePlanRequest, at: RequestContext): Promise<object> {
    await this.m.usagePlans.delete(at, input.usagePlanId!);
    return {};
  }

  CreateUsagePlanKey(
    input: APIGW.CreateUsagePlanKeyRequest,
    at: RequestContext,
  ): Promise<APIGW.UsagePlanKey> {
    return this.m.usagePlans.createKey(input, at);
  }

  GetUsagePlanKey(input: APIGW.GetUsagePlanKeyRequest, at: RequestContext): Promise<APIGW.UsagePlanKey> {
    return this.m.usagePlans.getKey(input, at);
  }

  GetUsagePlanKeys(input: APIGW.GetUsagePlanKeysRequest, at: RequestContext): Promise<APIGW.UsagePlanKeys> {
    return this.m.usagePlans.listKeys(input, at);
  }

  async DeleteUsagePlanKey(input: APIGW.DeleteUsagePlanKeyRequest, at: RequestContext): Promise<object> {
    await this.m.usagePlans.deleteKey(input, at);
    return {};
  }

  GetUsage(input: APIGW.GetUsageRequest, at: RequestContext): Promise<APIGW.Usage> {
    return this.m.usagePlans.usage(input, at);
  }

  // Account settings

  GetAccount(_input: APIGW.GetAccountRequest, at: RequestContext): Promise<APIGW.Account> {
    return this.m.account.get(at);
  }

  UpdateAccount(input: APIGW.UpdateAccountRequest, at: RequestContext): Promise<APIGW.Account> {
    return this.m.account.update(input, at);
  }
}
