/**
 * Stages and deployments of HTTP and WebSocket APIs. A deployment snapshots the API's routes,
 * integrations and CORS settings; a stage with `AutoDeploy` gets a new deployment whenever they
 * change (the callers below run `autoDeploy` in their transaction), and the auto-made deployment
 * it leaves behind is dropped.
 */
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import type { Clock } from '../../engine/clock.js';
import type { Queryable, Store } from '../../storage/store.js';
import type { RequestContext } from '../service.js';
import { BadRequestException, ConflictException, NotFoundException } from './errors.js';
import { requireHttpApi } from './http-api-lookup.js';
import type { StoredHttpApi } from './http-apis.js';
import { childId } from './ids.js';
import { checkedV2AccessLogSettings } from './logging/access-log-settings.js';
import {
  authorizerQueries,
  deploymentQueries,
  integrationQueries,
  routeQueries,
  stageQueries,
  type StageRow,
} from './tables.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

/** What an HTTP API deployment keeps: what the invoke path serves. */
export interface HttpSnapshot {
  api: StoredHttpApi;
  routes: V2.Route[];
  integrations: V2.Integration[];
  /** Absent in deployments made before authorizers were kept. */
  authorizers?: V2.Authorizer[];
}

type StoredDeployment = Omit<V2.Deployment, 'CreatedDate'> & { DeploymentId: string; CreatedDate: number };
export type StoredHttpStage = Omit<V2.Stage, 'CreatedDate' | 'LastUpdatedDate'> & {
  StageName: string;
  CreatedDate: number;
  LastUpdatedDate: number;
};

type StageSettings = Omit<V2.CreateStageRequest, 'ApiId'> & { managed?: boolean };

const STAGE_NAME = /^(?:\$default|[a-zA-Z0-9_-]{1,128})$/;

function stageOutput(stored: StoredHttpStage): V2.Stage {
  return {
    ...stored,
    CreatedDate: new Date(stored.CreatedDate),
    LastUpdatedDate: new Date(stored.LastUpdatedDate),
  };
}

function deploymentOutput(stored: StoredDeployment): V2.Deployment {
  return { ...stored, CreatedDate: new Date(stored.CreatedDate) };
}

export function httpStageOf(row: StageRow): StoredHttpStage {
  return JSON.parse(row.document) as StoredHttpStage;
}

const invalidStage = (name: string) => new NotFoundException(`Invalid stage identifier specified ${name}`);
const invalidDeployment = (id: string) =>
  new NotFoundException(`Invalid Deployment identifier specified ${id}`);

export class HttpStages {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  // Deployments

  async createDeployment(input: V2.CreateDeploymentRequest, at: Place): Promise<V2.Deployment> {
    return this.store.transaction(async (tx) => {
      const api = await requireHttpApi(tx, at, input.ApiId!);
      let stage: StoredHttpStage | undefined;
      if (input.StageName !== undefined) {
        const row = await stageQueries.find(tx, api.ApiId, input.StageName);
        if (!row) throw invalidStage(input.StageName);
        stage = httpStageOf(row);
        if (stage.AutoDeploy) {
          throw new BadRequestException('Deployments cannot be created for stages with AutoDeploy enabled');
        }
      }
      const deployment = await this.deploy(tx, api, { Description: input.Description, AutoDeployed: false });
      if (stage) await this.point(tx, api, stage, deployment);
      return deploymentOutput(deployment);
    });
  }

  async getDeployment(input: V2.GetDeploymentRequest, at: Place): Promise<V2.Deployment> {
    const api = await requireHttpApi(this.store, at, input.ApiId!);
    const row = await deploymentQueries.find(this.store, api.ApiId, input.DeploymentId!);
    if (!row) throw invalidDeployment(input.DeploymentId!);
    return deploymentOutput(JSON.parse(row.document) as StoredDeployment);
  }

  async listDeployments(input: V2.GetDeploymentsRequest, at: Place): Promise<V2.GetDeploymentsResponse> {
    const api = await requireHttpApi(this.store, at, input.ApiId!);
    const rows = await deploymentQueries.all(this.store, api.ApiId);
    return { Items: rows.map((row) => deploymentOutput(JSON.parse(row.document) as StoredDeployment)) };
  }

