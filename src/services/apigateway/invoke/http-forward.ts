/**
 * Calling an HTTP integration's endpoint: the request as the integration built it, within its
 * timeout. What comes back is the endpoint's answer, or why none came.
 */

export interface ForwardedRequest {
  url: string;
  method: string;
  headers: readonly (readonly [string, string])[];
  body: Buffer;
  timeoutMs: number;
}

export type ForwardOutcome =
  | { kind: 'answer'; status: number; headers: [string, string][]; body: Buffer }
  | { kind: 'timed-out' }
  | { kind: 'failed'; error: unknown };

/** Headers about the connection to API Gateway, not for the endpoint (nor back from it). */
const hopByHop = /^(host|connection|keep-alive|transfer-encoding|content-length|content-encoding|upgrade)$/i;

export async function forwardHttp(request: ForwardedRequest): Promise<ForwardOutcome> {
  const headers = new Headers();
  for (const [name, value] of request.headers) if (!hopByHop.test(name)) headers.append(name, value);
  const bodyless = ['GET', 'HEAD'].includes(request.method) || request.body.length === 0;
  try {
    const answer = await fetch(request.url, {
      method: request.method,
      headers,
      body: bodyless ? undefined : request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
      redirect: 'manual',
    });
    const pairs: [string, string][] = [];
    answer.headers.forEach((value, name) => {
      if (!hopByHop.test(name)) pairs.push([name, value]);
    });
    return {
      kind: 'answer',
      status: answer.status,
      headers: pairs,
      body: Buffer.from(await answer.arrayBuffer()),
    };
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') return { kind: 'timed-out' };
    return { kind: 'failed', error };
  }
}

/** The integration URI with `{name}` and `{name+}` filled in from `parameters` (segments encoded). */
export function fillPath(uri: string, parameters: Record<string, string>): string {
  return uri.replace(/\{([^}]+?)\+?\}/g, (_, name: string) =>
    (parameters[name] ?? '').split('/').map(encodeURIComponent).join('/'),
  );
}

/** `url` with `query` (already encoded, without `?`) appended. */
export function withQuery(url: string, query: string): string {
  if (!query) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}
