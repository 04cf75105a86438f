/**
 * What an imported document declares that Stratus keeps but does not serve yet: gateway
 * responses, request validators and models. They are stored on the REST API's own document under
 * `openApiDefinitions`, in the shapes of the AWS operations that will one day serve them
 * (`GetGatewayResponses`, `GetRequestValidators`, `GetModels`), so those operations can read them
 * as they are, and the export writes them back. (Authorizers are real: the import makes them.)
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';

/** On a REST API's document. Methods name the validators by these ids. */
export interface RestOpenApiDefinitions {
  gatewayResponses?: APIGW.GatewayResponse[];
  requestValidators?: APIGW.RequestValidator[];
  /** `schema` is the JSON Schema text; references to other models are `#/models/{name}`. */
  models?: APIGW.Model[];
}

export type WithRestDefinitions<T> = T & { openApiDefinitions?: RestOpenApiDefinitions };

/** How a stored model names another: neutral between OpenAPI 3.0 and Swagger 2.0. */
export const MODEL_REF_PREFIX = '#/models/';
