/**
 * API Gateway is four services on the wire over one set of tables: v1 (REST APIs, `/restapis/…`)
 * and v2 (HTTP and WebSocket APIs, `/v2/apis/…`), both signed as `apigateway`; the invoke edge
 * that serves deployed APIs at `{apiId}.execute-api.localhost` and `/_aws/execute-api/{apiId}/…`
 * (WebSockets too); and the `@connections` API (`apigatewaymanagementapi`, signed as
 * `execute-api`) that pushes to WebSocket clients. The v1 definition owns the tables and the edge.
 */
import { hostClock } from '../../engine/clock.js';
import { ServiceError } from '../../protocol/errors.js';
import { loadServiceModel } from '../../protocol/model.js';
import { validationMessage } from '../../protocol/validate.js';
import { Authenticator } from '../../server/auth.js';
import type { ServiceContext, ServiceDefinition, ServiceInstance } from '../service.js';
import { ApiKeys } from './api-keys.js';
import { domainMigrations, domainTables } from './domains/tables.js';
import { customDomains } from './domains/provider.js';
import { ApiGatewayV2ExtrasProvider } from './provider-v2-extras.js';
import { vpcLinkMigrations, vpcLinkTables } from './vpc-links/tables.js';
import { VpcLinks } from './vpc-links/vpc-links.js';
import { documentationMigrations, documentationTables } from './documentation/tables.js';
import { DocumentationParts } from './documentation/parts.js';
import { DocumentationVersions } from './documentation/versions.js';
import { ApiGatewayExtrasProvider } from './provider-extras.js';
import { MethodTests } from './invoke/test-invoke-method.js';
import { ApiKeyImports } from './api-key-imports.js';
import { UsageGrants } from './usage-grants.js';
import { HttpAuthorizers, RestAuthorizers } from './authorizers.js';
import { Deployments } from './deployments.js';
import { HttpApiParts } from './http-api-parts.js';
import { HttpApis } from './http-apis.js';
import { HttpStages } from './http-stages.js';
import { ApiMetrics } from './invoke/api-metrics.js';
import { CognitoAuthorizers } from './invoke/authorizers/cognito-authorizer.js';
import { IamAuthorizer } from './invoke/authorizers/iam-authorizer.js';
import { JwtAuthorizers } from './invoke/authorizers/jwt-authorizer.js';
import { KeySets } from './invoke/authorizers/key-sets.js';
import { AuthorizerTests } from './invoke/authorizers/test-invoke.js';
import { LambdaAuthorizers } from './invoke/authorizers/lambda-authorizer.js';
import { CacheInvalidators } from './invoke/cache-invalidation.js';
import { AccessLogs } from './logging/access-logs.js';
import { AccountSettings } from './logging/account.js';
import { StageAccessLogs } from './logging/stage-access-logs.js';
import { apigatewayAccountMigrations, apigatewayAccountTables } from './logging/tables.js';
import { ExecuteApiRoute } from './invoke/execute-api-route.js';
import { HttpInvoker } from './invoke/http-invoker.js';
import { RestInvoker } from './invoke/rest-invoker.js';
import { StageCache } from './invoke/stage-cache.js';
import { UsageLimits } from './invoke/usage-plans.js';
import { MethodUpdates } from './method-updates.js';
import { Methods } from './methods.js';
import { HttpOpenApi } from './openapi/http-openapi.js';
import { RestOpenApi } from './openapi/rest-openapi.js';
import { restDefinitionModules } from './provider-definitions.js';
import { Resources } from './resources.js';
import { RouteExtras } from './route-extras.js';
import { RestApis } from './rest-apis.js';
import { stageCacheMigrations, stageCacheTables } from './stage-cache-tables.js';
import { StageCaches } from './stage-caches.js';
import { apigatewayMigrations, apigatewayTables } from './tables.js';
import { UsagePlans } from './usage-plans.js';
import { PayloadTooLargeException } from './websocket/errors.js';
import { apigatewayWebSocketMigrations, apigatewayWebSocketTables } from './websocket/tables.js';
import { WebSocketGateway } from './websocket/gateway.js';
import { webSocketLimits, type WebSocketLimits } from './websocket/limits.js';
import { connectionsModel } from './websocket/management-model.js';
import { ApiGatewayManagementProvider } from './websocket/management-provider.js';
import { nodeConnectionsOf } from './websocket/node-connections.js';
import { IntegrationResponses } from './websocket/integration-responses.js';
import { Models } from './websocket/models.js';
import { RouteResponses } from './websocket/route-responses.js';

export interface ApiGatewayOptions {
  /** WebSocket APIs' timeouts and size limits (tests shorten the timeouts); AWS's by default. */
  webSocket?: Partial<WebSocketLimits>;
}

/** API Gateway v1 and the invoke edge, with `options` (`apigateway` is it with AWS's limits). */
export function apigatewayService(options: ApiGatewayOptions = {}): ServiceDefinition {
  return {
    name: 'apigateway',
    model: loadServiceModel('apigateway'),
    migrations: [
      ...apigatewayMigrations,
      ...apigatewayWebSocketMigrations,
      ...stageCacheMigrations,
      ...apigatewayAccountMigrations,
      ...domainMigrations,
      ...vpcLinkMigrations,
      ...documentationMigrations,
    ],
    tables: [
      ...apigatewayTables,
      ...apigatewayWebSocketTables,
      ...stageCacheTables,
      ...apigatewayAccountTables,
      ...domainTables,
      ...vpcLinkTables,
      ...documentationTables,
    ],
    create: (context) => createApiGateway(context, { ...webSocketLimits, ...options.webSocket }),
  };
}

