/**
 * ImportRestApi, PutRestApi and GetExport: a REST API made from, updated from, or written out as
 * an OpenAPI document. An import runs in one transaction: AWS discards the whole import on an
 * error, and on a warning when asked to (`failonwarnings`).
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type { Clock } from '../../../engine/clock.js';
import type { Queryable, Store } from '../../../storage/store.js';
import type { RequestContext } from '../../service.js';
import { RestAuthorizers } from '../authorizers.js';
import type { Deployments, RestSnapshot } from '../deployments.js';
import { BadRequestException, invalidDeployment } from '../errors.js';
import { childId } from '../ids.js';
import { Methods } from '../methods.js';
import { Resources } from '../resources.js';
import { restApiOutput, RestApis, type StoredRestApi } from '../rest-apis.js';
import { apiQueries, deploymentQueries } from '../tables.js';
import { applyRestAuthorizers } from './apply-authorizers.js';
import { RestApiBuilder } from './apply-rest.js';
import type { WithRestDefinitions } from './definitions.js';
import { exportRestApi } from './export-rest.js';
import { planRestImport, type RestImportPlan } from './import-rest.js';
import { importedModels } from './models.js';
import { basePathMode, invalidOpenApiInput, readDocument } from './read-document.js';
import { importedApiDocument, mergeDefinitions, renameIds, type PutMode } from './rest-api-document.js';
import { storeWithin } from './within-transaction.js';
import { writeDocument } from './write-document.js';

type Place = Pick<RequestContext, 'accountId' | 'region'>;

const ENDPOINT_TYPES = ['EDGE', 'REGIONAL', 'PRIVATE'];
const EXPORT_TYPES = ['oas30', 'swagger'];

export interface RestOpenApiModules {
  store: Store;
  clock: Clock;
  apis: RestApis;
  deployments: Deployments;
  /** The edge's URL, where deployed APIs are called. */
  endpointUrl: () => string;
}

/** Errors end the import; warnings too, when the caller asked for that. */
function settle(errors: string[], warnings: string[], failOnWarnings: boolean | undefined): void {
  if (errors.length > 0)
    throw new BadRequestException(`Errors found during import:\n\t${errors.join('\n\t')}`);
  if (failOnWarnings && warnings.length > 0) {
    throw new BadRequestException(`Warnings found during import:\n\t${warnings.join('\n\t')}`);
  }
}

function endpointTypesOf(value: string | undefined): string[] {
  const types = (value ?? 'EDGE').split(',').map((type) => type.trim().toUpperCase());
  const invalid = types.find((type) => !ENDPOINT_TYPES.includes(type));
  if (invalid !== undefined) {
    throw new BadRequestException(
      `Invalid endpoint configuration type: ${invalid}. Valid options are ${ENDPOINT_TYPES.join(',')}`,
    );
  }
  return types;
}

function withWarnings(stored: StoredRestApi, warnings: string[]): APIGW.RestApi {
  return { ...restApiOutput(stored), ...(warnings.length > 0 ? { warnings } : {}) };
}

export class RestOpenApi {
  constructor(private readonly m: RestOpenApiModules) {}

  async importRestApi(input: APIGW.ImportRestApiRequest, at: Place): Promise<APIGW.RestApi> {
    const document = readDocument(input.body);
    const parameters = input.parameters ?? {};
    const plan = planRestImport(document, { basePath: basePathMode(parameters.basepath), newId: childId });
    if (!plan.settings.name) throw invalidOpenApiInput();
    const types = endpointTypesOf(parameters.endpointConfigurationTypes);
    return this.m.store.transaction(async (tx) => {
      const modules = this.modulesWithin(tx);
      const { settings } = plan;
      const created = await modules.apis.create(
        {
          name: settings.name,
          description: settings.description,
          version: settings.version,
          binaryMediaTypes: settings.binaryMediaTypes,
          minimumCompressionSize: settings.minimumCompressionSize,
          apiKeySource: settings.apiKeySource,
          endpointConfiguration: {
            types: types as APIGW.EndpointType[],
            ...(settings.vpcEndpointIds ? { vpcEndpointIds: settings.vpcEndpointIds } : {}),
          },
          disableExecuteApiEndpoint: settings.disableExecuteApiEndpoint,
        },
        at,
      );
      return this.build(tx, modules, at, created.id!, plan, 'overwrite', input.failOnWarnings);
    });
  }

