/**
 * An HTTP API's security schemes: JWT and Lambda (`request`) authorizers from
 * `x-amazon-apigateway-authorizer`, IAM from `x-amazon-apigateway-authtype: awsSigv4`, and what a
 * route's `security` makes of its authorization.
 */
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import { booleanOf, compact, isObject, numberOf, stringList, text } from './json-values.js';
import type { OpenApiDocument } from './read-document.js';
import { securitySchemesOf } from './rest-security.js';

export type RouteAuthorization = Pick<
  V2.CreateRouteRequest,
  'AuthorizationType' | 'AuthorizerId' | 'AuthorizationScopes'
>;

type Scheme = { kind: 'authorizer'; authorizer: V2.Authorizer } | { kind: 'iam' } | { kind: 'other' };

const WELL_KNOWN = '/.well-known/openid-configuration';

function readAuthorizer(
  name: string,
  scheme: Record<string, unknown>,
  newId: () => string,
): V2.Authorizer | undefined {
  const extension = scheme['x-amazon-apigateway-authorizer'];
  if (!isObject(extension)) return undefined;
  const type = text(extension.type)?.toLowerCase();
  const identity = extension.identitySource;
  const IdentitySource = Array.isArray(identity)
    ? stringList(identity)
    : text(identity)
        ?.split(',')
        .map((source) => source.trim());
  if (type === 'jwt') {
    const jwt = isObject(extension.jwtConfiguration) ? extension.jwtConfiguration : {};
    const discovery = text(scheme.openIdConnectUrl);
    return compact({
      AuthorizerId: newId(),
      Name: name,
      AuthorizerType: 'JWT' as const,
      IdentitySource: IdentitySource ?? ['$request.header.Authorization'],
      JwtConfiguration: compact({
        Issuer: text(jwt.issuer) ?? discovery?.replace(WELL_KNOWN, ''),
        Audience: stringList(jwt.audience),
      }),
    });
  }
  if (type === 'request') {
    return compact({
      AuthorizerId: newId(),
      Name: name,
      AuthorizerType: 'REQUEST' as const,
      IdentitySource,
      AuthorizerUri: text(extension.authorizerUri),
      AuthorizerCredentialsArn: text(extension.authorizerCredentials),
      AuthorizerPayloadFormatVersion: text(extension.authorizerPayloadFormatVersion),
      EnableSimpleResponses: booleanOf(extension.enableSimpleResponses),
      AuthorizerResultTtlInSeconds: numberOf(extension.authorizerResultTtlInSeconds),
    });
  }
  return undefined;
}

export interface HttpSecurity {
  authorizers: V2.Authorizer[];
  routeAuthorization(requirements: unknown): RouteAuthorization;
}

export function readHttpSecurity(document: OpenApiDocument, newId: () => string): HttpSecurity {
  const schemes = new Map<string, Scheme>();
  for (const [name, scheme] of Object.entries(securitySchemesOf(document))) {
    if (!isObject(scheme)) continue;
    const authorizer = readAuthorizer(name, scheme, newId);
    if (authorizer) schemes.set(name, { kind: 'authorizer', authorizer });
    else if (text(scheme['x-amazon-apigateway-authtype'])?.toLowerCase() === 'awssigv4')
      schemes.set(name, { kind: 'iam' });
    else schemes.set(name, { kind: 'other' });
  }
  return {
    authorizers: [...schemes.values()].flatMap((s) => (s.kind === 'authorizer' ? [s.authorizer] : [])),
    routeAuthorization(requirements) {
      const first = Array.isArray(requirements) ? requirements.find(isObject) : undefined;
      for (const [name, scopes] of Object.entries(first ?? {})) {
        const scheme = schemes.get(name);
        if (scheme?.kind === 'iam') return { AuthorizationType: 'AWS_IAM' };
        if (scheme?.kind === 'authorizer') {
          const { authorizer } = scheme;
          const scopeList = stringList(scopes) ?? [];
          return compact({
            AuthorizationType: authorizer.AuthorizerType === 'JWT' ? 'JWT' : 'CUSTOM',
            AuthorizerId: authorizer.AuthorizerId,
            AuthorizationScopes:
              authorizer.AuthorizerType === 'JWT' && scopeList.length > 0 ? scopeList : undefined,
          });
        }
      }
      return {};
    },
  };
}
