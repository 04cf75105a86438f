/**
 * What WebSocket APIs allow of authorizers and of routes' authorization, checked when they are
 * created or updated: Lambda `REQUEST` authorizers only (no JWT), whose identity sources are
 * `route.request.header.X`, `route.request.querystring.X`, `stageVariables.X` or `context.X`;
 * authorization (`AWS_IAM` or `CUSTOM`) on the `$connect` route only.
 */
import type * as V2 from '@aws-sdk/client-apigatewayv2';
import { BadRequestException } from '../errors.js';

const IDENTITY_SOURCE = /^(?:route\.request\.(?:header|querystring)|stageVariables|context)\.\S+$/;
const MAX_TTL_SECONDS = 3600;
const AUTHORIZATION_TYPES = ['NONE', 'AWS_IAM', 'CUSTOM'];

export function checkWebSocketAuthorizer(authorizer: V2.Authorizer): void {
  if (authorizer.AuthorizerType !== 'REQUEST') {
    throw new BadRequestException(
      `Unsupported authorizer type ${authorizer.AuthorizerType} for WebSocket APIs: only REQUEST authorizers are supported`,
    );
  }
  if (!authorizer.AuthorizerUri) {
    throw new BadRequestException('AuthorizerUri is required for REQUEST authorizers');
  }
  for (const source of authorizer.IdentitySource ?? []) {
    if (!IDENTITY_SOURCE.test(source)) {
      throw new BadRequestException(
        `Invalid identity source ${source}: use route.request.header.<name>, route.request.querystring.<name>, stageVariables.<name> or context.<name>`,
      );
    }
  }
  const ttl = authorizer.AuthorizerResultTtlInSeconds ?? 0;
  if (ttl < 0 || ttl > MAX_TTL_SECONDS) {
    throw new BadRequestException(`Invalid authorizer TTL: must be between 0 and ${MAX_TTL_SECONDS} seconds`);
  }
}

export function checkWebSocketRoute(route: V2.Route): void {
  const type = route.AuthorizationType ?? 'NONE';
  if (!AUTHORIZATION_TYPES.includes(type)) {
    throw new BadRequestException(`Unsupported authorization type ${type} for WebSocket APIs`);
  }
  if (type !== 'NONE' && route.RouteKey !== '$connect') {
    throw new BadRequestException('Currently, authorization is restricted to the $connect route only');
  }
  if (type === 'CUSTOM' && !route.AuthorizerId) {
    throw new BadRequestException('AuthorizerId is required for CUSTOM authorization');
  }
}
