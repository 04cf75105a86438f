/**
 * `x-amazon-apigateway-integration` of a REST API method, read into the requests PutIntegration
 * and PutIntegrationResponse take. Whether the values are valid (a URI for the type, a timeout in
 * range) is the methods module's to say when they are put; what is read here is only whether the
 * extension is shaped as one: AWS refuses a malformed one before creating anything.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import { BadRequestException } from '../errors.js';
import { compact, isObject, numberOf, stringList, stringMap, text, type JsonObject } from './json-values.js';
import { resolveRef } from './read-document.js';

export type PlannedIntegration = Omit<APIGW.PutIntegrationRequest, 'restApiId' | 'resourceId' | 'httpMethod'>;
export type PlannedIntegrationResponse = Omit<
  APIGW.PutIntegrationResponseRequest,
  'restApiId' | 'resourceId' | 'httpMethod'
>;

export interface IntegrationPlace {
  /** The resource's path in the API (after the base path is placed). */
  resourcePath: string;
  httpMethod: string;
  warnings: string[];
}

const malformedIntegration = (resourcePath: string) =>
  new BadRequestException(
    `Unable to parse API definition because of a malformed integration at path ${resourcePath}.`,
  );

/** `when_no_match` → `WHEN_NO_MATCH`; documents write enumerations in either case. */
const upper = (value: unknown) => text(value)?.toUpperCase();

function optionalString(value: unknown, place: IntegrationPlace): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw malformedIntegration(place.resourcePath);
  return value;
}

/** Request parameter mappings are strings; AWS drops another value with a warning. */
function requestParameters(value: unknown, place: IntegrationPlace): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw malformedIntegration(place.resourcePath);
  const out: Record<string, string> = {};
  for (const [name, mapping] of Object.entries(value)) {
    if (typeof mapping === 'string') out[name] = mapping;
    else {
      place.warnings.push(
        `Invalid format for 'requestParameters'. Expected type string for property '${name}' of resource '${place.resourcePath}' and method '${place.httpMethod}' but got '${String(mapping)}'`,
      );
    }
  }
  return out;
}

function integrationResponses(value: unknown, place: IntegrationPlace): PlannedIntegrationResponse[] {
  if (value === undefined) return [];
  if (!isObject(value)) throw malformedIntegration(place.resourcePath);
  return Object.entries(value).map(([pattern, response]) => {
    if (!isObject(response)) throw malformedIntegration(place.resourcePath);
    const statusCode = text(response.statusCode);
    if (statusCode === undefined) throw malformedIntegration(place.resourcePath);
    return compact({
      statusCode,
      // `default` catches what no pattern matches: an integration response without a pattern.
      selectionPattern: pattern === 'default' ? undefined : pattern,
      responseParameters: stringMap(response.responseParameters),
      responseTemplates: stringMap(response.responseTemplates),
      contentHandling: upper(response.contentHandling) as APIGW.ContentHandlingStrategy | undefined,
    });
  });
}

/** The integration a method's extension declares, with its integration responses. */
export function readRestIntegration(
  root: JsonObject,
  value: unknown,
  place: IntegrationPlace,
): { integration: PlannedIntegration; responses: PlannedIntegrationResponse[] } {
  const extension = resolveRef(root, value);
  if (!isObject(extension) || typeof extension.type !== 'string')
    throw malformedIntegration(place.resourcePath);
  const integration: PlannedIntegration = compact({
    type: extension.type.toUpperCase() as APIGW.IntegrationType,
    integrationHttpMethod: optionalString(extension.httpMethod, place)?.toUpperCase(),
    uri: optionalString(extension.uri, place),
    credentials: optionalString(extension.credentials, place),
    connectionType: upper(extension.connectionType) as APIGW.ConnectionType | undefined,
    connectionId: optionalString(extension.connectionId, place),
    requestParameters: requestParameters(extension.requestParameters, place),
    requestTemplates: stringMap(extension.requestTemplates),
    passthroughBehavior: upper(extension.passthroughBehavior),
    contentHandling: upper(extension.contentHandling) as APIGW.ContentHandlingStrategy | undefined,
    timeoutInMillis: numberOf(extension.timeoutInMillis),
    cacheNamespace: optionalString(extension.cacheNamespace, place),
    cacheKeyParameters: stringList(extension.cacheKeyParameters),
  });
  return { integration, responses: integrationResponses(extension.responses, place) };
}
