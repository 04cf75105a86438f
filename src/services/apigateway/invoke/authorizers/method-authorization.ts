/**
 * The authorization a REST API method or an HTTP API route asks for, run first on a call that
 * found its route: a Lambda authorizer (`CUSTOM`), a Cognito user pool (`COGNITO_USER_POOLS`,
 * REST), a JWT authorizer (`JWT`, HTTP) or a SigV4 signature (`AWS_IAM`). It refuses the call
 * with API Gateway's answer, or lets it through with what the integration learns of the caller:
 * the authorizer's context, an API key a Lambda authorizer named, the signer.
 */
import type { Authorizer as RestAuthorizer, Method } from '@aws-sdk/client-api-gateway';
import type { Authorizer as HttpAuthorizer, Route } from '@aws-sdk/client-apigatewayv2';
import type { Logger } from 'pino';
import type { EdgeResponse } from '../../../service.js';
import type { ApiCall, RouteMatch } from '../api-call.js';
import { lastHeader } from '../request-parts.js';
import { requestParts } from '../rest-integrations.js';
import {
  authorizeHttpCall,
  authorizeRestCall,
  httpRefusal,
  restRefusal,
  type Authorizers,
} from './authorize.js';
import type { AuthorizerOutcome } from './lambda-authorizer.js';

export type Authorization =
  | { kind: 'refused'; response: EdgeResponse }
  | {
      kind: 'allowed';
      /** The call, with its signer once `AWS_IAM` checked one. */
      call: ApiCall;
      /** `requestContext.authorizer` (payload 2.0: under `jwt` or `lambda`). */
      authorizer?: Record<string, unknown>;
      /** The API key a Lambda authorizer answered (`apiKeySource: AUTHORIZER`). */
      usageIdentifierKey?: string;
    };

const missingAuthorizer = {
  kind: 'error',
  reason: 'the method names no authorizer of the deployment',
} as const;

function refused(
  outcome: Exclude<AuthorizerOutcome, { kind: 'allow' }>,
  response: EdgeResponse,
  call: ApiCall,
  logger: Logger,
): Authorization {
  if (outcome.kind === 'error')
    logger.warn({ apiId: call.apiId, reason: outcome.reason }, 'authorizer failed');
  return { kind: 'refused', response };
}

export async function authorizeRestMethod(
  authorizers: Authorizers,
  deployed: readonly RestAuthorizer[] | undefined,
  method: Method,
  call: ApiCall,
  route: RouteMatch,
  logger: Logger,
): Promise<Authorization> {
  const type = method.authorizationType ?? 'NONE';
  if (type === 'AWS_IAM') {
    const signed = await authorizers.iam.authorize(call.wire, 'REST', call.requestId);
    return signed.kind === 'signed' ? { kind: 'allowed', call: { ...call, signer: signed.signer } } : signed;
  }
  if (type !== 'CUSTOM' && type !== 'COGNITO_USER_POOLS') return { kind: 'allowed', call };
  const authorizer = deployed?.find((a) => a.id === method.authorizerId);
  let outcome: AuthorizerOutcome;
  if (!authorizer) outcome = missingAuthorizer;
  else if (authorizer.type === 'COGNITO_USER_POOLS') {
    const header = (authorizer.identitySource ?? '').replace(/^method\.request\.header\./, '');
    outcome = await authorizers.cognito.authorize({
      token: lastHeader(call.headers, header),
      providerArns: authorizer.providerARNs ?? [],
      scopes: method.authorizationScopes ?? [],
      audiencePattern: authorizer.identityValidationExpression,
    });
  } else {
    outcome = await authorizeRestCall(authorizers, authorizer, call, route, requestParts(call, route));
  }
  if (outcome.kind !== 'allow') return refused(outcome, restRefusal(outcome, call.requestId), call, logger);
  return {
    kind: 'allowed',
    call,
    authorizer: outcome.context,
    ...(outcome.usageIdentifierKey !== undefined ? { usageIdentifierKey: outcome.usageIdentifierKey } : {}),
  };
}

export async function authorizeHttpRoute(
  authorizers: Authorizers,
  deployed: readonly HttpAuthorizer[] | undefined,
  route: Route,
  call: ApiCall,
  match: RouteMatch,
  logger: Logger,
): Promise<Authorization> {
  const type = route.AuthorizationType ?? 'NONE';
  if (type === 'AWS_IAM') {
    const signed = await authorizers.iam.authorize(call.wire, 'HTTP', call.requestId);
    return signed.kind === 'signed' ? { kind: 'allowed', call: { ...call, signer: signed.signer } } : signed;
  }
  if (type !== 'JWT' && type !== 'CUSTOM') return { kind: 'allowed', call };
  const authorizer = deployed?.find((a) => a.AuthorizerId === route.AuthorizerId);
  const outcome = authorizer
    ? await authorizeHttpCall(authorizers, authorizer, route.AuthorizationScopes ?? [], call, match)
    : missingAuthorizer;
  if (outcome.kind !== 'allow') return refused(outcome, httpRefusal(outcome, call.requestId), call, logger);
  // Payload 2.0 events carry a Lambda authorizer's context under `lambda`, a JWT's under `jwt`.
  return {
    kind: 'allowed',
    call,
    authorizer: type === 'JWT' ? outcome.context : { lambda: outcome.context },
  };
}
