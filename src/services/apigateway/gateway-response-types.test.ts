import { describe, expect, it } from 'vitest';
import {
  byType,
  defaultGatewayResponse,
  effectiveGatewayResponse,
  fallbackOf,
  GATEWAY_RESPONSE_TYPES,
} from './gateway-response-types.js';

describe('gateway response types', () => {
  it('lists the 21 types AWS has, the fallbacks without a status code', () => {
    expect(GATEWAY_RESPONSE_TYPES).toHaveLength(21);
    expect(defaultGatewayResponse('DEFAULT_4XX')).toEqual({
      responseType: 'DEFAULT_4XX',
      responseParameters: {},
      responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
      defaultResponse: true,
    });
    expect(defaultGatewayResponse('THROTTLED').statusCode).toBe('429');
    expect(defaultGatewayResponse('INTEGRATION_TIMEOUT').statusCode).toBe('504');
  });

  it('defers a type to DEFAULT_4XX or DEFAULT_5XX by its status class', () => {
    expect(fallbackOf('MISSING_AUTHENTICATION_TOKEN')).toBe('DEFAULT_4XX');
    expect(fallbackOf('AUTHORIZER_CONFIGURATION_ERROR')).toBe('DEFAULT_5XX');
    expect(fallbackOf('DEFAULT_5XX', 502)).toBe('DEFAULT_5XX');
  });

  it("answers a type not customized with its fallback's customization", () => {
    const customized = byType([
      {
        responseType: 'DEFAULT_4XX',
        statusCode: '418',
        responseParameters: { 'gatewayresponse.header.X-Cors': "'*'" },
        responseTemplates: {},
      },
      { responseType: 'THROTTLED', statusCode: '503', defaultResponse: false },
    ]);
    expect(effectiveGatewayResponse('BAD_REQUEST_BODY', customized)).toEqual({
      responseType: 'BAD_REQUEST_BODY',
      statusCode: '418',
      responseParameters: { 'gatewayresponse.header.X-Cors': "'*'" },
      responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
      defaultResponse: true,
    });
    expect(effectiveGatewayResponse('THROTTLED', customized)).toMatchObject({ statusCode: '503' });
    expect(effectiveGatewayResponse('INTEGRATION_TIMEOUT', customized)).toEqual(
      defaultGatewayResponse('INTEGRATION_TIMEOUT'),
    );
  });
});
