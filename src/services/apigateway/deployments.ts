/**
 * Deployments and stages of REST APIs. A deployment is a snapshot of the API's resources and
 * methods as they were when it was made; a stage names one deployment and adds its variables and
 * settings. The invoke path serves a stage's deployment (invoke/rest-routes.ts), so changes to
 * the API reach callers only once deployed, as on AWS.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { Clock } from '../../engine/clock.js';
import type { Queryable, Store } from '../../storage/store.js';
import type { RequestContext } from '../service.js';
import { BadRequestException, ConflictException, invalidDeployment, invalidStage } from './errors.js';
import { childId } from './ids.js';
import { applyMethodSettings, isMethodSettingsPath } from './method-settings.js';
import { isAccessLogPath, patchRestAccessLogSettings } from './logging/access-log-settings.js';
import { applyPatch, type PatchRules } from './patch.js';
import { resourceOf, type StoredResource } from './resources.js';
import type { RestApis, StoredRestApi } from './rest-apis.js';
import { cacheEntryQueries } from './stage-cache-tables.js';
import { newCacheCluster, redeployCacheCluster, settleCacheCluster } from './stage-caches.js';
import {
  authorizerQueries,
  deploymentQueries,
  resourceQueries,
  stageQueries,
  type StageRow,
} from './tables.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

/** What a deployment keeps of its API: what the invoke path needs to serve it. */
export interface RestSnapshot {
  api: StoredRestApi;
  resources: StoredResource[];
  /** Absent in deployments made before authorizers were kept. */
  authorizers?: APIGW.Authorizer[];
}

type StoredDeployment = Omit<APIGW.Deployment, 'createdDate'> & { createdDate: number };
type StoredStage = Omit<APIGW.Stage, 'createdDate' | 'lastUpdatedDate'> & {
  stageName: string;
  createdDate: number;
  lastUpdatedDate: number;
};

const STAGE_NAME = /^[a-zA-Z0-9_-]+$/;

const stagePatchRules: PatchRules = {
  '/deploymentId': 'string',
  '/description': 'string',
  '/variables/*': 'map',
  '/tracingEnabled': 'boolean',
  '/cacheClusterEnabled': 'boolean',
  '/cacheClusterSize': 'string',
  '/documentationVersion': 'string',
  '/clientCertificateId': 'string',
};

const deploymentPatchRules: PatchRules = { '/description': { target: 'string', ops: ['replace'] } };

function deploymentOutput(stored: StoredDeployment): APIGW.Deployment {
  return { ...stored, createdDate: new Date(stored.createdDate) };
}

export function stageOutput(stored: StoredStage): APIGW.Stage {
  return {
    ...stored,
    createdDate: new Date(stored.createdDate),
    lastUpdatedDate: new Date(stored.lastUpdatedDate),
  };
}

export function stageOf(row: StageRow): StoredStage {
  return JSON.parse(row.document) as StoredStage;
}

function checkStageName(name: string): void {
  if (!STAGE_NAME.test(name)) throw new BadRequestException('Stage name only allows a-zA-Z0-9_');
}

function checkDeployable(resources: readonly StoredResource[]): void {
  const methods = resources.flatMap((r) => Object.values(r.resourceMethods ?? {}));
  if (methods.length === 0) throw new BadRequestException("The REST API doesn't contain any methods");
  if (methods.some((m) => !m.methodIntegration))
    throw new BadRequestException('No integration defined for method');
}

