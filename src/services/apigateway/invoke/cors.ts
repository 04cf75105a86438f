/**
 * An HTTP API's CORS configuration at work: API Gateway answers preflight requests itself and
 * sets the CORS headers on every answer to an allowed origin, in place of any the integration
 * sent. A disallowed origin gets no CORS headers, so the browser refuses the answer.
 */
import type { Cors } from '@aws-sdk/client-apigatewayv2';

function originAllowed(cors: Cors, origin: string): string | undefined {
  const allowed = cors.AllowOrigins ?? [];
  if (allowed.includes('*')) return cors.AllowCredentials ? origin : '*';
  return allowed.some((candidate) => candidate.toLowerCase() === origin.toLowerCase()) ? origin : undefined;
}

/** Whether the request is a CORS preflight this configuration answers. */
export function isPreflight(method: string, headers: Record<string, string>): boolean {
  return (
    method === 'OPTIONS' &&
    headers['origin'] !== undefined &&
    headers['access-control-request-method'] !== undefined
  );
}

/** The headers of API Gateway's own answer to a preflight request. */
export function preflightHeaders(cors: Cors, headers: Record<string, string>): Record<string, string> {
  const origin = originAllowed(cors, headers['origin']!);
  if (!origin) return {};
  const requested = headers['access-control-request-method']!.toUpperCase();
  const methods = cors.AllowMethods ?? [];
  if (!methods.includes('*') && !methods.map((m) => m.toUpperCase()).includes(requested)) return {};
  const answer: Record<string, string> = {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': methods.includes('*') ? requested : methods.join(','),
  };
  const allowHeaders = cors.AllowHeaders ?? [];
  const requestedHeaders = headers['access-control-request-headers'];
  if (allowHeaders.includes('*') && requestedHeaders)
    answer['access-control-allow-headers'] = requestedHeaders;
  else if (allowHeaders.length > 0) answer['access-control-allow-headers'] = allowHeaders.join(',');
  if (cors.MaxAge !== undefined) answer['access-control-max-age'] = String(cors.MaxAge);
  if (cors.AllowCredentials) answer['access-control-allow-credentials'] = 'true';
  if (origin !== '*') answer['vary'] = 'Origin';
  return answer;
}

/** The CORS headers of an answer to a request from `origin` (none for a disallowed one). */
export function responseHeaders(cors: Cors, origin: string | undefined): Record<string, string> {
  if (origin === undefined) return {};
  const allowed = originAllowed(cors, origin);
  if (!allowed) return {};
  return {
    'access-control-allow-origin': allowed,
    ...(cors.ExposeHeaders?.length ? { 'access-control-expose-headers': cors.ExposeHeaders.join(',') } : {}),
    ...(cors.AllowCredentials ? { 'access-control-allow-credentials': 'true' } : {}),
    ...(allowed !== '*' ? { vary: 'Origin' } : {}),
  };
}

/** Whether a header name is one CORS configuration takes over from the integration's answer. */
export function isCorsHeader(name: string): boolean {
  return name.toLowerCase().startsWith('access-control-');
}
