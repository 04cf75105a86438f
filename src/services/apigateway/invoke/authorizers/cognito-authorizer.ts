/**
 * REST APIs' Cognito user pool authorizers (`COGNITO_USER_POOLS`). The token in the identity
 * header (with or without `Bearer `) must be signed with a key of one of the authorizer's pools
 * (`providerARNs`, `arn:aws:cognito-idp:{region}:{account}:userpool/{poolId}`), issued by it
 * (`iss` is `https://cognito-idp.{region}.amazonaws.com/{poolId}`) and not expired. A method
 * without `authorizationScopes` takes an ID token (`token_use: id`), whose `aud` must match the
 * authorizer's `identityValidationExpression` when it has one; a method with scopes takes an
 * access token carrying one of them. Anything else is `401 Unauthorized` (an expired token's
 * message is `The incoming token has expired`); keys that cannot be fetched make the authorizer
 * fail (500). The claims reach the integration as
 * `requestContext.authorizer.claims`, every value a string as API Gateway passes them.
 *
 * Stratus serves no Cognito. A pool's keys are fetched from
 * `{cognitoUrl}/{poolId}/.well-known/jwks.json`, `cognitoUrl` being Cognito's own
 * `https://cognito-idp.{region}.amazonaws.com` unless `--cognito-url` names another (a local
 * Cognito emulator, a test's server); tokens issued under that URL are accepted too.
 */
import { decodeJwt, errors, jwtVerify, type JWTPayload } from 'jose';
import { parseArn } from '../../../arn.js';
import type { KeySets } from './key-sets.js';
import type { AuthorizerOutcome } from './lambda-authorizer.js';

export interface CognitoCheck {
  /** The identity header's value; undefined when the request lacks it. */
  token: string | undefined;
  providerArns: readonly string[];
  /** The method's `authorizationScopes`: none means an ID token is wanted. */
  scopes: readonly string[];
  /** The authorizer's `identityValidationExpression`, matched against the ID token's `aud`. */
  audiencePattern: string | undefined;
}

interface Pool {
  id: string;
  /** The issuers its tokens may carry. */
  issuers: string[];
  jwksUrl: string;
}

const unauthorized: AuthorizerOutcome = { kind: 'unauthorized' };

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `Thu Dec 06 17:08:23 UTC 2018`: how API Gateway writes a token's `exp` and `iat` for the integration. */
export function claimDate(seconds: number): string {
  const d = new Date(seconds * 1000);
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${weekdays[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${two(d.getUTCDate())} ${time} UTC ${d.getUTCFullYear()}`;
}

/** The claims as the integration sees them: strings, lists joined with commas, times as dates. */
export function claimStrings(claims: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(claims).map(([name, value]) => {
      if ((name === 'exp' || name === 'iat') && typeof value === 'number') return [name, claimDate(value)];
      if (typeof value === 'string') return [name, value];
      if (Array.isArray(value)) return [name, value.map(String).join(',')];
      return [name, typeof value === 'object' ? JSON.stringify(value) : String(value)];
    }),
  );
}

/** Whether verifying failed for want of the pool's keys (no answer, not a JWKS), not for the token. */
function unreachable(error: unknown): boolean {
  if (!(error instanceof errors.JOSEError)) return true;
  return (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    error.code === errors.JOSEError.code
  );
}

function scopesOf(claims: JWTPayload): string[] {
  return typeof claims['scope'] === 'string' ? claims['scope'].split(' ').filter(Boolean) : [];
}

export class CognitoAuthorizers {
  /** `cognitoUrl`: where pools' keys are fetched instead of Cognito's regional endpoint. */
  constructor(
    private readonly keys: KeySets,
    private readonly cognitoUrl: string | undefined,
  ) {}

  async authorize(check: CognitoCheck): Promise<AuthorizerOutcome> {
    const token = check.token?.replace(/^Bearer\s+/i, '');
    if (!token) return unauthorized;
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      return unauthorized;
    }
    const pool = check.providerArns
      .map((arn) => this.poolOf(arn))
      .find((p) => p !== undefined && typeof issuer === 'string' && p.issuers.includes(issuer));
    if (!pool) return unauthorized;
    let claims: JWTPayload;
    try {
      claims = (await jwtVerify(token, this.keys.at(pool.jwksUrl), { issuer: pool.issuers })).payload;
    } catch (error) {
      if (error instanceof errors.JWTExpired)
        return { kind: 'unauthorized', message: 'The incoming token has expired' };
      if (!unreachable(error)) return unauthorized;
      // Not the token's fault: a broken authorizer (500), logged with where the keys were looked for.
      const cause = error instanceof Error ? error.message : String(error);
      return {
        kind: 'error',
        reason: `the keys of user pool ${pool.id} could not be fetched from ${pool.jwksUrl} (${cause}); --cognito-url names where else to fetch them`,
      };
    }
    if (!this.accepts(claims, check)) return unauthorized;
    return { kind: 'allow', context: { claims: claimStrings(claims) } };
  }

  /** The token's use and what it carries, by what the method asks for. */
  private accepts(claims: JWTPayload, check: CognitoCheck): boolean {
    if (check.scopes.length > 0) {
      const scopes = scopesOf(claims);
      return claims['token_use'] === 'access' && check.scopes.some((scope) => scopes.includes(scope));
    }
    if (claims['token_use'] !== 'id') return false;
    if (!check.audiencePattern) return true;
    let pattern: RegExp;
    try {
      pattern = new RegExp(`^(?:${check.audiencePattern})$`);
    } catch {
      return false;
    }
    return [claims.aud].flat().some((audience) => typeof audience === 'string' && pattern.test(audience));
  }

  private poolOf(providerArn: string): Pool | undefined {
    const arn = parseArn(providerArn);
    const id = arn?.resource.startsWith('userpool/') ? arn.resource.slice('userpool/'.length) : undefined;
    if (!arn || arn.service !== 'cognito-idp' || !id) return undefined;
    const cognito = `https://cognito-idp.${arn.region}.amazonaws.com`;
    const base = this.cognitoUrl?.replace(/\/+$/, '') ?? cognito;
    return {
      id,
      issuers: [...new Set([`${cognito}/${id}`, `${base}/${id}`])],
      jwksUrl: `${base}/${id}/.well-known/jwks.json`,
    };
  }
}