export class Deployments {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly apis: RestApis,
  ) {}

  async create(input: APIGW.CreateDeploymentRequest, at: Place): Promise<APIGW.Deployment> {
    const api = await this.apis.require(at, input.restApiId!);
    if (input.stageName !== undefined) checkStageName(input.stageName);
    const now = this.clock.now();
    const stored: StoredDeployment = {
      id: childId(),
      ...(input.description !== undefined ? { description: input.description } : {}),
      createdDate: now,
    };
    await this.store.transaction(async (tx) => {
      const resources = (await resourceQueries.all(tx, api.id)).map(resourceOf);
      checkDeployable(resources);
      const authorizers = (await authorizerQueries.all(tx, api.id)).map(
        (row) => JSON.parse(row.document) as APIGW.Authorizer,
      );
      const snapshot: RestSnapshot = {
        api: JSON.parse(api.document) as StoredRestApi,
        resources,
        authorizers,
      };
      await deploymentQueries.insert(tx, {
        api_id: api.id,
        id: stored.id!,
        created_at: now,
        document: JSON.stringify(stored),
        snapshot: JSON.stringify(snapshot),
      });
      if (input.stageName === undefined) return;
      const existing = await stageQueries.find(tx, api.id, input.stageName);
      if (existing) {
        const stage = stageOf(existing);
        stage.deploymentId = stored.id;
        stage.lastUpdatedDate = now;
        if (input.variables) stage.variables = { ...stage.variables, ...input.variables };
        if (redeployCacheCluster(stage, input.cacheClusterEnabled, input.cacheClusterSize))
          await cacheEntryQueries.flush(tx, api.id, stage.stageName);
        await stageQueries.update(tx, api.id, stage.stageName, stored.id!, JSON.stringify(stage));
      } else {
        await this.insertStage(tx, api.id, {
          stageName: input.stageName,
          deploymentId: stored.id!,
          description: input.stageDescription,
          variables: input.variables,
          tracingEnabled: input.tracingEnabled,
          cacheClusterEnabled: input.cacheClusterEnabled,
          cacheClusterSize: input.cacheClusterSize,
        });
      }
    });
    return deploymentOutput(stored);
  }

  async get(input: APIGW.GetDeploymentRequest, at: Place): Promise<APIGW.Deployment> {
    const api = await this.apis.require(at, input.restApiId!);
    const row = await deploymentQueries.find(this.store, api.id, input.deploymentId!);
    if (!row) throw invalidDeployment();
    return deploymentOutput(JSON.parse(row.document) as StoredDeployment);
  }

  async list(input: APIGW.GetDeploymentsRequest, at: Place): Promise<APIGW.Deployments> {
    const api = await this.apis.require(at, input.restApiId!);
    const rows = await deploymentQueries.all(this.store, api.id);
    return { items: rows.map((row) => deploymentOutput(JSON.parse(row.document) as StoredDeployment)) };
  }

  /** UpdateDeployment: only its description changes; what it serves never does. */
  async update(input: APIGW.UpdateDeploymentRequest, at: Place): Promise<APIGW.Deployment> {
    const api = await this.apis.require(at, input.restApiId!);
    const row = await deploymentQueries.find(this.store, api.id, input.deploymentId!);
    if (!row) throw invalidDeployment();
    const stored = applyPatch(
      JSON.parse(row.document) as StoredDeployment,
      input.patchOperations ?? [],
      deploymentPatchRules,
    );
    await deploymentQueries.updateDocument(this.store, api.id, row.id, JSON.stringify(stored));
    return deploymentOutput(stored);
  }

  async delete(input: APIGW.DeleteDeploymentRequest, at: Place): Promise<void> {
    const api = await this.apis.require(at, input.restApiId!);
    await this.store.transaction(async (tx) => {
      if (!(await deploymentQueries.find(tx, api.id, input.deploymentId!))) throw invalidDeployment();
      if ((await stageQueries.byDeployment(tx, api.id, input.deploymentId!)).length > 0) {
        throw new BadRequestException('Active stages pointing to this deployment must be moved or deleted');
      }
      await deploymentQueries.delete(tx, api.id, input.deploymentId!);
    });
  }

  async createStage(input: APIGW.CreateStageRequest, at: Place): Promise<APIGW.Stage> {
    const api = await this.apis.require(at, input.restApiId!);
    checkStageName(input.stageName!);
    return this.store.transaction(async (tx) => {
      if (!(await deploymentQueries.find(tx, api.id, input.deploymentId!))) throw invalidDeployment();
      if (await stageQueries.find(tx, api.id, input.stageName!))
        throw new ConflictException('Stage already exists');
      return stageOutput(
        await this.insertStage(tx, api.id, {
          stageName: input.stageName!,
          deploymentId: input.deploymentId!,
          description: input.description,
          variables: input.variables,
          tracingEnabled: input.tracingEnabled,
          cacheClusterEnabled: input.cacheClusterEnabled,
          cacheClusterSize: input.cacheClusterSize,
          tags: input.tags,
        }),
      );
    });
  }

  async getStage(input: APIGW.GetStageRequest, at: Place): Promise<APIGW.Stage> {
    const api = await this.apis.require(at, input.restApiId!);
    const row = await stageQueries.find(this.store, api.id, input.stageName!);
    if (!row) throw invalidStage();
    return stageOutput(stageOf(row));
  }

  async listStages(input: APIGW.GetStagesRequest, at: Place): Promise<APIGW.Stages> {
    const api = await this.apis.require(at, input.restApiId!);
    const rows = await stageQueries.all(this.store, api.id);
    return {
      item: rows
        .map(stageOf)
        .filter((s) => input.deploymentId === undefined || s.deploymentId === input.deploymentId)
        .map(stageOutput),
    };
  }

  async updateStage(input: APIGW.UpdateStageRequest, at: Place): Promise<APIGW.Stage> {
    const api = await this.apis.require(at, input.restApiId!);
    return this.store.transaction(async (tx) => {
      const row = await stageQueries.find(tx, api.id, input.stageName!);
      if (!row) throw invalidStage();
      const operations = input.patchOperations ?? [];
      const stage = applyPatch(
        stageOf(row),
        operations.filter((o) => !isMethodSettingsPath(o.path) && !isAccessLogPath(o.path)),
        stagePatchRules,
      );
      const logging = operations.filter((o) => isAccessLogPath(o.path));
      if (logging.length > 0) await patchRestAccessLogSettings(tx, at, stage, logging);
      const methodSettings = operations.filter((o) => isMethodSettingsPath(o.path));
      if (methodSettings.length > 0)
        stage.methodSettings = applyMethodSettings(stage.methodSettings, methodSettings);
      if (settleCacheCluster(stageOf(row), stage)) await cacheEntryQueries.flush(tx, api.id, stage.stageName);
      if (stage.deploymentId !== row.deployment_id) {
        if (!stage.deploymentId || !(await deploymentQueries.find(tx, api.id, stage.deploymentId))) {
          throw invalidDeployment();
        }
      }
      stage.lastUpdatedDate = this.clock.now();
      await stageQueries.update(
        tx,
        api.id,
        stage.stageName,
        stage.deploymentId ?? null,
        JSON.stringify(stage),
      );
      return stageOutput(stage);
    });
  }

  async deleteStage(input: APIGW.DeleteStageRequest, at: Place): Promise<void> {
    const api = await this.apis.require(at, input.restApiId!);
    const { changes } = await stageQueries.delete(this.store, api.id, input.stageName!);
    if (changes === 0) throw invalidStage();
  }

  private async insertStage(
    tx: Queryable,
    apiId: string,
    settings: {
      stageName: string;
      deploymentId: string;
      description?: string;
      variables?: Record<string, string>;
      tracingEnabled?: boolean;
      cacheClusterEnabled?: boolean;
      cacheClusterSize?: string;
      tags?: Record<string, string>;
    },
  ): Promise<StoredStage> {
    const now = this.clock.now();
    const stage: StoredStage = {
      stageName: settings.stageName,
      deploymentId: settings.deploymentId,
      ...(settings.description !== undefined ? { description: settings.description } : {}),
      ...newCacheCluster(settings.cacheClusterEnabled, settings.cacheClusterSize),
      methodSettings: {},
      ...(settings.variables && Object.keys(settings.variables).length > 0
        ? { variables: settings.variables }
        : {}),
      tracingEnabled: settings.tracingEnabled ?? false,
      ...(settings.tags && Object.keys(settings.tags).length > 0 ? { tags: settings.tags } : {}),
      createdDate: now,
      lastUpdatedDate: now,
    };
    await stageQueries.insert(tx, {
      api_id: apiId,
      name: stage.stageName,
      deployment_id: stage.deploymentId!,
      created_at: now,
      document: JSON.stringify(stage),
    });
    return stage;
  }
}
