/**
 * Route responses of WebSocket APIs. A route that has one is two-way: the client gets its
 * integration's result back; AWS lets a route have only the `$default` one.
 *
 * Difference from AWS: route responses are read when a message comes, not from the stage's
 * deployment, so adding or removing one takes effect without redeploying.
 */
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import type { Queryable, Store } from '../../../storage/store.js';
import type { RequestContext } from '../../service.js';
import { BadRequestException, ConflictException, NotFoundException } from '../errors.js';
import { requireHttpApi } from '../http-api-lookup.js';
import { childId } from '../ids.js';
import { routeQueries } from '../tables.js';
import { routeResponseQueries, type RouteResponseRow } from './tables.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

const invalidRouteResponse = (id: string) =>
  new NotFoundException(`Invalid RouteResponse identifier specified ${id}`);

function outputOf(row: RouteResponseRow): V2.RouteResponse {
  return JSON.parse(row.document) as V2.RouteResponse;
}

export class RouteResponses {
  constructor(private readonly store: Store) {}

  async create(input: V2.CreateRouteResponseRequest, at: Place): Promise<V2.RouteResponse> {
    return this.store.transaction(async (tx) => {
      await this.requireRoute(tx, at, input.ApiId!, input.RouteId!);
      if (await routeResponseQueries.findByKey(tx, input.ApiId!, input.RouteId!, input.RouteResponseKey!)) {
        throw new ConflictException(`Route response with key ${input.RouteResponseKey} already exists`);
      }
      const response: V2.RouteResponse = {
        RouteResponseId: childId(),
        RouteResponseKey: input.RouteResponseKey!,
        ...(input.ModelSelectionExpression !== undefined
          ? { ModelSelectionExpression: input.ModelSelectionExpression }
          : {}),
        ...(input.ResponseModels ? { ResponseModels: input.ResponseModels } : {}),
        ...(input.ResponseParameters ? { ResponseParameters: input.ResponseParameters } : {}),
      };
      await routeResponseQueries.insert(tx, {
        api_id: input.ApiId!,
        route_id: input.RouteId!,
        id: response.RouteResponseId!,
        route_response_key: response.RouteResponseKey!,
        document: JSON.stringify(response),
      });
      return response;
    });
  }

  async get(input: V2.GetRouteResponseRequest, at: Place): Promise<V2.RouteResponse> {
    await this.requireRoute(this.store, at, input.ApiId!, input.RouteId!);
    return outputOf(await this.requireResponse(this.store, input));
  }

  async list(input: V2.GetRouteResponsesRequest, at: Place): Promise<V2.GetRouteResponsesResponse> {
    await this.requireRoute(this.store, at, input.ApiId!, input.RouteId!);
    const rows = await routeResponseQueries.forRoute(this.store, input.ApiId!, input.RouteId!);
    return { Items: rows.map(outputOf) };
  }

  async update(input: V2.UpdateRouteResponseRequest, at: Place): Promise<V2.RouteResponse> {
    return this.store.transaction(async (tx) => {
      await this.requireRoute(tx, at, input.ApiId!, input.RouteId!);
      const existing = outputOf(await this.requireResponse(tx, input));
      const { ApiId: _api, RouteId: _route, RouteResponseId: _id, ...changes } = input;
      const changed: V2.RouteResponse = {
        ...existing,
        ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)),
      };
      if (changed.RouteResponseKey !== existing.RouteResponseKey) {
        const taken = await routeResponseQueries.findByKey(
          tx,
          input.ApiId!,
          input.RouteId!,
          changed.RouteResponseKey!,
        );
        if (taken)
          throw new ConflictException(`Route response with key ${changed.RouteResponseKey} already exists`);
      }
      await routeResponseQueries.update(
        tx,
        input.ApiId!,
        existing.RouteResponseId!,
        changed.RouteResponseKey!,
        JSON.stringify(changed),
      );
      return changed;
    });
  }

  async delete(input: V2.DeleteRouteResponseRequest, at: Place): Promise<void> {
    await this.requireRoute(this.store, at, input.ApiId!, input.RouteId!);
    const row = await this.requireResponse(this.store, input);
    await routeResponseQueries.delete(this.store, row.api_id, row.id);
  }

  private async requireRoute(db: Queryable, at: Place, apiId: string, routeId: string): Promise<void> {
    const api = await requireHttpApi(db, at, apiId);
    if (api.ProtocolType !== 'WEBSOCKET') {
      throw new BadRequestException('Route responses are only supported for WebSocket APIs');
    }
    if (!(await routeQueries.find(db, apiId, routeId))) {
      throw new NotFoundException(`Invalid Route identifier specified ${routeId}`);
    }
  }

  private async requireResponse(
    db: Queryable,
    input: { ApiId?: string; RouteId?: string; RouteResponseId?: string },
  ): Promise<RouteResponseRow> {
    const row = await routeResponseQueries.find(db, input.ApiId!, input.RouteId!, input.RouteResponseId!);
    if (!row) throw invalidRouteResponse(input.RouteResponseId!);
    return row;
  }
}
