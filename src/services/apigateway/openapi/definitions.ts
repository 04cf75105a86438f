/**
 * What a REST API's document keeps besides its settings: gateway responses, request validators
 * and models, in the shapes their operations answer (`GetGatewayResponses`,
 * `GetRequestValidators`, `GetModels`). Imports made them first, hence the key
 * `openApiDefinitions`; the operations of ../models.ts, ../request-validators.ts and
 * ../rest-gateway-responses.ts keep them now, a deployment's snapshot carries them to the invoke
 * path, and the export writes them back. (Authorizers have a table of their own.)
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';

/** On a REST API's document. Methods name the validators by these ids. */
export interface RestOpenApiDefinitions {
  gatewayResponses?: APIGW.GatewayResponse[];
  requestValidators?: APIGW.RequestValidator[];
  /** `schema` is the JSON Schema text, naming other models by canonical URI (model-schemas.ts). */
  models?: APIGW.Model[];
}

export type WithRestDefinitions<T> = T & { openApiDefinitions?: RestOpenApiDefinitions };

/** How an import plan's model names another before the API's id is known (openapi/models.ts). */
export const MODEL_REF_PREFIX = '#/models/';