  /** A deployment's description is all that changes: what it deployed never does. */
  async updateDeployment(input: V2.UpdateDeploymentRequest, at: Place): Promise<V2.Deployment> {
    return this.store.transaction(async (tx) => {
      const api = await requireHttpApi(tx, at, input.ApiId!);
      const row = await deploymentQueries.find(tx, api.ApiId, input.DeploymentId!);
      if (!row) throw invalidDeployment(input.DeploymentId!);
      const deployment = JSON.parse(row.document) as StoredDeployment;
      if (input.Description !== undefined) deployment.Description = input.Description;
      await deploymentQueries.updateDocument(
        tx,
        api.ApiId,
        deployment.DeploymentId,
        JSON.stringify(deployment),
      );
      return deploymentOutput(deployment);
    });
  }

  async deleteDeployment(input: V2.DeleteDeploymentRequest, at: Place): Promise<void> {
    await this.store.transaction(async (tx) => {
      const api = await requireHttpApi(tx, at, input.ApiId!);
      if (!(await deploymentQueries.find(tx, api.ApiId, input.DeploymentId!))) {
        throw invalidDeployment(input.DeploymentId!);
      }
      if ((await stageQueries.byDeployment(tx, api.ApiId, input.DeploymentId!)).length > 0) {
        throw new BadRequestException('Active stages pointing to this deployment must be moved or deleted');
      }
      await deploymentQueries.delete(tx, api.ApiId, input.DeploymentId!);
    });
  }

  // Stages

  async createStage(input: V2.CreateStageRequest, at: Place): Promise<V2.Stage> {
    return this.store.transaction(async (tx) => {
      const api = await requireHttpApi(tx, at, input.ApiId!);
      const AccessLogSettings = await checkedV2AccessLogSettings(
        tx,
        at,
        api.ProtocolType,
        input.AccessLogSettings,
      );
      return stageOutput(await this.insertStage(tx, api, { ...input, AccessLogSettings }));
    });
  }

  async insertStage(tx: Queryable, api: StoredHttpApi, settings: StageSettings): Promise<StoredHttpStage> {
    const name = settings.StageName!;
    if (!STAGE_NAME.test(name)) throw new BadRequestException(`Invalid stage name: ${name}`);
    if (await stageQueries.find(tx, api.ApiId, name)) {
      throw new ConflictException(`Stage ${name} already exists`);
    }
    if (settings.DeploymentId && !(await deploymentQueries.find(tx, api.ApiId, settings.DeploymentId))) {
      throw invalidDeployment(settings.DeploymentId);
    }
    const now = this.clock.now();
    const stage: StoredHttpStage = {
      StageName: name,
      AutoDeploy: settings.AutoDeploy ?? false,
      ...(settings.DeploymentId ? { DeploymentId: settings.DeploymentId } : {}),
      ...(settings.Description !== undefined ? { Description: settings.Description } : {}),
      DefaultRouteSettings: settings.DefaultRouteSettings ?? {
        DetailedMetricsEnabled: false,
        ...(api.ProtocolType === 'WEBSOCKET' ? { DataTraceEnabled: false, LoggingLevel: 'OFF' } : {}),
      },
      RouteSettings: settings.RouteSettings ?? {},
      StageVariables: settings.StageVariables ?? {},
      ...(settings.AccessLogSettings ? { AccessLogSettings: settings.AccessLogSettings } : {}),
      Tags: settings.Tags ?? {},
      ...(settings.managed ? { ApiGatewayManaged: true } : {}),
      CreatedDate: now,
      LastUpdatedDate: now,
    };
    await stageQueries.insert(tx, {
      api_id: api.ApiId,
      name,
      deployment_id: stage.DeploymentId ?? null,
      created_at: now,
      document: JSON.stringify(stage),
    });
    if (stage.AutoDeploy) await this.redeploy(tx, api, stage);
    return stage;
  }

  async getStage(input: V2.GetStageRequest, at: Place): Promise<V2.Stage> {
    const api = await requireHttpApi(this.store, at, input.ApiId!);
    const row = await stageQueries.find(this.store, api.ApiId, input.StageName!);
    if (!row) throw invalidStage(input.StageName!);
    return stageOutput(httpStageOf(row));
  }

  async listStages(input: V2.GetStagesRequest, at: Place): Promise<V2.GetStagesResponse> {
    const api = await requireHttpApi(this.store, at, input.ApiId!);
    const rows = await stageQueries.all(this.store, api.ApiId);
    return { Items: rows.map((row) => stageOutput(httpStageOf(row))) };
  }

