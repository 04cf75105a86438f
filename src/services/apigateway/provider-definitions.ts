/**
 * API Gateway v1's operations on what a REST API's document keeps besides its resource tree:
 * models, request validators and gateway responses (api-definitions.ts).
 *
 * Differences from AWS: a model schema's keywords draft 4 does not know are ignored rather than
 * refused, and a model another model names may be deleted.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { RequestContext } from '../service.js';
import { ApiDefinitions } from './api-definitions.js';
import { Models } from './models.js';
import { ApiGatewayProvider, type ApiGatewayModules } from './provider.js';
import { RequestValidators } from './request-validators.js';
import type { RestApis } from './rest-apis.js';
import { RestGatewayResponses } from './rest-gateway-responses.js';

export interface ApiDefinitionModules {
  models: Models;
  requestValidators: RequestValidators;
  gatewayResponses: RestGatewayResponses;
}

export function restDefinitionModules(apis: RestApis): ApiDefinitionModules {
  const definitions = new ApiDefinitions(apis);
  return {
    models: new Models(definitions),
    requestValidators: new RequestValidators(definitions),
    gatewayResponses: new RestGatewayResponses(definitions),
  };
}

export class ApiGatewayDefinitionsProvider extends ApiGatewayProvider {
  constructor(
    modules: ApiGatewayModules,
    private readonly d: ApiDefinitionModules,
  ) {
    super(modules);
  }

  // Models

  CreateModel(input: APIGW.CreateModelRequest, at: RequestContext): Promise<APIGW.Model> {
    return this.d.models.create(input, at);
  }

  GetModel(input: APIGW.GetModelRequest, at: RequestContext): Promise<APIGW.Model> {
    return this.d.models.get(input, at);
  }

  GetModels(input: APIGW.GetModelsRequest, at: RequestContext): Promise<APIGW.Models> {
    return this.d.models.list(input, at);
  }

  UpdateModel(input: APIGW.UpdateModelRequest, at: RequestContext): Promise<APIGW.Model> {
    return this.d.models.update(input, at);
  }

  async DeleteModel(input: APIGW.DeleteModelRequest, at: RequestContext): Promise<object> {
    await this.d.models.delete(input, at);
    return {};
  }

  GetModelTemplate(input: APIGW.GetModelTemplateRequest, at: RequestContext): Promise<APIGW.Template> {
    return this.d.models.template(input, at);
  }

  // Request validators

  CreateRequestValidator(
    input: APIGW.CreateRequestValidatorRequest,
    at: RequestContext,
  ): Promise<APIGW.RequestValidator> {
    return this.d.requestValidators.create(input, at);
  }

  GetRequestValidator(
    input: APIGW.GetRequestValidatorRequest,
    at: RequestContext,
  ): Promise<APIGW.RequestValidator> {
    return this.d.requestValidators.get(input, at);
  }

  GetRequestValidators(
    input: APIGW.GetRequestValidatorsRequest,
    at: RequestContext,
  ): Promise<APIGW.RequestValidators> {
    return this.d.requestValidators.list(input, at);
  }

  UpdateRequestValidator(
    input: APIGW.UpdateRequestValidatorRequest,
    at: RequestContext,
  ): Promise<APIGW.RequestValidator> {
    return this.d.requestValidators.update(input, at);
  }

  async DeleteRequestValidator(
    input: APIGW.DeleteRequestValidatorRequest,
    at: RequestContext,
  ): Promise<object> {
    await this.d.requestValidators.delete(input, at);
    return {};
  }

  // Gateway responses

  PutGatewayResponse(
    input: APIGW.PutGatewayResponseRequest,
    at: RequestContext,
  ): Promise<APIGW.GatewayResponse> {
    return this.d.gatewayResponses.put(input, at);
  }

  GetGatewayResponse(
    input: APIGW.GetGatewayResponseRequest,
    at: RequestContext,
  ): Promise<APIGW.GatewayResponse> {
    return this.d.gatewayResponses.get(input, at);
  }

  GetGatewayResponses(
    input: APIGW.GetGatewayResponsesRequest,
    at: RequestContext,
  ): Promise<APIGW.GatewayResponses> {
    return this.d.gatewayResponses.list(input, at);
  }

  UpdateGatewayResponse(
    input: APIGW.UpdateGatewayResponseRequest,
    at: RequestContext,
  ): Promise<APIGW.GatewayResponse> {
    return this.d.gatewayResponses.update(input, at);
  }

  async DeleteGatewayResponse(
    input: APIGW.DeleteGatewayResponseRequest,
    at: RequestContext,
  ): Promise<object> {
    await this.d.gatewayResponses.delete(input, at);
    return {};
  }
}
