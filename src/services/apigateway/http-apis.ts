/**
 * HTTP and WebSocket APIs themselves (API Gateway v2): create — with "quick create", where a
 * `Target` makes the integration, the route and an auto-deployed `$default` stage at once —,
 * get, list, update and delete.
 */
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import type { Clock } from '../../engine/clock.js';
import type { Store } from '../../storage/store.js';
import type { RequestContext } from '../service.js';
import { BadRequestException } from './errors.js';
import { requireHttpApi } from './http-api-lookup.js';
import type { HttpApiParts } from './http-api-parts.js';
import type { HttpStages } from './http-stages.js';
import { apiId } from './ids.js';
import { apiQueries, type ApiKind } from './tables.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

/** An Api as stored: the SDK's shape with `CreatedDate` in ms, and no endpoint (made when read). */
export type StoredHttpApi = Omit<V2.Api, 'CreatedDate' | 'ApiEndpoint'> & {
  ApiId: string;
  ProtocolType: 'HTTP' | 'WEBSOCKET';
  CreatedDate: number;
};

const DEFAULT_ROUTE_SELECTION = '$request.method $request.path';
const MAX_RESULTS = 500;

export class HttpApis {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly parts: HttpApiParts,
    private readonly stages: HttpStages,
    /** `http://127.0.0.1:4566`: an API's endpoint is its host name on the edge's port. */
    private readonly endpointUrl: () => string,
  ) {}

  output(stored: StoredHttpApi): V2.Api {
    const { port } = new URL(this.endpointUrl());
    const scheme = stored.ProtocolType === 'WEBSOCKET' ? 'ws' : 'http';
    return {
      ...stored,
      ApiEndpoint: `${scheme}://${stored.ApiId}.execute-api.localhost${port ? `:${port}` : ''}`,
      CreatedDate: new Date(stored.CreatedDate),
    };
  }

  async create(input: V2.CreateApiRequest, at: Place): Promise<V2.Api> {
    const protocol = input.ProtocolType!;
    if (protocol !== 'HTTP' && protocol !== 'WEBSOCKET') {
      throw new BadRequestException(`Invalid protocol type ${protocol}`);
    }
    if (protocol === 'WEBSOCKET') {
      if (!input.RouteSelectionExpression) {
        throw new BadRequestException('RouteSelectionExpression is required for WebSocket APIs');
      }
      if (input.Target || input.CorsConfiguration) {
        throw new BadRequestException('Target and CorsConfiguration are only supported for HTTP APIs');
      }
    } else if (input.RouteSelectionExpression && input.RouteSelectionExpression !== DEFAULT_ROUTE_SELECTION) {
      throw new BadRequestException(
        `Unsupported RouteSelectionExpression for HTTP APIs: ${input.RouteSelectionExpression}`,
      );
    }
    if (input.RouteKey && !input.Target) throw new BadRequestException('RouteKey requires a Target');
    const now = this.clock.now();
    const stored: StoredHttpApi = {
      ApiId: apiId(),
      Name: input.Name,
      ProtocolType: protocol,
      ApiKeySelectionExpression: input.ApiKeySelectionExpression ?? '$request.header.x-api-key',
      RouteSelectionExpression: input.RouteSelectionExpression ?? DEFAULT_ROUTE_SELECTION,
      CreatedDate: now,
      DisableExecuteApiEndpoint: input.DisableExecuteApiEndpoint ?? false,
      ...(input.Description !== undefined ? { Description: input.Description } : {}),
      ...(input.Version !== undefined ? { Version: input.Version } : {}),
      ...(input.CorsConfiguration ? { CorsConfiguration: input.CorsConfiguration } : {}),
      ...(input.IpAddressType ? { IpAddressType: input.IpAddressType } : { IpAddressType: 'ipv4' }),
      Tags: input.Tags ?? {},
    };
    await this.store.transaction(async (tx) => {
      await apiQueries.insert(tx, {
        id: stored.ApiId,
        account_id: at.accountId,
        region: at.region,
        kind: protocol as ApiKind,
        created_at: now,
        document: JSON.stringify(stored),
      });
      if (!input.Target) return;
      // Quick create: what the console makes from a function or URL in one step.
      const integration = await this.parts.insertIntegration(tx, stored, {
        IntegrationType: /^https?:\/\//.test(input.Target) ? 'HTTP_PROXY' : 'AWS_PROXY',
        IntegrationUri: input.Target,
        ...(/^https?:\/\//.test(input.Target) ? { IntegrationMethod: 'ANY' } : {}),
        PayloadFormatVersion: /^https?:\/\//.test(input.Target) ? '1.0' : '2.0',
        ...(input.CredentialsArn ? { CredentialsArn: input.CredentialsArn } : {}),
        managed: true,
      });
      await this.parts.insertRoute(tx, stored, {
        RouteKey: input.RouteKey ?? '$default',
        Target: `integrations/${integration.IntegrationId}`,
        managed: true,
      });
      await this.stages.insertStage(tx, stored, { StageName: '$default', AutoDeploy: true, managed: true });
    });
    return this.output(stored);
  }

  async get(at: Place, id: string): Promise<V2.Api> {
    return this.output(await requireHttpApi(this.store, at, id));
  }

  async list(input: V2.GetApisRequest, at: Place): Promise<V2.GetApisResponse> {
    const limit = Math.min(Number(input.MaxResults ?? MAX_RESULTS) || MAX_RESULTS, MAX_RESULTS);
    const after = input.NextToken ? Buffer.from(input.NextToken, 'base64url').toString('utf8') : '';
    const rows = [
      ...(await apiQueries.list(this.store, at, 'HTTP', after, limit + 1)),
      ...(await apiQueries.list(this.store, at, 'WEBSOCKET', after, limit + 1)),
    ].sort((a, b) => (a.id < b.id ? -1 : 1));
    const items = rows.slice(0, limit);
    return {
      Items: items.map((row) => this.output(JSON.parse(row.document) as StoredHttpApi)),
      ...(rows.length > limit
        ? { NextToken: Buffer.from(items[items.length - 1]!.id).toString('base64url') }
        : {}),
    };
  }

  async update(input: V2.UpdateApiRequest, at: Place): Promise<V2.Api> {
    const api = await requireHttpApi(this.store, at, input.ApiId!);
    const changed: StoredHttpApi = {
      ...api,
      ...(input.Name !== undefined ? { Name: input.Name } : {}),
      ...(input.Description !== undefined ? { Description: input.Description } : {}),
      ...(input.Version !== undefined ? { Version: input.Version } : {}),
      ...(input.CorsConfiguration !== undefined ? { CorsConfiguration: input.CorsConfiguration } : {}),
      ...(input.DisableExecuteApiEndpoint !== undefined
        ? { DisableExecuteApiEndpoint: input.DisableExecuteApiEndpoint }
        : {}),
      ...(input.RouteSelectionExpression !== undefined
        ? { RouteSelectionExpression: input.RouteSelectionExpression }
        : {}),
      ...(input.ApiKeySelectionExpression !== undefined
        ? { ApiKeySelectionExpression: input.ApiKeySelectionExpression }
        : {}),
    };
    await this.store.transaction(async (tx) => {
      await apiQueries.update(tx, api.ApiId, JSON.stringify(changed));
      // CORS is served from the deployment: auto-deployed stages pick the change up.
      await this.stages.autoDeploy(tx, changed);
    });
    return this.output(changed);
  }

  async deleteCors(input: V2.DeleteCorsConfigurationRequest, at: Place): Promise<void> {
    const api = await requireHttpApi(this.store, at, input.ApiId!);
    const { CorsConfiguration: _dropped, ...rest } = api;
    await this.store.transaction(async (tx) => {
      await apiQueries.update(tx, api.ApiId, JSON.stringify(rest));
      await this.stages.autoDeploy(tx, rest);
    });
  }

  async delete(at: Place, id: string): Promise<void> {
    const api = await requireHttpApi(this.store, at, id);
    await apiQueries.delete(this.store, api.ApiId);
  }
}
