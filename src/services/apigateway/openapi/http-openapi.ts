/**
 * ImportApi, ReimportApi and ExportApi for HTTP APIs. Authorizers, integrations and routes are
 * made with their modules' own operations, in one transaction with the API; a reimport replaces
 * every one of them, keeps the stages, and redeploys those with auto-deploy.
 */
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import type { Clock } from '../../../engine/clock.js';
import { isServiceError } from '../../../protocol/errors.js';
import type { Queryable, Store } from '../../../storage/store.js';
import type { RequestContext } from '../../service.js';
import { HttpAuthorizers } from '../authorizers.js';
import { BadRequestException, NotFoundException } from '../errors.js';
import { requireHttpApi } from '../http-api-lookup.js';
import type { HttpApiParts } from '../http-api-parts.js';
import { HttpApis, type StoredHttpApi } from '../http-apis.js';
import type { HttpSnapshot, HttpStages } from '../http-stages.js';
import { childId } from '../ids.js';
import {
  apiQueries,
  authorizerQueries,
  deploymentQueries,
  integrationQueries,
  routeQueries,
} from '../tables.js';
import { applyHttpAuthorizers } from './apply-authorizers.js';
import { exportHttpApi, type HttpApiContent } from './export-http.js';
import { planHttpImport, type HttpImportPlan, type PlannedRoute } from './import-http.js';
import { basePathMode, invalidOpenApiInput, readDocument } from './read-document.js';
import { storeWithin } from './within-transaction.js';
import { writeDocument } from './write-document.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

export interface HttpOpenApiModules {
  store: Store;
  clock: Clock;
  parts: HttpApiParts;
  stages: HttpStages;
  endpointUrl: () => string;
}

function planOf(body: string | undefined, basepath: string | undefined): HttpImportPlan {
  const document = readDocument(body);
  // HTTP APIs import OpenAPI 3.0 only.
  if (document.version !== 'oas30') throw invalidOpenApiInput();
  return planHttpImport(document, { basePath: basePathMode(basepath), newId: childId });
}

/** A route naming the authorizer made for it; without one when it could not be made. */
function withAuthorizer(route: PlannedRoute, ids: ReadonlyMap<string, string>): PlannedRoute {
  if (!route.AuthorizerId) return route;
  const id = ids.get(route.AuthorizerId);
  if (id) return { ...route, AuthorizerId: id };
  const { AuthorizerId: _id, AuthorizationType: _type, AuthorizationScopes: _scopes, ...rest } = route;
  return rest;
}

export class HttpOpenApi {
  private readonly apis: HttpApis;
  private readonly authorizers: HttpAuthorizers;

  constructor(private readonly m: HttpOpenApiModules) {
    this.apis = new HttpApis(m.store, m.clock, m.parts, m.stages, m.endpointUrl);
    this.authorizers = new HttpAuthorizers(m.store, m.stages);
  }

  async importApi(input: V2.ImportApiRequest, at: Place): Promise<V2.ImportApiResponse> {
    const plan = planOf(input.Body, input.Basepath);
    if (!plan.settings.Name) throw invalidOpenApiInput();
    return this.m.store.transaction(async (tx) => {
      const store = storeWithin(tx, this.m.store);
      const apis = new HttpApis(store, this.m.clock, this.m.parts, this.m.stages, this.m.endpointUrl);
      const created = await apis.create(
        { ...plan.settings, Name: plan.settings.Name, ProtocolType: 'HTTP' },
        at,
      );
      const api = await requireHttpApi(tx, at, created.ApiId!);
      return this.build(tx, at, api, plan, input.FailOnWarnings);
    });
  }

