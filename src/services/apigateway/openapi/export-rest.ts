/**
 * A deployed REST API written back as an OpenAPI 3.0 (`oas30`) or Swagger 2.0 (`swagger`)
 * document, as GetExport writes it. The `extensions` parameter chooses the API Gateway
 * extensions: `integrations` the methods' integrations, `authorizers` the authorizers, and
 * `apigateway` both and every API-level one (validators, gateway responses, policy, …).
 */
import type { RestSnapshot } from '../deployments.js';
import { API_KEY_SCHEME, IAM_SCHEME, writeOperation, type OperationWriter } from './export-rest-operation.js';
import type { WithRestDefinitions } from './definitions.js';
import { compact, type JsonObject } from './json-values.js';
import { modelSchemaFor } from './models.js';
import type { OpenApiVersion } from './read-document.js';

export interface RestExportOptions {
  version: OpenApiVersion;
  stageName: string;
  /** Where the API is called: `http://{id}.execute-api.localhost:4566`. */
  endpoint: string;
  /** `integrations`, `authorizers`, `apigateway`, `postman`. */
  extensions: ReadonlySet<string>;
  /** `info.version` of an API without a version: when it was deployed. */
  deployedAt: number;
}

function securitySchemes(snapshot: RestSnapshot, withAuthorizers: boolean): JsonObject {
  const schemes: JsonObject = {};
  const methods = snapshot.resources.flatMap((r) => Object.values(r.resourceMethods ?? {}));
  if (methods.some((m) => m.apiKeyRequired)) {
    schemes[API_KEY_SCHEME] = { type: 'apiKey', name: 'x-api-key', in: 'header' };
  }
  if (methods.some((m) => m.authorizationType === 'AWS_IAM')) {
    schemes[IAM_SCHEME] = {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'awsSigv4',
    };
  }
  for (const authorizer of snapshot.authorizers ?? []) {
    const header = /^method\.request\.header\.(.+)$/.exec(authorizer.identitySource ?? '')?.[1];
    schemes[authorizer.name!] = compact({
      type: 'apiKey',
      name: header ?? 'Unused',
      in: 'header',
      'x-amazon-apigateway-authtype':
        authorizer.authType ?? (authorizer.type === 'COGNITO_USER_POOLS' ? 'cognito_user_pools' : 'custom'),
      'x-amazon-apigateway-authorizer': withAuthorizers
        ? compact({
            type: authorizer.type?.toLowerCase(),
            authorizerUri: authorizer.authorizerUri,
            authorizerCredentials: authorizer.authorizerCredentials,
            identitySource: authorizer.type === 'REQUEST' ? authorizer.identitySource : undefined,
            identityValidationExpression: authorizer.identityValidationExpression,
            authorizerResultTtlInSeconds: authorizer.authorizerResultTtlInSeconds,
            providerARNs: authorizer.providerARNs,
          })
        : undefined,
    });
  }
  return schemes;
}

/** The API-level extensions `extensions=apigateway` adds. */
function apiExtensions(
  api: WithRestDefinitions<RestSnapshot['api']>,
  all: boolean,
  withIntegrations: boolean,
) {
  const definitions = api.openApiDefinitions ?? {};
  const policy = all && api.policy ? safeJson(api.policy) : undefined;
  return compact({
    'x-amazon-apigateway-binary-media-types':
      (all || withIntegrations) && api.binaryMediaTypes?.length ? api.binaryMediaTypes : undefined,
    'x-amazon-apigateway-api-key-source': all ? api.apiKeySource : undefined,
    'x-amazon-apigateway-minimum-compression-size': all ? api.minimumCompressionSize : undefined,
    'x-amazon-apigateway-policy': policy,
    'x-amazon-apigateway-request-validators':
      all && definitions.requestValidators?.length
        ? Object.fromEntries(
            definitions.requestValidators.map((v) => [
              v.name!,
              {
                validateRequestBody: v.validateRequestBody,
                validateRequestParameters: v.validateRequestParameters,
              },
            ]),
          )
        : undefined,
    'x-amazon-apigateway-gateway-responses':
      all && definitions.gatewayResponses?.length
        ? Object.fromEntries(
            definitions.gatewayResponses.map((r) => [
              r.responseType!,
              compact({
                statusCode: r.statusCode,
                responseParameters: r.responseParameters,
                responseTemplates: r.responseTemplates,
              }),
            ]),
          )
        : undefined,
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function exportRestApi(snapshot: RestSnapshot, options: RestExportOptions): JsonObject {
  const { version, extensions } = options;
  const api = snapshot.api as WithRestDefinitions<RestSnapshot['api']>;
  const definitions = api.openApiDefinitions ?? {};
  const all = extensions.has('apigateway');
  const writer: OperationWriter = {
    version,
    withIntegrations: all || extensions.has('integrations'),
    withApiGatewayExtensions: all,
    authorizerNames: new Map((snapshot.authorizers ?? []).map((a) => [a.id!, a.name!])),
    validatorNames: new Map((definitions.requestValidators ?? []).map((v) => [v.id!, v.name!])),
  };
  const paths: JsonObject = {};
  for (const resource of [...snapshot.resources].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const methods = Object.entries(resource.resourceMethods ?? {});
    if (methods.length === 0) continue;
    paths[resource.path] = Object.fromEntries(
      methods.map(([httpMethod, method]) => [
        httpMethod === 'ANY' ? 'x-amazon-apigateway-any-method' : httpMethod.toLowerCase(),
        writeOperation(method, resource.id, writer),
      ]),
    );
  }
  const schemes = securitySchemes(snapshot, all || extensions.has('authorizers'));
  const schemas = Object.fromEntries(
    (definitions.models ?? []).map((m) => [m.name!, modelSchemaFor(m, version, api.id!)]),
  );
  const info = compact({
    title: api.name,
    description: api.description,
    version: api.version ?? new Date(options.deployedAt).toISOString().replace(/\.\d+Z$/, 'Z'),
  });
  const url = new URL(options.endpoint);
  const extras = apiExtensions(api, all, writer.withIntegrations);
  if (version === 'swagger') {
    return compact({
      swagger: '2.0',
      info,
      host: url.host,
      basePath: `/${options.stageName}`,
      schemes: [url.protocol.replace(':', '')],
      paths,
      securityDefinitions: Object.keys(schemes).length > 0 ? schemes : undefined,
      definitions: Object.keys(schemas).length > 0 ? schemas : undefined,
      ...extras,
    });
  }
  return {
    openapi: '3.0.1',
    info,
    servers: [{ url: `${url.origin}/{basePath}`, variables: { basePath: { default: options.stageName } } }],
    paths,
    components: compact({
      schemas: Object.keys(schemas).length > 0 ? schemas : undefined,
      securitySchemes: Object.keys(schemes).length > 0 ? schemes : undefined,
    }),
    ...extras,
  };
}
