/**
 * One REST API method written as an OpenAPI operation, the way GetExport writes it: request
 * parameters as `parameters`, request models as a body, method responses with their headers and
 * models, the method's security, and — when asked for — its `x-amazon-apigateway-integration`.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import { compact, type JsonObject } from './json-values.js';
import { modelRef } from './models.js';
import type { OpenApiVersion } from './read-document.js';

export interface OperationWriter {
  version: OpenApiVersion;
  withIntegrations: boolean;
  withApiGatewayExtensions: boolean;
  authorizerNames: ReadonlyMap<string, string>;
  validatorNames: ReadonlyMap<string, string>;
}

/** The names of the security schemes a method's `security` names besides its authorizer's. */
export const IAM_SCHEME = 'sigv4';
export const API_KEY_SCHEME = 'api_key';

const PARAMETER_PLACES: Record<string, string> = { path: 'path', querystring: 'query', header: 'header' };

function parameters(method: APIGW.Method, version: OpenApiVersion): JsonObject[] {
  const out: JsonObject[] = [];
  for (const [name, required] of Object.entries(method.requestParameters ?? {})) {
    const match = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(name);
    if (!match) continue;
    const type = version === 'oas30' ? { schema: { type: 'string' } } : { type: 'string' };
    out.push({
      name: match[2]!,
      in: PARAMETER_PLACES[match[1]!]!,
      required: match[1] === 'path' || required,
      ...type,
    });
  }
  return out;
}

function responses(method: APIGW.Method, version: OpenApiVersion): JsonObject {
  const out: JsonObject = {};
  for (const [code, response] of Object.entries(method.methodResponses ?? {})) {
    const headers = Object.keys(response.responseParameters ?? {})
      .filter((name) => name.startsWith('method.response.header.'))
      .map((name) => name.slice('method.response.header.'.length));
    const models = Object.entries(response.responseModels ?? {});
    const headerSchema = version === 'oas30' ? { schema: { type: 'string' } } : { type: 'string' };
    out[code] = compact({
      description: `${code} response`,
      ...(version === 'swagger' && models.length > 0
        ? { schema: { $ref: modelRef(models[0]![1], version) } }
        : {}),
      headers: headers.length > 0 ? Object.fromEntries(headers.map((h) => [h, headerSchema])) : undefined,
      ...(version === 'oas30'
        ? {
            content: Object.fromEntries(
              models.map(([type, model]) => [type, { schema: { $ref: modelRef(model, version) } }]),
            ),
          }
        : {}),
    });
  }
  return out;
}

function security(method: APIGW.Method, writer: OperationWriter): JsonObject[] | undefined {
  const requirement: JsonObject = {};
  const authorizer = method.authorizerId ? writer.authorizerNames.get(method.authorizerId) : undefined;
  if (authorizer) requirement[authorizer] = method.authorizationScopes ?? [];
  if (method.authorizationType === 'AWS_IAM') requirement[IAM_SCHEME] = [];
  if (method.apiKeyRequired) requirement[API_KEY_SCHEME] = [];
  return Object.keys(requirement).length > 0 ? [requirement] : undefined;
}

export function integrationExtension(integration: APIGW.Integration, resourceId: string): JsonObject {
  return compact({
    type: integration.type?.toLowerCase(),
    httpMethod: integration.httpMethod,
    uri: integration.uri,
    credentials: integration.credentials,
    connectionType: integration.connectionType === 'VPC_LINK' ? 'VPC_LINK' : undefined,
    connectionId: integration.connectionId,
    requestParameters: integration.requestParameters,
    requestTemplates: integration.requestTemplates,
    passthroughBehavior: integration.passthroughBehavior?.toLowerCase(),
    contentHandling: integration.contentHandling,
    timeoutInMillis: integration.timeoutInMillis !== 29_000 ? integration.timeoutInMillis : undefined,
    cacheNamespace: integration.cacheNamespace !== resourceId ? integration.cacheNamespace : undefined,
    cacheKeyParameters: integration.cacheKeyParameters?.length ? integration.cacheKeyParameters : undefined,
    responses: integration.integrationResponses
      ? Object.fromEntries(
          Object.values(integration.integrationResponses).map((response) => [
            response.selectionPattern ?? 'default',
            compact({
              statusCode: response.statusCode,
              responseParameters: response.responseParameters,
              responseTemplates: response.responseTemplates,
              contentHandling: response.contentHandling,
            }),
          ]),
        )
      : undefined,
  });
}

export function writeOperation(
  method: APIGW.Method,
  resourceId: string,
  writer: OperationWriter,
): JsonObject {
  const { version } = writer;
  const requestModels = Object.entries(method.requestModels ?? {});
  const responseTypes = [
    ...new Set(
      Object.values(method.methodResponses ?? {}).flatMap((r) => Object.keys(r.responseModels ?? {})),
    ),
  ];
  const params = parameters(method, version);
  if (version === 'swagger' && requestModels.length > 0) {
    const model = requestModels[0]![1];
    params.push({ in: 'body', name: model, required: true, schema: { $ref: modelRef(model, version) } });
  }
  const validator = method.requestValidatorId
    ? writer.validatorNames.get(method.requestValidatorId)
    : undefined;
  return compact({
    operationId: method.operationName,
    ...(version === 'swagger'
      ? {
          consumes: requestModels.length > 0 ? requestModels.map(([type]) => type) : undefined,
          produces: responseTypes.length > 0 ? responseTypes : undefined,
        }
      : {}),
    parameters: params.length > 0 ? params : undefined,
    requestBody:
      version === 'oas30' && requestModels.length > 0
        ? {
            content: Object.fromEntries(
              requestModels.map(([type, model]) => [type, { schema: { $ref: modelRef(model, version) } }]),
            ),
            required: true,
          }
        : undefined,
    responses: responses(method, version),
    security: security(method, writer),
    'x-amazon-apigateway-request-validator': writer.withApiGatewayExtensions ? validator : undefined,
    'x-amazon-apigateway-integration':
      writer.withIntegrations && method.methodIntegration
        ? integrationExtension(method.methodIntegration, resourceId)
        : undefined,
  });
}