  async reimportApi(input: V2.ReimportApiRequest, at: Place): Promise<V2.ReimportApiResponse> {
    const plan = planOf(input.Body, input.Basepath);
    return this.m.store.transaction(async (tx) => {
      const existing = await requireHttpApi(tx, at, input.ApiId!);
      if (existing.ProtocolType !== 'HTTP') {
        throw new BadRequestException('Reimport is only supported for HTTP APIs');
      }
      const id = existing.ApiId;
      for (const row of await routeQueries.all(tx, id)) await routeQueries.delete(tx, id, row.id);
      for (const row of await integrationQueries.all(tx, id)) await integrationQueries.delete(tx, id, row.id);
      for (const row of await authorizerQueries.all(tx, id)) await authorizerQueries.delete(tx, id, row.id);
      const { Description: _d, Version: _v, CorsConfiguration: _c, ...kept } = existing;
      const api: StoredHttpApi = { ...kept, ...plan.settings, Name: plan.settings.Name ?? existing.Name };
      await apiQueries.update(tx, id, JSON.stringify(api));
      const answer = await this.build(tx, at, api, plan, input.FailOnWarnings);
      await this.m.stages.autoDeploy(tx, api);
      return answer;
    });
  }

  async exportApi(input: V2.ExportApiRequest, at: Place): Promise<V2.ExportApiResponse> {
    const api = await requireHttpApi(this.m.store, at, input.ApiId!);
    let content: HttpApiContent;
    if (input.StageName) {
      const stage = await this.m.stages.getStage({ ApiId: api.ApiId, StageName: input.StageName }, at);
      const deployment = stage.DeploymentId
        ? await deploymentQueries.find(this.m.store, api.ApiId, stage.DeploymentId)
        : undefined;
      if (!deployment) throw new NotFoundException(`Stage ${input.StageName} has no deployment to export`);
      content = JSON.parse(deployment.snapshot) as HttpSnapshot;
    } else {
      const ApiId = api.ApiId;
      content = {
        api,
        routes: (await this.m.parts.listRoutes({ ApiId }, at)).Items ?? [],
        integrations: (await this.m.parts.listIntegrations({ ApiId }, at)).Items ?? [],
        authorizers: (await this.authorizers.list({ ApiId }, at)).Items ?? [],
      };
    }
    const document = exportHttpApi(content, {
      endpoint: this.apis.output(api).ApiEndpoint!,
      stageName: input.StageName,
      includeExtensions: input.IncludeExtensions ?? true,
      now: this.m.clock.now(),
    });
    return { body: Buffer.from(writeDocument(document, input.OutputType === 'YAML' ? 'yaml' : 'json')) };
  }

  /** Makes the API's authorizers, integrations and routes; refusals end the import. */
  private async build(
    tx: Queryable,
    at: Place,
    api: StoredHttpApi,
    plan: HttpImportPlan,
    failOnWarnings: boolean | undefined,
  ): Promise<V2.ImportApiResponse> {
    const authorizers = new HttpAuthorizers(storeWithin(tx, this.m.store), this.m.stages);
    const authorizerIds = await applyHttpAuthorizers(
      authorizers,
      at,
      api.ApiId,
      plan.authorizers,
      plan.warnings,
    );
    const errors: string[] = [];
    const integrationIds = new Map<string, string>();
    for (const [key, settings] of plan.integrations) {
      try {
        integrationIds.set(key, (await this.m.parts.insertIntegration(tx, api, settings)).IntegrationId!);
      } catch (error) {
        if (!isServiceError(error)) throw error;
        const which = key.startsWith('#/') ? `'${key.split('/').pop()!}'` : `for route '${key}'`;
        errors.push(`Unable to create integration ${which}: ${error.message}`);
      }
    }
    for (const { integration, ...route } of plan.routes) {
      const target = integration !== undefined ? integrationIds.get(integration) : undefined;
      if (integration !== undefined && target === undefined) continue;
      try {
        await this.m.parts.insertRoute(tx, api, {
          ...withAuthorizer(route, authorizerIds),
          ...(target ? { Target: `integrations/${target}` } : {}),
        });
      } catch (error) {
        if (!isServiceError(error)) throw error;
        errors.push(`Unable to create route '${route.RouteKey}': ${error.message}`);
      }
    }
    if (errors.length > 0) {
      throw new BadRequestException(`Errors found during import:\n\t${errors.join('\n\t')}`);
    }
    if (failOnWarnings && plan.warnings.length > 0) {
      throw new BadRequestException(`Warnings found during import:\n\t${plan.warnings.join('\n\t')}`);
    }
    return { ...this.apis.output(api), ...(plan.warnings.length > 0 ? { Warnings: plan.warnings } : {}) };
  }
}