  async updateStage(input: V2.UpdateStageRequest, at: Place): Promise<V2.Stage> {
    return this.store.transaction(async (tx) => {
      const api = await requireHttpApi(tx, at, input.ApiId!);
      const row = await stageQueries.find(tx, api.ApiId, input.StageName!);
      if (!row) throw invalidStage(input.StageName!);
      const stage = httpStageOf(row);
      const AccessLogSettings = await checkedV2AccessLogSettings(
        tx,
        at,
        api.ProtocolType,
        input.AccessLogSettings,
      );
      const { ApiId: _api, StageName: _name, ...changes } = { ...input, AccessLogSettings };
      for (const [key, value] of Object.entries(changes)) {
        if (value !== undefined) (stage as Record<string, unknown>)[key] = value;
      }
      if (changes.DeploymentId && !(await deploymentQueries.find(tx, api.ApiId, changes.DeploymentId))) {
        throw invalidDeployment(changes.DeploymentId);
      }
      stage.LastUpdatedDate = this.clock.now();
      await stageQueries.update(
        tx,
        api.ApiId,
        stage.StageName,
        stage.DeploymentId ?? null,
        JSON.stringify(stage),
      );
      if (changes.AutoDeploy === true && row.deployment_id === stage.DeploymentId)
        await this.redeploy(tx, api, stage);
      return stageOutput(stage);
    });
  }

  async deleteStage(input: V2.DeleteStageRequest, at: Place): Promise<void> {
    const api = await requireHttpApi(this.store, at, input.ApiId!);
    const { changes } = await stageQueries.delete(this.store, api.ApiId, input.StageName!);
    if (changes === 0) throw invalidStage(input.StageName!);
  }

  /** Deploys the API anew to each of its stages with AutoDeploy, after a change to it. */
  async autoDeploy(tx: Queryable, api: StoredHttpApi): Promise<void> {
    for (const row of await stageQueries.all(tx, api.ApiId)) {
      const stage = httpStageOf(row);
      if (stage.AutoDeploy) await this.redeploy(tx, api, stage);
    }
  }

  private async redeploy(tx: Queryable, api: StoredHttpApi, stage: StoredHttpStage): Promise<void> {
    const previous = stage.DeploymentId;
    const deployment = await this.deploy(tx, api, { AutoDeployed: true });
    await this.point(tx, api, stage, deployment);
    if (previous && (await stageQueries.byDeployment(tx, api.ApiId, previous)).length === 0) {
      const old = await deploymentQueries.find(tx, api.ApiId, previous);
      if (old && (JSON.parse(old.document) as StoredDeployment).AutoDeployed) {
        await deploymentQueries.delete(tx, api.ApiId, previous);
      }
    }
  }

  private async deploy(
    tx: Queryable,
    api: StoredHttpApi,
    settings: { Description?: string; AutoDeployed: boolean },
  ): Promise<StoredDeployment> {
    const routes = (await routeQueries.all(tx, api.ApiId)).map((row) => JSON.parse(row.document) as V2.Route);
    if (routes.length === 0 && !settings.AutoDeployed) {
      throw new BadRequestException('Unable to deploy API because no routes exists in this API');
    }
    const integrations = (await integrationQueries.all(tx, api.ApiId)).map(
      (row) => JSON.parse(row.document) as V2.Integration,
    );
    const authorizers = (await authorizerQueries.all(tx, api.ApiId)).map(
      (row) => JSON.parse(row.document) as V2.Authorizer,
    );
    const now = this.clock.now();
    const deployment: StoredDeployment = {
      DeploymentId: childId(),
      AutoDeployed: settings.AutoDeployed,
      DeploymentStatus: 'DEPLOYED',
      CreatedDate: now,
      ...(settings.Description !== undefined ? { Description: settings.Description } : {}),
    };
    const snapshot: HttpSnapshot = { api, routes, integrations, authorizers };
    await deploymentQueries.insert(tx, {
      api_id: api.ApiId,
      id: deployment.DeploymentId,
      created_at: now,
      document: JSON.stringify(deployment),
      snapshot: JSON.stringify(snapshot),
    });
    return deployment;
  }

  private async point(
    tx: Queryable,
    api: StoredHttpApi,
    stage: StoredHttpStage,
    deployment: StoredDeployment,
  ): Promise<void> {
    stage.DeploymentId = deployment.DeploymentId;
    stage.LastUpdatedDate = deployment.CreatedDate;
    if (deployment.AutoDeployed) {
      stage.LastDeploymentStatusMessage = `Successfully deployed stage with deployment ID '${deployment.DeploymentId}'`;
    }
    await stageQueries.update(tx, api.ApiId, stage.StageName, deployment.DeploymentId, JSON.stringify(stage));
  }
}
