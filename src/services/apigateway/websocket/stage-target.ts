/**
 * What a WebSocket API's stage serves: its deployment's routes by key, integrations and
 * authorizers by id, and the stage's variables. Deployments never change, so their compiled form is cached by id;
 * the stage row is read each time, so a redeployment reaches open connections at once.
 */
import type { Authorizer, Integration, Route } from '@aws-sdk/client-apigatewayv2';
import type { Store } from '../../../storage/store.js';
import type { StoredHttpApi } from '../http-apis.js';
import { httpStageOf, type HttpSnapshot } from '../http-stages.js';
import { v2AccessLogSettings, type AccessLogSettings } from '../invoke/call-trace.js';
import { CompiledDeployments } from '../invoke/compiled-deployments.js';
import { stageQueries } from '../tables.js';

export interface StageTarget {
  api: StoredHttpApi;
  routes: ReadonlyMap<string, Route>;
  authorizers: ReadonlyMap<string, Authorizer>;
  stageVariables: Record<string, string>;
  accessLogSettings: AccessLogSettings | undefined;
  /** The integration a route targets, if it targets one that exists. */
  integrationOf(route: Route): Integration | undefined;
}

interface Deployed {
  api: StoredHttpApi;
  routes: Map<string, Route>;
  integrations: Map<string, Integration>;
  authorizers: Map<string, Authorizer>;
}

export class StageTargets {
  private readonly deployments: CompiledDeployments<HttpSnapshot, Deployed>;

  constructor(private readonly store: Store) {
    this.deployments = new CompiledDeployments(store, (snapshot: HttpSnapshot) => ({
      api: snapshot.api,
      routes: new Map(snapshot.routes.map((route) => [route.RouteKey!, route])),
      integrations: new Map(snapshot.integrations.map((i) => [i.IntegrationId!, i])),
      authorizers: new Map((snapshot.authorizers ?? []).map((a) => [a.AuthorizerId!, a])),
    }));
  }

  async find(apiId: string, stageName: string): Promise<StageTarget | undefined> {
    const row = await stageQueries.find(this.store, apiId, stageName);
    const stage = row && httpStageOf(row);
    if (!stage?.DeploymentId) return undefined;
    const deployed = await this.deployments.get(apiId, stage.DeploymentId);
    if (!deployed) return undefined;
    return {
      api: deployed.api,
      routes: deployed.routes,
      authorizers: deployed.authorizers,
      stageVariables: stage.StageVariables ?? {},
      accessLogSettings: v2AccessLogSettings(stage.AccessLogSettings),
      integrationOf: (route) => {
        const id = route.Target?.startsWith('integrations/')
          ? route.Target.slice('integrations/'.length)
          : '';
        return deployed.integrations.get(id);
      },
    };
  }

  forget(): void {
    this.deployments.forget();
  }
}
