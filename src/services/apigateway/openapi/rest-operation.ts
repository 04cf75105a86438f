/**
 * One operation of a path (`get`, …, `x-amazon-apigateway-any-method`) read into a REST API
 * method: its request parameters and models, its method responses (headers become
 * `method.response.header.X`), its authorization, and its integration.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import { compact, isObject, stringList, text, type JsonObject } from './json-values.js';
import { modelNameOf } from './models.js';
import { resolveRef, type OpenApiDocument } from './read-document.js';
import {
  readRestIntegration,
  type PlannedIntegration,
  type PlannedIntegrationResponse,
} from './rest-integration.js';
import type { RestSecurity } from './rest-security.js';

type MethodSettings = Omit<APIGW.PutMethodRequest, 'restApiId' | 'resourceId' | 'httpMethod'>;
export type PlannedMethodResponse = Omit<
  APIGW.PutMethodResponseRequest,
  'restApiId' | 'resourceId' | 'httpMethod'
>;

export interface PlannedMethod {
  httpMethod: string;
  method: MethodSettings;
  integration?: PlannedIntegration;
  methodResponses: PlannedMethodResponse[];
  integrationResponses: PlannedIntegrationResponse[];
}

export interface OperationPlace {
  document: OpenApiDocument;
  /** The path as the document names it, for warnings that quote the document. */
  documentPath: string;
  resourcePath: string;
  /** The operation's key: `get`, `x-amazon-apigateway-any-method`. */
  operationKey: string;
  httpMethod: string;
  pathParameters: unknown[];
  security: RestSecurity;
  models: ReadonlySet<string>;
  validatorIds: ReadonlyMap<string, string>;
  warnings: string[];
}

const PARAMETER_SOURCES: Record<string, string> = { path: 'path', query: 'querystring', header: 'header' };

/** Path-level parameters, then the operation's, the operation's winning on the same name and place. */
function parametersOf(place: OperationPlace, operation: JsonObject): JsonObject[] {
  const byKey = new Map<string, JsonObject>();
  for (const raw of [
    ...place.pathParameters,
    ...(Array.isArray(operation.parameters) ? operation.parameters : []),
  ]) {
    const parameter = resolveRef(place.document.root, raw);
    if (isObject(parameter)) byKey.set(`${text(parameter.in)}:${text(parameter.name)}`, parameter);
  }
  return [...byKey.values()];
}

/** `{content-type: model}` for a schema that names a model; a missing model is a warning. */
function modelsFor(
  place: OperationPlace,
  contentTypes: string[],
  schema: unknown,
  attribute: string,
): Record<string, string> | undefined {
  const ref = isObject(schema) ? schema.$ref : undefined;
  const name = modelNameOf(ref, place.document.version);
  if (name === undefined) return undefined;
  if (!place.models.has(name)) {
    place.warnings.push(`Parse issue: attribute ${attribute}.${String(ref)} is missing`);
    return undefined;
  }
  return Object.fromEntries(contentTypes.map((type) => [type, name]));
}

function requestSide(place: OperationPlace, operation: JsonObject) {
  const requestParameters: Record<string, boolean> = {};
  let requestModels: Record<string, string> | undefined;
  const attribute = `paths.'${place.documentPath}'(${place.operationKey})`;
  for (const parameter of parametersOf(place, operation)) {
    const where = text(parameter.in) ?? '';
    const name = text(parameter.name);
    if (where === 'body') {
      const consumes = stringList(operation.consumes) ??
        stringList(place.document.root.consumes) ?? ['application/json'];
      requestModels = modelsFor(place, consumes, parameter.schema, `${attribute}.parameters.body.schema`);
    } else if (PARAMETER_SOURCES[where] && name) {
      requestParameters[`method.request.${PARAMETER_SOURCES[where]}.${name}`] =
        where === 'path' || parameter.required === true;
    }
  }
  const body = resolveRef(place.document.root, operation.requestBody);
  if (isObject(body) && isObject(body.content)) {
    for (const [type, media] of Object.entries(body.content)) {
      const found = modelsFor(
        place,
        [type],
        isObject(media) ? media.schema : undefined,
        `${attribute}.requestBody.content.${type}.schema`,
      );
      if (found) requestModels = { ...requestModels, ...found };
    }
  }
  return compact({
    requestParameters: Object.keys(requestParameters).length > 0 ? requestParameters : undefined,
    requestModels,
  });
}

function methodResponses(place: OperationPlace, operation: JsonObject): PlannedMethodResponse[] {
  const attribute = `paths.'${place.documentPath}'(${place.operationKey}).responses`;
  if (!isObject(operation.responses)) {
    place.warnings.push(`Parse issue: attribute ${attribute} is missing`);
    return [];
  }
  const out: PlannedMethodResponse[] = [];
  for (const [code, raw] of Object.entries(operation.responses)) {
    const response = resolveRef(place.document.root, raw);
    // `default` and ranges (`2XX`) describe responses a method cannot declare.
    if (!/^[1-5]\d\d$/.test(code) || !isObject(response)) continue;
    const headers = isObject(response.headers) ? Object.keys(response.headers) : [];
    let responseModels: Record<string, string> | undefined;
    if (place.document.version === 'oas30' && isObject(response.content)) {
      for (const [type, media] of Object.entries(response.content)) {
        const schema = isObject(media) ? media.schema : undefined;
        const found = modelsFor(place, [type], schema, `${attribute}.${code}.content.schema`);
        if (found) responseModels = { ...responseModels, ...found };
      }
    } else if (place.document.version === 'swagger') {
      const produces = stringList(operation.produces) ??
        stringList(place.document.root.produces) ?? ['application/json'];
      responseModels = modelsFor(place, produces, response.schema, `${attribute}.${code}.schema`);
    }
    out.push(
      compact({
        statusCode: code,
        responseParameters:
          headers.length > 0
            ? Object.fromEntries(headers.map((header) => [`method.response.header.${header}`, false]))
            : undefined,
        responseModels,
      }),
    );
  }
  return out;
}

function validatorId(place: OperationPlace, operation: JsonObject): string | undefined {
  const name =
    text(operation['x-amazon-apigateway-request-validator']) ??
    text(place.document.root['x-amazon-apigateway-request-validator']);
  if (name === undefined) return undefined;
  const id = place.validatorIds.get(name);
  if (id === undefined)
    place.warnings.push(`Invalid request validator ${name} for ${place.httpMethod} ${place.resourcePath}`);
  return id;
}

export function readOperation(place: OperationPlace, operation: JsonObject): PlannedMethod {
  const security = operation.security ?? place.document.root.security;
  const method: MethodSettings = compact({
    ...place.security.methodAuthorization(security),
    operationName: text(operation.operationId),
    requestValidatorId: validatorId(place, operation),
    ...requestSide(place, operation),
  });
  const planned: PlannedMethod = {
    httpMethod: place.httpMethod,
    method,
    methodResponses: methodResponses(place, operation),
    integrationResponses: [],
  };
  const extension = operation['x-amazon-apigateway-integration'];
  if (extension !== undefined) {
    const { integration, responses } = readRestIntegration(place.document.root, extension, place);
    planned.integration = integration;
    planned.integrationResponses = responses;
  }
  return planned;
}