  async putRestApi(input: APIGW.PutRestApiRequest, at: Place): Promise<APIGW.RestApi> {
    // The body is read first: a bad document is refused even for an API that does not exist.
    const document = readDocument(input.body);
    const mode: PutMode = input.mode === 'overwrite' ? 'overwrite' : 'merge';
    const plan = planRestImport(document, {
      basePath: basePathMode(input.parameters?.basepath),
      newId: childId,
    });
    return this.m.store.transaction(async (tx) => {
      const modules = this.modulesWithin(tx);
      const row = await modules.apis.require(at, input.restApiId!);
      return this.build(tx, modules, at, row.id, plan, mode, input.failOnWarnings);
    });
  }

  async getExport(input: APIGW.GetExportRequest, at: Place): Promise<APIGW.ExportResponse> {
    const exportType = input.exportType!;
    if (!EXPORT_TYPES.includes(exportType)) {
      throw new BadRequestException(`Invalid export type specified: ${exportType}`);
    }
    const api = await this.m.apis.require(at, input.restApiId!);
    const stage = await this.m.deployments.getStage(input, at);
    const deployment = await deploymentQueries.find(this.m.store, api.id, stage.deploymentId ?? '');
    if (!deployment) throw invalidDeployment();
    const snapshot = JSON.parse(deployment.snapshot) as RestSnapshot;
    const extensions = new Set(
      (input.parameters?.extensions ?? '').split(',').map((name) => name.trim().toLowerCase()),
    );
    const { port } = new URL(this.m.endpointUrl());
    const document = exportRestApi(snapshot, {
      version: exportType as 'oas30' | 'swagger',
      stageName: stage.stageName!,
      endpoint: `http://${api.id}.execute-api.localhost${port ? `:${port}` : ''}`,
      extensions,
      deployedAt: Number(deployment.created_at),
    });
    const yaml = /yaml/i.test(input.accepts ?? '');
    const info = document.info as { version: string };
    return {
      contentType: input.accepts
        ? yaml
          ? 'application/yaml'
          : 'application/json'
        : 'application/octet-stream',
      contentDisposition: `attachment; filename="${exportType}_${info.version}.${yaml ? 'yaml' : 'json'}"`,
      body: Buffer.from(writeDocument(document, yaml ? 'yaml' : 'json')),
    };
  }

  /** The modules, working inside the import's transaction. */
  private modulesWithin(tx: Queryable) {
    const store = storeWithin(tx, this.m.store);
    const apis = new RestApis(store, this.m.clock);
    const resources = new Resources(store, apis);
    return {
      apis,
      resources,
      methods: new Methods(resources),
      authorizers: new RestAuthorizers(store, apis),
    };
  }

  private async build(
    tx: Queryable,
    modules: ReturnType<RestOpenApi['modulesWithin']>,
    at: Place,
    restApiId: string,
    plan: RestImportPlan,
    mode: PutMode,
    failOnWarnings: boolean | undefined,
  ): Promise<APIGW.RestApi> {
    const row = await modules.apis.require(at, restApiId);
    const stored = JSON.parse(row.document) as WithRestDefinitions<StoredRestApi>;
    let { definitions } = plan;
    if (mode === 'merge') {
      const merged = mergeDefinitions(stored.openApiDefinitions, plan.definitions);
      renameIds(plan, merged.renamed);
      definitions = merged.definitions;
    }
    const builder = new RestApiBuilder(tx, modules, at, restApiId);
    await builder.load();
    if (mode === 'overwrite') await builder.clear();
    definitions = {
      ...definitions,
      models: importedModels(definitions.models ?? [], restApiId, builder.errors),
    };
    // Methods name the API's models and validators: the API has them before its methods are put.
    const document = importedApiDocument(stored, plan.settings, definitions, mode, at);
    await apiQueries.update(tx, restApiId, JSON.stringify(document));
    const authorizerIds = await applyRestAuthorizers(
      modules.authorizers,
      at,
      restApiId,
      plan.authorizers,
      mode,
      builder.errors,
    );
    renameIds(plan, authorizerIds);
    await builder.build(plan.resources);
    settle(builder.errors, plan.warnings, failOnWarnings);
    return withWarnings(document, plan.warnings);
  }
}
