/**
 * An OpenAPI 3.0 or Swagger 2.0 document read into what ImportRestApi and PutRestApi make of it:
 * the API's settings (from `info` and the API-level `x-amazon-apigateway-*` extensions), the
 * definitions kept on its document, and its resources with their methods. Pure: the ids it hands
 * out come from `newId`, and the warnings it finds are returned, not acted on.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import { BadRequestException } from '../errors.js';
import type { RestOpenApiDefinitions } from './definitions.js';
import {
  booleanOf,
  compact,
  isObject,
  numberOf,
  stringList,
  stringMap,
  text,
  type JsonObject,
} from './json-values.js';
import { readModels } from './models.js';
import { basePathOf, placePath, type BasePathMode, type OpenApiDocument } from './read-document.js';
import { readOperation, type PlannedMethod } from './rest-operation.js';
import { readRestSecurity } from './rest-security.js';

export interface RestApiSettings {
  name?: string;
  description?: string;
  version?: string;
  binaryMediaTypes?: string[];
  minimumCompressionSize?: number;
  apiKeySource?: APIGW.ApiKeySourceType;
  /** The policy as written: `execute-api:/…` resources are made ARNs once the API's id is known. */
  policy?: string;
  vpcEndpointIds?: string[];
  disableExecuteApiEndpoint?: boolean;
}

export interface PlannedResource {
  path: string;
  methods: PlannedMethod[];
}

export interface RestImportPlan {
  settings: RestApiSettings;
  /** Ids of the plan's own, which the methods name until the authorizers are made. */
  authorizers: APIGW.Authorizer[];
  definitions: RestOpenApiDefinitions;
  resources: PlannedResource[];
  warnings: string[];
}

/** The operations of a path item, and the method each is. */
const OPERATIONS: Record<string, string> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  options: 'OPTIONS',
  head: 'HEAD',
  patch: 'PATCH',
  'x-amazon-apigateway-any-method': 'ANY',
};

const API_KEY_SOURCES = ['HEADER', 'AUTHORIZER'];

function settingsOf(document: OpenApiDocument): RestApiSettings {
  const { root } = document;
  const info = isObject(root.info) ? root.info : {};
  const policy = root['x-amazon-apigateway-policy'];
  const endpoint = endpointExtension(document);
  const settings: RestApiSettings = compact({
    name: text(info.title),
    description: text(info.description),
    version: text(info.version),
    binaryMediaTypes: stringList(root['x-amazon-apigateway-binary-media-types']),
    minimumCompressionSize: numberOf(root['x-amazon-apigateway-minimum-compression-size']),
    apiKeySource: text(root['x-amazon-apigateway-api-key-source'])?.toUpperCase() as
      APIGW.ApiKeySourceType | undefined,
    policy: typeof policy === 'string' ? policy : isObject(policy) ? JSON.stringify(policy) : undefined,
    vpcEndpointIds: stringList(endpoint.vpcEndpointIds),
    disableExecuteApiEndpoint: booleanOf(endpoint.disableExecuteApiEndpoint),
  });
  if (settings.apiKeySource !== undefined && !API_KEY_SOURCES.includes(settings.apiKeySource)) {
    throw new BadRequestException(`Invalid API Key source specified: ${settings.apiKeySource}`);
  }
  const size = settings.minimumCompressionSize;
  if (size !== undefined && (size < 0 || size > 10_485_760)) {
    throw new BadRequestException('Invalid minimum compression size, must be between 0 and 10485760');
  }
  return settings;
}

/** Swagger keeps it at the top level; OpenAPI 3.0 on a server. */
function endpointExtension(document: OpenApiDocument): JsonObject {
  const key = 'x-amazon-apigateway-endpoint-configuration';
  if (document.version === 'swagger') return isObject(document.root[key]) ? document.root[key] : {};
  const servers = Array.isArray(document.root.servers) ? document.root.servers : [];
  const found = servers.find((server) => isObject(server) && isObject(server[key]));
  return isObject(found) && isObject(found[key]) ? found[key] : {};
}

function definitionsOf(document: OpenApiDocument, newId: () => string): RestOpenApiDefinitions {
  const { root } = document;
  const validators = root['x-amazon-apigateway-request-validators'];
  const responses = root['x-amazon-apigateway-gateway-responses'];
  return {
    requestValidators: Object.entries(isObject(validators) ? validators : {}).flatMap(([name, v]) =>
      isObject(v)
        ? [
            {
              id: newId(),
              name,
              validateRequestBody: booleanOf(v.validateRequestBody) ?? false,
              validateRequestParameters: booleanOf(v.validateRequestParameters) ?? false,
            },
          ]
        : [],
    ),
    gatewayResponses: Object.entries(isObject(responses) ? responses : {}).flatMap(([type, r]) =>
      isObject(r)
        ? [
            compact<APIGW.GatewayResponse>({
              responseType: type as APIGW.GatewayResponseType,
              statusCode: text(r.statusCode),
              responseParameters: stringMap(r.responseParameters),
              responseTemplates: stringMap(r.responseTemplates),
              defaultResponse: false,
            }),
          ]
        : [],
    ),
    models: readModels(document, newId),
  };
}

export interface RestImportOptions {
  basePath: BasePathMode;
  newId: () => string;
}

export function planRestImport(document: OpenApiDocument, options: RestImportOptions): RestImportPlan {
  const warnings: string[] = [];
  const settings = settingsOf(document);
  const definitions = definitionsOf(document, options.newId);
  const security = readRestSecurity(document, options.newId);
  const models = new Set((definitions.models ?? []).map((m) => m.name!));
  const validatorIds = new Map((definitions.requestValidators ?? []).map((v) => [v.name!, v.id!]));
  const basePath = basePathOf(document);
  const resources = new Map<string, PlannedResource>();
  for (const [documentPath, rawItem] of Object.entries(document.root.paths as JsonObject)) {
    if (!documentPath.startsWith('/')) {
      warnings.push(`Parse issue: attribute paths. Resource ${documentPath} should start with /`);
      continue;
    }
    if (!isObject(rawItem)) continue;
    const resourcePath = placePath(documentPath, basePath, options.basePath);
    const resource = resources.get(resourcePath) ?? { path: resourcePath, methods: [] };
    resources.set(resourcePath, resource);
    const pathParameters = Array.isArray(rawItem.parameters) ? rawItem.parameters : [];
    for (const [operationKey, operation] of Object.entries(rawItem)) {
      const httpMethod = OPERATIONS[operationKey];
      if (!httpMethod || !isObject(operation)) continue;
      const place = {
        document,
        documentPath,
        resourcePath,
        operationKey,
        httpMethod,
        pathParameters,
        security,
        models,
        validatorIds,
        warnings,
      };
      resource.methods = [
        ...resource.methods.filter((m) => m.httpMethod !== httpMethod),
        readOperation(place, operation),
      ];
    }
  }
  return {
    settings,
    authorizers: security.authorizers,
    definitions,
    resources: [...resources.values()],
    warnings,
  };
}
