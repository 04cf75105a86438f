/**
 * A REST API's security schemes (`components.securitySchemes`, Swagger's `securityDefinitions`)
 * and what an operation's `security` makes of its method: a Lambda or Cognito authorizer
 * (`x-amazon-apigateway-authorizer`, kept as an `Authorizer` the method names by id), IAM
 * (`x-amazon-apigateway-authtype: awsSigv4`), or an API key (a plain `apiKey` scheme).
 */
import type * as APIGW from '@aws-sdk/client-api-gateway';
import { compact, isObject, numberOf, stringList, text, type JsonObject } from './json-values.js';
import type { OpenApiDocument } from './read-document.js';

export type MethodAuthorization = Pick<
  APIGW.PutMethodRequest,
  'authorizationType' | 'authorizerId' | 'authorizationScopes' | 'apiKeyRequired'
>;

type Scheme =
  | { kind: 'authorizer'; authorizer: APIGW.Authorizer }
  | { kind: 'iam' }
  | { kind: 'apiKey' }
  | { kind: 'other' };

const AUTHORIZER_TYPES: Record<string, APIGW.AuthorizerType> = {
  token: 'TOKEN',
  request: 'REQUEST',
  cognito_user_pools: 'COGNITO_USER_POOLS',
};

export function securitySchemesOf(document: OpenApiDocument): JsonObject {
  const { root } = document;
  const schemes =
    document.version === 'oas30'
      ? isObject(root.components)
        ? root.components.securitySchemes
        : undefined
      : root.securityDefinitions;
  return isObject(schemes) ? schemes : {};
}

function readScheme(name: string, scheme: JsonObject, newId: () => string): Scheme {
  const extension = scheme['x-amazon-apigateway-authorizer'];
  const authType = text(scheme['x-amazon-apigateway-authtype']);
  if (isObject(extension)) {
    const type = AUTHORIZER_TYPES[text(extension.type)?.toLowerCase() ?? ''];
    if (type) {
      // A TOKEN or Cognito authorizer reads the header the scheme names, unless told otherwise.
      const header = text(scheme.name);
      const identitySource =
        text(extension.identitySource) ??
        (type !== 'REQUEST' && header ? `method.request.header.${header}` : undefined);
      const authorizer: APIGW.Authorizer = compact({
        id: newId(),
        name,
        type,
        authType,
        providerARNs: stringList(extension.providerARNs),
        authorizerUri: text(extension.authorizerUri),
        authorizerCredentials: text(extension.authorizerCredentials),
        identitySource,
        identityValidationExpression: text(extension.identityValidationExpression),
        authorizerResultTtlInSeconds: numberOf(extension.authorizerResultTtlInSeconds) ?? 300,
      });
      return { kind: 'authorizer', authorizer };
    }
  }
  if (authType?.toLowerCase() === 'awssigv4') return { kind: 'iam' };
  if (text(scheme.type) === 'apiKey') return { kind: 'apiKey' };
  return { kind: 'other' };
}

export interface RestSecurity {
  /** The authorizers the schemes define, for the API's document. */
  authorizers: APIGW.Authorizer[];
  /** A method's authorization from its `security` (the operation's, else the document's). */
  methodAuthorization(requirements: unknown): MethodAuthorization;
}

export function readRestSecurity(document: OpenApiDocument, newId: () => string): RestSecurity {
  const schemes = new Map<string, Scheme>();
  for (const [name, scheme] of Object.entries(securitySchemesOf(document))) {
    if (isObject(scheme)) schemes.set(name, readScheme(name, scheme, newId));
  }
  return {
    authorizers: [...schemes.values()].flatMap((s) => (s.kind === 'authorizer' ? [s.authorizer] : [])),
    methodAuthorization(requirements) {
      const auth: MethodAuthorization = { authorizationType: 'NONE' };
      // API Gateway applies one requirement object: its schemes together (an authorizer and a key).
      const first = Array.isArray(requirements) ? requirements.find(isObject) : undefined;
      for (const [name, scopes] of Object.entries(first ?? {})) {
        const scheme = schemes.get(name);
        if (scheme?.kind === 'apiKey') auth.apiKeyRequired = true;
        else if (scheme?.kind === 'iam') auth.authorizationType = 'AWS_IAM';
        else if (scheme?.kind === 'authorizer') {
          const { authorizer } = scheme;
          auth.authorizationType = authorizer.type === 'COGNITO_USER_POOLS' ? 'COGNITO_USER_POOLS' : 'CUSTOM';
          auth.authorizerId = authorizer.id;
          const scopeList = stringList(scopes) ?? [];
          if (authorizer.type === 'COGNITO_USER_POOLS' && scopeList.length > 0) {
            auth.authorizationScopes = scopeList;
          }
        }
      }
      return auth;
    },
  };
}
