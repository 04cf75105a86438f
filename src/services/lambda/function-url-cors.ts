/**
 * A function URL's CORS settings at work. With `Cors` configured, Lambda answers a browser's
 * preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) itself, without
 * invoking the function, and adds the CORS headers to the function's responses, replacing the
 * function's own where they conflict. Without `Cors`, both reach the function untouched.
 *
 * An origin is allowed when `AllowOrigins` lists it or `*`; a method when `AllowMethods` lists it
 * or `*`. A request from an origin (or for a method) that is not allowed gets no CORS headers,
 * which is how a browser learns it may not go on. Pure: settings and request headers in,
 * headers out.
 */
import type * as Lambda from '@aws-sdk/client-lambda';

type Headers = Readonly<Record<string, string | undefined>>;

/** Whether a request is a preflight this URL answers itself. */
export function isPreflight(cors: Lambda.Cors | undefined, method: string, headers: Headers): boolean {
  return (
    cors !== undefined &&
    method.toUpperCase() === 'OPTIONS' &&
    headers['origin'] !== undefined &&
    headers['access-control-request-method'] !== undefined
  );
}

/** The headers of the answer to a preflight (status 200, no body). */
export function preflightHeaders(cors: Lambda.Cors, headers: Headers): Record<string, string> {
  const origin = allowedOrigin(cors, headers['origin']);
  const method = headers['access-control-request-method'] ?? '';
  if (origin === undefined || !allows(cors.AllowMethods, method)) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    ...(cors.AllowCredentials ? { 'Access-Control-Allow-Credentials': 'true' } : {}),
    ...(cors.AllowMethods?.length ? { 'Access-Control-Allow-Methods': cors.AllowMethods.join(',') } : {}),
    ...(cors.AllowHeaders?.length ? { 'Access-Control-Allow-Headers': cors.AllowHeaders.join(',') } : {}),
    ...(cors.ExposeHeaders?.length ? { 'Access-Control-Expose-Headers': cors.ExposeHeaders.join(',') } : {}),
    ...(cors.MaxAge !== undefined ? { 'Access-Control-Max-Age': String(cors.MaxAge) } : {}),
  };
}

/** The CORS headers a response to an allowed origin carries; none without `Cors` or an origin. */
export function responseCorsHeaders(cors: Lambda.Cors | undefined, headers: Headers): Record<string, string> {
  if (!cors) return {};
  const origin = allowedOrigin(cors, headers['origin']);
  if (origin === undefined) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    ...(cors.AllowCredentials ? { 'Access-Control-Allow-Credentials': 'true' } : {}),
    ...(cors.ExposeHeaders?.length ? { 'Access-Control-Expose-Headers': cors.ExposeHeaders.join(',') } : {}),
  };
}

/**
 * What `Access-Control-Allow-Origin` says to this origin: `*` when any origin may call and no
 * credentials are allowed (a browser refuses `*` with credentials), else the origin itself.
 */
function allowedOrigin(cors: Lambda.Cors, origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  const origins = cors.AllowOrigins ?? [];
  if (origins.includes('*')) return cors.AllowCredentials ? origin : '*';
  return origins.some((allowed) => allowed.toLowerCase() === origin.toLowerCase()) ? origin : undefined;
}

function allows(list: readonly string[] | undefined, method: string): boolean {
  return (list ?? []).some((entry) => entry === '*' || entry.toUpperCase() === method.toUpperCase());
}
