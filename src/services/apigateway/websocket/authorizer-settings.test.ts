import type { Authorizer } from '@aws-sdk/client-apigatewayv2';
import { describe, expect, it } from 'vitest';
import { checkWebSocketAuthorizer, checkWebSocketRoute } from './authorizer-settings.js';

const lambda =
  'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:auth/invocations';

describe('checkWebSocketAuthorizer', () => {
  it('accepts a REQUEST authorizer with identity sources of every kind', () => {
    expect(() =>
      checkWebSocketAuthorizer({
        Name: 'a',
        AuthorizerType: 'REQUEST',
        AuthorizerUri: lambda,
        IdentitySource: [
          'route.request.header.Auth',
          'route.request.querystring.token',
          'stageVariables.v',
          'context.routeKey',
        ],
        AuthorizerResultTtlInSeconds: 300,
      }),
    ).not.toThrow();
  });

  it.each<[string, Partial<Authorizer>, RegExp]>([
    ['a JWT authorizer', { AuthorizerType: 'JWT' }, /only REQUEST authorizers/],
    ['no URI', { AuthorizerUri: undefined }, /AuthorizerUri is required/],
    ['an HTTP API identity source', { IdentitySource: ['$request.header.Auth'] }, /Invalid identity source/],
    ['a TTL over an hour', { AuthorizerResultTtlInSeconds: 3601 }, /between 0 and 3600/],
  ])('refuses %s', (_name, change, message) => {
    expect(() =>
      checkWebSocketAuthorizer({ Name: 'a', AuthorizerType: 'REQUEST', AuthorizerUri: lambda, ...change }),
    ).toThrow(message);
  });
});

describe('checkWebSocketRoute', () => {
  it('allows authorization on $connect only', () => {
    expect(() => checkWebSocketRoute({ RouteKey: '$connect', AuthorizationType: 'AWS_IAM' })).not.toThrow();
    expect(() => checkWebSocketRoute({ RouteKey: 'send', AuthorizationType: 'NONE' })).not.toThrow();
    expect(() =>
      checkWebSocketRoute({ RouteKey: 'send', AuthorizationType: 'CUSTOM', AuthorizerId: 'x' }),
    ).toThrow('Currently, authorization is restricted to the $connect route only');
  });

  it('refuses JWT, and CUSTOM without an authorizer', () => {
    expect(() => checkWebSocketRoute({ RouteKey: '$connect', AuthorizationType: 'JWT' })).toThrow(
      /Unsupported/,
    );
    expect(() => checkWebSocketRoute({ RouteKey: '$connect', AuthorizationType: 'CUSTOM' })).toThrow(
      /AuthorizerId/,
    );
  });
});