function createApiGateway(
  { store, clock, services, logger, endpointUrl, config, pendingWrites }: ServiceContext,
  webSocket: WebSocketLimits,
): ServiceInstance {
  const apis = new RestApis(store, clock);
  const resources = new Resources(store, apis);
  const deployments = new Deployments(store, clock, apis);
  const keySets = new KeySets();
  // Clients sign with their own clock: skew windows are the host's, as for the AWS API.
  const authenticator = new Authenticator(config, hostClock);
  const authorizers = {
    lambda: new LambdaAuthorizers(services, clock),
    jwt: new JwtAuthorizers(keySets),
    cognito: new CognitoAuthorizers(keySets, config.cognitoUrl),
    iam: new IamAuthorizer(authenticator),
  };
  const metrics = new ApiMetrics(services, clock, logger);
  const accessLogs = new AccessLogs(services, pendingWrites, clock, logger);
  const limits = new UsageLimits(store, clock);
  const invalidators = new CacheInvalidators(authenticator);
  const cache = new StageCache(store, clock, metrics, invalidators, logger);
  const rest = new RestInvoker(store, services, logger, authorizers, limits, cache);
  const http = new HttpInvoker(store, services, logger, authorizers, limits, metrics);
  const connections = nodeConnectionsOf({ store, clock, logger });
  const websockets = new WebSocketGateway({
    store,
    clock,
    services,
    logger,
    connections,
    limits: webSocket,
    accessLogs,
    authorizers: { lambda: authorizers.lambda, authenticator },
  });
  const apiKeys = new ApiKeys(store, clock);
  const domains = customDomains({ store, clock, logger });
  const edge = new ExecuteApiRoute(store, clock, rest, http, metrics, websockets, accessLogs, domains.route);
  const restAuthorizers = new RestAuthorizers(store, apis);
  const usagePlans = new UsagePlans(store, apiKeys);
  return {
    provider: new ApiGatewayExtrasProvider(
      {
        methodTests: new MethodTests(store, apis, rest, clock),
        apiKeyImports: new ApiKeyImports(store, clock),
        usageGrants: new UsageGrants(store, clock, usagePlans),
        vpcLinks: new VpcLinks(store, clock),
        documentationParts: new DocumentationParts(store, apis),
        documentationVersions: new DocumentationVersions(store, clock, apis),
      },
      domains,
      {
        apis,
        resources,
        methods: new Methods(resources),
        methodUpdates: new MethodUpdates(resources),
        deployments,
        authorizers: restAuthorizers,
        authorizerTests: new AuthorizerTests(restAuthorizers, authorizers, clock),
        openApi: new RestOpenApi({ store, clock, apis, deployments, endpointUrl }),
        apiKeys,
        usagePlans,
        stageCaches: new StageCaches(store),
        account: new AccountSettings(store),
      },
      restDefinitionModules(apis),
    ),
    edgeRoutes: [edge],
    start: () => domains.directory.start(),
    // Metrics and access logs still being gathered belong to the wiped state: dropped, not written.
    quiesce: async () => {
      await Promise.all([metrics.discard(), accessLogs.discard()]);
    },
    flush: async () => {
      await Promise.all([metrics.flush(), accessLogs.settled()]);
    },
    reset: () => {
      edge.forget();
      rest.forget();
      http.forget();
      limits.forget();
      authorizers.lambda.forget();
      keySets.forget();
      return Promise.all([websockets.reset(), domains.directory.refreshNow()]).then(() => undefined);
    },
    stop: async () => {
      await domains.directory.stop();
      await connections.stop();
      await Promise.all([metrics.flush(), accessLogs.settled()]);
    },
  };
}

export const apigateway: ServiceDefinition = apigatewayService();

export const apigatewayv2: ServiceDefinition = {
  name: 'apigatewayv2',
  model: loadServiceModel('apigatewayv2'),
  sharesStateWith: 'apigateway',
  create({ store, clock, logger, endpointUrl }) {
    const stages = new HttpStages(store, clock);
    const parts = new HttpApiParts(store, stages);
    return {
      provider: new ApiGatewayV2ExtrasProvider(
        new VpcLinks(store, clock),
        customDomains({ store, clock, logger }),
        {
          apis: new HttpApis(store, clock, parts, stages, endpointUrl),
          parts,
          stages,
          authorizers: new HttpAuthorizers(store, stages),
          openApi: new HttpOpenApi({ store, clock, parts, stages, endpointUrl }),
          stageCaches: new StageCaches(store),
          accessLogs: new StageAccessLogs(store, clock),
        },
        {
          routeResponses: new RouteResponses(store),
          integrationResponses: new IntegrationResponses(store),
          models: new Models(store),
          routeExtras: new RouteExtras(store, clock, stages),
        },
      ),
    };
  },
};

/** The `@connections` API, on the connections the invoke edge of the same Stratus holds. */
export const apigatewaymanagementapi: ServiceDefinition = {
  name: 'apigatewaymanagementapi',
  model: connectionsModel(),
  sharesStateWith: 'apigateway',
  validationError: (violations) =>
    violations.some((violation) => violation.member === 'Data' && violation.kind !== 'required')
      ? new PayloadTooLargeException('Message too long')
      : new ServiceError('BadRequestException', validationMessage(violations), { status: 400 }),
  create: ({ store, clock, logger }) => ({
    provider: new ApiGatewayManagementProvider(nodeConnectionsOf({ store, clock, logger })),
  }),
};
