import { describe, expect, it } from 'vitest';
import { gatewayErrorOf } from './access-log.js';
import { forbidden, internalServerError, missingAuthenticationToken } from './gateway-responses.js';
import { restRefusal } from './authorizers/authorize.js';

describe("API Gateway's own errors in access logs", () => {
  it('tells the message and the gateway response type of its answers', () => {
    expect(gatewayErrorOf('REST', missingAuthenticationToken('r'), false)).toEqual({
      message: 'Missing Authentication Token',
      responseType: 'MISSING_AUTHENTICATION_TOKEN',
    });
    expect(gatewayErrorOf('REST', restRefusal({ kind: 'forbidden', explicit: true }, 'r'), false)).toEqual({
      message: 'User is not authorized to access this resource with an explicit deny',
      responseType: 'ACCESS_DENIED',
    });
    expect(gatewayErrorOf('REST', forbidden('r'), false)?.responseType).toBe('INVALID_API_KEY');
    expect(gatewayErrorOf('HTTP', forbidden('r'), false)?.responseType).toBe('ACCESS_DENIED');
  });

  it("tells an integration's failure from API Gateway's own 5xx", () => {
    expect(gatewayErrorOf('REST', internalServerError('r', 502), true)?.responseType).toBe(
      'INTEGRATION_FAILURE',
    );
    expect(gatewayErrorOf('REST', internalServerError('r'), false)?.responseType).toBe('DEFAULT_5XX');
  });

  it("is none for the integration's own answers, errors included", () => {
    expect(
      gatewayErrorOf('REST', { status: 500, headers: {}, body: '{"message":"mine"}' }, true),
    ).toBeUndefined();
    const serviceError = {
      status: 400,
      headers: { 'x-amzn-errortype': 'AWS.SimpleQueueService.NonExistentQueue' },
      body: '{}',
    };
    expect(gatewayErrorOf('HTTP', serviceError, true)).toBeUndefined();
  });
});
