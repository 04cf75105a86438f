/**
 * What an imported document declares that Stratus keeps but does not serve yet: authorizers,
 * gateway responses, request validators and models. They are stored on the API's own document
 * under `openApiDefinitions`, in the shapes of the AWS operations that will one day serve them
 * (`GetAuthorizers`, `GetGatewayResponses`, …), so those operations can read them as they are,
 * and the export writes them back.
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import type * as V2 from '@aws-sdk/client-apigatewayv2';

/** On a REST API's document. Methods name the authorizers and validators by these ids. */
export interface RestOpenApiDefinitions {
  authorizers?: APIGW.Authorizer[];
  gatewayResponses?: APIGW.GatewayResponse[];
  requestValidators?: APIGW.RequestValidator[];
  /** `schema` is the JSON Schema text; references to other models are `#/models/{name}`. */
  models?: APIGW.Model[];
}

/** On an HTTP API's document. Routes name the authorizers by these ids. */
export interface HttpOpenApiDefinitions {
  authorizers?: V2.Authorizer[];
}

export type WithRestDefinitions<T> = T & { openApiDefinitions?: RestOpenApiDefinitions };
export type WithHttpDefinitions<T> = T & { openApiDefinitions?: HttpOpenApiDefinitions };

/** How a stored model names another: neutral between OpenAPI 3.0 and Swagger 2.0. */
export const MODEL_REF_PREFIX = '#/models/';
