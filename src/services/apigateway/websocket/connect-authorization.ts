/**
 * Authorization of a WebSocket handshake, before `$connect`'s integration runs: the `$connect`
 * route's `AWS_IAM` (a SigV4 signature, handshake-signature.ts) or `CUSTOM` (a Lambda `REQUEST`
 * authorizer, through the Lambda authorizers REST and HTTP APIs use).
 *
 * A Lambda authorizer gets AWS's WebSocket authorizer event: `type: 'REQUEST'`, `methodArn`
 * (`arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/$connect`), the handshake's headers
 * and query string, `stageVariables` and the `$connect` request context. Its identity sources must
 * all be present and non-empty, else the client is refused with `401` without calling it; its
 * answer is cached by their values for `AuthorizerResultTtlInSeconds`. A deny is `403`, a function
 * that fails with `Unauthorized` `401`, a broken authorizer `500`. What it allows with —
 * `principalId` and its `context` — becomes `requestContext.authorizer` of every event of the
 * connection.
 *
 * Difference from AWS: AWS documents the result TTL for HTTP APIs' authorizers only; Stratus
 * honours it for WebSocket APIs' too.
 */
import type { Route } from '@aws-sdk/client-apigatewayv2';
import type { WireRequest } from '../../../protocol/wire.js';
import type { Authenticator } from '../../../server/auth.js';
import type { AuthorizerOutcome, LambdaAuthorizers } from '../invoke/authorizers/lambda-authorizer.js';
import { functionOfUri } from '../invoke/lambda-integration.js';
import { parameterValue, type RequestParts } from '../invoke/parameters.js';
import { connectEvent, type ConnectionFacts, type Handshake, type WebSocketEvent } from './events.js';
import { handshakeSigner } from './handshake-signature.js';
import type { StageTarget } from './stage-target.js';

export interface ConnectAuthorizers {
  lambda: LambdaAuthorizers;
  /** Checks SigV4 signatures as the AWS API does. */
  authenticator: Authenticator;
}

export type ConnectAuthorization =
  | { kind: 'allowed'; facts: Pick<ConnectionFacts, 'authorizer' | 'caller'> }
  | { kind: 'refused'; status: number; message: string; reason?: string };

export interface ConnectAttempt {
  route: Route;
  target: StageTarget;
  facts: ConnectionFacts;
  handshake: Handshake;
  /** The handshake as SigV4 reads it. */
  request: WireRequest;
  /** The `$connect` request's id and time, shared by the authorizer's event and `$connect`'s. */
  occasion: { requestId: string; at: number };
  at: { accountId: string; region: string };
}

const refused = (status: number, message: string, reason?: string): ConnectAuthorization => ({
  kind: 'refused',
  status,
  message,
  ...(reason ? { reason } : {}),
});

export async function authorizeConnect(
  attempt: ConnectAttempt,
  authorizers: ConnectAuthorizers,
): Promise<ConnectAuthorization> {
  const type = attempt.route.AuthorizationType ?? 'NONE';
  if (type === 'AWS_IAM') {
    const caller = await handshakeSigner(authorizers.authenticator, attempt.request);
    return caller ? { kind: 'allowed', facts: { caller } } : refused(403, 'Forbidden');
  }
  if (type !== 'CUSTOM') return { kind: 'allowed', facts: {} };
  const outcome = await runLambdaAuthorizer(attempt, authorizers.lambda);
  switch (outcome.kind) {
    case 'allow':
      return { kind: 'allowed', facts: { authorizer: outcome.context } };
    case 'unauthorized':
      return refused(401, 'Unauthorized');
    case 'forbidden':
      return refused(403, 'Forbidden');
    default:
      return refused(500, 'Internal server error', outcome.reason);
  }
}

async function runLambdaAuthorizer(
  attempt: ConnectAttempt,
  lambda: LambdaAuthorizers,
): Promise<AuthorizerOutcome> {
  const { route, target, facts } = attempt;
  const authorizer = target.authorizers.get(route.AuthorizerId ?? '');
  if (!authorizer)
    return { kind: 'error', reason: 'the $connect route names no authorizer of the deployment' };
  const functionName = functionOfUri(authorizer.AuthorizerUri ?? '', target.stageVariables);
  if (!functionName) return { kind: 'error', reason: 'the authorizer names no function' };
  const connect = connectEvent(facts, attempt.handshake, attempt.occasion);
  const values = (authorizer.IdentitySource ?? []).map((source) =>
    identityValue(source, connect, target.stageVariables),
  );
  const identity = values.every((v) => v !== undefined && v !== '') ? (values as string[]) : undefined;
  const methodArn = `arn:aws:execute-api:${attempt.at.region}:${attempt.at.accountId}:${facts.apiId}/${facts.stage}/$connect`;
  const { isBase64Encoded: _unused, ...request } = connect;
  return lambda.authorize({
    functionName,
    event: { type: 'REQUEST', methodArn, ...request, stageVariables: target.stageVariables },
    identity,
    cacheKey: [facts.apiId, facts.stage, authorizer.AuthorizerId, ...(identity ?? [])].join('\u0001'),
    // Without identity sources every client would share one cached answer: nothing is cached.
    ttlSeconds: values.length > 0 ? (authorizer.AuthorizerResultTtlInSeconds ?? 0) : 0,
    methodArn,
    simpleResponses: false,
    at: attempt.at,
  });
}

/** `route.request.header.X`, `route.request.querystring.X`, `stageVariables.X`, `context.X`. */
function identityValue(
  source: string,
  connect: WebSocketEvent,
  stageVariables: Record<string, string>,
): string | undefined {
  const lower = (record: Record<string, string> = {}) =>
    Object.fromEntries(Object.entries(record).map(([name, value]) => [name.toLowerCase(), value]));
  const request: RequestParts = {
    path: {},
    querystring: connect.queryStringParameters ?? {},
    header: lower(connect.headers),
    multivaluequerystring: connect.multiValueQueryStringParameters ?? {},
    multivalueheader: Object.fromEntries(
      Object.entries(connect.multiValueHeaders ?? {}).map(([name, values]) => [name.toLowerCase(), values]),
    ),
    body: '',
  };
  return parameterValue(source.replace(/^route\.request\./, 'method.request.'), {
    request,
    stageVariables,
    context: connect.requestContext as unknown as Record<string, unknown>,
  });
}
