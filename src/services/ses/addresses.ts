/**
 * Email addresses as SES reads them: an optional display name and a mailbox, checked with the
 * rules (and the messages) SES answers with — `Missing final '@domain'`, `Domain contains illegal
 * character` and the rest are JavaMail's InternetAddress checks, which SES surfaces verbatim.
 * Pure: text in, a mailbox or a reason out.
 */

export interface Mailbox {
  /** The display name, when the address was written `Name <local@domain>`. */
  name?: string;
  /** `local@domain` as written. */
  address: string;
  local: string;
  domain: string;
}

export type Parsed = { ok: true; mailbox: Mailbox } | { ok: false; reason: string };

/** Characters that end an unquoted local part or domain (RFC 822 specials except the dot). */
const specials = /[()<>,;:\\"[\]@]/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const controlOrSpace = /[\s\x00-\x1f\x7f]/;

function checkDotAtoms(part: string, what: 'Local address' | 'Domain'): string | undefined {
  if (controlOrSpace.test(part)) return `${what} contains control or whitespace`;
  if (specials.test(part)) return `${what} contains illegal character`;
  if (part.startsWith('.')) return `${what} starts with dot`;
  if (part.endsWith('.')) return `${what} ends with dot`;
  if (part.includes('..')) return `${what} contains dot-dot`;
  return undefined;
}

function checkLocal(local: string): string | undefined {
  if (local === '') return 'Missing local name';
  // A quoted local part ("john doe"@example.com) may hold what a dot-atom may not.
  if (/^"(?:[^"\\\r\n]|\\.)*"$/.test(local)) return undefined;
  return checkDotAtoms(local, 'Local address');
}

function checkDomain(domain: string): string | undefined {
  if (domain === '') return 'Missing domain';
  if (/^\[[^[\]\\]*\]$/.test(domain)) return undefined;
  return checkDotAtoms(domain, 'Domain');
}

/** The display name with its quotes and escapes taken off. */
function unquoteName(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return undefined;
  const quoted = /^"((?:[^"\\]|\\.)*)"$/.exec(trimmed);
  return quoted ? quoted[1]!.replace(/\\(.)/g, '$1') : trimmed;
}

/** Reads `local@domain` or `Display Name <local@domain>`. */
export function parseMailbox(text: string): Parsed {
  const trimmed = text.trim();
  const angle = /^(.*)<([^<>]*)>$/s.exec(trimmed);
  const address = angle ? angle[2]!.trim() : trimmed;
  const at = address.lastIndexOf('@');
  if (at === -1) return { ok: false, reason: "Missing final '@domain'" };
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const reason = checkLocal(local) ?? checkDomain(domain);
  if (reason) return { ok: false, reason };
  const name = angle ? unquoteName(angle[1]!) : undefined;
  return { ok: true, mailbox: { ...(name !== undefined ? { name } : {}), address, local, domain } };
}

/**
 * How identities are keyed: a domain in lower case; an address with its domain in lower case but
 * its local part as written, since SES treats the local part of a verified address as case
 * sensitive.
 */
export function emailIdentityKey(local: string, domain: string): string {
  return `${local}@${domain.toLowerCase()}`;
}

export function domainIdentityKey(domain: string): string {
  return domain.toLowerCase();
}

/**
 * The identities that let `mailbox` send, most specific first: the address itself, its domain,
 * and each parent domain (a verified domain covers its subdomains).
 */
export function identitiesCovering(mailbox: Pick<Mailbox, 'local' | 'domain'>): string[] {
  const labels = domainIdentityKey(mailbox.domain).split('.');
  const domains = labels.slice(0, -1).map((_, i) => labels.slice(i).join('.'));
  return [emailIdentityKey(mailbox.local, mailbox.domain), ...(domains.length ? domains : labels)];
}

/** Whether an identity name is a domain (no `@`) rather than an email address. */
export function isDomainIdentity(identity: string): boolean {
  return !identity.includes('@');
}
