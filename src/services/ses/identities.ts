/**
 * Verified identities: email addresses and domains an account may send from. Stratus has no mail
 * loop or DNS to check, so an identity is verified the moment it is created.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../engine/clock.js';
import type { Store } from '../../storage/store.js';
import {
  domainIdentityKey,
  emailIdentityKey,
  identitiesCovering,
  isDomainIdentity,
  type Mailbox,
} from './addresses.js';
import { identityQueries, type IdentityRow, type IdentityType, type Region } from './tables.js';

/** The key an identity is stored under (see addresses.ts for the case rules). */
export function identityKey(identity: string): string {
  if (isDomainIdentity(identity)) return domainIdentityKey(identity);
  const at = identity.lastIndexOf('@');
  return emailIdentityKey(identity.slice(0, at), identity.slice(at + 1));
}

/** A TXT record value as SES hands out for `_amazonses.<domain>`: 32 random bytes, base64. */
function verificationToken(): string {
  return randomBytes(32).toString('base64');
}

/**
 * A domain's three Easy DKIM CNAME tokens (`<token>._domainkey.<domain>`), derived from its
 * verification token so that every call, through v1 or v2, names the same three.
 */
export function dkimTokens(row: Pick<IdentityRow, 'verification_token'>): string[] {
  const seed = Buffer.from(row.verification_token ?? '', 'base64');
  return [0, 1, 2].map((i) =>
    seed
      .subarray(i * 8, i * 8 + 16)
      .toString('hex')
      .padEnd(32, '0'),
  );
}

export class Identities {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Creates the identity if new; re-verifying an existing one changes nothing. */
  async verify(at: Region, identity: string): Promise<{ row: IdentityRow; created: boolean }> {
    const type: IdentityType = isDomainIdentity(identity) ? 'Domain' : 'EmailAddress';
    const key = identityKey(identity);
    const candidate: IdentityRow = {
      identity_key: key,
      identity: type === 'Domain' ? key : identity,
      identity_type: type,
      verification_token: type === 'Domain' ? verificationToken() : null,
      created_at: this.clock.now(),
    };
    const { changes } = await identityQueries.upsert(this.store, at, candidate);
    const row = changes > 0 ? candidate : await identityQueries.get(this.store, at, key);
    return { row: row ?? candidate, created: changes > 0 };
  }

  get(at: Region, identity: string): Promise<IdentityRow | undefined> {
    return identityQueries.get(this.store, at, identityKey(identity));
  }

  async getMany(at: Region, identities: readonly string[]): Promise<Map<string, IdentityRow>> {
    const rows = await identityQueries.byKeys(this.store, at, [...new Set(identities.map(identityKey))]);
    return new Map(rows.map((row) => [row.identity_key, row]));
  }

  /** A page in name order; `afterKey` comes from the previous page's last row. */
  list(
    at: Region,
    filter: { type?: IdentityType; afterKey?: string; limit: number },
  ): Promise<IdentityRow[]> {
    return identityQueries.list(this.store, at, filter);
  }

  /** True when there was one to delete. */
  async delete(at: Region, identity: string): Promise<boolean> {
    const { changes } = await identityQueries.delete(this.store, at, identityKey(identity));
    return changes > 0;
  }

  /** Those of `mailboxes` that no verified address or domain covers. */
  async unverified(at: Region, mailboxes: readonly Mailbox[]): Promise<Mailbox[]> {
    const keys = mailboxes.flatMap((m) => identitiesCovering(m));
    const known = await identityQueries.byKeys(this.store, at, [...new Set(keys)]);
    const verified = new Set(known.map((row) => row.identity_key));
    return mailboxes.filter((m) => !identitiesCovering(m).some((key) => verified.has(key)));
  }
}
