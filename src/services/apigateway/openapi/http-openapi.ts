/**
 * ImportApi, ReimportApi and ExportApi for HTTP APIs. Routes and integrations are made with the
 * parts module's own inserts, in one transaction with the API; a reimport replaces every route
 * and integration, keeps the stages, and redeploys those with auto-deploy.
 */
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import type { Clock } from '../../../engine/clock.js';
import { isServiceError } from '../../../protocol/errors.js';
import type { Queryable, Store } from '../../../storage/store.js';
import type { RequestContext } from '../../service.js';
import { BadRequestException, NotFoundException } from '../errors.js';
import { requireHttpApi } from '../http-api-lookup.js';
import type { HttpApiParts } from '../http-api-parts.js';
import { HttpApis, type StoredHttpApi } from '../http-apis.js';
import type { HttpSnapshot, HttpStages } from '../http-stages.js';
import { childId } from '../ids.js';
import { apiQueries, deploymentQueries, integrationQueries, routeQueries } from '../tables.js';
import type { WithHttpDefinitions } from './definitions.js';
import { exportHttpApi } from './export-http.js';
import { planHttpImport, type HttpImportPlan } from './import-http.js';
import { basePathMode, invalidOpenApiInput, readDocument } from './read-document.js';
import { storeWithin } from './within-transaction.js';
import { writeDocument } from './write-document.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;
type ImportedApi = WithHttpDefinitions<StoredHttpApi>;

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

export class HttpOpenApi {
  private readonly apis: HttpApis;

  constructor(private readonly m: HttpOpenApiModules) {
    this.apis = new HttpApis(m.store, m.clock, m.parts, m.stages, m.endpointUrl);
  }

  async importApi(input: V2.ImportApiRequest, at: Place): Promise<V2.ImportApiResponse> {
    const plan = planOf(input.Body, input.Basepath);
    if (!plan.settings.Name) throw invalidOpenApiInput();
    return this.m.store.transaction(async (tx) => {
      const apis = new HttpApis(
        storeWithin(tx, this.m.store),
        this.m.clock,
        this.m.parts,
        this.m.stages,
        this.m.endpointUrl,
      );
      const created = await apis.create(
        { ...plan.settings, Name: plan.settings.Name, ProtocolType: 'HTTP' },
        at,
      );
      const api = await requireHttpApi(tx, at, created.ApiId!);
      return this.build(tx, { ...api, ...definitionsOf(plan) }, plan, input.FailOnWarnings);
    });
  }

  async reimportApi(input: V2.ReimportApiRequest, at: Place): Promise<V2.ReimportApiResponse> {
    const plan = planOf(input.Body, input.Basepath);
    return this.m.store.transaction(async (tx) => {
      const existing = (await requireHttpApi(tx, at, input.ApiId!)) as ImportedApi;
      if (existing.ProtocolType !== 'HTTP') {
        throw new BadRequestException('Reimport is only supported for HTTP APIs');
      }
      for (const row of await routeQueries.all(tx, existing.ApiId))
        await routeQueries.delete(tx, existing.ApiId, row.id);
      for (const row of await integrationQueries.all(tx, existing.ApiId)) {
        await integrationQueries.delete(tx, existing.ApiId, row.id);
      }
      const {
        Description: _d,
        Version: _v,
        CorsConfiguration: _c,
        openApiDefinitions: _o,
        ...kept
      } = existing;
      const api: ImportedApi = {
        ...kept,
        ...plan.settings,
        Name: plan.settings.Name ?? existing.Name,
        ...definitionsOf(plan),
      };
      const answer = await this.build(tx, api, plan, input.FailOnWarnings);
      await this.m.stages.autoDeploy(tx, api);
      return answer;
    });
  }

  async exportApi(input: V2.ExportApiRequest, at: Place): Promise<V2.ExportApiResponse> {
    const api = await requireHttpApi(this.m.store, at, input.ApiId!);
    let content: { api: StoredHttpApi; routes: V2.Route[]; integrations: V2.Integration[] };
    if (input.StageName) {
      const stage = await this.m.stages.getStage({ ApiId: api.ApiId, StageName: input.StageName }, at);
      const deployment = stage.DeploymentId
        ? await deploymentQueries.find(this.m.store, api.ApiId, stage.DeploymentId)
        : undefined;
      if (!deployment) throw new NotFoundException(`Stage ${input.StageName} has no deployment to export`);
      content = JSON.parse(deployment.snapshot) as HttpSnapshot;
    } else {
      content = {
        api,
        routes: (await this.m.parts.listRoutes({ ApiId: api.ApiId }, at)).Items ?? [],
        integrations: (await this.m.parts.listIntegrations({ ApiId: api.ApiId }, at)).Items ?? [],
      };
    }
    const document = exportHttpApi(content.api, content.routes, content.integrations, {
      endpoint: this.apis.output(api).ApiEndpoint!,
      stageName: input.StageName,
      includeExtensions: input.IncludeExtensions ?? true,
      now: this.m.clock.now(),
    });
    return { body: Buffer.from(writeDocument(document, input.OutputType === 'YAML' ? 'yaml' : 'json')) };
  }

  /** Saves the API's document, then makes its integrations and routes. */
  private async build(
    tx: Queryable,
    api: ImportedApi,
    plan: HttpImportPlan,
    failOnWarnings: boolean | undefined,
  ): Promise<V2.ImportApiResponse> {
    await apiQueries.update(tx, api.ApiId, JSON.stringify(api));
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
          ...route,
          ...(target ? { Target: `integrations/${target}` } : {}),
        });
      } catch (error) {
        if (!isServiceError(error)) throw error;
        errors.push(`Unable to create route '${route.RouteKey}': ${error.message}`);
      }
    }
    if (errors.length > 0)
      throw new BadRequestException(`Errors found during import:\n\t${errors.join('\n\t')}`);
    if (failOnWarnings && plan.warnings.length > 0) {
      throw new BadRequestException(`Warnings found during import:\n\t${plan.warnings.join('\n\t')}`);
    }
    return { ...this.apis.output(api), ...(plan.warnings.length > 0 ? { Warnings: plan.warnings } : {}) };
  }
}

function definitionsOf(plan: HttpImportPlan): Pick<ImportedApi, 'openApiDefinitions'> {
  return plan.authorizers.length > 0 ? { openApiDefinitions: { authorizers: plan.authorizers } } : {};
}
