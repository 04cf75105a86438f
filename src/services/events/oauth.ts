/**
 * OAuth client credentials, as a connection of type OAUTH_CLIENT_CREDENTIALS gets its token: a
 * request to the connection's AuthorizationEndpoint with its HTTP method, the client id and secret
 * as HTTP basic credentials, `grant_type=client_credentials` and the connection's own OAuth
 * header, query and body parameters; the answer's `access_token` (and `expires_in`) is kept.
 */
import type * as EventBridge from '@aws-sdk/client-eventbridge';

export interface Token {
  accessToken: string;
  /** When it stops being good (ms since the epoch), if the endpoint said. */
  expiresAt: number | undefined;
}

export class AuthorizationFailure extends Error {}

export async function fetchToken(
  oauth: EventBridge.CreateConnectionOAuthRequestParameters,
  now: number,
  timeoutMs: number,
): Promise<Token> {
  const { ClientID = '', ClientSecret = '' } = oauth.ClientParameters ?? {};
  const http = oauth.OAuthHttpParameters ?? {};
  const url = new URL(oauth.AuthorizationEndpoint!);
  for (const p of http.QueryStringParameters ?? []) url.searchParams.append(p.Key!, p.Value ?? '');
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  for (const p of http.BodyParameters ?? []) form.set(p.Key!, p.Value ?? '');
  const method = oauth.HttpMethod ?? 'POST';
  const headers: Record<string, string> = {
    authorization: `Basic ${Buffer.from(`${ClientID}:${ClientSecret}`).toString('base64')}`,
    accept: 'application/json',
  };
  for (const p of http.HeaderParameters ?? []) headers[p.Key!.toLowerCase()] = p.Value ?? '';
  if (method === 'GET') for (const [key, value] of form) url.searchParams.set(key, value);
  else headers['content-type'] = 'application/x-www-form-urlencoded';
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      ...(method === 'GET' ? {} : { body: form.toString() }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new AuthorizationFailure(`Could not reach ${url.origin}: ${(err as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) {
    throw new AuthorizationFailure(`The authorization endpoint answered ${response.status}.`);
  }
  let body: { access_token?: unknown; expires_in?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new AuthorizationFailure('The authorization endpoint did not answer with JSON.');
  }
  if (typeof body.access_token !== 'string' || body.access_token === '') {
    throw new AuthorizationFailure('The authorization endpoint did not answer with an access_token.');
  }
  const expiresIn = Number(body.expires_in);
  return {
    accessToken: body.access_token,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? now + expiresIn * 1000 : undefined,
  };
}
