/**
 * Invoking an API destination: the destination's method and endpoint, each `*` in its path
 * replaced by the target's PathParameterValues in turn, the target's and then the connection's
 * headers and query parameters (the connection's win), the connection's authorization, and the
 * target input as the body (the connection's body parameters merged into a JSON object body).
 * A 2xx answer is success; 401, 407, 409, 429 and 5xx are retried (a 401 also drops the OAuth
 * token, so the retry fetches a new one); any other answer goes to the dead-letter queue.
 */
import type { Store } from '../../storage/store.js';
import { parseArn } from '../arn.js';
import { apiDestinationQueries } from './connection-tables.js';
import type { Connections } from './connections.js';
import { DeliveryFailure } from './failures.js';
import { AuthorizationFailure } from './oauth.js';
import type { TargetDelivery } from './outbox.js';

/** EventBridge gives an API destination five seconds to answer. */
export const apiDestinationTimeoutMs = 5_000;
const retriedStatuses = new Set([401, 407, 409, 429]);

export class ApiInvoker {
  constructor(
    private readonly store: Store,
    private readonly connections: Connections,
    private readonly timeoutMs = apiDestinationTimeoutMs,
  ) {}

  async invoke(delivery: TargetDelivery, input: string): Promise<void> {
    const arn = parseArn(delivery.target.Arn!)!;
    const [, name] = arn.resource.split('/');
    const destination = await apiDestinationQueries.get(this.store, arn, name ?? '');
    if (!destination || (arn.resource.split('/').length > 2 && destination.arn !== delivery.target.Arn)) {
      throw new DeliveryFailure(
        'NO_RESOURCE',
        `The API destination ${delivery.target.Arn} does not exist.`,
        false,
      );
    }
    let credentials;
    try {
      credentials = await this.connections.credentials(destination.connection_arn);
    } catch (err) {
      if (err instanceof AuthorizationFailure)
        throw new DeliveryFailure('NO_PERMISSIONS', err.message, false);
      throw err;
    }
    const http = delivery.target.HttpParameters ?? {};
    const values = [...(http.PathParameterValues ?? [])];
    const url = new URL(destination.invocation_endpoint.replace(/\*/g, () => values.shift() ?? '*'));
    for (const [key, value] of Object.entries(http.QueryStringParameters ?? {}))
      url.searchParams.set(key, value);
    for (const [key, value] of credentials.query) url.searchParams.set(key, value);
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Amazon/EventBridge/ApiDestinations',
      range: 'bytes=0-1048575',
      ...lowerCased(http.HeaderParameters ?? {}),
      ...lowerCased(credentials.headers),
      ...(delivery.traceHeader ? { 'x-amzn-trace-id': delivery.traceHeader } : {}),
    };
    const method = destination.http_method;
    const withBody = method !== 'GET' && method !== 'HEAD';
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        ...(withBody ? { body: withBodyParameters(input, credentials.body) } : {}),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await response.arrayBuffer();
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      throw new DeliveryFailure(
        timedOut ? 'TIMEOUT' : 'CONNECTION_FAILURE',
        `${method} ${url.origin}${url.pathname} failed: ${(err as Error).message}`,
        true,
      );
    }
    if (response.status >= 200 && response.status < 300) return;
    if (response.status === 401) await this.connections.forgetToken(destination.connection_arn);
    const retryable = retriedStatuses.has(response.status) || response.status >= 500;
    throw new DeliveryFailure(
      response.status === 429 ? 'THROTTLING' : 'SDK_CLIENT_ERROR',
      `Received a ${response.status} response from the API destination endpoint.`,
      retryable,
    );
  }
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}

function withBodyParameters(input: string, parameters: readonly [string, string][]): string {
  if (parameters.length === 0) return input;
  try {
    const body: unknown = JSON.parse(input);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return input;
    return JSON.stringify({ ...body, ...Object.fromEntries(parameters) });
  } catch {
    return input;
  }
}
