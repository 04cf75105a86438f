/**
 * API Gateway's gateway response types and what each answers until an API customizes it: its
 * default status code and the template `{"message":$context.error.messageString}`. A type the API
 * has not customized takes what the API set on `DEFAULT_4XX` or `DEFAULT_5XX` (by its status
 * class): their status code replaces its own when set, their parameters and templates stand in
 * for its. The management API lists these (GetGatewayResponses) and the invoke path serves them.
 */
import type { GatewayResponse, GatewayResponseType } from '@aws-sdk/client-api-gateway';

/** Every type, with its default status code; the two fallbacks have none. */
export const GATEWAY_RESPONSE_STATUS: Readonly<Record<GatewayResponseType, string | undefined>> = {
  DEFAULT_4XX: undefined,
  DEFAULT_5XX: undefined,
  RESOURCE_NOT_FOUND: '404',
  UNAUTHORIZED: '401',
  INVALID_API_KEY: '403',
  ACCESS_DENIED: '403',
  AUTHORIZER_FAILURE: '500',
  AUTHORIZER_CONFIGURATION_ERROR: '500',
  INVALID_SIGNATURE: '403',
  EXPIRED_TOKEN: '403',
  MISSING_AUTHENTICATION_TOKEN: '403',
  INTEGRATION_FAILURE: '504',
  INTEGRATION_TIMEOUT: '504',
  API_CONFIGURATION_ERROR: '500',
  UNSUPPORTED_MEDIA_TYPE: '415',
  BAD_REQUEST_PARAMETERS: '400',
  BAD_REQUEST_BODY: '400',
  REQUEST_TOO_LARGE: '413',
  THROTTLED: '429',
  QUOTA_EXCEEDED: '429',
  WAF_FILTERED: '403',
};

export const GATEWAY_RESPONSE_TYPES = Object.keys(GATEWAY_RESPONSE_STATUS) as GatewayResponseType[];

export const DEFAULT_GATEWAY_TEMPLATES: Readonly<Record<string, string>> = {
  'application/json': '{"message":$context.error.messageString}',
};

/** The fallback a type defers to: by its own status class, or a fallback is its own. */
export function fallbackOf(type: GatewayResponseType, status?: number): 'DEFAULT_4XX' | 'DEFAULT_5XX' {
  if (type === 'DEFAULT_4XX' || type === 'DEFAULT_5XX') return type;
  const code = status ?? Number(GATEWAY_RESPONSE_STATUS[type]);
  return code >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
}

const nonEmpty = (map: Record<string, string> | undefined) =>
  map && Object.keys(map).length > 0 ? map : undefined;

/** A type as an API without customizations has it. */
export function defaultGatewayResponse(type: GatewayResponseType): GatewayResponse {
  const statusCode = GATEWAY_RESPONSE_STATUS[type];
  return {
    responseType: type,
    ...(statusCode ? { statusCode } : {}),
    responseParameters: {},
    responseTemplates: { ...DEFAULT_GATEWAY_TEMPLATES },
    defaultResponse: true,
  };
}

/** What a type answers on an API with these customized responses (by type). */
export function effectiveGatewayResponse(
  type: GatewayResponseType,
  customized: ReadonlyMap<string, GatewayResponse>,
): GatewayResponse {
  const own = customized.get(type);
  if (own) return own;
  const fallback = customized.get(fallbackOf(type));
  const base = defaultGatewayResponse(type);
  if (!fallback) return base;
  return {
    ...base,
    ...(fallback.statusCode ? { statusCode: fallback.statusCode } : {}),
    responseParameters: { ...fallback.responseParameters },
    responseTemplates: nonEmpty(fallback.responseTemplates) ?? base.responseTemplates!,
  };
}

/** Customized responses by type, from the list an API's document keeps. */
export function byType(responses: readonly GatewayResponse[] | undefined): Map<string, GatewayResponse> {
  return new Map((responses ?? []).map((response) => [response.responseType!, response]));
}
