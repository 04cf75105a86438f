/**
 * API Gateway v2's management API with what only WebSocket APIs have — route responses,
 * integration responses, models — and the piecewise deletes of route settings and route request
 * parameters.
 */
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import type { RequestContext } from '../../service.js';
import { ApiGatewayV2Provider, type ApiGatewayV2Modules } from '../provider-v2.js';
import type { RouteExtras } from '../route-extras.js';
import type { IntegrationResponses } from './integration-responses.js';
import type { Models } from './models.js';
import type { RouteResponses } from './route-responses.js';

export interface WebSocketModules {
  routeResponses: RouteResponses;
  integrationResponses: IntegrationResponses;
  models: Models;
  routeExtras: RouteExtras;
}

export class ApiGatewayV2WebSocketProvider extends ApiGatewayV2Provider {
  constructor(
    modules: ApiGatewayV2Modules,
    private readonly ws: WebSocketModules,
  ) {
    super(modules);
  }

  // Route responses

  CreateRouteResponse(
    input: V2.CreateRouteResponseRequest,
    at: RequestContext,
  ): Promise<V2.CreateRouteResponseResponse> {
    return this.ws.routeResponses.create(input, at);
  }

  GetRouteResponse(
    input: V2.GetRouteResponseRequest,
    at: RequestContext,
  ): Promise<V2.GetRouteResponseResponse> {
    return this.ws.routeResponses.get(input, at);
  }

  GetRouteResponses(
    input: V2.GetRouteResponsesRequest,
    at: RequestContext,
  ): Promise<V2.GetRouteResponsesResponse> {
    return this.ws.routeResponses.list(input, at);
  }

  UpdateRouteResponse(
    input: V2.UpdateRouteResponseRequest,
    at: RequestContext,
  ): Promise<V2.UpdateRouteResponseResponse> {
    return this.ws.routeResponses.update(input, at);
  }

  async DeleteRouteResponse(input: V2.DeleteRouteResponseRequest, at: RequestContext): Promise<object> {
    await this.ws.routeResponses.delete(input, at);
    return {};
  }

  // Integration responses

  CreateIntegrationResponse(
    input: V2.CreateIntegrationResponseRequest,
    at: RequestContext,
  ): Promise<V2.CreateIntegrationResponseResponse> {
    return this.ws.integrationResponses.create(input, at);
  }

  GetIntegrationResponse(
    input: V2.GetIntegrationResponseRequest,
    at: RequestContext,
  ): Promise<V2.GetIntegrationResponseResponse> {
    return this.ws.integrationResponses.get(input, at);
  }

  GetIntegrationResponses(
    input: V2.GetIntegrationResponsesRequest,
    at: RequestContext,
  ): Promise<V2.GetIntegrationResponsesResponse> {
    return this.ws.integrationResponses.list(input, at);
  }

  UpdateIntegrationResponse(
    input: V2.UpdateIntegrationResponseRequest,
    at: RequestContext,
  ): Promise<V2.UpdateIntegrationResponseResponse> {
    return this.ws.integrationResponses.update(input, at);
  }

  async DeleteIntegrationResponse(
    input: V2.DeleteIntegrationResponseRequest,
    at: RequestContext,
  ): Promise<object> {
    await this.ws.integrationResponses.delete(input, at);
    return {};
  }

  // Models

  CreateModel(input: V2.CreateModelRequest, at: RequestContext): Promise<V2.CreateModelResponse> {
    return this.ws.models.create(input, at);
  }

  GetModel(input: V2.GetModelRequest, at: RequestContext): Promise<V2.GetModelResponse> {
    return this.ws.models.get(input, at);
  }

  GetModels(input: V2.GetModelsRequest, at: RequestContext): Promise<V2.GetModelsResponse> {
    return this.ws.models.list(input, at);
  }

  UpdateModel(input: V2.UpdateModelRequest, at: RequestContext): Promise<V2.UpdateModelResponse> {
    return this.ws.models.update(input, at);
  }

  async DeleteModel(input: V2.DeleteModelRequest, at: RequestContext): Promise<object> {
    await this.ws.models.delete(input, at);
    return {};
  }

  GetModelTemplate(
    input: V2.GetModelTemplateRequest,
    at: RequestContext,
  ): Promise<V2.GetModelTemplateResponse> {
    return this.ws.models.template(input, at);
  }

  // Route settings and request parameters

  async DeleteRouteSettings(input: V2.DeleteRouteSettingsRequest, at: RequestContext): Promise<object> {
    await this.ws.routeExtras.deleteRouteSettings(input, at);
    return {};
  }

  async DeleteRouteRequestParameter(
    input: V2.DeleteRouteRequestParameterRequest,
    at: RequestContext,
  ): Promise<object> {
    await this.ws.routeExtras.deleteRouteRequestParameter(input, at);
    return {};
  }
}
