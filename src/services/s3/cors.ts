/**
 * A bucket's CORS rules as browsers meet them: the first rule whose origins, methods and headers
 * admit a request decides, on a preflight (`OPTIONS` with `Access-Control-Request-Method`) and on
 * the answer to the request itself. An origin or header pattern may hold one `*`.
 */
import type * as S3 from '@aws-sdk/client-s3';

function wildcard(pattern: string, value: string, caseless: boolean): boolean {
  const [p, v] = caseless ? [pattern.toLowerCase(), value.toLowerCase()] : [pattern, value];
  const star = p.indexOf('*');
  if (star === -1) return p === v;
  const [head, tail] = [p.slice(0, star), p.slice(star + 1)];
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

/** The rule that admits `origin` calling with `method` and sending `headers`, if one does. */
export function matchCorsRule(
  rules: readonly S3.CORSRule[],
  origin: string,
  method: string,
  headers: readonly string[] = [],
): S3.CORSRule | undefined {
  return rules.find(
    (rule) =>
      (rule.AllowedOrigins ?? []).some((allowed) => wildcard(allowed, origin, false)) &&
      (rule.AllowedMethods ?? []).includes(method) &&
      headers.every((header) =>
        (rule.AllowedHeaders ?? []).some((allowed) => wildcard(allowed, header, true)),
      ),
  );
}

/** What S3 answers a request `rule` admitted: on a preflight, what it may send, too. */
export function corsHeaders(
  rule: S3.CORSRule,
  origin: string,
  preflight?: { headers: readonly string[] },
): Record<string, string> {
  const anyOrigin = (rule.AllowedOrigins ?? []).includes('*');
  const headers: Record<string, string> = {
    'access-control-allow-origin': anyOrigin ? '*' : origin,
    'access-control-allow-methods': (rule.AllowedMethods ?? []).join(', '),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
  if (!anyOrigin) headers['access-control-allow-credentials'] = 'true';
  if (rule.ExposeHeaders?.length) headers['access-control-expose-headers'] = rule.ExposeHeaders.join(', ');
  if (preflight) {
    if (preflight.headers.length > 0) headers['access-control-allow-headers'] = preflight.headers.join(', ');
    if (rule.MaxAgeSeconds !== undefined) headers['access-control-max-age'] = String(rule.MaxAgeSeconds);
  }
  return headers;
}

/** `Access-Control-Request-Headers: a, B` as lower-case names. */
export function requestedHeaders(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
}
