/**
 * An HTTP API written as an OpenAPI 3.0 document, as ExportApi writes it: a path per route, a
 * `default` response per operation, generated path parameters, the `$default` route as
 * `/$default` with `isDefaultRoute`, and — with `IncludeExtensions` (the default) — each route's
 * `x-amazon-apigateway-integration`, the CORS settings and the import/export version.
 */
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import type { StoredHttpApi } from '../http-apis.js';
import { compact, type JsonObject } from './json-values.js';

export interface HttpExportOptions {
  /** Where the API is called: `http://{id}.execute-api.localhost:4566`. */
  endpoint: string;
  stageName?: string;
  includeExtensions: boolean;
  /** `info.version` of an API without a version: the time of the export. */
  now: number;
}

/** `2020-04-08 17:19:38UTC`, the form AWS gives an export of an API without a version. */
function exportTime(ms: number): string {
  return `${new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')}UTC`;
}

function integrationExtension(integration: V2.Integration): JsonObject {
  return compact({
    payloadFormatVersion: integration.PayloadFormatVersion,
    type: integration.IntegrationType?.toLowerCase(),
    integrationSubtype: integration.IntegrationSubtype,
    httpMethod: integration.IntegrationMethod,
    uri: integration.IntegrationUri,
    connectionType: integration.ConnectionType,
    connectionId: integration.ConnectionId,
    credentials: integration.CredentialsArn,
    requestParameters: integration.RequestParameters,
    timeoutInMillis: integration.TimeoutInMillis,
  });
}

function corsExtension(cors: V2.Cors): JsonObject {
  return compact({
    allowOrigins: cors.AllowOrigins,
    allowCredentials: cors.AllowCredentials,
    exposeHeaders: cors.ExposeHeaders,
    maxAge: cors.MaxAge,
    allowMethods: cors.AllowMethods,
    allowHeaders: cors.AllowHeaders,
  });
}

function securitySchemes(authorizers: V2.Authorizer[], routes: V2.Route[], withExtensions: boolean) {
  const schemes: JsonObject = {};
  if (routes.some((route) => route.AuthorizationType === 'AWS_IAM')) {
    schemes.sigv4 = {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'awsSigv4',
    };
  }
  for (const authorizer of authorizers) {
    const jwt = authorizer.AuthorizerType === 'JWT';
    schemes[authorizer.Name!] = compact({
      type: jwt ? 'oauth2' : 'apiKey',
      ...(jwt ? { flows: {} } : { name: 'Unused', in: 'header' }),
      'x-amazon-apigateway-authorizer': withExtensions
        ? compact({
            type: jwt ? 'jwt' : 'request',
            identitySource: authorizer.IdentitySource?.join(', '),
            jwtConfiguration: authorizer.JwtConfiguration
              ? compact({
                  issuer: authorizer.JwtConfiguration.Issuer,
                  audience: authorizer.JwtConfiguration.Audience,
                })
              : undefined,
            authorizerUri: authorizer.AuthorizerUri,
            authorizerCredentials: authorizer.AuthorizerCredentialsArn,
            authorizerPayloadFormatVersion: authorizer.AuthorizerPayloadFormatVersion,
            enableSimpleResponses: authorizer.EnableSimpleResponses,
            authorizerResultTtlInSeconds: authorizer.AuthorizerResultTtlInSeconds,
          })
        : undefined,
    });
  }
  return schemes;
}

function operationOf(
  route: V2.Route,
  integrations: Map<string, V2.Integration>,
  names: Map<string, string>,
  withExtensions: boolean,
): JsonObject {
  const path = route.RouteKey === '$default' ? '' : route.RouteKey!.slice(route.RouteKey!.indexOf(' ') + 1);
  const parameters = [...path.matchAll(/\{([^}+]+)\+?\}/g)].map(([, name]) => ({
    name: name!,
    in: 'path',
    description: `Generated path parameter for ${name!}`,
    required: true,
    schema: { type: 'string' },
  }));
  const integration = route.Target ? integrations.get(route.Target.slice('integrations/'.length)) : undefined;
  const authorizer = route.AuthorizerId ? names.get(route.AuthorizerId) : undefined;
  const requirement = authorizer
    ? { [authorizer]: route.AuthorizationScopes ?? [] }
    : route.AuthorizationType === 'AWS_IAM'
      ? { sigv4: [] }
      : undefined;
  return compact({
    isDefaultRoute: route.RouteKey === '$default' ? true : undefined,
    operationId: route.OperationName,
    parameters: parameters.length > 0 ? parameters : undefined,
    responses: { default: { description: `Default response for ${route.RouteKey}` } },
    security: requirement ? [requirement] : undefined,
    'x-amazon-apigateway-integration':
      withExtensions && integration ? integrationExtension(integration) : undefined,
  });
}

/** What an export writes: the API as a stage's deployment has it, or as it is. */
export interface HttpApiContent {
  api: StoredHttpApi;
  routes: V2.Route[];
  integrations: V2.Integration[];
  authorizers?: V2.Authorizer[];
}

export function exportHttpApi(content: HttpApiContent, options: HttpExportOptions): JsonObject {
  const { api, routes, integrations } = content;
  const authorizers = content.authorizers ?? [];
  const withExtensions = options.includeExtensions;
  const byId = new Map(integrations.map((integration) => [integration.IntegrationId!, integration]));
  const names = new Map(authorizers.map((a) => [a.AuthorizerId!, a.Name!]));
  const paths: Record<string, JsonObject> = {};
  for (const route of [...routes].sort((a, b) => (a.RouteKey! < b.RouteKey! ? -1 : 1))) {
    const [method, path] = route.RouteKey === '$default' ? ['ANY', '/$default'] : route.RouteKey!.split(' ');
    const item = (paths[path!] ??= {});
    const key = method === 'ANY' ? 'x-amazon-apigateway-any-method' : method!.toLowerCase();
    item[key] = operationOf(route, byId, names, withExtensions);
  }
  const schemes = securitySchemes(authorizers, routes, withExtensions);
  const basePath = options.stageName && options.stageName !== '$default' ? options.stageName : '';
  return compact({
    openapi: '3.0.1',
    info: compact({
      title: api.Name,
      description: api.Description,
      version: api.Version ?? exportTime(options.now),
    }),
    servers: [{ url: `${options.endpoint}/{basePath}`, variables: { basePath: { default: basePath } } }],
    paths,
    components: Object.keys(schemes).length > 0 ? { securitySchemes: schemes } : undefined,
    'x-amazon-apigateway-cors':
      withExtensions && api.CorsConfiguration ? corsExtension(api.CorsConfiguration) : undefined,
    'x-amazon-apigateway-importexport-version': withExtensions ? '1.0' : undefined,
  });
}
