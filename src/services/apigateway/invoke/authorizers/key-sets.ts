/**
 * The signing keys of token issuers, fetched over HTTP and kept: an OpenID issuer's (HTTP APIs'
 * JWT authorizers: `{issuer}/.well-known/openid-configuration` → `jwks_uri`) and a JWKS at a
 * known address (Cognito user pools' `{pool URL}/.well-known/jwks.json`). `jose` fetches a set
 * when a token first needs it and again when a token names a key id the set lacks.
 */
import { createRemoteJWKSet } from 'jose';

export type KeySet = ReturnType<typeof createRemoteJWKSet>;

export class KeySets {
  private readonly byIssuer = new Map<string, Promise<KeySet>>();
  private readonly byUrl = new Map<string, KeySet>();

  /** The keys an OpenID issuer publishes, found through its discovery document. */
  ofIssuer(issuer: string): Promise<KeySet> {
    let keys = this.byIssuer.get(issuer);
    if (!keys) {
      keys = (async () => {
        const answer = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
          signal: AbortSignal.timeout(5_000),
        });
        if (!answer.ok) throw new Error(`the issuer's discovery document answered ${answer.status}`);
        const { jwks_uri: jwksUri } = (await answer.json()) as { jwks_uri?: string };
        if (!jwksUri) throw new Error('the issuer publishes no jwks_uri');
        return this.at(jwksUri);
      })();
      // A failed discovery is tried again by the next call, not remembered.
      keys.catch(() => this.byIssuer.delete(issuer));
      this.byIssuer.set(issuer, keys);
    }
    return keys;
  }

  /** The keys published at a JWKS URL. */
  at(url: string): KeySet {
    let keys = this.byUrl.get(url);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(url));
      this.byUrl.set(url, keys);
    }
    return keys;
  }

  forget(): void {
    this.byIssuer.clear();
    this.byUrl.clear();
  }
}
