/**
 * Routes and integrations of HTTP and WebSocket APIs. Every change redeploys the API's
 * auto-deploy stages in the same transaction, so callers see it at once, as on AWS.
 */
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import type { Queryable, Store } from '../../storage/store.js';
import type { RequestContext } from '../service.js';
import { BadRequestException, ConflictException, NotFoundException } from './errors.js';
import { requireHttpApi } from './http-api-lookup.js';
import type { StoredHttpApi } from './http-apis.js';
import type { HttpStages } from './http-stages.js';
import { childId } from './ids.js';
import { integrationQueries, routeQueries } from './tables.js';
import { checkWebSocketRoute } from './websocket/authorizer-settings.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

const HTTP_ROUTE_METHODS = ['ANY', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const HTTP_INTEGRATION_TYPES = ['AWS_PROXY', 'HTTP_PROXY'];
const WEBSOCKET_INTEGRATION_TYPES = ['AWS_PROXY', 'AWS', 'HTTP', 'HTTP_PROXY', 'MOCK'];
const MAX_HTTP_TIMEOUT_MS = 30_000;
const MAX_WEBSOCKET_TIMEOUT_MS = 29_000;
const MIN_TIMEOUT_MS = 50;

type RouteSettings = Omit<V2.CreateRouteRequest, 'ApiId'> & { managed?: boolean };
type IntegrationSettings = Omit<V2.CreateIntegrationRequest, 'ApiId'> & { managed?: boolean };

/** `$default`, or `METHOD /path` with path parameters and a greedy one only last. */
function checkRouteKey(api: StoredHttpApi, routeKey: string): void {
  if (api.ProtocolType === 'WEBSOCKET' || routeKey === '$default') return;
  const match = /^([A-Z]+) (\/\S*)$/.exec(routeKey);
  const segments = match?.[2]!.split('/').slice(1) ?? [];
  const valid =
    match !== null &&
    HTTP_ROUTE_METHODS.includes(match[1]!) &&
    segments.every(
      (segment, i) =>
        (segment !== '' || segments.length === 1) &&
        (!segment.includes('{') || /^\{[A-Za-z0-9._-]+\+?\}$/.test(segment)) &&
        (!segment.endsWith('+}') || i === segments.length - 1),
    );
  if (!valid) throw new BadRequestException(`Invalid route key: ${routeKey}`);
}

function checkTarget(target: string | undefined): void {
  if (target !== undefined && !/^integrations\/[a-z0-9]+$/.test(target)) {
    throw new BadRequestException(
      `Invalid target: ${target}. A target must be of the form integrations/{integrationId}`,
    );
  }
}

function routeOutput(stored: V2.Route): V2.Route {
  return stored;
}

export class HttpApiParts {
  constructor(
    private readonly store: Store,
    private readonly stages: HttpStages,
  ) {}

  // Routes

  async createRoute(input: V2.CreateRouteRequest, at: Place): Promise<V2.Route> {
    return this.store.transaction(async (tx) => {
      const api = await requireHttpApi(tx, at, input.ApiId!);
      const route = await this.insertRoute(tx, api, input);
      await this.stages.autoDeploy(tx, api);
      return routeOutput(route);
    });
  }

  async insertRoute(tx: Queryable, api: StoredHttpApi, settings: RouteSettings): Promise<V2.Route> {
    const routeKey = settings.RouteKey!;
    checkRouteKey(api, routeKey);
    checkTarget(settings.Target);
    await this.checkIntegrationExists(tx, api, settings.Target);
    if (await routeQueries.findByKey(tx, api.ApiId, routeKey)) {
      throw new ConflictException(`Route with key ${routeKey} already exists for this API`);
    }
    const route: V2.Route = {
      RouteId: childId(),
      RouteKey: routeKey,
      ApiKeyRequired: settings.ApiKeyRequired ?? false,
      AuthorizationType: settings.AuthorizationType ?? 'NONE',
      ...(settings.AuthorizerId ? { AuthorizerId: settings.AuthorizerId } : {}),
      ...(settings.AuthorizationScopes ? { AuthorizationScopes: settings.AuthorizationScopes } : {}),
      ...(settings.OperationName ? { OperationName: settings.OperationName } : {}),
      ...(settings.RequestParameters ? { RequestParameters: settings.RequestParameters } : {}),
      ...(settings.ModelSelectionExpression
        ? { ModelSelectionExpression: settings.ModelSelectionExpression }
        : {}),
      ...(settings.RequestModels ? { RequestModels: settings.RequestModels } : {}),
      ...(settings.RouteResponseSelectionExpression
        ? { RouteResponseSelectionExpression: settings.RouteResponseSelectionExpression }
        : {}),
      ...(settings.Target ? { Target: settings.Target } : {}),
      ...(settings.managed ? { ApiGatewayManaged: true } : {}),
    };
    if (api.ProtocolType === 'WEBSOCKET') checkWebSocketRoute(route);
    await routeQueries.insert(tx, {
      api_id: api.ApiId,
      id: route.RouteId!,
      route_key: routeKey,
      document: JSON.stringify(route),
    });
    return route;
  }

  async getRoute(input: V2.GetRouteRequest, at: Place): Promise<V2.Route> {
    const api = await requireHttpApi(this.store, at, input.ApiId!);
    return this.requireRoute(this.store, api, input.RouteId!);
  }

  async listRoutes(input: V2.GetRoutesRequest, at: Place): Promise<V2.GetRoutesResponse> {
    const api = await requireHttpApi(this.store, at, input.ApiId!);
    const rows = await routeQueries.all(this.store, api.ApiId);
    return { Items: rows.map((row) => JSON.parse(row.document) as V2.Route) };
  }

  async updateRoute(input: V2.UpdateRouteRequest, at: Place): Promise<V2.Route> {
    return this.store.transaction(async (tx) => {
      const api = await requireHttpApi(tx, at, input.ApiId!);
      const route = await this.requireRoute(tx, api, input.RouteId!);
      const { ApiId: _api, RouteId: _route, ...changes } = input;
      const changed: V2.Route = { ...route, ...definedOnly(changes) };
      if (changed.RouteKey !== route.RouteKey) {
        checkRouteKey(api, changed.RouteKey!);
        if (await routeQueries.findByKey(tx, api.ApiId, changed.RouteKey!)) {
          throw new ConflictException(`Route with key ${changed.RouteKey} already exists for this API`);
        }
      }
      checkTarget(changed.Target);
      if (api.ProtocolType === 'WEBSOCKET') checkWebSocketRoute(changed);
      await this.checkIntegrationExists(tx, api, changed.Target);
      await routeQueries.update(tx, api.ApiId, route.RouteId!, changed.RouteKey!, JSON.stringify(changed));
      await this.stages.autoDeploy(tx, api);
      return changed;
    });
  }

  async deleteRoute(input: V2.DeleteRouteRequest, at: Place): Promise<void> {
    await this.store.transaction(async (tx) => {
      const api = await requireHttpApi(tx, at, input.ApiId!);
      await this.requireRoute(tx, api, input.RouteId!);
      await routeQueries.delete(tx, api.ApiId, input.RouteId!);
      await this.stages.autoDeploy(tx, api);
    });
  }

  // Integrations

  async createIntegration(input: V2.CreateIntegrationRequest, at: Place): Promise<V2.Integration> {
    return this.store.transaction(async (tx) => {
      const api = await requireHttpApi(tx, at, input.ApiId!);
      const integration = await this.insertIntegration(tx, api, input);
      await this.stages.autoDeploy(tx, api);
      return integration;
    });
  }

  async insertIntegration(
    tx: Queryable,
    api: StoredHttpApi,
    settings: IntegrationSettings,
  ): Promise<V2.Integration> {
    const integration = this.checkedIntegration(api, { IntegrationId: childId() }, settings);
    await integrationQueries.insert(tx, {
      api_id: api.ApiId,
      id: integration.IntegrationId!,
      document: JSON.stringify(integration),
    });
    return integration;
  }

  async getIntegration(input: V2.GetIntegrationRequest, at: Place): Promise<V2.Integration> {
    const api = await requireHttpApi(this.store, at, input.ApiId!);
    return this.requireIntegration(this.store, api, input.IntegrationId!);
  }

  async listIntegrations(input: V2.GetIntegrationsRequest, at: Place): Promise<V2.GetIntegrationsResponse> {
    const api = await requireHttpApi(this.store, at, input.ApiId!);
    const rows = await integrationQueries.all(this.store, api.ApiId);
    return { Items: rows.map((row) => JSON.parse(row.document) as V2.Integration) };
  }

  async updateIntegration(input: V2.UpdateIntegrationRequest, at: Place): Promise<V2.Integration> {
    return this.store.transaction(async (tx) => {
      const api = await requireHttpApi(tx, at, input.ApiId!);
      const existing = await this.requireIntegration(tx, api, input.IntegrationId!);
      const { ApiId: _api, IntegrationId: _id, ...changes } = input;
      const changed = this.checkedIntegration(api, { IntegrationId: existing.IntegrationId }, {
        ...existing,
        ...definedOnly(changes),
      } as IntegrationSettings);
      await integrationQueries.update(tx, api.ApiId, existing.IntegrationId!, JSON.stringify(changed));
      await this.stages.autoDeploy(tx, api);
      return changed;
    });
  }

  async deleteIntegration(input: V2.DeleteIntegrationRequest, at: Place): Promise<void> {
    await this.store.transaction(async (tx) => {
      const api = await requireHttpApi(tx, at, input.ApiId!);
      await this.requireIntegration(tx, api, input.IntegrationId!);
      const target = `integrations/${input.IntegrationId}`;
      const routes = (await routeQueries.all(tx, api.ApiId)).map(
        (row) => JSON.parse(row.document) as V2.Route,
      );
      if (routes.some((route) => route.Target === target)) {
        throw new ConflictException(
          `Integration ${input.IntegrationId} is in use by one or more routes and cannot be deleted`,
        );
      }
      await integrationQueries.delete(tx, api.ApiId, input.IntegrationId!);
      await this.stages.autoDeploy(tx, api);
    });
  }

  private checkedIntegration(
    api: StoredHttpApi,
    identity: { IntegrationId?: string },
    settings: IntegrationSettings,
  ): V2.Integration {
    const type = settings.IntegrationType!;
    const http = api.ProtocolType === 'HTTP';
    const types = http ? HTTP_INTEGRATION_TYPES : WEBSOCKET_INTEGRATION_TYPES;
    const subtype = settings.IntegrationSubtype;
    if (!types.includes(type) && !(http && type === 'AWS_PROXY' && subtype)) {
      throw new BadRequestException(`Unsupported integration type ${type} for ${api.ProtocolType} APIs`);
    }
    if (type !== 'MOCK' && !settings.IntegrationUri && !subtype) {
      throw new BadRequestException('IntegrationUri is required for this integration type');
    }
    if (http && type === 'AWS_PROXY' && !subtype && !settings.PayloadFormatVersion) {
      throw new BadRequestException(
        'PayloadFormatVersion is required for Lambda proxy integrations of HTTP APIs',
      );
    }
    const version = settings.PayloadFormatVersion ?? '1.0';
    if (version !== '1.0' && version !== '2.0') {
      throw new BadRequestException(`Unsupported payload format version ${version}`);
    }
    if (version === '2.0' && (type !== 'AWS_PROXY' || !http)) {
      throw new BadRequestException(
        'Payload format version 2.0 is only supported for Lambda proxy integrations of HTTP APIs',
      );
    }
    const maxTimeout = http ? MAX_HTTP_TIMEOUT_MS : MAX_WEBSOCKET_TIMEOUT_MS;
    const timeout = settings.TimeoutInMillis ?? maxTimeout;
    if (timeout < MIN_TIMEOUT_MS || timeout > maxTimeout) {
      throw new BadRequestException(`Timeout must be between ${MIN_TIMEOUT_MS} ms and ${maxTimeout} ms`);
    }
    return {
      ...identity,
      IntegrationType: type,
      ...(settings.IntegrationUri ? { IntegrationUri: settings.IntegrationUri } : {}),
      ...(subtype ? { IntegrationSubtype: subtype } : {}),
      IntegrationMethod: settings.IntegrationMethod ?? (type === 'AWS_PROXY' ? 'POST' : undefined),
      PayloadFormatVersion: version,
      TimeoutInMillis: timeout,
      ConnectionType: settings.ConnectionType ?? 'INTERNET',
      ...(settings.ConnectionId ? { ConnectionId: settings.ConnectionId } : {}),
      ...(settings.CredentialsArn ? { CredentialsArn: settings.CredentialsArn } : {}),
      ...(settings.Description !== undefined ? { Description: settings.Description } : {}),
      ...(settings.RequestParameters ? { RequestParameters: settings.RequestParameters } : {}),
      ...(settings.ResponseParameters ? { ResponseParameters: settings.ResponseParameters } : {}),
      ...(settings.RequestTemplates ? { RequestTemplates: settings.RequestTemplates } : {}),
      ...(settings.TemplateSelectionExpression
        ? { TemplateSelectionExpression: settings.TemplateSelectionExpression }
        : {}),
      ...(settings.PassthroughBehavior ? { PassthroughBehavior: settings.PassthroughBehavior } : {}),
      ...(settings.ContentHandlingStrategy
        ? { ContentHandlingStrategy: settings.ContentHandlingStrategy }
        : {}),
      ...(settings.managed ? { ApiGatewayManaged: true } : {}),
    };
  }

  private async requireRoute(db: Queryable, api: StoredHttpApi, routeId: string): Promise<V2.Route> {
    const row = await routeQueries.find(db, api.ApiId, routeId);
    if (!row) throw new NotFoundException(`Invalid Route identifier specified ${routeId}`);
    return JSON.parse(row.document) as V2.Route;
  }

  private async requireIntegration(db: Queryable, api: StoredHttpApi, id: string): Promise<V2.Integration> {
    const row = await integrationQueries.find(db, api.ApiId, id);
    if (!row) throw new NotFoundException(`Invalid Integration identifier specified ${id}`);
    return JSON.parse(row.document) as V2.Integration;
  }

  private async checkIntegrationExists(
    db: Queryable,
    api: StoredHttpApi,
    target: string | undefined,
  ): Promise<void> {
    if (!target) return;
    const id = target.slice('integrations/'.length);
    if (!(await integrationQueries.find(db, api.ApiId, id))) {
      throw new NotFoundException(`Invalid Integration identifier specified ${id}`);
    }
  }
}

/** The members of an update request that were given. */
export function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}
