/**
 * HTTP APIs' JWT authorizers: the bearer token of the identity source, its signature checked with
 * the issuer's published keys (`{issuer}/.well-known/openid-configuration` → `jwks_uri`, fetched
 * once and refreshed by `jose` when an unknown key id appears), then `iss`, `exp`/`nbf`, the
 * audience (`aud`, or `client_id` as Cognito's access tokens carry it) and the route's scopes.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { AuthorizerOutcome } from './lambda-authorizer.js';

type KeySet = ReturnType<typeof createRemoteJWKSet>;

export interface JwtCheck {
  token: string | undefined;
  issuer: string;
  audiences: readonly string[];
  /** The route's authorization scopes: the token must carry one of them (none: any token). */
  scopes: readonly string[];
}

function bearer(token: string): string {
  return token.replace(/^Bearer\s+/i, '');
}

function scopesOf(claims: JWTPayload): string[] {
  const scope = claims['scope'] ?? claims['scp'];
  if (Array.isArray(scope)) return scope.map(String);
  return typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
}

export class JwtAuthorizers {
  private readonly keySets = new Map<string, Promise<KeySet>>();

  async authorize(check: JwtCheck): Promise<AuthorizerOutcome> {
    if (!check.token) return { kind: 'unauthorized' };
    let claims: JWTPayload;
    try {
      const keys = await this.keysOf(check.issuer);
      claims = (await jwtVerify(bearer(check.token), keys, { issuer: check.issuer })).payload;
    } catch {
      return { kind: 'unauthorized' };
    }
    const audiences = [claims.aud, claims['client_id']]
      .flat()
      .filter((a): a is string => typeof a === 'string');
    if (!audiences.some((audience) => check.audiences.includes(audience))) return { kind: 'unauthorized' };
    const scopes = scopesOf(claims);
    if (check.scopes.length > 0 && !check.scopes.some((scope) => scopes.includes(scope))) {
      return { kind: 'forbidden', explicit: false };
    }
    const flat = Object.fromEntries(
      Object.entries(claims).map(([name, value]) => [
        name,
        typeof value === 'string' ? value : JSON.stringify(value),
      ]),
    );
    return { kind: 'allow', context: { jwt: { claims: flat, scopes: scopes.length > 0 ? scopes : null } } };
  }

  private keysOf(issuer: string): Promise<KeySet> {
    let keys = this.keySets.get(issuer);
    if (!keys) {
      keys = (async () => {
        const answer = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
          signal: AbortSignal.timeout(5_000),
        });
        if (!answer.ok) throw new Error(`the issuer's discovery document answered ${answer.status}`);
        const { jwks_uri: jwksUri } = (await answer.json()) as { jwks_uri?: string };
        if (!jwksUri) throw new Error('the issuer publishes no jwks_uri');
        return createRemoteJWKSet(new URL(jwksUri));
      })();
      // A failed discovery is tried again by the next call, not remembered.
      keys.catch(() => this.keySets.delete(issuer));
      this.keySets.set(issuer, keys);
    }
    return keys;
  }

  forget(): void {
    this.keySets.clear();
  }
}
