/**
 * What API Gateway v2 deletes from a route piece by piece: a stage's settings for one route key
 * (DeleteRouteSettings, throttling and logging of that route falling back to the stage's
 * defaults) and one of a route's request parameters (DeleteRouteRequestParameter, which
 * redeploys the auto-deploy stages, as any change to a route does).
 */
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import type { Clock } from '../../engine/clock.js';
import type { Store } from '../../storage/store.js';
import type { RequestContext } from '../service.js';
import { NotFoundException } from './errors.js';
import { requireHttpApi } from './http-api-lookup.js';
import { httpStageOf, type HttpStages } from './http-stages.js';
import { routeQueries, stageQueries } from './tables.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

export class RouteExtras {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly stages: HttpStages,
  ) {}

  async deleteRouteSettings(input: V2.DeleteRouteSettingsRequest, at: Place): Promise<void> {
    await this.store.transaction(async (tx) => {
      const api = await requireHttpApi(tx, at, input.ApiId!);
      const row = await stageQueries.find(tx, api.ApiId, input.StageName!);
      if (!row) throw new NotFoundException(`Invalid stage identifier specified ${input.StageName}`);
      const stage = httpStageOf(row);
      const settings = { ...stage.RouteSettings };
      if (!(input.RouteKey! in settings)) {
        throw new NotFoundException(`Unable to find route settings for route key ${input.RouteKey}`);
      }
      delete settings[input.RouteKey!];
      stage.RouteSettings = settings;
      stage.LastUpdatedDate = this.clock.now();
      await stageQueries.update(tx, api.ApiId, stage.StageName, row.deployment_id, JSON.stringify(stage));
    });
  }

  async deleteRouteRequestParameter(input: V2.DeleteRouteRequestParameterRequest, at: Place): Promise<void> {
    await this.store.transaction(async (tx) => {
      const api = await requireHttpApi(tx, at, input.ApiId!);
      const row = await routeQueries.find(tx, api.ApiId, input.RouteId!);
      if (!row) throw new NotFoundException(`Invalid Route identifier specified ${input.RouteId}`);
      const route = JSON.parse(row.document) as V2.Route;
      const parameters = { ...route.RequestParameters };
      if (!(input.RequestParameterKey! in parameters)) {
        throw new NotFoundException(`Invalid request parameter key specified ${input.RequestParameterKey}`);
      }
      delete parameters[input.RequestParameterKey!];
      const changed: V2.Route = { ...route, RequestParameters: parameters };
      if (Object.keys(parameters).length === 0) delete changed.RequestParameters;
      await routeQueries.update(tx, api.ApiId, route.RouteId!, route.RouteKey!, JSON.stringify(changed));
      await this.stages.autoDeploy(tx, api);
    });
  }
}
