/**
 * An OpenAPI 3.0 document read into what ImportApi and ReimportApi make of it: an HTTP API's
 * name, version and CORS settings (`x-amazon-apigateway-cors`), its routes (paths × operations,
 * `x-amazon-apigateway-any-method` as `ANY`, `isDefaultRoute` as `$default`) and their
 * integrations (`x-amazon-apigateway-integration`, inline or shared through
 * `components.x-amazon-apigateway-integrations`). Pure: ids come from `newId`.
 */
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import { readHttpSecurity } from './http-security.js';
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
import { basePathOf, placePath, type BasePathMode, type OpenApiDocument } from './read-document.js';
import { BadRequestException } from '../errors.js';

export type PlannedHttpIntegration = Omit<V2.CreateIntegrationRequest, 'ApiId'>;
export type PlannedRoute = Omit<V2.CreateRouteRequest, 'ApiId' | 'Target'> & {
  RouteKey: string;
  integration?: string;
};

export interface HttpImportPlan {
  settings: { Name?: string; Description?: string; Version?: string; CorsConfiguration?: V2.Cors };
  /** By key: a shared integration's reference, or the route key of an inline one. */
  integrations: Map<string, PlannedHttpIntegration>;
  routes: PlannedRoute[];
  authorizers: V2.Authorizer[];
  warnings: string[];
}

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

const SUPPORTED_TYPES = ['AWS_PROXY', 'HTTP_PROXY'];

const malformedIntegration = (path: string) =>
  new BadRequestException(
    `Unable to parse API definition because of a malformed integration at path ${path}.`,
  );

function corsOf(value: unknown): V2.Cors | undefined {
  if (!isObject(value)) return undefined;
  return compact({
    AllowOrigins: stringList(value.allowOrigins),
    AllowMethods: stringList(value.allowMethods),
    AllowHeaders: stringList(value.allowHeaders),
    ExposeHeaders: stringList(value.exposeHeaders),
    AllowCredentials: booleanOf(value.allowCredentials),
    MaxAge: numberOf(value.maxAge),
  });
}

function readIntegration(extension: JsonObject, path: string): PlannedHttpIntegration {
  const field = (value: unknown) => {
    if (value !== undefined && typeof value !== 'string' && typeof value !== 'number')
      throw malformedIntegration(path);
    return text(value);
  };
  return compact({
    IntegrationType: text(extension.type)!.toUpperCase() as V2.IntegrationType,
    IntegrationUri: field(extension.uri),
    IntegrationMethod: field(extension.httpMethod)?.toUpperCase(),
    IntegrationSubtype: field(extension.integrationSubtype),
    PayloadFormatVersion: field(extension.payloadFormatVersion),
    ConnectionType: field(extension.connectionType)?.toUpperCase() as V2.ConnectionType | undefined,
    ConnectionId: field(extension.connectionId),
    CredentialsArn: field(extension.credentials),
    Description: field(extension.description),
    TimeoutInMillis: numberOf(extension.timeoutInMillis),
    RequestParameters: stringMap(extension.requestParameters),
  });
}

export interface HttpImportOptions {
  basePath: BasePathMode;
  newId: () => string;
}

export function planHttpImport(document: OpenApiDocument, options: HttpImportOptions): HttpImportPlan {
  const { root } = document;
  const info = isObject(root.info) ? root.info : {};
  const warnings: string[] = [];
  const security = readHttpSecurity(document, options.newId);
  const integrations = new Map<string, PlannedHttpIntegration>();
  const routes: PlannedRoute[] = [];
  const basePath = basePathOf(document);
  for (const [documentPath, item] of Object.entries(root.paths as JsonObject)) {
    if (!documentPath.startsWith('/')) {
      warnings.push(`Parse issue: attribute paths. Resource ${documentPath} should start with /`);
      continue;
    }
    if (!isObject(item)) continue;
    const path = placePath(documentPath, basePath, options.basePath);
    for (const [key, operation] of Object.entries(item)) {
      const method = OPERATIONS[key];
      if (!method || !isObject(operation)) continue;
      const isDefault = method === 'ANY' && booleanOf(operation.isDefaultRoute) === true;
      const RouteKey = isDefault ? '$default' : `${method} ${path}`;
      const route: PlannedRoute = compact({
        RouteKey,
        OperationName: text(operation.operationId),
        ...security.routeAuthorization(operation.security ?? root.security),
      });
      const extension = operation['x-amazon-apigateway-integration'];
      if (extension !== undefined) {
        const ref = isObject(extension) && typeof extension.$ref === 'string' ? extension.$ref : undefined;
        const resolved = ref ? sharedIntegration(root, ref) : extension;
        if (!isObject(resolved) || typeof resolved.type !== 'string') throw malformedIntegration(path);
        const integration = readIntegration(resolved, path);
        if (SUPPORTED_TYPES.includes(integration.IntegrationType!)) {
          const integrationKey = ref ?? RouteKey;
          if (!integrations.has(integrationKey)) integrations.set(integrationKey, integration);
          route.integration = integrationKey;
        } else {
          warnings.push(
            `Integration type ${integration.IntegrationType} is not supported for HTTP APIs: route ${RouteKey} was imported without its integration`,
          );
        }
      }
      routes.push(route);
    }
  }
  return {
    settings: compact({
      Name: text(info.title),
      Description: text(info.description),
      Version: text(info.version),
      CorsConfiguration: corsOf(root['x-amazon-apigateway-cors']),
    }),
    integrations,
    routes,
    authorizers: security.authorizers,
    warnings,
  };
}

function sharedIntegration(root: JsonObject, ref: string): unknown {
  const prefix = '#/components/x-amazon-apigateway-integrations/';
  if (!ref.startsWith(prefix) || !isObject(root.components)) return undefined;
  const shared = root.components['x-amazon-apigateway-integrations'];
  return isObject(shared) ? shared[ref.slice(prefix.length)] : undefined;
}
