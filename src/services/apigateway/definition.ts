/**
 * API Gateway is three services on the wire over one set of tables: v1 (REST APIs, `/restapis/…`)
 * and v2 (HTTP and WebSocket APIs, `/v2/apis/…`), both signed as `apigateway`, and the invoke edge
 * that serves deployed APIs at `{apiId}.execute-api.localhost` and `/_aws/execute-api/{apiId}/…`.
 * The v1 definition owns the tables and the edge route.
 */
import { loadServiceModel } from '../../protocol/model.js';
import type { ServiceDefinition } from '../service.js';
import { HttpAuthorizers, RestAuthorizers } from './authorizers.js';
import { Deployments } from './deployments.js';
import { HttpApiParts } from './http-api-parts.js';
import { HttpApis } from './http-apis.js';
import { HttpStages } from './http-stages.js';
import { ApiMetrics } from './invoke/api-metrics.js';
import { JwtAuthorizers } from './invoke/authorizers/jwt-authorizer.js';
import { LambdaAuthorizers } from './invoke/authorizers/lambda-authorizer.js';
import { ExecuteApiRoute } from './invoke/execute-api-route.js';
import { HttpInvoker } from './invoke/http-invoker.js';
import { RestInvoker } from './invoke/rest-invoker.js';
import { ApiKeys } from './api-keys.js';
import { UsageLimits } from './invoke/usage-plans.js';
import { Methods } from './methods.js';
import { HttpOpenApi } from './openapi/http-openapi.js';
import { RestOpenApi } from './openapi/rest-openapi.js';
import { ApiGatewayProvider } from './provider.js';
import { ApiGatewayV2Provider } from './provider-v2.js';
import { Resources } from './resources.js';
import { RestApis } from './rest-apis.js';
import { apigatewayMigrations, apigatewayTables } from './tables.js';
import { UsagePlans } from './usage-plans.js';

export const apigateway: ServiceDefinition = {
  name: 'apigateway',
  model: loadServiceModel('apigateway'),
  migrations: apigatewayMigrations,
  tables: apigatewayTables,
  create({ store, clock, services, logger, endpointUrl }) {
    const apis = new RestApis(store, clock);
    const resources = new Resources(store, apis);
    const deployments = new Deployments(store, clock, apis);
    const authorizers = { lambda: new LambdaAuthorizers(services, clock), jwt: new JwtAuthorizers() };
    const metrics = new ApiMetrics(services, clock, logger);
    const limits = new UsageLimits(store, clock);
    const rest = new RestInvoker(store, services, logger, authorizers, limits);
    const http = new HttpInvoker(store, services, logger, authorizers, limits);
    const apiKeys = new ApiKeys(store, clock);
    return {
      provider: new ApiGatewayProvider({
        apis,
        resources,
        methods: new Methods(resources),
        deployments,
        authorizers: new RestAuthorizers(store, apis),
        openApi: new RestOpenApi({ store, clock, apis, deployments, endpointUrl }),
        apiKeys,
        usagePlans: new UsagePlans(store, apiKeys),
      }),
      edgeRoutes: [new ExecuteApiRoute(store, clock, rest, http, metrics)],
      // Metrics still being gathered belong to the wiped state: dropped, not published.
      quiesce: () => metrics.discard(),
      flush: () => metrics.flush(),
      stop: () => metrics.flush(),
      reset: () => {
        rest.forget();
        http.forget();
        limits.forget();
        authorizers.lambda.forget();
        authorizers.jwt.forget();
        return Promise.resolve();
      },
    };
  },
};

export const apigatewayv2: ServiceDefinition = {
  name: 'apigatewayv2',
  model: loadServiceModel('apigatewayv2'),
  sharesStateWith: 'apigateway',
  create({ store, clock, endpointUrl }) {
    const stages = new HttpStages(store, clock);
    const parts = new HttpApiParts(store, stages);
    return {
      provider: new ApiGatewayV2Provider({
        apis: new HttpApis(store, clock, parts, stages, endpointUrl),
        parts,
        stages,
        authorizers: new HttpAuthorizers(store, stages),
        openApi: new HttpOpenApi({ store, clock, parts, stages, endpointUrl }),
      }),
    };
  },
};
