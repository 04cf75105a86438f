/**
 * HTTP APIs' JWT authorizers: the bearer token of the identity source, its signature checked with
 * the issuer's published keys (`{issuer}/.well-known/openid-configuration` → `jwks_uri`, fetched
 * once and refreshed by `jose` when an unknown key id appears), then `iss`, `exp`/`nbf`, the
 * audience (`aud`, or `client_id` as Cognito's access tokens carry it) and the route's scopes.
 */
import { jwtVerify, type JWTPayload } from 'jose';
import type { KeySets } from './key-sets.js';
import type { AuthorizerOutcome } from './lambda-authorizer.js';

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
  constructor(private readonly keys: KeySets) {}

  async authorize(check: JwtCheck): Promise<AuthorizerOutcome> {
    if (!check.token) return { kind: 'unauthorized' };
    let claims: JWTPayload;
    try {
      const keys = await this.keys.ofIssuer(check.issuer);
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
}
